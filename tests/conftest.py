"""Shared fixtures. Every test gets its own EXPLORER_HOME so nothing touches the user's data.

Builders and helpers shared by several test modules live in :mod:`tests.support`.

What is slow is said by an explicit marker and nowhere else: ``@pytest.mark.slow`` on a test that takes
seconds, or ``pytestmark = pytest.mark.slow`` on a module whose every test does (page tests under
Streamlit's AppTest, the hostile-input suite, the browser tests, worker subprocesses, real training).
The fast inner loop is ``pytest -m "not slow"``; tests/test_hygiene.py checks that those modules carry
the mark and that nothing else adds it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import ARTIFACTS, workers


@pytest.fixture(autouse=True, scope="session")
def _no_worker_outlives_the_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Workers of any data home under pytest's temporary folder are stopped when the session ends."""
    yield
    workers.stop(workers.left_under(tmp_path_factory.getbasetemp()))


@pytest.fixture(autouse=True)
def _explorer_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("explorer-home")
    monkeypatch.setenv("EXPLORER_HOME", str(home))
    monkeypatch.setenv("EXPLORER_NO_PROGRESS", "1")
    yield home
    workers.stop(workers.left_in(home))  # a worker the test let start (submit, a page run) and did not stop


@pytest.fixture
def explorer_home() -> Path:
    return Path(os.environ["EXPLORER_HOME"])


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS

