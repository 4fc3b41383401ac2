"""A command line's first training: the corpus is tokenized in a child process while this one loads numba.

A word-vector command spends its first ~0.3 s on two things that do not depend on each other: tokenizing the corpus
(pure Python, holding the interpreter lock) and importing numba and loading the compiled kernels (also holding it).
Threads cannot run them side by side; two processes can. :func:`load_corpus_while_warming` forks: the child
tokenizes the corpus into the corpus cache (:func:`explorer.text.corpus.load_corpus`) and exits, while this process
loads the kernels; then this process loads the corpus, now a cache hit. Measured on the 2-core VM (412k tokens,
CBOW, whole command): see bench/results_sgns.md.

It is used only where it pays and is safe: a process that runs one command and exits
(:func:`explorer.startup.one_command`; never the worker, whose kernels are warm, or the app), on Linux, from the
main thread, when the kernels are not loaded yet. Whatever happens to the child (an error in the file, a full or
read-only cache, a crash), this process then loads the corpus itself, exactly as without the child: the same
result, the same error message, the same progress at the end. While the child tokenizes no tokenizing progress is
reported (it reaches 100 % when this process reads the cache). The child ends with this process (a command stopped
by ``timeout`` or ``kill`` leaves no tokenizer behind).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import Optional, TypeVar

from explorer import startup

T = TypeVar("T")


def worth_forking() -> bool:
    """Whether :func:`load_corpus_while_warming` forks here (see the module docstring)."""
    return (startup.is_one_command() and sys.platform.startswith("linux") and hasattr(os, "fork")
            and threading.current_thread() is threading.main_thread()
            and "explorer.training.sgns.kernels" not in sys.modules)


def load_corpus_while_warming(load_in_child: Callable[[], object], load: Callable[[], T],
                              warm: Optional[Callable[[], None]]) -> T:
    """``load()`` (a corpus load), with ``warm()`` run before it, while a child process runs ``load_in_child()`` (the
    same load, silent, writing the corpus cache before it returns), so that this process's ``load()`` is a cache
    hit. Without ``warm`` (nothing to load: a torch trainer) or a fork (:func:`worth_forking`), just ``load()``: the
    kernels are loaded by the training, as always. ``warm`` must not depend on the corpus."""
    if warm is None or not worth_forking():
        return load()
    sys.stdout.flush()  # nothing buffered is written twice
    sys.stderr.flush()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: fill the cache, then leave without running this process's exit handlers
        code = 1
        try:
            _end_with(parent)
            load_in_child()
            code = 0
        except BaseException:  # noqa: BLE001  (the parent loads again and reports whatever it was)
            pass
        finally:
            os._exit(code)
    try:
        warm()
    finally:
        _wait(pid)
    return load()


def _end_with(parent: int) -> None:
    """In the child: ask Linux to end it when the parent ends (``prctl(PR_SET_PDEATHSIG)``: a command stopped by
    ``timeout`` or ``kill`` leaves no tokenizer behind), and end now if the parent is already gone."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


def _wait(pid: int) -> None:
    """Wait for the child (interrupted waits retried; a child already reaped elsewhere is no error)."""
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
