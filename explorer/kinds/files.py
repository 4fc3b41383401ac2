"""The names of the files a run directory may hold, and how a kind declares them (:class:`RunFile`).

Each kind lists its run files with their format, dtype and shape rule; :mod:`explorer.runs.validation`
checks a run against its kind's declarations and :mod:`explorer.runs.layout` derives the set of
names a run may hold from them. A shape is a tuple of axis names: axes with the same name must
agree across the run's files (``vectors.npy`` ``("n", "d")`` and ``vocab.tsv`` ``("n",)``: as many
vocabulary rows as vectors), so no file list and no per-kind branch lives outside the kinds.

    >>> VECTORS_FILE.shape, VECTORS_FILE.required
    (('n', 'd'), True)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

CONFIG = "config.json"
METRICS = "metrics.json"
VECTORS = "vectors.npy"
VOCAB = "vocab.tsv"
LABELS = "labels.tsv"
SNAPSHOTS = "snapshots.npy"
USERS = "users.npy"
USERS_TSV = "users.tsv"
ITEMS = "items.npy"
ITEMS_TSV = "items.tsv"
ITEM_BIAS = "item_bias.npy"
ITEM_COUNTS = "item_counts.npy"
INTERACTIONS = "interactions.npz"
FRAMES = "frames.npy"  # optional: the vectors during training (explorer/runs/frames.py)
FRAMES_META = "frames.json"
DOC_VECTORS = "doc_vectors.npy"  # runs of documents: float32 (n_documents, d), input order
DOCS_TSV = "docs.tsv"  # runs of documents: id, title, label, text (first 200 characters)
#: the files a SIF run of documents keeps so that it encodes a query alone (its word run may be deleted)
SIF_WORDS = "sif_words.tsv"  # token<TAB>weight a/(a+p(w)), row i of SIF_VECTORS
SIF_VECTORS = "sif_word_vectors.npy"  # float32 (w, d): the word run's vectors
SIF_COMPONENT = "sif_component.npy"  # float32 (d,): the documents' first principal component (zeros: none removed)
DOCS_HEADER = ("id", "title", "label", "text")
CONTEXT_VECTORS = "context_vectors.npy"  # optional (Skip-gram runs with frames): the output vectors

#: How a file is checked (explorer/runs/validation.py): ``npy`` an array (dtype, shape; ``finite``: no
#: NaN/inf), ``tsv`` a header and one row per ``shape[0]``, ``json`` an object, ``logged`` an
#: interactions.npz, ``frames_meta`` frames.json (its rows index the axis ``within``), ``file`` present only.
Format = Literal["npy", "tsv", "json", "logged", "frames_meta", "file"]


@dataclass(frozen=True)
class RunFile:
    """One file a kind's run directory holds (or may hold)."""

    name: str
    format: Format
    shape: tuple[str, ...] = ()  # axis names; "" an axis of any length that no other file shares
    dtype: str = ""  # npy: "float32" exactly, "float" any floating type, "int" whole numbers
    finite: bool = False  # npy: every value finite
    header: tuple[str, ...] = ()  # tsv: the header row (``header_prefix``: its first columns)
    header_prefix: bool = False
    columns: int = 0  # tsv: fields per row (0: not checked)
    whole_column: int = -1  # tsv: the column that must hold whole numbers (-1: none)
    quoted: bool = True  # tsv: fields may be quoted as the csv module writes them (False: raw text, no tab inside)
    within: str = ""  # frames: the axis whose rows these frames (and frames.json's rows) index
    required: bool = True
    about: str = ""  # one line for the docs


def optional(f: RunFile) -> RunFile:
    """``f`` as an optional file."""
    return replace(f, required=False)


CONFIG_FILE = RunFile(CONFIG, "json", about="kind, name, created, config, data, versions")
METRICS_FILE = RunFile(METRICS, "json", required=False, about="training figures: loss per epoch, seconds, ...")
VECTORS_FILE = RunFile(VECTORS, "npy", ("n", "d"), "float32", finite=True, about="row i is token i")
VOCAB_FILE = RunFile(VOCAB, "tsv", ("n",), header=("token", "count"), columns=2, whole_column=1,
                     about="one row per vector row, same order")
LABELS_FILE = RunFile(LABELS, "tsv", ("",), header=("token", "label"), columns=2, required=False,
                      about="ground-truth category per token")


def frames_files(within: str) -> tuple[RunFile, RunFile]:
    """``frames.npy`` (float16 (n_frames, n_rows, d), rows of the axis ``within``) and ``frames.json``."""
    return (RunFile(FRAMES, "npy", ("frames", "frame_rows", "d"), "float", finite=True, within=within,
                    required=False, about="the vectors during training"),
            RunFile(FRAMES_META, "frames_meta", ("frames", "frame_rows"), within=within, required=False,
                    about="rows, n_rows, one entry per frame (epoch, progress, loss)"))
