"""Public Chinese evaluation sets shipped with the app (see ``eval_data/README.md`` for sources and licenses).

    >>> word_pairs_zh().name, analogies_zh().name
    ('cos960_all.txt', 'ca8_semantic.txt')
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "eval_data"


def word_pairs_zh() -> Path:
    """COS960: 960 Chinese word pairs scored for similarity (MIT)."""
    return DATA / "cos960_all.txt"


def analogies_zh() -> Path:
    """CA8-semantic: 7,636 Chinese analogy questions in four sections (Apache-2.0)."""
    return DATA / "ca8_semantic.txt"
