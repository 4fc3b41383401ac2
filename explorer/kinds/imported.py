"""The ``imported`` run kind: vectors trained elsewhere and imported from a file (never trained by a job).

    >>> KIND.required_files, KIND.capabilities.words
    (('config.json', 'vectors.npy', 'vocab.tsv'), True)
"""

from __future__ import annotations

import explorer.kinds.files as F
from explorer.kinds.base import Capabilities, RunKind

KIND = RunKind(name="imported", run_files=(F.CONFIG_FILE, F.METRICS_FILE, F.VECTORS_FILE, F.VOCAB_FILE, F.LABELS_FILE),
               capabilities=Capabilities(words=True, labels=True))
