"""The command line's progress bar: drawn on a terminal (or when asked), silent otherwise."""

from __future__ import annotations

import io

import pytest

from explorer.commands.progress_bar import ProgressBar
from explorer.progress import Progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("disable", "terminal", "drawn"), [
    (None, True, True), (None, False, False), (False, False, True), (True, True, False)])
def test_a_bar_is_drawn_on_a_terminal_or_when_asked(monkeypatch: pytest.MonkeyPatch, disable: bool | None,
                                                     terminal: bool, drawn: bool) -> None:
    err = _Terminal() if terminal else io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    bar = ProgressBar(disable=disable)
    bar(Progress(stage="training", progress=0.5, epoch=1, epochs=2, loss=1.25))
    bar.close()
    out = err.getvalue()
    assert ("training" in out and "50%" in out and "1/2" in out) == drawn, out
    assert drawn or out == ""
