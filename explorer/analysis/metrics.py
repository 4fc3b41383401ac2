"""Quality numbers: cluster metrics and intrinsic word-embedding evaluations.

- :func:`cluster_quality`: silhouette, Davies-Bouldin, Calinski-Harabasz (scikit-learn), and NMI /
  ARI against ground-truth categories when given.
- :func:`word_similarity`: Spearman rho between human similarity scores (WordSim-353 / SimLex-999
  style pairs files) and cosine similarity, with coverage.
- :func:`analogy_accuracy`: word2vec ``questions-words.txt`` analogies by 3CosAdd, per section.
- :func:`odd_one_out`: which word of a group does not belong.

Word lookup everywhere: the word as written, else its lowercase form, else the token the run's own
text pipeline makes of it (stems, lemmas, phrases: ``neighbors.query_row``) (the English tokenizer
lowercases; evaluation files are often capitalised). Items whose words are all found count toward
coverage = found / total; the scores use only those.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Optional, Union

import numpy as np
import pandas as pd

from explorer.errors import ExplorerError
from explorer.runs import Run

NOISE = -1
SILHOUETTE_SAMPLE = 5000  # silhouette is O(n^2): above this many points it uses a seeded sample

PathLike = Union[str, os.PathLike]


# ---------------------------------------------------------------------- clusters


def _finite_or_none(value: float) -> Optional[float]:
    value = float(value)
    return value if np.isfinite(value) else None


def cluster_quality(
    vectors: np.ndarray,
    labels: Sequence[int] | np.ndarray,
    truth: Optional[Sequence[Optional[str]]] = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Internal and (with ``truth``) external quality of a clustering of ``vectors`` (n, d).

    Noise (label -1, from DBSCAN/HDBSCAN) is handled so:

    - silhouette, Davies-Bouldin and Calinski-Harabasz use only the clustered (non-noise) points,
      and are ``None`` when fewer than 2 clusters (or no point outside a singleton) remain;
      silhouette uses a seeded sample of 5,000 points above that size.
    - NMI and ARI compare against ``truth`` (one category per row; ``None``/"" = unlabelled, left
      out) with all noise points counted as one extra cluster, so declaring points noise is
      penalised rather than ignored.

    Returns ``{"n_clusters", "n_noise", "noise_fraction", "silhouette", "davies_bouldin",
    "calinski_harabasz"}`` plus ``"nmi", "ari", "n_labeled"`` when ``truth`` is given.
    """
    from sklearn import metrics as skm

    x = np.asarray(vectors, dtype=np.float32)
    lab = np.asarray(labels)
    if x.ndim != 2 or lab.shape != (x.shape[0],):
        raise ExplorerError(f"labels: expected {x.shape[0]} labels for vectors of shape {x.shape}, got {lab.shape}",
                            code="quality_labels_shape", n=int(x.shape[0]), shape=str(x.shape),
                            got=str(lab.shape))
    lab = lab.astype(np.int64)
    clustered = lab != NOISE
    n_clusters = int(len(np.unique(lab[clustered])))
    out: dict[str, Any] = {
        "n_clusters": n_clusters,
        "n_noise": int((~clustered).sum()),
        "noise_fraction": float((~clustered).mean()) if len(lab) else 0.0,
        "silhouette": None,
        "davies_bouldin": None,
        "calinski_harabasz": None,
    }
    xc, lc = x[clustered], lab[clustered]
    if 2 <= n_clusters < len(lc):
        sample = SILHOUETTE_SAMPLE if len(lc) > SILHOUETTE_SAMPLE else None
        out["silhouette"] = _finite_or_none(skm.silhouette_score(xc, lc, sample_size=sample, random_state=seed))
        out["davies_bouldin"] = _finite_or_none(skm.davies_bouldin_score(xc, lc))
        out["calinski_harabasz"] = _finite_or_none(skm.calinski_harabasz_score(xc, lc))
    if truth is not None:
        if len(truth) != len(lab):
            raise ExplorerError(f"truth: expected {len(lab)} categories, got {len(truth)}", code="quality_truth_length",
                                n=len(lab), got=len(truth))
        known = np.array([t is not None and t != "" for t in truth], dtype=bool)
        out["n_labeled"] = int(known.sum())
        if known.sum() >= 2:
            t = np.asarray([str(v) for v, k in zip(truth, known, strict=True) if k])
            out["nmi"] = float(skm.normalized_mutual_info_score(t, lab[known]))
            out["ari"] = float(skm.adjusted_rand_score(t, lab[known]))
        else:
            out["nmi"] = out["ari"] = None
    return out


