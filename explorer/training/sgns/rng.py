"""xorshift64* random numbers for compiled code: cheap, seeded per job, the same on every thread.

A stream's state is one non-zero uint64. :func:`xorshift` advances it; a draw reads the upper 32 bits
of ``state * XS_MULT`` (:func:`upper32`), so a draw is an integer in 0..2**32-1. :func:`seed_state` makes
the state of stream ``stream`` of ``seed`` (splitmix64), so that jobs, walk chunks and threads each
have their own stream and the draws do not depend on which thread runs what.

From Python, keep states as ``np.uint64`` (the compiled code's type; a Python int would be typed int64):

    >>> s = np.uint64(seed_state(7, 1))
    >>> bool(int(s) != 0 and seed_state(7, 1) == s and seed_state(7, 2) != s)
    True
    >>> t = np.uint64(xorshift(s))
    >>> bool(0 <= below(t, 10) < 10 and 0.0 <= uniform(t) < 1.0)
    True
"""

from __future__ import annotations

import numpy as np
from numba import njit

from explorer.jit import quick_start

quick_start()  # before the first compile or cache load

#: the xorshift64* output multiplier
XS_MULT = np.uint64(2685821657736338717)
_S12 = np.uint64(12)
_S25 = np.uint64(25)
_S27 = np.uint64(27)
_S32 = np.uint64(32)
_S11 = np.uint64(11)


@njit(cache=True, nogil=True, inline="always")
def xorshift(state: np.uint64) -> np.uint64:
    """The next state of a stream (a xorshift64 step; outputs are read through :func:`upper32`)."""
    state ^= state >> _S12
    state ^= state << _S25
    state ^= state >> _S27
    return state


@njit(cache=True, nogil=True, inline="always")
def upper32(state: np.uint64) -> np.uint64:
    """A uniform 32-bit draw (as uint64) from a state: the upper half of ``state * XS_MULT``."""
    return (state * XS_MULT) >> _S32


@njit(cache=True, nogil=True, inline="always")
def below(state: np.uint64, n: int) -> np.int64:
    """A draw in 0..n-1 from a state (n < 2**32), by multiply-and-shift of :func:`upper32`."""
    return np.int64((upper32(state) * np.uint64(n)) >> _S32)


@njit(cache=True, nogil=True, inline="always")
def uniform(state: np.uint64) -> float:
    """A float64 in [0, 1) from a state (53 bits of ``state * XS_MULT``)."""
    return float((state * XS_MULT) >> _S11) * (1.0 / 9007199254740992.0)


@njit(cache=True, nogil=True)
def seed_state(seed: int, stream: int) -> np.uint64:
    """A non-zero xorshift state from a seed and a stream number (splitmix64 of both)."""
    z = np.uint64(seed) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(stream) * np.uint64(0xBF58476D1CE4E5B9)
    z = z + np.uint64(0x632BE59BD9B4E019)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    if z == np.uint64(0):
        z = np.uint64(0x2545F4914F6CDD1D)
    return z
