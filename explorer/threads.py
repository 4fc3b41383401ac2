"""How many threads a computation may use, and how threads behave on a shared machine.

* :func:`job_threads`: the threads one job may use (openTSNE's ``n_jobs`` by default). A worker sets
  ``EXPLORER_JOB_THREADS`` to its threads per job (:mod:`explorer.jobs.worker`); anywhere else (the
  command line, a benchmark) it is every core this process may run on.
* :func:`share_cores`: the app server and the worker keep numpy's BLAS (OpenBLAS or MKL) to one
  thread, and make OpenMP threads (openTSNE, torch, scikit-learn) sleep rather than spin while they
  wait for each other. Measured on the 2-core VM with both cores busy (bench/results_classroom.md):
  a t-SNE of 686 points with two spinning OpenMP threads took 16 s (16 s of CPU taken from the other
  jobs) and 1.6-2.4 s with sleeping ones; two sample trainings with 30 frames side by side took 3.5 s
  each with OpenBLAS's default threads and 1.0-1.6 s with one. A process that has the machine to
  itself (the command line) keeps the libraries' defaults: spinning is faster there.
"""

from __future__ import annotations

import os

from explorer import settings

_BLAS_VARS = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
#: read by OpenMP runtimes when they load (GNU libgomp, LLVM/Intel): waiting threads sleep at once
_OPENMP_POLITE = {"OMP_WAIT_POLICY": "PASSIVE", "KMP_BLOCKTIME": "0"}


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity where the system has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def job_threads() -> int:
    """Threads one job may use: ``EXPLORER_JOB_THREADS`` when it is a positive whole number, else every usable core."""
    wanted = settings.job_threads()
    return usable_cores() if wanted is None else min(wanted, usable_cores())


_shared = False


def share_cores() -> None:
    """Behave well on a machine shared with other jobs (see the module docstring). Call it before torch,
    scikit-learn or openTSNE load (OpenMP reads its settings once); an administrator's own
    ``OMP_WAIT_POLICY`` is kept. Cheap after the first call (the app calls it on every page run)."""
    global _shared
    if _shared:
        return
    _shared = True
    for var, value in _OPENMP_POLITE.items():
        os.environ.setdefault(var, value)
    for var in _BLAS_VARS:
        os.environ[var] = "1"
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1, user_api="blas")  # BLAS libraries already loaded
    except Exception:  # threadpoolctl missing or a library it cannot handle: the environment still applies
        pass
