"""numba started without importing SciPy's linear algebra (about 0.2 s of CPU in every training command).

The first time numba compiles or loads a cached function it imports ``numba.np.arraymath``, which asks
``numba.np.linalg.ensure_blas()`` whether BLAS is available -- by importing ``scipy.linalg``, the whole package,
only to answer yes (0.2-0.4 s; no kernel here calls BLAS). :func:`quick_start` gives arraymath the same answer
from the presence of SciPy's ``cython_blas`` extension file, then puts numba's own check back for everything else
(``numba.np.linalg`` still imports SciPy when a function really uses linear algebra). Where numba's internals
differ from what this expects, it does nothing. Called by the modules that define compiled functions, before
their first compile or cache load; safe to call any number of times.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def _cython_blas_present() -> bool:
    try:
        spec = importlib.util.find_spec("scipy")  # scipy itself only, not scipy.linalg
    except (ImportError, ValueError):
        return False
    for root in (spec.submodule_search_locations or []) if spec else []:
        linalg = Path(root) / "linalg"
        if any(linalg.glob("cython_blas*.so")) or any(linalg.glob("cython_blas*.pyd")):
            return True
    return False


def quick_start() -> None:
    """Import ``numba.np.arraymath`` with BLAS found without importing ``scipy.linalg`` (see the module docstring)."""
    if "numba.np.arraymath" in sys.modules:
        return
    import numba.np.linalg as linalg

    real = getattr(linalg, "ensure_blas", None)
    if real is None or not _cython_blas_present():
        return
    linalg.ensure_blas = _found
    try:
        import numba.np.arraymath as arraymath
    finally:
        linalg.ensure_blas = real
    if getattr(arraymath, "ensure_blas", None) is _found:
        arraymath.ensure_blas = real


def _found() -> None:
    """``ensure_blas`` answering "available" (checked by :func:`_cython_blas_present`)."""
