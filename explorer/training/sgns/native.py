"""The word2vec job run from its machine code, loaded without numba (a command line's start-up, about 0.2 s less).

:mod:`.entries` has numba compile one architecture's job and the alias table's builder into an object file for this
machine; :func:`load` keeps that file in a cache and, in later processes, loads it with llvmlite's JIT linker (no
numba import, no type inference, no cache index: about 0.03 s) and calls it through ctypes, which releases the
interpreter lock, so the pool's threads train side by side as with numba's ``nogil`` functions. The machine code is
numba's for the same functions (:func:`explorer.training.sgns.kernels.job_loop`), so the vectors are those of
numba's path, bit for bit (tested).

Each architecture (``ARCH_*`` of :mod:`.abi`) has its own file, built the first time a command line trains it (about
4 s, once per machine and kernel version): ``sgns-a<arch>-<key>.o`` with its ``.json`` beside it, in the first
writable folder of ``$NUMBA_CACHE_DIR/explorer``, this package's ``__pycache__`` and the user's cache
(:func:`cache_dir`). The key covers the source of every module compiled into the file, numba's and llvmlite's
versions, the Python version, this CPU and numba's CPU settings; a file is used only when its sha256 matches its
description and every symbol it needs (the C library's ``expf``, ``memset``...) is found in this process. Otherwise
the job runs on numba as before: a damaged, missing or foreign file costs speed, never a wrong result or a crash.
A missing file is built by ``python -m explorer.training.sgns.entries`` in a child process with an empty numba
cache, where :func:`load` is asked to build: by a command-line process (:func:`explorer.startup.is_one_command`).
The worker warms numba's job at start and builds nothing; its trainings use a file that is there. One command
builds a file at a time, and a failed build is not tried again for a day. ``EXPLORER_NATIVE_KERNELS=0``
(:mod:`explorer.settings`) turns this path off (numba's path only).

Arrays are those of :mod:`.pool`: ``ids`` int32 (N,), ``offsets`` int64 (S+1,), ``rows`` int64 (S,) or empty,
``w_in``/``w_out`` float32 (R, d)/(V, d), ``keep``/``threshold`` uint64 (V,), ``alias`` int32 (V,), every one
C-contiguous (:meth:`Native.job_runner` refuses others, and the pool then uses numba).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple, Optional

import numpy as np

from explorer.training.sgns.abi import ALIAS_SYMBOL, JOB_SYMBOL, N_STATS, scratch_sizes

#: bump when the entries' C interface or the file layout changes
FORMAT = 1
#: the modules whose source is compiled into the object file
SOURCES = ("abi.py", "entries.py", "kernels.py", "rng.py", "tables.py")
#: seconds a build may take before it is given up
BUILD_TIMEOUT_S = 180
#: seconds before a build that failed for a key is tried again
RETRY_AFTER_S = 24 * 3600
#: free bytes a cache folder needs for a build to be made there
MIN_FREE_BYTES = 64 << 20

_i64, _u64, _f64, _ptr = ctypes.c_int64, ctypes.c_uint64, ctypes.c_double, ctypes.c_void_p
#: the C arguments of the job entry (explorer.training.sgns.entries.JOB_SIGNATURE)
JOB_ARGS = (_i64, _ptr, _i64, _ptr, _i64, _ptr, _i64, _i64, _i64, _ptr, _i64, _ptr, _i64, _i64, _ptr, _i64, _ptr,
            _ptr, _i64, _i64, _i64, _f64, _f64, _u64, _ptr, _i64, _ptr, _ptr, _ptr, _i64, _ptr, _i64, _ptr, _i64)
ALIAS_ARGS = (_ptr, _i64, _ptr, _ptr, _ptr, _ptr, _ptr)

_lock = threading.Lock()
_state: dict[Any, Any] = {}  # arch: its loaded Native (or None); ("tried", arch): the ways already tried


class Scratch(NamedTuple):
    """One thread's scratch for jobs: ``sent_buf`` int32 (longest sentence,), ``neu1e`` float32 (d,), ``stats``
    float64 (N_STATS,), and the job's int64, float32 and bool scratch (:func:`.abi.scratch_sizes`)."""

    sent_buf: np.ndarray
    neu1e: np.ndarray
    stats: np.ndarray
    ints: np.ndarray
    floats: np.ndarray
    flags: np.ndarray


