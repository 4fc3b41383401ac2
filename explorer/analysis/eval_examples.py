"""Small example evaluation files built from a run's category labels, to show the formats.

Students rarely have WordSim-353 at hand; a run trained on the bundled sample has ground-truth
categories (``labels.tsv``), from which two honest toy tests follow:

* word pairs (``word1<TAB>word2<TAB>score``): two words of the same category score 8, of
  different categories 1, so a model that groups categories gets a high Spearman rho;
* odd-one-out questions (``a b c x``): three words of one category and, last, one of another.

Every pair and every question stays in one language (by script: Chinese characters or not), so a
bilingual run's examples test each language's words against its own.

Both are deterministic for a given seed and use only labelled tokens that are in the run.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping, Sequence

SAME, DIFFERENT = 8, 1


def script(word: str) -> str:
    """``"zh"`` for a word with a CJK character, else ``"latin"``: questions never mix the two."""
    return "zh" if any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in word) else "latin"


def _groups_by_script(labels: Mapping[str, str], vocabulary: Sequence[str],
                      min_words: int = 2) -> dict[str, dict[str, list[str]]]:
    """script -> category -> its labelled words in the run (categories with ``min_words`` or more,
    scripts with at least two such categories)."""
    known = set(vocabulary)
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for word, label in sorted(labels.items()):
        if word in known and label and not any(c.isspace() for c in word):
            found[script(word)][label].append(word)
    out = {}
    for name in sorted(found):
        groups = {label: words for label, words in found[name].items() if len(words) >= min_words}
        if len(groups) >= 2:
            out[name] = groups
    return out


def example_pairs(labels: Mapping[str, str], vocabulary: Sequence[str], n: int = 40, seed: int = 0) -> str:
    """About ``n`` scored pairs (half within a category, half across), one per line, tab-separated.
    Both words of a pair are in one language (script); languages take turns.

    >>> example_pairs({"cat": "a", "dog": "a", "car": "v", "bus": "v"}, ["cat", "dog", "car", "bus"], n=2)
    'dog\\tcat\\t8\\ndog\\tcar\\t1\\n'
    """
    rng = random.Random(seed)
    by_script = _groups_by_script(labels, vocabulary)
    if not by_script:
        return ""
    scripts = sorted(by_script)
    lines = []
    for i in range(n):
        groups = by_script[scripts[(i // 2) % len(scripts)]]
        names = sorted(groups)
        if i % 2 == 0:
            words = groups[names[(i // (2 * len(scripts))) % len(names)]]
            a, b = rng.sample(words, 2)
            lines.append(f"{a}\t{b}\t{SAME}")
        else:
            g1, g2 = rng.sample(names, 2)
            lines.append(f"{rng.choice(groups[g1])}\t{rng.choice(groups[g2])}\t{DIFFERENT}")
    return "\n".join(dict.fromkeys(lines)) + "\n"  # drop repeated pairs, keep the order


def example_odd_one_out(labels: Mapping[str, str], vocabulary: Sequence[str], n: int = 10, seed: int = 0) -> str:
    """``n`` questions ``a b c x``: a, b, c share a category, x (last) is from another one, all four
    in one language (script); languages take turns.

    >>> animals, cars = "cat dog cow 猫 狗 牛".split(), "car bus van 车 公交 卡车".split()
    >>> labels = dict.fromkeys(animals, "a") | dict.fromkeys(cars, "v")
    >>> [script(q.split()[0]) == script(q.split()[3]) for q in
    ...  example_odd_one_out(labels, animals + cars, n=4).splitlines()]
    [True, True, True, True]
    """
    rng = random.Random(seed)
    usable = _groups_by_script(labels, vocabulary, min_words=3)
    if not usable:
        return ""
    scripts = sorted(usable)
    lines = []
    for i in range(n):
        groups = usable[scripts[i % len(scripts)]]
        names = sorted(groups)
        inside = names[(i // len(scripts)) % len(names)]
        outside = rng.choice(sorted(g for g in groups if g != inside))
        lines.append(" ".join([*rng.sample(groups[inside], 3), rng.choice(groups[outside])]))
    return "\n".join(lines) + "\n"
