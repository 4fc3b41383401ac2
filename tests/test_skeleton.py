"""The shared contracts: errors, configs, the run directory and the CLI's error handling."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from explorer.cli import main
from explorer.configs import from_dict, to_dict
from explorer.errors import ExplorerError
from explorer.kinds import SkipGramConfig, UserItemConfig
from explorer.runs import atomic_run_dir, load_run, save_vectors, write_config, write_json


def test_error_message_is_one_line() -> None:
    assert str(ExplorerError("a\nb   c")) == "a b c"


@pytest.mark.parametrize("field,value", [("dim", 0), ("window", -1), ("sample", 1.5), ("lr", 0), ("loss", "x")])
def test_skipgram_config_rejects_bad_values(field: str, value: object) -> None:
    cfg = SkipGramConfig(**{field: value})
    with pytest.raises(ExplorerError, match=field):
        cfg.validate()


def test_config_round_trip_refuses_unknown_keys_in_one_line() -> None:
    cfg = UserItemConfig(dim=8, loss="bpr")
    assert from_dict(UserItemConfig, to_dict(cfg)) == cfg
    with pytest.raises(ExplorerError, match=r"^negative is not a field of UserItemConfig \(did you mean negatives\?\)$") as e:
        from_dict(UserItemConfig, to_dict(cfg) | {"negative": 1})
    assert e.value.code == "config_unknown_key" and e.value.params["key"] == "negative"


def test_atomic_run_dir_leaves_nothing_on_failure(tmp_path: Path) -> None:
    out = tmp_path / "run"
    with pytest.raises(RuntimeError):
        with atomic_run_dir(out) as tmp:
            (tmp / "partial.npy").write_bytes(b"x")
            raise RuntimeError("crash")
    assert list(tmp_path.iterdir()) == []


def test_run_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "run"
    vectors = np.arange(6, dtype=np.float32).reshape(3, 2)
    with atomic_run_dir(out) as tmp:
        save_vectors(tmp, vectors, ["猫", "dog", "a\tb"], [3, 2, 1])
        write_config(tmp, "skipgram", {"dim": 2}, {"corpus": "x"})
        write_json(tmp / "metrics.json", {"loss_per_epoch": [1.0]})
    run = load_run(out)
    assert run.kind == "skipgram"
    assert run.tokens == ["猫", "dog", "a b"]
    assert run.counts.tolist() == [3, 2, 1]
    np.testing.assert_array_equal(run.vectors, vectors)
    assert json.loads((out / "config.json").read_text())["versions"]["numpy"]


def test_atomic_run_dir_refuses_existing_data(tmp_path: Path) -> None:
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "keep.txt").write_text("precious")
    with pytest.raises(ExplorerError, match="not empty"):
        with atomic_run_dir(tmp_path / "run"):
            pass
    assert (tmp_path / "run" / "keep.txt").read_text() == "precious"


def test_cli_missing_corpus_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["train", "skipgram", "--corpus", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith("error: ") and "nope.txt" in err[0]
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    "argv",
    [["train", "skipgram", "--corpus", "c.txt", "--out", "o", "--lr", "abc"], ["frobnicate"], ["neighbors"]],
)
def test_cli_argument_errors_are_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    err = capsys.readouterr().err.strip().splitlines()
    assert exc.value.code == 2
    assert len(err) == 1 and err[0].startswith("error: ") and "--help" in err[0]
