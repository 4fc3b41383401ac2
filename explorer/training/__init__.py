"""Training entry points shared by the command line and the job workers.

A training run is described by a typed :class:`explorer.kinds.TrainingSpec` (its kind's data and
config dataclasses). The command line builds it from its flags, the Train page from its form; the
job table stores it as versioned JSON (:meth:`~explorer.kinds.TrainingSpec.to_dict`, the documented
job-spec layout) and the worker rebuilds it once here::

    {"version": 2,                       # absent in specs stored before versions: read as 1, same layout
     "kind": "skipgram" | "useritem" | "graph" | ...,   # a registered training kind
     "name": "display name",
     "data": {the kind's data fields, e.g. "corpus": "/abs/path.txt", "labels": "/abs/labels.tsv" | null},
     "config": {the kind's config fields},
     "corpus_config": {CorpusConfig fields},            # kinds that read a corpus
     "out": "/abs/dir"}                                 # submit --out, optional

A key that is not one of these, or not a field of the kind's dataclasses, is refused in one line. :func:`run_training` hands the typed spec to
its kind's runner, which reads the data, trains with progress reports through ``callback`` (which
may stop the run by returning True) and writes the run directory ``out_dir`` atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from explorer.progress import ProgressCallback, no_progress


def run_training(spec: Any, out_dir: Path, callback: Optional[ProgressCallback] = None) -> Path:
    """Train the run described by ``spec`` into ``out_dir``; return ``out_dir``.

    ``spec``: a :class:`explorer.kinds.TrainingSpec`, or its stored dict (the job table's JSON),
    which is rebuilt and validated first (:func:`explorer.kinds.spec_from_dict`).
    """
    from explorer.kinds import TrainingSpec, spec_from_dict

    typed = spec.validate() if isinstance(spec, TrainingSpec) else spec_from_dict(spec)
    return typed.training_kind.load_runner()(typed, Path(out_dir), callback or no_progress)
