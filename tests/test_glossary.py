"""One Chinese word per term of the app (explorer/i18n/_glossary.py), in every string table."""

from __future__ import annotations

import pytest

from explorer.i18n import table, table_names
from explorer.i18n._glossary import GLOSSARY


def chinese_strings() -> list[tuple[str, str]]:
    return [(f"{name}.{key}", pair[1]) for name in table_names() for key, pair in table(name).items()]


@pytest.mark.parametrize("term", sorted(GLOSSARY))
def test_no_table_uses_a_competing_word(term: str) -> None:
    word, competitors = GLOSSARY[term]
    assert word not in competitors
    found = [(key, text) for key, text in chinese_strings() for other in competitors if other in text]
    assert not found, f"{term!r} is {word!r} in the 中文 UI; these strings use another word: {found}"


def test_every_glossary_word_is_used() -> None:
    """A glossary entry nobody uses is stale: each chosen word appears in some table."""
    everything = "\n".join(text for _, text in chinese_strings())
    unused = [term for term, (word, _) in GLOSSARY.items() if word not in everything]
    assert not unused, unused


def test_no_chosen_word_is_another_terms_competitor() -> None:
    chosen = {word for word, _ in GLOSSARY.values()}
    clashes = [(term, c) for term, (_, competitors) in GLOSSARY.items() for c in competitors if c in chosen]
    assert not clashes, clashes
