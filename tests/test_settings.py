"""explorer.settings: every EXPLORER_* variable read at call time, one parser per type, one-line errors that
name the variable and translate."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer import settings
from explorer.errors import ExplorerError
from explorer.i18n import error_text


def _refused(monkeypatch: pytest.MonkeyPatch, name: str, value: str, accessor, code: str) -> ExplorerError:
    monkeypatch.setenv(name, value)
    with pytest.raises(ExplorerError) as info:
        accessor()
    exc = info.value
    assert exc.code == code and exc.params["name"] == name
    assert str(exc).startswith(name) and "\n" not in str(exc)
    for lang in ("en", "zh"):
        assert name in error_text(exc, lang)
    return exc


def test_defaults_when_unset_or_blank(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("EXPLORER_WORKER_CONCURRENCY", "EXPLORER_TRAINING_NICE", "EXPLORER_MAX_FIELDS",
                 "EXPLORER_START_WORKER", "EXPLORER_JOBS_JOURNAL", "EXPLORER_MAX_MODEL_MB", "EXPLORER_JOB_THREADS"):
        monkeypatch.delenv(name, raising=False)
    assert (settings.worker_concurrency(), settings.training_nice(), settings.max_fields()) == (2, 5, 10_000)
    assert settings.start_worker() is True and settings.jobs_journal() == "wal"
    assert settings.max_model_mb() is None and settings.job_threads() is None
    monkeypatch.setenv("EXPLORER_TRAINING_NICE", "  ")  # blank counts as unset
    assert settings.training_nice() == 5


def test_values_are_read_when_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EXPLORER_HOME", str(tmp_path / "h"))
    assert settings.home() == tmp_path / "h"
    monkeypatch.setenv("EXPLORER_TRAINING_NICE", "0")
    assert settings.training_nice() == 0
    monkeypatch.setenv("EXPLORER_MAX_UNZIPPED_MB", "1.5")
    assert settings.max_unzipped_bytes() == int(1.5 * 2**20)
    monkeypatch.setenv("EXPLORER_BASE_URL", " https://school.example/app/ ")
    assert settings.base_url() == "https://school.example/app"
    monkeypatch.setenv("EXPLORER_JOBS_JOURNAL", "DELETE")
    assert settings.jobs_journal() == "delete"


@pytest.mark.parametrize("value, expected", [("1", True), ("true", True), ("Yes", True), ("on", True),
                                             ("0", False), ("false", False), ("NO", False), ("off", False)])
def test_flags(monkeypatch: pytest.MonkeyPatch, value: str, expected: bool) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", value)
    assert settings.start_worker() is expected


def test_a_flag_that_is_neither_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    exc = _refused(monkeypatch, "EXPLORER_WORKER_PRELOAD", "maybe", settings.worker_preload, "env_flag")
    assert error_text(exc, "zh") == "EXPLORER_WORKER_PRELOAD：应为 1 或 0，当前为 maybe。"


def test_whole_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    exc = _refused(monkeypatch, "EXPLORER_WORKER_CONCURRENCY", "2.5", settings.worker_concurrency, "env_integer")
    assert str(exc) == "EXPLORER_WORKER_CONCURRENCY: not a whole number: '2.5'"
    exc = _refused(monkeypatch, "EXPLORER_WORKER_CONCURRENCY", "0", settings.worker_concurrency, "param_min")
    assert str(exc) == "EXPLORER_WORKER_CONCURRENCY must be at least 1, got 0"
    assert error_text(exc, "zh") == "EXPLORER_WORKER_CONCURRENCY 最小为 1，当前为 0"
    _refused(monkeypatch, "EXPLORER_TRAINING_NICE", "-1", settings.training_nice, "param_min")
    _refused(monkeypatch, "EXPLORER_MAX_GRAPH_EDGES", "lots", settings.max_graph_edges, "env_integer")


def test_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_MAX_IMPORT_MB", "0.001")
    assert settings.max_import_mb() == 0.001
    for bad in ("big", "nan", "inf"):
        _refused(monkeypatch, "EXPLORER_MAX_IMPORT_MB", bad, settings.max_import_mb, "env_number")
    exc = _refused(monkeypatch, "EXPLORER_MAX_MODEL_MB", "0", settings.max_model_mb, "param_gt")
    assert error_text(exc, "en") == "EXPLORER_MAX_MODEL_MB must be greater than 0, got 0"
    _refused(monkeypatch, "EXPLORER_MAX_LINE_CHARS", "0.5", settings.max_line_chars, "param_min")
    _refused(monkeypatch, "EXPLORER_HEARTBEAT_TIMEOUT", "soon", settings.heartbeat_timeout, "env_number")


def test_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    exc = _refused(monkeypatch, "EXPLORER_JOBS_JOURNAL", "memory", settings.jobs_journal, "param_choice")
    assert str(exc) == "EXPLORER_JOBS_JOURNAL must be one of wal, delete, got memory"


def test_the_callers_use_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """A variable reaches the code that uses it (through settings), and a bad one is refused there."""
    from explorer.graph.io import max_edges
    from explorer.jobs.table import default_concurrency, journal_mode
    from explorer.text.limits import limits

    monkeypatch.setenv("EXPLORER_MAX_FIELDS", "7")
    monkeypatch.setenv("EXPLORER_MAX_GRAPH_EDGES", "5")
    monkeypatch.setenv("EXPLORER_WORKER_CONCURRENCY", "3")
    assert (limits().fields, max_edges(), default_concurrency()) == (7, 5, 3)
    monkeypatch.setenv("EXPLORER_JOBS_JOURNAL", "nope")
    with pytest.raises(ExplorerError, match="^EXPLORER_JOBS_JOURNAL"):
        journal_mode()
