"""Shared test support: run-directory builders (:mod:`tests.support.runs`), the test-only job kinds
and worker helpers (:mod:`tests.support.jobs`), look-alikes of public rating logs
(:mod:`tests.support.log_lookalikes`), whole-file text reading for the text tests
(:mod:`tests.support.text`), AppTest helpers (:mod:`tests.support.pages`) and browser
helpers (:mod:`tests.support.browser`).

Test modules import from here (``from tests.support.runs import words_run``), never from each other.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository
ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots and other files worth looking at
