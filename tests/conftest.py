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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow by kind, in one place: page tests (streamlit.testing AppTest, seconds each) and the hostile-input
    suite (batches of ``python -m explorer`` subprocesses under a memory limit) belong to the full run,
    not to the fast loop ``pytest -m "not slow"``."""
    for item in items:
        module = getattr(item, "module", None)
        if (module is not None and "AppTest" in vars(module)) or "/tests/hostile/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.slow)
