"""Long-lived objects kept out of the cyclic garbage collector's way (a training command's start and end).

A training command makes about a million objects that live until it exits: the modules it imports and numba's
registries and kernels. Python's collector walks them again and again while they are made (about 30 ms of
collections, one full pass among them) and once more when the interpreter shuts down. :func:`long_lived` pauses
the collector while such objects are made, then moves everything alive into the collector's permanent generation
(``gc.freeze``), which no collection walks: after the command line has imported its command, and after numba
and the training kernels have loaded. Measured on the 2-core
VM, ``explorer train skipgram --arch cbow`` on 412k tokens: 1.03-1.05 s -> 0.92-0.94 s (bench/results_sgns.md).

Frozen objects are still freed by reference counting; only a frozen object in a reference cycle that later becomes
garbage stays in memory, which is why only a process that runs one command and exits freezes (:func:`one_command`);
the app and library use only pause the collector. The worker is started by the command line, which froze its
start-up imports; it then takes the mark back, so nothing made while it serves jobs is frozen.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_one_command = False


def one_command(on: bool = True) -> None:
    """Mark this process as one that runs one command and exits (the command line: ``python -m explorer`` and the
    installed ``explorer``): only there does :func:`long_lived` freeze. The worker, which serves many jobs, turns it
    off again (``on=False``) when it starts serving, so that no job's leftovers are frozen; the app and library use
    never freeze."""
    global _one_command
    _one_command = on


def is_one_command() -> bool:
    """Whether :func:`one_command` marked this process."""
    return _one_command


@contextmanager
def long_lived(freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector while the block makes long-lived objects (imports, numba's registries and
    kernels); with ``freeze``, in a process marked by :func:`one_command`, everything alive is then frozen
    (``gc.freeze``). The collector is left as it was found (a nested block does not turn it back on early)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze and _one_command:
            gc.freeze()
        if was_enabled:
            gc.enable()