#: bytes of a cache line: a thread's scratch arrays start on one and leave the next one free
_LINE = 64


def new_scratch(arch: int, window: int, negatives: int, dim: int, longest: int) -> Scratch:
    """Scratch for jobs of ``arch`` on rows of ``dim`` and sentences of at most ``longest`` words. Each array starts
    on a cache line of its own and is followed by a free one: the threads' scratch, allocated side by side, would
    otherwise share lines, and a line written by two cores goes back and forth between them (two threads' CBOW took
    7 % longer that way)."""
    n_ints, n_floats, n_flags = scratch_sizes(arch, window, negatives, dim)
    return Scratch(_own_lines(max(1, longest), np.int32), _own_lines(dim, np.float32, zero=True),
                   _own_lines(N_STATS, np.float64, zero=True), _own_lines(n_ints, np.int64),
                   _own_lines(n_floats, np.float32), _own_lines(n_flags, np.bool_))


def _own_lines(n: int, dtype: type, zero: bool = False) -> np.ndarray:
    """An array of ``n`` items starting on a cache line, with a free line after it."""
    size = n * np.dtype(dtype).itemsize
    raw = (np.zeros if zero else np.empty)(size + 2 * _LINE, np.uint8)
    start = -raw.ctypes.data % _LINE
    return raw[start:start + size].view(dtype)


