"""Training entry points shared by the command line and the job workers.

A *job spec* is a JSON-ready dict that fully describes one training run::

    {"kind": "skipgram",
     "data": {"corpus": "/abs/path.txt", "labels": "/abs/labels.tsv" | None,
              "user_words": "/abs/words.txt" | None},
     "corpus_config": {CorpusConfig fields},
     "config": {SkipGramConfig fields},
     "name": "display name"}

    {"kind": "useritem",
     "data": {"interactions": "/abs/log.csv", "items": "/abs/items.csv" | None,
              "columns": {"user": str|None, "item": str|None, "rating": str|None,
                          "time": str|None, "label": str|None}},
     "config": {UserItemConfig fields},
     "name": "display name"}

:func:`run_training` reads the data, trains with progress reports through ``callback`` (which
may stop the run by returning True) and writes the run directory ``out_dir`` atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from explorer.progress import ProgressCallback, no_progress


def run_training(spec: dict[str, Any], out_dir: Path, callback: Optional[ProgressCallback] = None) -> Path:
    """Train the run described by ``spec`` into ``out_dir``; return ``out_dir``.

    The spec is validated against its kind's declarations first (:func:`explorer.kinds.spec_from_dict`).
    """
    from explorer.kinds import spec_from_dict, training_kind

    typed = spec_from_dict(spec)
    runner = training_kind(typed.kind).load_runner()
    return runner(typed.to_dict(), Path(out_dir), callback or no_progress)
