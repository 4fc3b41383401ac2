"""Small example evaluation files built from a run's category labels, to show the formats.

Students rarely have WordSim-353 at hand; a run trained on the bundled sample has ground-truth
categories (``labels.tsv``), from which two honest toy tests follow:

* word pairs (``word1<TAB>word2<TAB>score``): two words of the same category score 8, of
  different categories 1, so a model that groups categories gets a high Spearman rho;
* odd-one-out questions (``a b c x``): three words of one category and, last, one of another.

Both are deterministic for a given seed and use only labelled tokens that are in the run.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping, Sequence

SAME, DIFFERENT = 8, 1


def _groups(labels: Mapping[str, str], vocabulary: Sequence[str]) -> dict[str, list[str]]:
    known = set(vocabulary)
    groups: dict[str, list[str]] = defaultdict(list)
    for word, label in sorted(labels.items()):
        if word in known and label and not any(c.isspace() for c in word):
            groups[label].append(word)
    return {label: words for label, words in groups.items() if len(words) >= 2}


def example_pairs(labels: Mapping[str, str], vocabulary: Sequence[str], n: int = 40, seed: int = 0) -> str:
    """About ``n`` scored pairs (half within a category, half across), one per line, tab-separated.

    >>> example_pairs({"cat": "a", "dog": "a", "car": "v", "bus": "v"}, ["cat", "dog", "car", "bus"], n=2)
    'dog\\tcat\\t8\\ndog\\tcar\\t1\\n'
    """
    rng = random.Random(seed)
    groups = _groups(labels, vocabulary)
    if len(groups) < 2:
        return ""
    names = sorted(groups)
    lines = []
    for i in range(n):
        if i % 2 == 0:
            words = groups[names[(i // 2) % len(names)]]
            a, b = rng.sample(words, 2)
            lines.append(f"{a}\t{b}\t{SAME}")
        else:
            g1, g2 = rng.sample(names, 2)
            lines.append(f"{rng.choice(groups[g1])}\t{rng.choice(groups[g2])}\t{DIFFERENT}")
    return "\n".join(dict.fromkeys(lines)) + "\n"  # drop repeated pairs, keep the order


def example_odd_one_out(labels: Mapping[str, str], vocabulary: Sequence[str], n: int = 10, seed: int = 0) -> str:
    """``n`` questions ``a b c x``: a, b, c share a category, x (last) is from another one."""
    rng = random.Random(seed)
    groups = {k: v for k, v in _groups(labels, vocabulary).items() if len(v) >= 3}
    if len(groups) < 2:
        return ""
    names = sorted(groups)
    lines = []
    for i in range(n):
        inside = names[i % len(names)]
        outside = rng.choice([g for g in names if g != inside])
        lines.append(" ".join([*rng.sample(groups[inside], 3), rng.choice(groups[outside])]))
    return "\n".join(lines) + "\n"