class Native:
    """The loaded entries of architecture ``arch`` (keep this object alive while they run: it holds the JIT linker's
    memory)."""

    def __init__(self, engine: Any, job: int, alias: int, arch: int) -> None:
        self.arch = arch
        self._engine = engine
        self._job = ctypes.CFUNCTYPE(_i64, *JOB_ARGS)(job)
        self._alias = ctypes.CFUNCTYPE(_i64, *ALIAS_ARGS)(alias)

    def build_alias(self, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:func:`explorer.training.sgns.tables.build_alias` of float64 ``probs`` (V,) (the same bits)."""
        probs = np.ascontiguousarray(probs, dtype=np.float64)
        n = probs.shape[0]
        threshold, alias = np.empty(n, np.uint64), np.empty(n, np.int32)
        scaled, small, large = np.empty(n, np.float64), np.empty(n, np.int64), np.empty(n, np.int64)
        code = self._alias(probs.ctypes.data, n, threshold.ctypes.data, alias.ctypes.data, scaled.ctypes.data,
                           small.ctypes.data, large.ctypes.data)
        if code != 0:
            raise RuntimeError(f"alias table: the compiled builder returned {code}")
        return threshold, alias

    def job_runner(self, arch: int, ids: np.ndarray, offsets: np.ndarray, rows: np.ndarray, w_in: np.ndarray,
                   w_out: np.ndarray, keep: np.ndarray, threshold: np.ndarray, alias: np.ndarray, window: int,
                   negatives: int) -> Optional[Callable[[int, int, float, float, int, Scratch], None]]:
        """``run(first, end, lr_begin, lr_end, state, scratch)``: the job on sentences ``first..end-1`` (as
        :func:`explorer.training.sgns.kernels.train_job`; statistics added to ``scratch.stats``), or None for another
        architecture or where an array's type or layout is not the one compiled (numba's path then trains)."""
        if arch != self.arch:
            return None
        wanted = ((ids, np.int32, 1), (offsets, np.int64, 1), (rows, np.int64, 1), (w_in, np.float32, 2),
                  (w_out, np.float32, 2), (keep, np.uint64, 1), (threshold, np.uint64, 1), (alias, np.int32, 1))
        if any(a.dtype != dt or a.ndim != nd or not a.flags.c_contiguous for a, dt, nd in wanted):
            return None
        if w_in.shape[1] != w_out.shape[1] or threshold.shape != alias.shape:
            return None
        dim = w_in.shape[1]
        head = (arch, ids.ctypes.data, ids.size, offsets.ctypes.data, offsets.size, rows.ctypes.data, rows.size)
        tables = (w_in.ctypes.data, w_in.shape[0], w_out.ctypes.data, w_out.shape[0], dim, keep.ctypes.data,
                  keep.size, threshold.ctypes.data, alias.ctypes.data, alias.size, window, negatives)
        job = self._job
        owner = self  # the runner keeps the JIT linker's memory (and the arrays) alive
        arrays = (ids, offsets, rows, w_in, w_out, keep, threshold, alias)

        def run(first: int, end: int, lr_begin: float, lr_end: float, state: int, s: Scratch) -> None:
            if s.neu1e.size < dim or s.stats.size < N_STATS or s.neu1e.dtype != np.float32 or s.stats.dtype != np.float64:
                raise ValueError("word2vec job: scratch made for another dimension")  # (the entry writes both)
            code = job(*head, first, end, *tables, lr_begin, lr_end, state, s.sent_buf.ctypes.data, s.sent_buf.size,
                       s.neu1e.ctypes.data, s.stats.ctypes.data, s.ints.ctypes.data, s.ints.size,
                       s.floats.ctypes.data, s.floats.size, s.flags.ctypes.data, s.flags.size)
            if code != 0:
                raise RuntimeError(f"word2vec job {first}..{end}: the compiled job returned {code}")

        run.keep_alive = (owner, arrays)  # type: ignore[attr-defined]
        return run


def enabled() -> bool:
    """Whether this path may be used (``EXPLORER_NATIVE_KERNELS=0`` turns it off; little-endian Linux)."""
    from explorer.settings import native_kernels

    return native_kernels() and sys.platform.startswith("linux") and sys.byteorder == "little"


def loaded(arch: Optional[int] = None) -> Optional[Native]:
    """Architecture ``arch``'s entries (any architecture's, by default) if this process has loaded them."""
    if arch is None:
        return next((n for k, n in _state.items() if isinstance(k, int) and n is not None), None)
    return _state.get(arch)


def load(arch: int, build: bool = False) -> Optional[Native]:
    """The entries: loaded once per process from the cache; with ``build``, a missing or stale file is built first
    (see the module docstring). None where this path is off or anything fails (numba's path then runs)."""
    with _lock:
        tried = _state.setdefault(("tried", arch), set())
        if _state.get(arch) is not None or build in tried or True in tried:
            return _state.get(arch)
        tried.add(build)  # each way once per process: a plain load that found nothing may still build
        native = None
        if enabled():
            try:
                native = _load_or_build(arch, build)
            except Exception:  # noqa: BLE001  (numba's path trains instead, with the same results)
                native = None
        _state[arch] = native
        return native


def cache_dir() -> Optional[Path]:
    """Where the object files are kept: the first folder of ``$NUMBA_CACHE_DIR/explorer``, or else this package's
    ``__pycache__`` and then ``$XDG_CACHE_HOME/embedding-explorer`` (``~/.cache/...``), that this process may write
    (numba's own rule); None where it may write none (numba's job then trains: nothing is built that could not be
    kept)."""
    numba_dir = os.environ.get("NUMBA_CACHE_DIR")
    if numba_dir:
        candidates = [Path(numba_dir) / "explorer"]
    else:
        user = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "embedding-explorer"
        candidates = [Path(__file__).resolve().parent / "__pycache__", user]
    return next((folder for folder in candidates if _writable(folder)), None)


def _writable(folder: Path) -> bool:
    """Whether ``folder`` exists as a folder this process may write, or could be created."""
    at = _nearest_existing(folder)
    return at.is_dir() and os.access(at, os.W_OK | os.X_OK)


def cache_key(arch: int) -> str:
    """The key of architecture ``arch``'s object file for this machine and source: ``a<arch>-<hex>``."""
    return f"a{int(arch)}-{_machine_key()}"


@functools.cache
def _machine_key() -> str:
    """What the object files of this machine and source share (hex; worked out once per process)."""
    from importlib import metadata

    import llvmlite
    import llvmlite.binding as llvm

    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for name in SOURCES:
        h.update((here / name).read_bytes())
    try:
        numba_version = metadata.version("numba")
    except metadata.PackageNotFoundError:
        numba_version = ""
    facts = [FORMAT, numba_version, llvmlite.__version__, np.__version__, list(sys.version_info[:2]),
             llvm.get_process_triple(),
             llvm.get_host_cpu_name(), llvm.get_host_cpu_features().flatten(),
             _numba_settings()]
    h.update(json.dumps(facts).encode())
    return h.hexdigest()[:32]


def _numba_settings() -> list[list[str]]:
    """numba's settings (every ``NUMBA_*`` variable but the cache folder and thread count, which change no code)."""
    return sorted([name, value] for name, value in os.environ.items()
                  if name.startswith("NUMBA_") and name not in ("NUMBA_CACHE_DIR", "NUMBA_NUM_THREADS"))


def _load_or_build(arch: int, build: bool) -> Optional[Native]:
    key = cache_key(arch)
    folder = cache_dir()
    if folder is None:
        return None
    obj = folder / f"sgns-{key}.o"
    data = _read_checked(obj, key)
    if data is None and build:
        data = _build(obj, key, arch)
    return None if data is None else _link(data, arch)


def _read_checked(obj: Path, key: str) -> Optional[bytes]:
    """The object file's bytes if its description names this key and its sha256."""
    try:
        meta = json.loads(obj.with_suffix(".json").read_text())
        data = obj.read_bytes()
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("key") != key or meta.get("sha256") != hashlib.sha256(data).hexdigest():
        return None
    return data


def _build(obj: Path, key: str, arch: int) -> Optional[bytes]:
    """Build the object file (:func:`_run_build`) and store it; return its bytes, or None. One command builds a file
    at a time (another one waits, then reads it); a build that failed is not tried again for :data:`RETRY_AFTER_S`
    (``sgns-…failed`` says why), nor one that could not be kept (less than :data:`MIN_FREE_BYTES` free)."""
    failed = obj.with_suffix(".failed")
    try:
        if time.time() - failed.stat().st_mtime < RETRY_AFTER_S:
            return None
    except OSError:
        pass
    try:
        if shutil.disk_usage(_nearest_existing(obj.parent)).free < MIN_FREE_BYTES:
            return None
        obj.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    with _locked(obj.with_suffix(".lock")):
        data = _read_checked(obj, key)  # (built meanwhile by another command)
        if data is not None:
            return data
        data, why = _run_build(key, arch)
        if data is None:
            try:
                failed.write_text(why[-4000:], encoding="utf-8", errors="replace")
            except OSError:
                pass
            return None
    _store(obj, key, data)
    return data


def _nearest_existing(folder: Path) -> Path:
    """``folder`` if it exists, else the nearest existing path above it."""
    return next(at for at in (folder, *folder.parents) if at.exists())


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (``flock``) while the block runs; no lock where it cannot be taken."""
    try:
        fh = open(path, "a+b")  # noqa: SIM115
    except OSError:
        yield
        return
    with fh:
        try:
            import fcntl

            fcntl.flock(fh, fcntl.LOCK_EX)
        except (ImportError, OSError):
            pass
        yield


def _run_build(key: str, arch: int) -> tuple[Optional[bytes], str]:
    """Run ``python -m explorer.training.sgns.entries`` for ``arch`` in a child process with an empty numba cache,
    started in an empty folder with this package first on its path (``-P``: not the current folder's
    ``explorer``), which checks that its own key is ``key``; returns (the object's bytes or None, why not)."""
    root = Path(__file__).resolve().parents[3]  # the folder holding the explorer package
    with tempfile.TemporaryDirectory(prefix="explorer-sgns-") as tmp:
        out = Path(tmp) / "sgns.o"
        env = {**os.environ, "NUMBA_CACHE_DIR": str(Path(tmp) / "numba"),
               "PYTHONPATH": os.pathsep.join([str(root), *filter(None, [os.environ.get("PYTHONPATH")])])}
        try:
            done = subprocess.run([sys.executable, "-P", "-m", "explorer.training.sgns.entries", str(out), str(arch),
                                   key], cwd=tmp, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, timeout=BUILD_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            return None, f"the build took over {BUILD_TIMEOUT_S} s"
        if done.returncode != 0 or not out.is_file():
            return None, f"exit {done.returncode}: " + done.stderr.decode("utf-8", "replace")
        return out.read_bytes(), ""


#: builds kept in one cache folder (other Pythons or checkouts may share it: each keeps its own file)
KEEP_BUILDS = 16


def _store(obj: Path, key: str, data: bytes) -> None:
    """Write the object file and its description (each by rename) into its folder (made by :func:`_build`); keep the
    newest :data:`KEEP_BUILDS` builds. A folder that cannot take them is no error: the file is used from memory this
    time."""
    from explorer.atomic import open_atomic

    try:
        with open_atomic(obj, "wb") as fh:
            fh.write(data)
        with open_atomic(obj.with_suffix(".json"), "w") as fh:
            fh.write(json.dumps({"key": key, "sha256": hashlib.sha256(data).hexdigest()}))
        builds = sorted(obj.parent.glob("sgns-*.o"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in builds[KEEP_BUILDS:]:
            if old != obj:
                old.unlink(missing_ok=True)
                old.with_suffix(".json").unlink(missing_ok=True)
    except OSError:
        pass


def undefined_symbols(data: bytes) -> Optional[list[str]]:
    """The symbols a 64-bit little-endian ELF relocatable object needs from elsewhere; None if it is not one."""
    if len(data) < 64 or data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    try:
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
        sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
        names: list[str] = []
        for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
            if kind != 2 or entsize != 24:  # SHT_SYMTAB
                continue
            str_off, str_size = sections[link][4], sections[link][5]
            strings = data[str_off:str_off + str_size]
            for at in range(offset + entsize, offset + size, entsize):  # (entry 0 is the null symbol)
                st_name, _st_info, _other, shndx = struct.unpack_from("<IBBH", data, at)
                if shndx == 0 and st_name:
                    names.append(strings[st_name:strings.index(b"\0", st_name)].decode())
        return names
    except (struct.error, IndexError, ValueError, UnicodeDecodeError):
        return None


def _link(data: bytes, arch: int) -> Optional[Native]:
    """Load the object file into llvmlite's JIT linker, once every symbol it needs is found in this process."""
    import llvmlite.binding as llvm

    needed = undefined_symbols(data)
    if needed is None:
        return None
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    missing = [name for name in needed if not llvm.address_of_symbol(name)]
    if missing:
        import ctypes.util

        libm = ctypes.util.find_library("m")
        if libm:
            llvm.load_library_permanently(libm)
        if any(not llvm.address_of_symbol(name) for name in missing):
            return None  # (an unresolved symbol would end the process inside the linker)
    machine = llvm.Target.from_default_triple().create_target_machine(codemodel="jitdefault", jit=True)
    engine = llvm.create_mcjit_compiler(llvm.parse_assembly(""), machine)
    engine.add_object_file(llvm.ObjectFileRef.from_data(data))
    engine.finalize_object()
    job, alias = engine.get_function_address(JOB_SYMBOL), engine.get_function_address(ALIAS_SYMBOL)
    if not job or not alias:
        return None
    return Native(engine, job, alias, arch)