# ---------------------------------------------------------------------- word lookup


def _lookup(run: Run, word: str) -> Optional[int]:
    from explorer.analysis.neighbors import query_row

    index = run.index
    row = index.get(word)
    if row is None:
        row = index.get(word.lower())
    if row is None and not run.capabilities.users:
        row = query_row(run, word)  # the run's stems, lemmas and phrases
    return row


def _unit_vectors(run: Run) -> np.ndarray:
    from explorer.analysis.neighbors import index_for

    return index_for(run.path).normalized


def _read_text(path: PathLike) -> str:
    path = Path(path)
    if not path.is_file():
        raise ExplorerError(f"{path}: file not found", code="file_not_found", path=str(path))
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExplorerError(f"{path}: not UTF-8 or UTF-16 text", code="eval_file_encoding", path=str(path))


# ---------------------------------------------------------------------- similarity


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_pairs(path: PathLike) -> pd.DataFrame:
    """Read a word-pair similarity file into columns ``word1, word2, score``.

    Accepts comma, tab or whitespace separated files with or without a header (WordSim-353's
    ``Word 1,Word 2,Human (mean)``, SimLex-999's ``word1 word2 POS SimLex999 ...``): the two
    words are the first two columns and the score is the first numeric column after them.
    Lines starting with ``#`` are comments.
    """
    text = _read_text(path)
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise ExplorerError(f"{path}: no word pairs found", code="pairs_empty", path=str(path))
    sample = lines[0]
    if "\t" in sample:
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter="\t"))
    elif "," in sample:
        rows = list(csv.reader(io.StringIO("\n".join(lines))))
    else:
        rows = [ln.split() for ln in lines]
    rows = [[c.strip() for c in r] for r in rows]
    start = 0 if any(_is_number(c) for c in rows[0][2:]) else 1  # a header has no number
    body = rows[start:]
    if not body:
        raise ExplorerError(f"{path}: no word pairs found", code="pairs_empty", path=str(path))
    score_col = next((j for j in range(2, len(body[0])) if _is_number(body[0][j])), None)
    if score_col is None:
        raise ExplorerError(f"{path}: line {start + 1}: expected word1, word2 and a numeric score",
                            code="pairs_bad_line", path=str(path), line=start + 1)
    out = []
    for i, r in enumerate(body, start=start + 1):
        if len(r) <= score_col or not _is_number(r[score_col]):
            raise ExplorerError(f"{path}: line {i}: expected word1, word2 and a numeric score",
                                code="pairs_bad_line", path=str(path), line=i)
        out.append((r[0], r[1], float(r[score_col])))
    return pd.DataFrame(out, columns=["word1", "word2", "score"])


