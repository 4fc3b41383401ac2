"""Job specs built by the pages carry the user's file names, so job errors name the file they know."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer import ui_state
from explorer.configs import SkipGramConfig, UserItemConfig
from explorer.errors import ExplorerError
from explorer.training import run_training


def test_specs_carry_the_uploaded_file_names(tmp_path: Path) -> None:
    stored = tmp_path / "0fc100aa.txt"
    stored.write_text("a b", encoding="utf-8")
    spec = ui_state.skipgram_spec(stored, SkipGramConfig(), name="my run", file_name="课文.txt")
    assert spec["name"] == "my run" and spec["data"]["corpus_name"] == "课文.txt"
    spec = ui_state.useritem_spec(stored, UserItemConfig(), file_name="log.csv", items_name="films.csv")
    assert spec["data"]["interactions_name"] == "log.csv" and spec["data"]["items_name"] == "films.csv"


def test_a_failed_job_names_the_users_file_not_the_stored_hash(tmp_path: Path) -> None:
    stored = tmp_path / "0fc100aa.txt"
    stored.write_text("only a few words here\n", encoding="utf-8")
    spec = ui_state.skipgram_spec(stored, SkipGramConfig(), file_name="课文.txt")
    with pytest.raises(ExplorerError) as exc:
        run_training(spec, tmp_path / "run")
    assert "课文.txt" in str(exc.value) and "0fc100aa" not in str(exc.value)
    assert not (tmp_path / "run").exists()
