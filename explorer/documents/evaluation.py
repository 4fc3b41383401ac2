"""Evaluating a run of documents: label prediction beside a TF-IDF baseline, clusters against labels, and
agreement with human-rated document pairs.

- :func:`label_prediction`: logistic regression on the document vectors, cross-validated on seeded stratified
  folds (accuracy and macro-F1), and on **the same folds** a TF-IDF + logistic-regression baseline on the
  documents' text (words and word pairs; the project's tokenizer, so jieba for Chinese) -- what the vectors
  must beat to be worth more than counting words.
- :func:`cluster_agreement`: K-Means with one cluster per label, NMI and ARI against the labels.
- :func:`read_doc_pairs` / :func:`pair_correlation`: a file of ``id_a, id_b, score`` rows (human similarity
  ratings of document pairs) against the cosine of the two documents' vectors: Pearson and Spearman.

Documents without a label are left out of the first two; pairs naming unknown ids are counted, not used.

    >>> import numpy as np
    >>> x = np.array([[1, 0], [1, .1], [1, -.1], [0, 1], [.1, 1], [-.1, 1]], np.float32)
    >>> r = label_prediction(x, ["a"] * 3 + ["b"] * 3, ["good"] * 3 + ["bad"] * 3, folds=3)
    >>> r["embedding"]["accuracy"], r["tfidf"]["accuracy"], r["folds"]
    (1.0, 1.0, 3)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional

import numpy as np
import pandas as pd

from explorer.errors import ExplorerError

DEFAULT_FOLDS = 5
MAX_ITER = 2000
#: inverse regularisation strength of both logistic regressions. Unit vectors of a sentence encoder differ by
#: little (cosines of 0.8 between unrelated sentences), and C = 1 held them so tight that the regression barely
#: learned on small sets (the bundled 32 sentences: 0.62 accuracy at C = 1, 0.94 at C = 10); on 3,000 labelled
#: sentences C = 10 scores as C = 1 does (0.936 / 0.933). The TF-IDF baseline gets the same C (it gains too).
C = 10.0
PAIR_COLUMNS = ("id_a", "id_b", "score")
MAX_PAIRS_BYTES = 20 * 2**20  # a pairs file larger than this is refused


def _unit(vectors: np.ndarray) -> np.ndarray:
    x = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)


def labelled_rows(labels: Sequence[str]) -> np.ndarray:
    """Rows whose label is not empty."""
    return np.array([i for i, lab in enumerate(labels) if str(lab).strip()], dtype=np.int64)


def fold_of(y: Sequence[str], folds: int = DEFAULT_FOLDS, seed: int = 0) -> np.ndarray:
    """int64 (len(y),): the test fold of every row, stratified by label and shuffled with ``seed``.

    The number of folds is ``folds`` cut to the size of the smallest class (at least 2)."""
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(y, dtype=str)
    out = np.full(len(y), -1, dtype=np.int64)
    splitter = StratifiedKFold(n_splits=int(folds), shuffle=True, random_state=int(seed) % 2**32)
    for k, (_, test) in enumerate(splitter.split(np.zeros(len(y)), y)):
        out[test] = k
    return out


def _bigrams(tokens: Sequence[str]) -> list[str]:
    return list(tokens) + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def tokens_of(texts: Sequence[str], lang: str = "auto") -> tuple[str, list[list[str]]]:
    """(the language used, each text's words) with the corpus tokenizer (jieba for Chinese)."""
    from explorer.text.tokenizer import make_tokenizer, resolve_lang

    lang = resolve_lang(lang, [t for t in texts[:2000] if t])
    tok = make_tokenizer(lang)
    return lang, [tok(t) if t else [] for t in texts]


def _scores(y: np.ndarray, pred: np.ndarray, folds: np.ndarray) -> dict[str, Any]:
    from sklearn.metrics import accuracy_score, f1_score

    acc = [float(accuracy_score(y[folds == k], pred[folds == k])) for k in range(int(folds.max()) + 1)]
    f1 = [float(f1_score(y[folds == k], pred[folds == k], average="macro")) for k in range(int(folds.max()) + 1)]
    return {"accuracy": float(np.mean(acc)), "macro_f1": float(np.mean(f1)), "accuracy_std": float(np.std(acc)),
            "macro_f1_std": float(np.std(f1)), "accuracy_per_fold": acc, "macro_f1_per_fold": f1}


def _predict_vectors(x: np.ndarray, y: np.ndarray, folds: np.ndarray) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    pred = np.empty(len(y), dtype=object)
    for k in range(int(folds.max()) + 1):
        train, test = folds != k, folds == k
        model = LogisticRegression(C=C, max_iter=MAX_ITER)
        pred[test] = model.fit(x[train], y[train]).predict(x[test])
    return pred.astype(str)


def _predict_tfidf(token_lists: Sequence[Sequence[str]], y: np.ndarray, folds: np.ndarray) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    grams = [_bigrams(t) for t in token_lists]
    pred = np.empty(len(y), dtype=object)
    for k in range(int(folds.max()) + 1):
        train, test = np.flatnonzero(folds != k), np.flatnonzero(folds == k)
        vec = TfidfVectorizer(analyzer=lambda g: g, sublinear_tf=True)  # fitted on the training fold only
        x_train = vec.fit_transform([grams[i] for i in train])
        model = LogisticRegression(C=C, max_iter=MAX_ITER).fit(x_train, y[train])
        pred[test] = model.predict(vec.transform([grams[i] for i in test]))
    return pred.astype(str)


def label_prediction(vectors: np.ndarray, labels: Sequence[str], texts: Sequence[str], folds: int = DEFAULT_FOLDS,
                     seed: int = 0, lang: str = "auto") -> Optional[dict[str, Any]]:
    """Cross-validated label prediction from the vectors (logistic regression on unit vectors) and,
    on the same folds, from the texts (TF-IDF of words and word pairs + logistic regression).

    ``vectors``, ``labels`` and ``texts`` have one entry per document; unlabelled documents are left out.
    Returns None when fewer than two labels have at least two documents each. Otherwise a dict:
    ``n`` (documents used), ``n_classes``, ``classes`` (label -> count), ``folds``, ``seed``, ``lang``,
    ``fold_of`` (each used document's test fold, in the order of ``rows``), ``rows`` (the documents used),
    ``majority`` (accuracy of always answering the commonest label), and ``embedding`` / ``tfidf`` each with
    ``accuracy``, ``macro_f1`` (means over the folds), their standard deviations and per-fold values.
    Labels with a single document are left out too (``dropped``: how many documents that was).
    """
    if not (len(vectors) == len(labels) == len(texts)):
        raise ValueError("vectors, labels and texts need one entry per document")
    rows = labelled_rows(labels)
    y_all = np.asarray([str(labels[i]).strip() for i in rows], dtype=str)
    classes, counts = np.unique(y_all, return_counts=True)
    keep_classes = set(classes[counts >= 2].tolist())
    keep = np.array([lab in keep_classes for lab in y_all], dtype=bool)
    rows, y = rows[keep], y_all[keep]
    if len(keep_classes) < 2:
        return None
    classes, counts = np.unique(y, return_counts=True)
    k = max(2, min(int(folds), int(counts.min())))
    folds_ = fold_of(y, k, seed)
    x = _unit(np.asarray(vectors)[rows])
    lang, token_lists = tokens_of([str(texts[i]) for i in rows], lang)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # small dense problems: more BLAS threads only fight (40 s instead of 0.2 s on 2 cores)
        emb = _predict_vectors(x, y, folds_)
        base = _predict_tfidf(token_lists, y, folds_)
    return {
        "n": int(len(rows)), "n_classes": int(len(classes)),
        "classes": {str(c): int(n) for c, n in zip(classes, counts, strict=True)},
        "dropped": int((~keep).sum()), "folds": int(k), "seed": int(seed), "lang": lang,
        "rows": rows, "fold_of": folds_, "majority": float(counts.max() / counts.sum()),
        "embedding": _scores(y, emb, folds_) | {"model": "logistic regression on unit vectors"},
        "tfidf": _scores(y, base, folds_) | {"model": "TF-IDF of words and word pairs + logistic regression"},
    }


def cluster_agreement(vectors: np.ndarray, labels: Sequence[str], seed: int = 0) -> Optional[dict[str, Any]]:
    """K-Means (k = the number of labels, on unit vectors) of the labelled documents: NMI and ARI against the
    labels (1 = the clusters are the labels; 0 = no better than chance). None with fewer than two labels."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    rows = labelled_rows(labels)
    y = np.asarray([str(labels[i]).strip() for i in rows], dtype=str)
    k = len(set(y.tolist()))
    if k < 2 or len(rows) <= k:
        return None
    found = KMeans(n_clusters=k, n_init=10, random_state=int(seed) % 2**32).fit_predict(
        _unit(np.asarray(vectors)[rows]))
    return {"nmi": float(normalized_mutual_info_score(y, found)), "ari": float(adjusted_rand_score(y, found)),
            "k": int(k), "n": int(len(rows)), "method": "kmeans on unit vectors"}


# ---------------------------------------------------------------------- human-rated pairs


def _pairs_error(source: str, why: str, code: str, **params: Any) -> ExplorerError:
    return ExplorerError(f"{source}: {why}", code=code, file=source, **params)


def read_doc_pairs(path: Path, name: Optional[str] = None) -> pd.DataFrame:
    """Human-rated document pairs: a CSV or TSV (comma, tab or semicolon) whose rows are ``id_a, id_b, score``,
    with or without a header row. ``name``: the user's name for the file (errors use it). One ExplorerError
    naming the file for a missing, binary, empty or malformed file (the line and what is wrong)."""
    from explorer.text.decode import decode_bytes

    path = Path(path)
    source = name or path.name
    if not path.is_file():
        raise _pairs_error(source, "file not found", "doc_pairs_missing")
    if path.stat().st_size > MAX_PAIRS_BYTES:
        raise _pairs_error(source, f"larger than {MAX_PAIRS_BYTES // 2**20} MB", "doc_pairs_too_big",
                           mb=MAX_PAIRS_BYTES // 2**20)
    data = path.read_bytes()
    if not data.strip():
        raise _pairs_error(source, "no pairs found (expected rows of id_a, id_b, score)", "doc_pairs_empty")
    text, _ = decode_bytes(data, source)  # refuses binary data, naming the file
    lines = [(n, ln) for n, ln in enumerate(text.splitlines(), 1) if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise _pairs_error(source, "no pairs found (expected rows of id_a, id_b, score)", "doc_pairs_empty")
    first = lines[0][1]
    delimiter = "\t" if "\t" in first else ";" if ";" in first and "," not in first else ","
    rows = [(n, [c.strip() for c in next(csv.reader(io.StringIO(ln), delimiter=delimiter))]) for n, ln in lines]
    if len(rows[0][1]) >= 3 and not _is_number(rows[0][1][2]):
        rows = rows[1:]  # a header row
    if not rows:
        raise _pairs_error(source, "no pairs found (expected rows of id_a, id_b, score)", "doc_pairs_empty")
    out = []
    for n, cells in rows:
        if len(cells) != 3:
            raise _pairs_error(source, f"line {n} has {len(cells)} fields, expected 3 (id_a, id_b, score)",
                               "doc_pairs_fields", line=n, n=len(cells))
        if not _is_number(cells[2]):
            raise _pairs_error(source, f"line {n}: the score {cells[2][:40]!r} is not a number", "doc_pairs_score",
                               line=n, value=cells[2][:40])
        out.append((cells[0], cells[1], float(cells[2])))
    return pd.DataFrame(out, columns=list(PAIR_COLUMNS))


def _is_number(text: str) -> bool:
    try:
        value = float(text)
    except ValueError:
        return False
    return bool(np.isfinite(value))


def pair_correlation(vectors: np.ndarray, ids: Sequence[str], pairs: pd.DataFrame,
                     source: str = "pairs") -> dict[str, Any]:
    """Pearson and Spearman correlation of the pairs' scores with the cosine of the two documents' vectors.

    ``pairs``: columns ``id_a, id_b, score`` (:func:`read_doc_pairs`). Pairs naming an id that is not in ``ids``
    are skipped and counted (``n_found`` of ``n_total``). An ExplorerError naming ``source`` when fewer than
    two pairs are found or when the scores found are all equal (no correlation is defined)."""
    from scipy import stats

    index = {str(d): i for i, d in enumerate(ids)}
    unit = _unit(vectors)
    found = []
    for a, b, score in pairs[list(PAIR_COLUMNS)].itertuples(index=False):
        i, j = index.get(str(a)), index.get(str(b))
        if i is not None and j is not None:
            found.append((str(a), str(b), float(score), float(unit[i] @ unit[j])))
    table = pd.DataFrame(found, columns=["id_a", "id_b", "score", "cosine"])
    n_total = int(len(pairs))
    if len(table) < 2:
        raise _pairs_error(source, f"only {len(table)} of its {n_total} pairs name two documents of this run "
                           "(need at least 2)", "doc_pairs_too_few_found", found=len(table), total=n_total)
    if table["score"].nunique() < 2:
        raise _pairs_error(source, "every score is the same: no correlation can be computed", "doc_pairs_constant")
    constant = table["cosine"].nunique() < 2
    return {
        "pearson": None if constant else float(stats.pearsonr(table["score"], table["cosine"]).statistic),
        "spearman": None if constant else float(stats.spearmanr(table["score"], table["cosine"]).statistic),
        "n_found": int(len(table)), "n_total": n_total, "pairs": table,
    }


def evaluate_documents(vectors: np.ndarray, ids: Sequence[str], labels: Sequence[str], texts: Sequence[str],
                       pairs: Optional[pd.DataFrame] = None, pairs_source: str = "pairs", folds: int = DEFAULT_FOLDS,
                       seed: int = 0) -> dict[str, Any]:
    """Everything above that the data allows, as JSON-ready values (the ``evaluate`` command):
    ``label_prediction`` and ``clusters`` (None without two labels), ``pairs`` (None without a pairs file)."""
    labelled = label_prediction(vectors, labels, texts, folds=folds, seed=seed)
    if labelled is not None:
        labelled = {k: v for k, v in labelled.items() if k not in ("rows", "fold_of")}
    rated = None
    if pairs is not None:
        rated = pair_correlation(vectors, ids, pairs, pairs_source)
        rated = {k: v for k, v in rated.items() if k != "pairs"}
    return {"documents": int(len(ids)), "labelled": int(len(labelled_rows(labels))),
            "label_prediction": labelled, "clusters": cluster_agreement(vectors, labels, seed=seed), "pairs": rated}