def word_similarity(run: Run, pairs: Union[pd.DataFrame, PathLike]) -> dict[str, Any]:
    """Spearman rho between the pairs' human scores and the run's cosine similarities.

    ``pairs`` is a DataFrame (columns ``word1, word2, score``, else the first three columns) or a
    file path (see :func:`read_pairs`). Returns ``{"spearman", "pearson", "coverage", "n_found",
    "n_total", "pairs"}`` where ``pairs`` is the found pairs with their model similarity;
    ``spearman`` is None with fewer than 2 found pairs (or constant scores).
    """
    from scipy import stats

    df = pairs if isinstance(pairs, pd.DataFrame) else read_pairs(pairs)
    if not {"word1", "word2", "score"} <= set(df.columns):
        if df.shape[1] < 3:
            raise ExplorerError("pairs: expected columns word1, word2, score", code="pairs_columns")
        df = df.iloc[:, :3].set_axis(["word1", "word2", "score"], axis=1)
    unit = _unit_vectors(run)
    found = []
    for w1, w2, score in df[["word1", "word2", "score"]].itertuples(index=False):
        r1, r2 = _lookup(run, str(w1)), _lookup(run, str(w2))
        if r1 is not None and r2 is not None:
            found.append((str(w1), str(w2), float(score), float(unit[r1] @ unit[r2])))
    table = pd.DataFrame(found, columns=["word1", "word2", "score", "similarity"])
    n_total = int(len(df))
    rho = pearson = None
    if len(table) >= 2 and table["score"].nunique() > 1 and table["similarity"].nunique() > 1:
        rho = float(stats.spearmanr(table["score"], table["similarity"]).statistic)
        pearson = float(stats.pearsonr(table["score"], table["similarity"]).statistic)
    return {
        "spearman": rho,
        "pearson": pearson,
        "coverage": len(table) / n_total if n_total else 0.0,
        "n_found": int(len(table)),
        "n_total": n_total,
        "pairs": table,
    }


# ---------------------------------------------------------------------- analogies


def read_questions(source: Union[PathLike, Iterable[str]]) -> list[tuple[str, list[tuple[str, str, str, str]]]]:
    """Parse word2vec ``questions-words`` text: ``: section`` lines, then ``a b c d`` lines.

    ``source`` is a path or an iterable of lines. Questions before the first section header go
    to a section named ``default``. Returns ``[(section, [(a, b, c, d), ...]), ...]``.
    """
    if isinstance(source, (str, os.PathLike)):
        name = str(source)
        lines: Iterable[str] = _read_text(source).splitlines()
    else:
        name = "questions"
        lines = source
    sections: list[tuple[str, list[tuple[str, str, str, str]]]] = []
    for i, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(":"):
            sections.append((line[1:].strip() or f"section {len(sections) + 1}", []))
            continue
        words = line.split()
        if len(words) != 4:
            raise ExplorerError(f"{name}: line {i}: expected 4 words (a b c d), found {len(words)}",
                                code="analogy_bad_line", path=name, line=i, n=len(words))
        if not sections:
            sections.append(("default", []))
        sections[-1][1].append((words[0], words[1], words[2], words[3]))
    if not any(qs for _, qs in sections):
        raise ExplorerError(f"{name}: no analogy questions found", code="analogy_empty", path=name)
    return sections


