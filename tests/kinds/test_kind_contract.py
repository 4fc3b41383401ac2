"""The contract every registered training kind keeps, run over the registry (like benfred/implicit's shared
recommender tests): a new kind in ``explorer/kinds/`` is tested here with no edit.

Fast: the typed spec round-trips through its stored JSON and refuses unknown keys; the CLI's flags and the
Train form's fields are its config's declarations; the lanes, the class limits, the gallery's and the
dashboard's numbers and display names ask the kind. Slow (real training, module-scoped): it trains its
bundled sample within :data:`BUDGET_S`, writes exactly files it declares (the required ones included),
reloads and validates, and a damaged copy of each file it wrote is refused in one line naming the file.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from explorer import kinds, train_form
from explorer.cli import build_parser
from explorer.configs import CorpusConfig, field_specs
from explorer.errors import ExplorerError
from explorer.i18n import t
from explorer.jobs import classes, lanes
from explorer.kinds import TrainingKind, TrainingSpec, data_field_specs, spec_from_dict
from explorer.runs import load_run
from explorer.runs.validation import forget_checks

KINDS = list(kinds.training_kinds())
BUDGET_S = 180.0  # one kind's sample, numba compilation included, on the busy 2-core test machine


def sample_spec(name: str) -> TrainingSpec:
    """The spec the Train page builds for the kind's bundled sample with the form's starting values."""
    data = kinds.training_kind(name).sample_data()
    return train_form.page_spec(name, data, train_form.form_preset(name, data))


# --------------------------------------------------------------------------- the typed spec


@pytest.mark.parametrize("name", KINDS)
def test_the_spec_round_trips_through_its_stored_json_and_refuses_unknown_keys(name: str) -> None:
    spec = sample_spec(name)
    stored = json.loads(json.dumps(spec.to_dict()))
    assert stored["version"] == kinds.SPEC_VERSION
    again = spec_from_dict(stored)
    assert again == spec and type(again.config) is kinds.training_kind(name).config_cls
    old = {k: v for k, v in stored.items() if k != "version"}  # a spec stored before versions still loads
    assert spec_from_dict(old) == spec
    first = field_specs(type(spec.config))[0].name
    for part, key in (("config", first + "s"), ("data", "corpuss"), (None, "extra")):
        bad = json.loads(json.dumps(stored))
        (bad[part] if part else bad)[key] = 1
        with pytest.raises(ExplorerError) as refused:
            spec_from_dict(bad)
        message = str(refused.value)
        assert refused.value.code == "spec_unknown_key" and key in message and "\n" not in message
    with pytest.raises(ExplorerError, match=f"config.{first}s is not a field of {name} \\(did you mean {first}\\?\\)"):
        spec_from_dict({**stored, "config": {first + "s": 1}})  # a misspelled field is named, with the likely one


# --------------------------------------------------------------------------- CLI flags and the Train form


def _subparser(parser: argparse.ArgumentParser, *path: str) -> argparse.ArgumentParser:
    for name in path:
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = action.choices[name]
    return parser


@pytest.mark.parametrize("name", KINDS)
@pytest.mark.parametrize("command", ["train", "submit"])
def test_the_generated_cli_flags_are_the_kinds_declarations(name: str, command: str) -> None:
    kind = kinds.training_kind(name)
    parser = _subparser(build_parser(), command, name)
    flags = {opt for a in parser._actions for opt in a.option_strings}
    config_flags = {s.flag for s in field_specs(kind.config_cls) if s.cli}
    data_flags = set()
    for spec in data_field_specs(kind.data_cls):
        data_flags |= set(spec.role_flags().values()) if spec.roles else {spec.flag}
    corpus_flags = {s.flag for s in field_specs(CorpusConfig) if s.cli} if kind.capabilities.corpus else set()
    declared = config_flags | data_flags | corpus_flags
    assert declared <= flags
    hidden = {s.flag for s in field_specs(kind.config_cls) if not s.cli}
    assert not hidden & flags
    for f in field_specs(kind.config_cls):  # the parser's default is the declared default
        if f.cli and f.type is not bool:
            action = next(a for a in parser._actions if f.flag in a.option_strings)
            assert action.default == f.default, f.name


@pytest.mark.parametrize("name", KINDS)
def test_the_train_form_offers_the_configs_ui_fields_with_translated_labels(name: str) -> None:
    kind = kinds.training_kind(name)
    form = train_form.form_fields(name)
    assert [s.name for s in form] == [s.name for s in field_specs(kind.config_cls) if s.ui]
    keys = [train_form.widget_key(name, s) for s in form]
    assert len(set(keys)) == len(keys)
    for s in form:
        for lang in ("en", "zh"):
            assert t(f"train.f_{s.name}", lang) != f"train.f_{s.name}"


# --------------------------------------------------------------------------- lanes, limits, gallery ask the kind


@pytest.mark.parametrize("name", KINDS)
def test_the_lanes_ask_the_kind(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = sample_spec(name)
    stored = json.dumps(spec.to_dict())
    assert not lanes.QueuedJob("a", "w", name, stored).long  # a bundled sample is a short job
    seen: list[Any] = []

    def long_estimate(self: TrainingKind, typed: TrainingSpec, stats: dict) -> float:
        seen.append((typed, stats))
        return 10 * lanes.LONG_AFTER_S

    monkeypatch.setattr(type(kinds.training_kind(name)), "estimate_seconds", long_estimate)
    assert lanes.estimate_seconds(name, spec.to_dict()) == 10 * lanes.LONG_AFTER_S
    assert seen[0][0] == spec and set(seen[0][1]) == set(kinds.input_files(spec.data))


@pytest.mark.parametrize("name", KINDS)
def test_the_class_limits_ask_the_kind_and_cover_every_input_file(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = sample_spec(name)
    inputs = kinds.input_files(spec.data)
    assert inputs and all(p.is_file() for p in inputs.values())
    smallest = min(p.stat().st_size for p in inputs.values()) / 2**20
    info = classes.create_class("C", classes.Limits(max_corpus_mb=smallest / 2))
    ann = classes.join(info.code, "Ann")
    with pytest.raises(ExplorerError) as refused:
        classes.check_submit(ann.workspace, spec)
    assert refused.value.code == "class_limit_corpus" and refused.value.params["field"] in inputs
    monkeypatch.setattr(type(kinds.training_kind(name)), "limited_fields",
                        lambda self, typed: kinds.Limited(epochs=1, dim=1, inputs={}))
    classes.check_submit(ann.workspace, spec)  # what the kind says is limited is all that is checked


@pytest.mark.parametrize("name", kinds.run_kinds())
def test_display_names_and_key_numbers_come_from_the_kind(name: str) -> None:
    kind = kinds.run_kind(name)
    en, zh = t(kind.label_key, "en"), t(kind.label_key, "zh")
    assert en != kind.label_key and zh != kind.label_key and en != zh
    metrics = {"loss_per_epoch": [2.0, 1.25], "seconds": 3.0, "words_per_s": 10.0, "interactions_per_second": 20.0,
               "steps_per_s": 30.0, "link_prediction": {"auc": 0.9},
               "test": {"full": {"model": {"HR@10": 0.5, "NDCG@10": 0.25}}}}
    numbers = classes.key_numbers(metrics, name)
    assert numbers == kind.key_numbers(metrics) and numbers["loss"] == 1.25
    assert set(numbers) - {"seconds"} <= set(kinds.KEY_NUMBER_FORMATS)


# --------------------------------------------------------------------------- training the sample (slow)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Path, float]]]:
    """Each kind's bundled sample trained once for this module: kind -> (run directory, seconds)."""
    import os

    from explorer.training import run_training

    home = tmp_path_factory.mktemp("kinds-home")
    old = os.environ.get("EXPLORER_HOME")
    os.environ["EXPLORER_HOME"] = str(home)
    out: dict[str, tuple[Path, float]] = {}
    try:
        for name in KINDS:
            started = time.perf_counter()
            run_training(sample_spec(name), home / "runs" / name)
            out[name] = (home / "runs" / name, time.perf_counter() - started)
        yield out
    finally:
        if old is None:
            os.environ.pop("EXPLORER_HOME", None)
        else:
            os.environ["EXPLORER_HOME"] = old


