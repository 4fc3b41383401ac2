"""The Train form's spec: built from the Data page's choice, validated, carrying the user's file names."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer import train_form
from explorer.errors import ExplorerError
from explorer.kinds import training_kinds
from explorer.training import run_training


def test_specs_carry_the_uploaded_file_names(tmp_path: Path) -> None:
    stored = tmp_path / "0fc100aa.txt"
    stored.write_text("a b", encoding="utf-8")
    spec = train_form.page_spec("skipgram", {"path": str(stored), "name": "课文.txt", "stopwords": True}, {},
                                name="my run")
    assert spec.name == "my run" and spec.data.corpus_name == "课文.txt" and spec.corpus_config.remove_stopwords
    spec = train_form.page_spec("useritem", {"path": str(stored), "name": "log.csv", "items_name": "films.csv"}, {})
    assert spec.data.interactions_name == "log.csv" and spec.data.items_name == "films.csv"
    assert spec.name == "log.csv" and spec.data.interactions == str(stored.resolve())


def test_a_failed_job_names_the_users_file_not_the_stored_hash(tmp_path: Path) -> None:
    stored = tmp_path / "0fc100aa.txt"
    stored.write_text("only a few words here\n", encoding="utf-8")
    spec = train_form.page_spec("skipgram", {"path": str(stored), "name": "课文.txt"}, {})
    with pytest.raises(ExplorerError) as exc:
        run_training(spec.to_dict(), tmp_path / "run")
    assert "课文.txt" in str(exc.value) and "0fc100aa" not in str(exc.value)
    assert not (tmp_path / "run").exists()


def test_a_form_value_out_of_bounds_is_refused_naming_the_parameter(tmp_path: Path) -> None:
    with pytest.raises(ExplorerError, match="dim must be at most 1000") as exc:
        train_form.page_spec("skipgram", {"path": str(tmp_path / "x.txt"), "name": "x.txt"}, {"dim": 5000})
    assert exc.value.code == "param_max" and exc.value.params["name"] == "dim"


def test_data_page_presets_reach_the_config() -> None:
    assert train_form.config_preset("skipgram", {"min_count": 2, "path": "x"}) == {"min_count": 2}
    assert train_form.config_preset("useritem", {"min_rating": 3.5, "min_count": 2}) == {"min_rating": 3.5}
    assert train_form.config_preset("skipgram", {"sample": True, "min_count": 0}) == {}  # not valid values


@pytest.mark.parametrize("kind", list(training_kinds()))
def test_number_widgets_get_the_declared_bounds(kind: str) -> None:
    for spec in train_form.form_fields(kind):
        if spec.type not in (int, float) or spec.choices:
            continue
        opts = train_form.number_options(spec)
        if spec.max is not None:
            assert opts["max_value"] == spec.max
        if spec.min is not None and not spec.optional:
            assert opts["min_value"] >= spec.min and (opts["min_value"] > spec.min) == spec.min_exclusive
        shown = train_form.widget_value(spec, spec.default)
        assert train_form.config_value(spec, shown) == spec.default