def analogy_accuracy(run: Run, questions: Union[PathLike, Iterable[str]], batch: int = 256) -> dict[str, Any]:
    """Accuracy on ``a b c d`` analogies ("a is to b as c is to d"), per section.

    The prediction is the word nearest (cosine) to ``b - a + c`` on unit vectors (3CosAdd), the
    three question words excluded, as in word2vec's ``compute-accuracy`` and gensim. Questions
    with a word outside the vocabulary are skipped and lower the coverage.

    Returns ``{"accuracy", "coverage", "correct", "n_found", "n_total", "sections": [{"section",
    "accuracy", "coverage", "correct", "n_found", "n_total"}, ...], "details": [...]}`` (accuracy
    None when a section has no found question). ``details`` lists every question in file order, in
    the app's one analogy convention ``x − y + z ≈ ?`` (Explore's ``a − b + c``, inputs excluded):
    ``{"section", "x": b, "y": a, "z": c, "expected": d, "answer": the model's word or None when a
    word is not in the vocabulary, "correct": bool}``.
    """
    from explorer.analysis.neighbors import index_for

    parsed = read_questions(questions)
    index = index_for(run.path)
    unit = index.normalized
    sections = []
    details: list[dict[str, Any]] = []
    total_correct = total_found = total = 0
    tokens = run.tokens
    for name, qs in parsed:
        rows, where = [], []
        for q in qs:
            r = [_lookup(run, w) for w in q]
            details.append({"section": name, "x": q[1], "y": q[0], "z": q[2], "expected": q[3], "answer": None,
                            "correct": False})
            if all(v is not None for v in r):
                rows.append(r)
                where.append(len(details) - 1)
        correct = 0
        ids = np.asarray(rows, dtype=np.int64).reshape(-1, 4)
        for start in range(0, len(ids), batch):
            chunk = ids[start:start + batch]
            target = unit[chunk[:, 1]] - unit[chunk[:, 0]] + unit[chunk[:, 2]]
            top, _ = index.query_many(np.asarray(target, np.float32), k=min(4, len(index)), metric="cosine")
            for j, (qrow, cand) in enumerate(zip(chunk, top, strict=True)):
                guess = next((c for c in cand if c not in qrow[:3]), -1)
                correct += int(guess == qrow[3])
                detail = details[where[start + j]]
                detail["answer"] = tokens[guess] if guess >= 0 else None
                detail["correct"] = bool(guess == qrow[3])
        n_found = len(ids)
        sections.append({
            "section": name,
            "accuracy": correct / n_found if n_found else None,
            "coverage": n_found / len(qs) if qs else 0.0,
            "correct": correct,
            "n_found": n_found,
            "n_total": len(qs),
        })
        total_correct += correct
        total_found += n_found
        total += len(qs)
    return {
        "accuracy": total_correct / total_found if total_found else None,
        "coverage": total_found / total if total else 0.0,
        "correct": total_correct,
        "n_found": total_found,
        "n_total": total,
        "sections": sections,
        "details": details,
    }


# ---------------------------------------------------------------------- odd one out


def read_odd_one_out(source: Union[PathLike, Iterable[Sequence[str]]]) -> list[list[str]]:
    """Odd-one-out questions: one group per line (whitespace or comma separated), **the odd word
    last**; or an iterable of word sequences. Each group needs at least 3 words."""
    if isinstance(source, (str, os.PathLike)):
        name = str(source)
        groups = []
        for line in _read_text(source).splitlines():
            if line.strip() and not line.lstrip().startswith(("#", ":")):
                groups.append([w for w in re.split(r"[,\s]+", line.strip()) if w])
    else:
        name = "questions"
        groups = [[str(w) for w in g] for g in source]
    for i, g in enumerate(groups, start=1):
        if len(g) < 3:
            raise ExplorerError(f"{name}: question {i}: needs at least 3 words, found {len(g)}",
                                code="odd_one_out_short", path=name, question=i, n=len(g))
    if not groups:
        raise ExplorerError(f"{name}: no odd-one-out questions found", code="odd_one_out_empty", path=name)
    return groups


def odd_one_out(run: Run, questions: Union[PathLike, Iterable[Sequence[str]]]) -> dict[str, Any]:
    """Pick, in each group, the word with the lowest mean cosine similarity to the others.

    ``questions``: groups of words with the odd one **last** (see :func:`read_odd_one_out`).
    Returns ``{"accuracy", "coverage", "correct", "n_found", "n_total", "details": [{"words",
    "answer", "predicted", "correct"}]}``; groups with an unknown word are skipped.
    """
    groups = read_odd_one_out(questions)
    unit = _unit_vectors(run)
    details = []
    for words in groups:
        rows = [_lookup(run, w) for w in words]
        if any(r is None for r in rows):
            continue
        v = np.asarray(unit[np.asarray(rows)], dtype=np.float64)
        sims = v @ v.T
        mean_others = (sims.sum(axis=1) - np.diag(sims)) / (len(words) - 1)
        pick = int(np.argmin(mean_others))
        details.append({"words": words, "answer": words[-1], "predicted": words[pick],
                        "correct": pick == len(words) - 1})
    correct = sum(d["correct"] for d in details)
    return {
        "accuracy": correct / len(details) if details else None,
        "coverage": len(details) / len(groups),
        "correct": int(correct),
        "n_found": len(details),
        "n_total": len(groups),
        "details": details,
    }
