"""Starting weights, word2vec's: input rows uniform in ``(-0.5/d, 0.5/d)``, output rows zero.

Two generators give the numbers, and each kind keeps the one it was recorded with (a seed must keep
giving the same vectors):

- :func:`init_tables_torch`: torch's generator, the same numbers as ``models.skipgram``'s modules
  (Skip-gram and CBOW, so that every backend starts from the same vectors; loads torch);
- :func:`init_tables`: numpy's generator seeded with ``[seed, salt]`` (graph training; new kinds).

Both return ``(w_in float32 (n_in, d), w_out float32 (n_out, d))``, C-contiguous and writable.

    >>> w_in, w_out = init_tables(5, 4, seed=0, salt=1)
    >>> w_in.shape, w_out.shape, bool(np.abs(w_in).max() < 0.5 / 4), bool((w_out == 0).all())
    ((5, 4), (5, 4), True, True)
"""

from __future__ import annotations

from typing import Optional

import numpy as np


def init_tables(n_in: int, dim: int, seed: int, salt: int, n_out: Optional[int] = None) -> tuple[np.ndarray, np.ndarray]:
    """Input rows ``(U[0, 1) - 0.5) / dim`` from ``numpy.random.default_rng([seed, salt])``; output rows zero
    (``n_out`` rows, default ``n_in``)."""
    rng = np.random.default_rng([seed, salt])
    w_in = ((rng.random((n_in, dim), dtype=np.float32) - np.float32(0.5)) / np.float32(dim)).astype(np.float32)
    return w_in, np.zeros((n_in if n_out is None else n_out, dim), np.float32)


def init_tables_torch(n_rows: int, dim: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Input rows ``(torch.rand - 0.5) / dim`` from ``torch.Generator().manual_seed(seed)`` (the numbers of
    ``models.skipgram.SkipGramNS(n_rows, dim, generator=...)``); output rows zero."""
    import torch

    generator = torch.Generator().manual_seed(seed)
    w_in = ((torch.rand(n_rows, dim, generator=generator) - 0.5) / dim).numpy()
    return w_in, np.zeros((n_rows, dim), np.float32)