@pytest.mark.slow
@pytest.mark.parametrize("name", KINDS)
def test_trains_its_sample_in_time_writes_only_declared_files_and_reloads(
        name: str, trained: dict[str, tuple[Path, float]]) -> None:
    kind = kinds.training_kind(name)
    run_dir, seconds = trained[name]
    assert seconds < BUDGET_S
    written = {p.name for p in run_dir.iterdir()}
    assert set(kind.required_files) <= written <= set(kind.file_names)
    forget_checks()
    run = load_run(run_dir)
    assert run.kind == name and run.capabilities == kind.capabilities
    assert type(run.settings) is kind.config_cls


def _damage(path: Path) -> None:
    """Replace a file by bytes no reader accepts: text where an array belongs, a broken header, broken JSON."""
    if path.suffix in (".npy", ".npz"):
        path.write_bytes(b"\x93NUMPY damaged")
    elif path.suffix == ".tsv":
        path.write_text("not\ta\theader\n", encoding="utf-8")
    else:
        path.write_text("{damaged", encoding="utf-8")


def _declared_damages() -> list[tuple[str, str]]:
    return [(name, f.name) for name in KINDS for f in kinds.training_kind(name).run_files if f.format != "file"]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "file"), _declared_damages())
def test_a_damaged_file_of_each_declared_kind_is_refused_in_one_line(
        name: str, file: str, trained: dict[str, tuple[Path, float]], tmp_path: Path) -> None:
    source, _ = trained[name]
    if not (source / file).is_file():
        pytest.skip(f"the sample run of {name} does not write the optional {file}")
    run_dir = tmp_path / "run"
    shutil.copytree(source, run_dir)
    _damage(run_dir / file)
    forget_checks()
    with pytest.raises(ExplorerError) as refused:
        load_run(run_dir)
    message = str(refused.value)
    assert file in message and "\n" not in message and refused.value.code


def test_a_kind_added_to_the_registry_is_tested_here_with_no_edit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parameter lists come from the registry, not from a list in this file."""
    assert KINDS == list(kinds.training_kinds()) and len(KINDS) >= 3
    assert {name for name, _ in _declared_damages()} == set(KINDS)
