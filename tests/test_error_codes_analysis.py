"""Errors of the analysis layer in the user's language: every ExplorerError raised under
explorer/analysis/ carries a code, its translation fits its parameters, and the Chinese UI shows
Chinese (not the command line's English line)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from explorer.analysis.clusters import cluster, cluster_members, k_sweep
from explorer.analysis.compare import neighbor_overlap, procrustes_rotation
from explorer.analysis.metrics import read_odd_one_out, read_pairs, read_questions
from explorer.analysis.neighbors import NeighborIndex, analogy, clear_cache, neighbors_of
from explorer.analysis.projection import project
from explorer.analysis.similarity import plane_coords
from explorer.errors import ExplorerError
from explorer.i18n import error_text, placeholders
from explorer.i18n.errors_analysis import STRINGS
from explorer.runs import load_run
from tests.support.runs import words_run

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _uncoded_raises() -> list[str]:
    missing = []
    for path in sorted((ROOT / "explorer" / "analysis").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name != "ExplorerError":
                continue
            code = next((k.value for k in node.keywords if k.arg == "code"), None)
            if not (isinstance(code, ast.Constant) and isinstance(code.value, str) and code.value):
                missing.append(f"{path.name}:{node.lineno}")
    return missing


def test_every_analysis_error_has_a_literal_code() -> None:
    assert _uncoded_raises() == []


@pytest.mark.parametrize("code", sorted(STRINGS))
def test_table_entries_fit_both_languages(code: str) -> None:
    en, zh = STRINGS[code]
    assert placeholders(en) == placeholders(zh), code
    assert CJK.search(zh), code
    assert not re.search(r"--[a-z]", en + zh), code


RNG = np.random.default_rng(0)
VECS = RNG.normal(size=(12, 5)).astype(np.float32)


def _cases(tmp: Path) -> dict[str, Callable[[], object]]:
    empty = tmp / "empty.txt"
    empty.write_text("# only a comment\n", encoding="utf-8")
    bad_pairs = tmp / "pairs.tsv"
    bad_pairs.write_text("cat\tdog\t1.5\nfish\tbird\n", encoding="utf-8")
    return {
        "cluster_k_range": lambda: cluster(VECS, "kmeans", k=1),
        "cluster_too_few_rows": lambda: cluster(VECS[:2], "kmeans", k=2),
        "cluster_eps": lambda: cluster(VECS, "dbscan", eps=-1.0),
        "analysis_unknown_param": lambda: cluster(VECS, "kmeans", k=3, eps=0.5),
        "analysis_metric": lambda: cluster(VECS, "hdbscan", metric="manhattan"),
        "cluster_ks_range": lambda: k_sweep(VECS, [2, 40]),
        "cluster_members_lengths": lambda: cluster_members(VECS, [0] * 12, ["a"] * 3),
        "projection_dims": lambda: project(VECS, "pca", dims=0),
        "projection_unknown_param": lambda: project(VECS, "pca", perplexity=5),
        "analysis_vectors_not_finite": lambda: project(np.full((4, 2), np.nan), "pca"),
        "tsne_too_few_rows": lambda: project(VECS[:3], "tsne"),
        "tsne_perplexity": lambda: project(VECS, "tsne", perplexity=50.0),
        "analysis_int_min": lambda: project(VECS, "tsne", n_iter=0),
        "neighbors_k": lambda: NeighborIndex(VECS).query(0, k=0),
        "neighbors_exclude_self": lambda: NeighborIndex(VECS).query_many(VECS[:2], exclude_self=True),
        "neighbors_row_range": lambda: NeighborIndex(VECS).query(99, k=2),
        "procrustes_shape": lambda: procrustes_rotation(np.zeros((3, 2)), np.zeros((4, 2))),
        "file_not_found": lambda: read_pairs(tmp / "missing.csv"),
        "pairs_empty": lambda: read_pairs(empty),
        "pairs_bad_line": lambda: read_pairs(bad_pairs),
        "analogy_bad_line": lambda: read_questions([": capitals", "paris france rome"]),
        "odd_one_out_short": lambda: read_odd_one_out([["cat", "dog", "car"], ["red", "blue"]]),
        "plane_vectors_shape": lambda: plane_coords(np.zeros(3)),
    }


def _check_translated(exc: ExplorerError) -> None:
    en, zh = error_text(exc, "en"), error_text(exc, "zh")
    assert CJK.search(zh), (exc.code, zh)
    assert zh != str(exc), exc.code
    assert "{" not in en and "{" not in zh, (exc.code, en, zh)
    if exc.code in STRINGS:  # every placeholder has a parameter: no fallback to the English line
        assert placeholders(STRINGS[exc.code][0]) <= set(exc.params), exc.code


def test_representative_errors_translate(tmp_path: Path) -> None:
    cases = _cases(tmp_path)
    assert len(cases) >= 8
    for expected, call in cases.items():
        with pytest.raises(ExplorerError) as info:
            call()
        exc = info.value
        want = "analysis_unknown_param" if expected == "projection_unknown_param" else expected
        assert exc.code == want, (expected, exc.code, str(exc))
        _check_translated(exc)


def test_english_line_unchanged_and_values_filled() -> None:
    with pytest.raises(ExplorerError) as info:
        cluster(VECS, "kmeans", k=1)
    assert str(info.value) == "k: must be an integer between 2 and 11 (rows - 1), got 1"
    assert error_text(info.value, "en") == str(info.value)
    assert error_text(info.value, "zh") == "k：必须是 2 到 11（行数减 1）之间的整数，当前为 1"
    with pytest.raises(ExplorerError) as info:
        project(VECS, "pca", perplexity=5)
    assert str(info.value) == "perplexity: not a parameter of pca (allowed: none)"
    assert error_text(info.value, "zh") == "perplexity：不是 pca 的参数（可用的参数：无）"  # "allowed=none"
    with pytest.raises(ExplorerError) as info:
        project(VECS, "tsne", perplexity=50.0)
    assert error_text(info.value, "en") == str(info.value)


def test_run_errors_translate(tmp_path: Path) -> None:
    clear_cache()
    tokens = ["man", "woman", "king", "queen", "apple"]
    run = load_run(words_run(tmp_path / "a", tokens, RNG.normal(size=(5, 4))))
    other = load_run(words_run(tmp_path / "b", ["man", "pear", "plum"], RNG.normal(size=(3, 4))))
    for call in (lambda: neighbors_of(run, "zebra"), lambda: analogy(run, "man", "king", "zebra")):
        with pytest.raises(ExplorerError) as info:
            call()
        assert info.value.code == "unknown_word"
        _check_translated(info.value)
    with pytest.raises(ExplorerError) as info:
        neighbor_overlap(run, other, k=2)
    assert info.value.code == "compare_too_few_shared"
    _check_translated(info.value)
    with pytest.raises(ExplorerError) as info:
        neighbor_overlap(run, run, k=2, words=["zebra"])
    assert info.value.code == "compare_no_words"
    _check_translated(info.value)
    clear_cache()
