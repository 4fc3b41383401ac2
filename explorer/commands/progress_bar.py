"""A progress bar on stderr for the command line, fed by :class:`explorer.progress.Progress`."""

from __future__ import annotations

import sys
from typing import Any, Optional

from explorer.progress import Progress


class ProgressBar:
    """Callable progress callback drawing one tqdm bar per stage on stderr; never asks to stop.

    ``disable=None``: a bar only when stderr is a terminal (tqdm's own rule). tqdm is imported with the first bar
    drawn, so a script, the worker or a benchmark does not import it (16 ms of a training command's start)."""

    def __init__(self, disable: Optional[bool] = None) -> None:
        self._bar: Optional[Any] = None
        self._stage = ""
        self._enabled = not disable if disable is not None else _is_terminal()

    def __call__(self, p: Progress) -> None:
        if not self._enabled:
            return
        if p.stage != self._stage:
            from tqdm import tqdm

            self.close()
            self._stage = p.stage
            self._bar = tqdm(total=1000, desc=p.stage, file=sys.stderr,
                             bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining} {postfix}")
        bar = self._bar
        assert bar is not None
        bar.update(max(0, int(p.progress * 1000) - bar.n))
        post = {}
        if p.epochs:
            post["epoch"] = f"{p.epoch}/{p.epochs}"
        if p.loss is not None:
            post["loss"] = f"{p.loss:.4f}"
        if p.rate:
            post["rate"] = f"{p.rate:,.0f}/s"
        if post:
            bar.set_postfix(post, refresh=False)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stderr
        return False
