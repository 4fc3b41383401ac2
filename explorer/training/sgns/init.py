"""Starting weights, word2vec's: input rows uniform in ``(-0.5/d, 0.5/d)``, output rows zero.

One generator gives the numbers: numpy's, seeded with ``[seed, salt]``; each kind passes its own salt
(:data:`WORDS_SALT` for Skip-gram and CBOW, every backend: the torch trainers copy these rows into their
modules, so that numba and torch start from the same vectors). numpy, not torch: a training on the
compiled path must not pay for importing torch (about 1.5-4 s). Skip-gram's and CBOW's vectors for a
seed changed once, when this replaced torch's generator (2026-12, the golden vectors were re-recorded).

:func:`init_tables` returns ``(w_in float32 (n_in, d), w_out float32 (n_out, d))``, C-contiguous and
writable.

    >>> w_in, w_out = init_tables(5, 4, seed=0, salt=1)
    >>> w_in.shape, w_out.shape, bool(np.abs(w_in).max() < 0.5 / 4), bool((w_out == 0).all())
    ((5, 4), (5, 4), True, True)
"""

from __future__ import annotations

from typing import Optional

import numpy as np

#: the salt of Skip-gram's and CBOW's starting weights (graph training uses its own)
WORDS_SALT = 0x5347


def init_tables(n_in: int, dim: int, seed: int, salt: int, n_out: Optional[int] = None) -> tuple[np.ndarray, np.ndarray]:
    """Input rows ``(U[0, 1) - 0.5) / dim`` from ``numpy.random.default_rng([seed, salt])``; output rows zero
    (``n_out`` rows, default ``n_in``)."""
    rng = np.random.default_rng([seed, salt])
    w_in = ((rng.random((n_in, dim), dtype=np.float32) - np.float32(0.5)) / np.float32(dim)).astype(np.float32)
    return w_in, np.zeros((n_in if n_out is None else n_out, dim), np.float32)


