"""What a sentence encoder is: ``encode(texts, kind, batch, callback) -> float32 (n, d)``.

``kind`` is ``"passage"`` for documents and ``"query"`` for search queries (E5-style models embed the
two with different prefixes). ``callback(done, total)`` is called after every batch; it returns True
to stop, and the encoder then raises :class:`explorer.errors.TrainingStopped` (nothing is returned, so
nothing half-made is written). A second backend subclasses :class:`Encoder` and joins :data:`ENCODERS`.

    >>> sorted(ENCODERS)
    ['e5', 'endpoint']
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Optional

import numpy as np

from explorer.errors import ExplorerError, TrainingStopped

KINDS = ("passage", "query")
#: ``callback(done, total) -> stop?``
EncodeCallback = Callable[[int, int], Optional[bool]]


class Encoder:
    """A sentence encoder. Subclasses implement :meth:`_encode_batch` and set ``name``."""

    name = ""
    #: seconds one batch should take: keeps progress and cancel within ~2 s whatever the texts' length
    batch_seconds = 0.5
    first_batch = 2  # texts in the first call when batches adapt

    @property
    def dim(self) -> int:
        """The vector size (may encode a probe text to learn it)."""
        return int(self._encode_batch(["dim"], "query").shape[1])

    def load(self) -> None:
        """Get ready to encode (load a model); encode calls it too. The default: nothing to load."""

    def _encode_batch(self, texts: list[str], kind: str) -> np.ndarray:
        raise NotImplementedError

    def encode(self, texts: Sequence[str], kind: str = "passage", batch: int = 0,
               callback: Optional[EncodeCallback] = None) -> np.ndarray:
        """float32 ``(len(texts), dim)``, row i the vector of ``texts[i]``.

        ``batch``: texts per call of the model (0: adapted so that one call takes about
        :attr:`batch_seconds`, starting at :attr:`first_batch`).
        """
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
        texts = [str(t) for t in texts]
        n = len(texts)
        parts: list[np.ndarray] = []
        size = batch if batch > 0 else self.first_batch
        done = 0
        while done < n:
            chunk = texts[done:done + size]
            start = time.perf_counter()
            vectors = np.asarray(self._encode_batch(chunk, kind), dtype=np.float32)
            seconds = time.perf_counter() - start
            if vectors.ndim != 2 or vectors.shape[0] != len(chunk) or (parts and vectors.shape[1] != parts[0].shape[1]):
                raise ExplorerError(f"{self.name}: the encoder returned {vectors.shape} vectors for {len(chunk)} texts",
                                    code="encoder_bad_shape", encoder=self.name, shape=str(vectors.shape),
                                    n=len(chunk))
            parts.append(vectors)
            done += len(chunk)
            if callback is not None and callback(done, n):
                raise TrainingStopped()
            if batch <= 0:  # aim at batch_seconds per call: shrink at once, grow at most 2x at a time
                per_text = seconds / len(chunk)
                wanted = int(self.batch_seconds / per_text) if per_text > 0 else size * 2
                size = max(1, min(256, size * 2, wanted))
        if not parts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.ascontiguousarray(np.concatenate(parts), dtype=np.float32)


def make_encoder(name: str) -> Encoder:
    """The encoder backend ``name`` (one of :data:`ENCODERS`)."""
    if name not in ENCODERS:
        raise ExplorerError(f"encoder: unknown encoder {name!r} (choose {', '.join(ENCODERS)})",
                            code="encoder_unknown", name=name, choices=", ".join(ENCODERS))
    from explorer.kinds.base import load_runner

    return load_runner(ENCODERS[name])()


#: backend name -> "module:class"
ENCODERS = {"e5": "explorer.encoders.e5:E5Encoder", "endpoint": "explorer.encoders.endpoint:EndpointEncoder"}
