"""A progress bar on stderr for the command line, fed by :class:`explorer.progress.Progress`."""

from __future__ import annotations

import sys
from typing import Optional

from tqdm import tqdm

from explorer.progress import Progress


class ProgressBar:
    """Callable progress callback drawing one tqdm bar per stage on stderr; never asks to stop."""

    def __init__(self, disable: Optional[bool] = None) -> None:
        self._bar: Optional[tqdm] = None
        self._stage = ""
        self._disable = disable

    def __call__(self, p: Progress) -> None:
        if p.stage != self._stage:
            self.close()
            self._stage = p.stage
            self._bar = tqdm(total=1000, desc=p.stage, file=sys.stderr, disable=self._disable,
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
