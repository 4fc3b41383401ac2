"""Shared fixtures. Every test gets its own EXPLORER_HOME so nothing touches the user's data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots and other files worth looking at


@pytest.fixture(autouse=True)
def _explorer_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("explorer-home")
    monkeypatch.setenv("EXPLORER_HOME", str(home))
    monkeypatch.setenv("EXPLORER_NO_PROGRESS", "1")
    return home


@pytest.fixture
def explorer_home() -> Path:
    return Path(os.environ["EXPLORER_HOME"])


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def _fake_kinds_only_where_used(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The job tests register fake training kinds (tests/_jobs_support.py) in this process; every other
    test (pages, CLI) sees only the real registry, as a user would."""
    if any(getattr(v, "__name__", "") == "_jobs_support" for v in vars(request.module).values()):
        return
    from explorer import kinds

    real = {k: v for k, v in kinds._TRAINING.items() if not v.runner.startswith("_jobs_support:")}
    monkeypatch.setattr(kinds, "_TRAINING", real)
