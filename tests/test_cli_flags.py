"""The ``train``/``submit`` flags are generated from the registry (explorer.kinds + explorer.configs).

Every declared field has a flag with help and default; a field added to a dataclass appears with no
CLI edit; the parsed flags come back as a validated TrainingSpec; ``--workspace`` goes before or
after the kind; ``--out`` is optional for ``submit`` and creates missing parents everywhere; the
package installs an ``explorer`` console script.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np
import pytest

from explorer import jobs, kinds
from explorer.cli import build_parser, main
from explorer.configs import CorpusConfig, field_specs, param
from explorer.errors import ExplorerError
from explorer.jobs import workspaces
from explorer.kinds import SkipGramConfig
from explorer.runs import check_out_dir
from tests.support.runs import words_run

ROOT = Path(__file__).resolve().parents[1]


def _kind_parser(parser: argparse.ArgumentParser, *path: str) -> argparse.ArgumentParser:
    for name in path:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[name]
    return parser


def _flags(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {flag: action for action in parser._actions for flag in action.option_strings}


def _run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's own exits (--help, bad flags)
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.txt"
    path.write_text("the cat sat on the mat\nthe dog sat on the log\n" * 20, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _no_autostart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")


@pytest.mark.parametrize("command", ["train", "submit"])
@pytest.mark.parametrize("kind", list(kinds.training_kinds()))
def test_every_declared_field_has_a_flag_with_help_and_default(command: str, kind: str) -> None:
    k = kinds.training_kind(kind)
    flags = _flags(_kind_parser(build_parser(), command, kind))
    specs = [s for s in field_specs(k.config_cls) if s.cli]
    if k.capabilities.corpus:
        specs += [s for s in field_specs(CorpusConfig) if s.cli]
    assert specs
    for spec in specs:
        action = flags[spec.flag]
        assert spec.help.split(" (default")[0] in action.help and "(default" in action.help, spec.name
        assert action.default == spec.default
        if spec.choices:
            assert tuple(action.choices) == spec.choices
    for spec in kinds.data_field_specs(k.data_cls):
        for flag in spec.role_flags().values() or [spec.flag]:
            assert flags[flag].help and ("(default" in flags[flag].help or "(required)" in flags[flag].help), flag
    assert "(required)" in flags["--out"].help if command == "train" else "(default" in flags["--out"].help


def test_flags_the_cli_lacked_are_generated_and_old_names_kept() -> None:
    parser = build_parser()
    useritem = _flags(_kind_parser(parser, "train", "useritem"))
    assert {"--neg-alpha", "--workers", "--min-rating", "--user-col", "--item-col", "--rating-col", "--time-col",
            "--label-col", "--items", "--interactions"} <= set(useritem)
    skipgram = _flags(_kind_parser(parser, "train", "skipgram"))
    assert {"--stopwords", "--lang", "--text-column", "--snapshots", "--max-vocab", "--labels", "--user-words",
            "--corpus", "--loss", "--device"} <= set(skipgram)
    assert skipgram["--stopwords"].dest.endswith("remove_stopwords")


def test_a_field_added_to_a_dataclass_appears_in_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    @dataclass
    class ToyConfig(SkipGramConfig):
        temperature: float = param(0.5, "a throwaway hyperparameter", min=0.0, max=1.0)

    @dataclass
    class ToyData(kinds.SkipGramData):
        title_col: Optional[str] = kinds.data_field(None, "a throwaway column (default: guessed)", flag="--title-col")

    toy = kinds.TrainingKind(name="toy", help="a throwaway kind", data_cls=ToyData, config_cls=ToyConfig,
                             runner="explorer.training.skipgram:train_skipgram_run", run_files=("config.json",),
                             capabilities=kinds.Capabilities(words=True, corpus=True))
    monkeypatch.setitem(kinds.base._TRAINING, "toy", toy)
    parser = build_parser()
    flags = _flags(_kind_parser(parser, "submit", "toy"))
    assert "a throwaway hyperparameter [0..1] (default: 0.5)" == flags["--temperature"].help
    assert "--title-col" in flags and "--dim" in flags
    from explorer.commands.kind_flags import spec_from_args

    args = parser.parse_args(["train", "toy", "--corpus", str(ROOT / "README.md"), "--out", "x",
                              "--temperature", "0.25", "--title-col", "name"])
    spec = spec_from_args("toy", args)
    assert spec.config.temperature == 0.25 and spec.data.title_col == "name" and spec.kind == "toy"


def test_parsed_flags_become_a_validated_training_spec(tmp_path: Path) -> None:
    from explorer.commands.kind_flags import spec_from_args

    log = tmp_path / "log.csv"
    log.write_text("u,i\n1,2\n", encoding="utf-8")
    args = build_parser().parse_args(["train", "useritem", "--interactions", str(log), "--out", "r",
                                      "--neg-alpha", "0.5", "--workers", "2", "--user-col", "u", "--min-rating", "3"])
    spec = spec_from_args("useritem", args)
    assert isinstance(spec, kinds.TrainingSpec) and spec.name == "log.csv"
    assert (spec.config.neg_alpha, spec.config.workers, spec.config.min_rating) == (0.5, 2, 3.0)
    assert spec.data.columns == {"user": "u", "item": None, "rating": None, "time": None, "label": None}
    assert spec.data.interactions == str(log.resolve()) and spec.corpus_config is None
    assert kinds.spec_from_dict(spec.to_dict()) == spec


def test_a_bad_value_is_one_error_line_naming_the_parameter(capsys: pytest.CaptureFixture, corpus: Path,
                                                            tmp_path: Path) -> None:
    code, out, err = _run(capsys, "train", "skipgram", "--corpus", str(corpus), "--out", str(tmp_path / "r"),
                          "--dim", "0")
    assert (code, out, err) == (2, "", "error: dim must be at least 1, got 0\n")
    code, _, err = _run(capsys, "train", "useritem", "--interactions", str(corpus), "--out", str(tmp_path / "r"),
                        "--neg-alpha", "5")
    assert (code, err) == (2, "error: neg_alpha must be at most 2, got 5\n")
    assert not (tmp_path / "r").exists()


def test_submit_rejects_a_bad_spec_with_one_line(capsys: pytest.CaptureFixture, corpus: Path) -> None:
    code, out, err = _run(capsys, "submit", "skipgram", "--corpus", str(corpus), "--lr", "0")
    assert (code, out, err) == (2, "", "error: lr must be greater than 0, got 0\n")
    ws = workspaces.new_token()
    with pytest.raises(Exception) as exc:
        jobs.submit({"kind": "skipgram", "data": {"corpus": str(corpus)}, "config": {"window": 1000}}, ws)
    assert str(exc.value) == "window must be at most 100, got 1000" and "\n" not in str(exc.value)
    with pytest.raises(Exception, match="data.corpus is required"):
        jobs.submit({"kind": "skipgram", "data": {}}, ws)
    assert jobs.list_jobs(ws) == []


@pytest.mark.parametrize("before", [True, False])
def test_workspace_before_or_after_the_kind_and_out_optional(capsys: pytest.CaptureFixture, corpus: Path,
                                                             before: bool) -> None:
    ws = workspaces.new_token()
    kind_args = ["skipgram", "--corpus", str(corpus), "--epochs", "1"]
    argv = ["submit", "--workspace", ws, *kind_args] if before else ["submit", *kind_args, "--workspace", ws]
    code, out, err = _run(capsys, *argv)
    assert code == 0 and err == "", err
    (job,) = jobs.list_jobs(ws)
    assert job.id == out.strip() and "out" not in job.spec  # no --out: the run lives in the workspace


@pytest.mark.parametrize("before", [True, False])
def test_a_workspace_token_may_start_with_a_dash(capsys: pytest.CaptureFixture, corpus: Path, before: bool) -> None:
    ws = "-" + workspaces.new_token()[1:]  # token_urlsafe gives this 1 time in 64
    assert workspaces.is_valid_token(ws)
    kind_args = ["skipgram", "--corpus", str(corpus)]
    argv = ["submit", "--workspace", ws, *kind_args] if before else ["submit", *kind_args, "--workspace", ws]
    code, _, err = _run(capsys, *argv)
    assert code == 0 and len(jobs.list_jobs(ws)) == 1, err


def test_workspace_given_twice_takes_the_one_after_the_kind(capsys: pytest.CaptureFixture, corpus: Path) -> None:
    first, second = workspaces.new_token(), workspaces.new_token()
    code, _, err = _run(capsys, "submit", "--workspace", first, "skipgram", "--corpus", str(corpus),
                        "--workspace", second)
    assert code == 0 and len(jobs.list_jobs(second)) == 1 and jobs.list_jobs(first) == [], err


def test_out_creates_missing_parent_folders(capsys: pytest.CaptureFixture, corpus: Path, tmp_path: Path) -> None:
    assert check_out_dir(tmp_path / "a" / "b" / "run") == tmp_path / "a" / "b" / "run"
    assert (tmp_path / "a" / "b").is_dir() and not (tmp_path / "a" / "b" / "run").exists()
    (tmp_path / "file").write_text("x")
    with pytest.raises(Exception, match="parent is not a folder"):
        check_out_dir(tmp_path / "file" / "run")
    code, _, err = _run(capsys, "submit", "skipgram", "--corpus", str(corpus), "--out", str(tmp_path / "s" / "t" / "run"))
    assert code == 0 and (tmp_path / "s" / "t").is_dir(), err
    run = words_run(tmp_path / "vectors", ["a", "b", "c"], np.eye(3, 2), counts=[3, 2, 1], name="tiny")
    code, _, err = _run(capsys, "export", str(run), "--format", "word2vec", "--out", str(tmp_path / "e" / "f" / "v.txt"))
    assert code == 0 and (tmp_path / "e" / "f" / "v.txt").is_file(), err
    code, _, err = _run(capsys, "sample", "--out", str(tmp_path / "g" / "h"))
    assert code == 0 and (tmp_path / "g" / "h" / "sample_corpus.txt").is_file(), err


@pytest.mark.slow
def test_project_out_creates_missing_parent_folders(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    run = words_run(tmp_path / "vectors", ["a", "b", "c"], np.eye(3, 2), counts=[3, 2, 1], name="tiny")
    code, _, err = _run(capsys, "project", str(run), "--out", str(tmp_path / "p" / "q" / "xy.csv"))
    assert code == 0 and (tmp_path / "p" / "q" / "xy.csv").is_file(), err


@pytest.mark.parametrize("argv", [[], ["train"], ["submit"], ["train", "skipgram"], ["submit", "useritem"]])
def test_help_ends_with_examples(capsys: pytest.CaptureFixture, argv: list[str]) -> None:
    code, out, _ = _run(capsys, *argv, "--help")
    assert code == 0
    tail = out.rstrip().split("\n\n")[-1]
    assert tail.startswith("example") and "python -m explorer" in tail


def test_project_and_cluster_methods_come_from_the_registries(capsys: pytest.CaptureFixture) -> None:
    from explorer.analysis.clusters import CLUSTER_METHODS
    from explorer.analysis.projection import PROJECTION_METHODS

    code, out, _ = _run(capsys, "project", "--help")
    assert ", ".join(PROJECTION_METHODS) in out
    code, out, _ = _run(capsys, "cluster", "--help")
    assert ", ".join(CLUSTER_METHODS) in out
    code, _, err = _run(capsys, "cluster", "x", "--method", "spectral")
    assert code == 2 and err.startswith("error: argument --method: invalid choice")


def test_status_does_not_import_the_analysis_registries() -> None:
    code = ("import sys; from explorer.cli import main; main(['status', '0' * 20]); "
            "print(sorted(m for m in sys.modules if m.startswith(('explorer.analysis', 'torch', 'pandas'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         env=dict(os.environ)).stdout
    assert out.strip().endswith("[]"), out


def test_the_package_declares_the_console_script() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["explorer"] == "explorer.__main__:run"  # marks its process, then cli.main
    from explorer import __main__ as entry

    assert callable(entry.run)
    assert "-e ." in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.slow
def test_a_fresh_clone_installs_the_console_script(tmp_path: Path) -> None:
    """``pip install -r requirements.txt`` in a fresh clone makes ``explorer`` and ``python -m explorer``
    work from any folder (a venv over the installed packages; no download: --no-index)."""
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse"], capture_output=True).returncode:
        pytest.skip("not a git checkout")
    clone, venv, elsewhere = tmp_path / "clone", tmp_path / "venv", tmp_path / "elsewhere"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    for tracked in ("requirements.txt", "pyproject.toml"):  # this checkout's (maybe uncommitted) files
        (clone / tracked).write_bytes((ROOT / tracked).read_bytes())
    # the venv sees the installed packages (pip and setuptools included) and installs into itself
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], check=True,
                   timeout=120)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-index",
                          "--no-build-isolation", "-r", "requirements.txt"], cwd=clone, capture_output=True,
                         text=True, timeout=300)
    assert pip.returncode == 0, pip.stderr[-2000:]
    elsewhere.mkdir()
    env = dict(os.environ, EXPLORER_HOME=str(tmp_path / "home"), PYTHONPATH="")
    script = subprocess.run([str(venv / "bin" / "explorer"), "sample", "--out", "s/t"], cwd=elsewhere, env=env,
                            capture_output=True, text=True, timeout=120)
    assert script.returncode == 0 and (elsewhere / "s" / "t" / "sample_corpus.txt").is_file(), script.stderr
    module = subprocess.run([str(venv / "bin" / "python"), "-m", "explorer", "--help"], cwd=elsewhere, env=env,
                            capture_output=True, text=True, timeout=120)
    assert module.returncode == 0 and "examples" in module.stdout


def test_the_job_table_stores_the_validated_spec_with_every_default(corpus: Path) -> None:
    ws = workspaces.new_token()
    with pytest.raises(ExplorerError, match=r"^spec: unknown is not a field of a job spec") as refused:
        jobs.submit({"kind": "skipgram", "data": {"corpus": str(corpus)}, "config": {"dim": 8}, "unknown": "x"}, ws)
    assert refused.value.code == "spec_unknown_key" and jobs.list_jobs(ws) == []
    job = jobs.get(jobs.submit({"kind": "skipgram", "data": {"corpus": str(corpus)}, "config": {"dim": 8}}, ws))
    expected = kinds.spec_from_dict({"kind": "skipgram", "data": {"corpus": str(corpus)}, "config": {"dim": 8}})
    expected.name = "tiny.txt"  # no name given: the data file's
    assert job.spec == expected.to_dict() and job.spec["config"]["window"] == SkipGramConfig().window
    assert job.spec["version"] == kinds.SPEC_VERSION
    assert job.spec["corpus_config"]["lang"] == "auto" and job.name == job.spec["name"] == "tiny.txt"


def test_fake_job_kinds_do_not_leak_into_other_modules() -> None:
    """tests/support/jobs.py registers its fake kinds for the job-test modules only (a module fixture)."""
    assert not any(k.runner.startswith("tests.support.jobs:") for k in kinds.training_kinds().values())


def test_every_flag_of_every_command_says_its_default_or_that_it_is_required() -> None:
    def walk(parser: argparse.ArgumentParser, path: list[str]) -> list[str]:
        missing = []
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    missing += walk(sub, [*path, name])
            elif action.option_strings and not isinstance(action, argparse._HelpAction):
                if "(default" not in (action.help or "") and "(required)" not in (action.help or ""):
                    missing.append(" ".join([*path, action.option_strings[0]]))
        return missing

    assert walk(build_parser(), []) == []
