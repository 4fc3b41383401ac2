"""A command line's first training: a small corpus is tokenized in a child process while this one loads the job.

A word-vector command spends its first ~0.1-0.3 s on two things that do not depend on each other: tokenizing the
corpus (pure Python, holding the interpreter lock) and loading the compiled job with the modules the training needs
(the job's machine code, :mod:`explorer.training.sgns.native`; numba where it must compile or load numba's job, or
build the machine code; also holding the lock). Threads cannot run them side by side; two processes can.
:func:`load_corpus_while_warming` forks: the child tokenizes the corpus into the corpus cache
(:func:`explorer.text.corpus.cache_corpus`) and exits, while this process loads the job; then this process loads the
corpus, now a cache hit. Measured on the 2-core VM (412k tokens, CBOW, whole command): 0.94-0.95 -> 0.82-0.83 s with
numba's job; with the machine code the child's tokenizing is the longer side (~0.1 s against ~0.05 s).

It is used only where it pays and is safe: a process that runs one command and exits
(:func:`explorer.startup.one_command`; never the worker, whose kernels are warm, or the app), on Linux, from the
main thread with no other thread running, before any kernel is loaded, and for files below
:data:`explorer.text.corpus.FASTENCODE_MIN_BYTES` (a bigger file takes seconds to tokenize, which would then go
without a progress bar, and English or pre-tokenized ones load numba for the block encoder anyway). Whatever
happens to the child (an error in the file, a full or read-only cache, a crash), this process then loads the
corpus itself, exactly as without the child: the same result, the same error message, the same progress at the
end. The child ends with this process (a command stopped by ``timeout`` or ``kill`` leaves no tokenizer behind),
and an error or interruption in this process ends the child before it is waited for.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Optional

from explorer import startup
from explorer.configs import CorpusConfig
from explorer.progress import ProgressCallback
from explorer.text.encoded import EncodedCorpus

#: signals held back while the process forks, so that neither side is interrupted half-way
_HELD = (signal.SIGINT, signal.SIGTERM)


def worth_forking(path: Path) -> bool:
    """Whether :func:`load_corpus_while_warming` forks here for the corpus file ``path`` (see the module
    docstring)."""
    from explorer.text.corpus import FASTENCODE_MIN_BYTES

    if not (startup.is_one_command() and sys.platform.startswith("linux") and hasattr(os, "fork")
            and threading.current_thread() is threading.main_thread() and threading.active_count() == 1
            and not _kernels_loaded()):
        return False
    try:
        return os.stat(path).st_size < FASTENCODE_MIN_BYTES
    except OSError:  # a missing file: load_corpus names the problem
        return False


def _kernels_loaded() -> bool:
    """Whether this process already has the word2vec job (numba's or its machine code): nothing left to overlap."""
    native = sys.modules.get("explorer.training.sgns.native")
    return "explorer.training.sgns.kernels" in sys.modules or (native is not None and native.loaded() is not None)


def load_corpus_while_warming(path: Path, cfg: CorpusConfig, user_words: Sequence[str],
                              callback: Optional[ProgressCallback], name: Optional[str],
                              warm: Optional[Callable[[], None]]) -> EncodedCorpus:
    """:func:`explorer.text.corpus.load_corpus` (its new cache entry written behind), with ``warm()`` run first
    while a child process tokenizes the file into the cache. Without ``warm`` (nothing to load: a torch trainer) or
    a fork (:func:`worth_forking`), just the load: the kernels are loaded by the training, as always. ``warm`` must
    not depend on the corpus."""
    from explorer.text.corpus import cache_corpus, load_corpus

    if warm is not None and worth_forking(path):
        fork_while(lambda: cache_corpus(path, cfg, user_words, name), warm)
    return load_corpus(path, cfg, user_words=user_words, callback=callback, name=name, write_behind=True)


def fork_while(in_child: Callable[[], object], here: Callable[[], None]) -> None:
    """Run ``in_child()`` in a child process while this one runs ``here()``; return when both are done. The child's
    result and errors are dropped (the caller repeats its work where it matters); an error or interruption here
    ends the child first, then is raised."""
    sys.stdout.flush()  # nothing buffered is written twice
    sys.stderr.flush()
    parent = os.getpid()
    signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)  # a Ctrl-C between fork and try reaches neither side half-way
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
        raise
    if pid == 0:  # the child: leave without running this process's handlers or exit functions
        code = 1
        try:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
            _end_with(parent)
            in_child()
            code = 0
        except BaseException:  # noqa: BLE001  (the parent does the work again and reports whatever it was)
            pass
        finally:
            os._exit(code)
    try:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
        here()
    except BaseException:
        _stop(pid)
        raise
    finally:
        _wait(pid)


def _end_with(parent: int) -> None:
    """In the child: ask Linux to end it when the parent ends (``prctl(PR_SET_PDEATHSIG)``: a command stopped by
    ``timeout`` or ``kill`` leaves no tokenizer behind), and end now if the parent is already gone."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


def _stop(pid: int) -> None:
    """End the child (this process is failing or interrupted: its corpus is no longer wanted)."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass


def _wait(pid: int) -> None:
    """Wait for the child (a child already reaped elsewhere is no error)."""
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
