"""explorer.training.sgns.native: the word2vec job's machine code, loaded without numba, gives numba's bits; a
damaged, foreign or unloadable file, a read-only cache folder or a failed build falls back to numba's job, never to
a crash or a wrong result."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from explorer.training.sgns import abi, native
from explorer.training.sgns.init import init_tables

ROOT = Path(__file__).resolve().parents[1]
#: the default kernels here; the others build their files in the slow run (about 4 s each on a fresh checkout)
ARCHS = [abi.ARCH_SKIPGRAM_BATCHED, abi.ARCH_CBOW_BATCHED,
         *(pytest.param(a, marks=pytest.mark.slow) for a in (abi.ARCH_SKIPGRAM, abi.ARCH_CBOW, abi.ARCH_DBOW))]


class Objects(dict):
    """Architectures' entries and files, each built where this checkout has none yet (about 4 s, once)."""

    def __missing__(self, arch: int) -> tuple[native.Native, Path]:
        loaded = native.load(arch, build=True)
        assert loaded is not None and loaded.arch == arch, "the machine code could not be built or loaded"
        path = native.cache_dir() / f"sgns-{native.cache_key(arch)}.o"
        assert path.is_file()
        self[arch] = (loaded, path)
        return self[arch]


@pytest.fixture(scope="module")
def all_built() -> Objects:
    return Objects()


@pytest.fixture(scope="module")
def built(all_built) -> tuple[native.Native, Path]:
    """The batched CBOW's entries and file."""
    return all_built[abi.ARCH_CBOW_BATCHED]


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A process that has loaded nothing yet, whose cache folder is an empty temporary one."""
    monkeypatch.setattr(native, "_state", {})
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "numba"))
    return native.cache_dir()


def _problem(arch: int, seed: int = 3) -> dict:
    rng = np.random.default_rng(seed)
    vocab, n_docs, dim = 40, 6, 13
    lengths = rng.integers(1, 30, size=24)
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    ids = rng.integers(0, vocab, size=int(offsets[-1])).astype(np.int32)
    rows = rng.integers(0, n_docs, size=len(lengths)).astype(np.int64) if arch == abi.ARCH_DBOW else abi.NO_ROWS
    w_in, w_out = init_tables(n_docs if arch == abi.ARCH_DBOW else vocab, dim, seed, 1, n_out=vocab)
    w_out += rng.normal(0, 0.1, size=w_out.shape).astype(np.float32)
    from explorer.training.sgns.tables import build_alias

    threshold, alias = build_alias(rng.random(vocab) + 0.05)
    keep = abi.keep_thresholds(rng.uniform(0.5, 1.0, size=vocab))
    return dict(arch=arch, ids=ids, offsets=offsets, rows=rows, w_in=w_in, w_out=w_out, keep=keep,
                threshold=threshold, alias=alias, window=3, negatives=4, longest=int(lengths.max()))


def _numba_job(p: dict, first: int, end: int, state: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from explorer.training.sgns import kernels as K

    w_in, w_out, stats = p["w_in"].copy(), p["w_out"].copy(), np.zeros(abi.N_STATS)
    K.train_job(p["arch"], p["ids"], p["offsets"], p["rows"], first, end, w_in, w_out, p["keep"], p["threshold"],
                p["alias"], p["window"], p["negatives"], 0.05, 0.01, np.uint64(state),
                np.empty(p["longest"], np.int32), np.zeros(w_in.shape[1], np.float32), stats)
    return w_in, w_out, stats


def _native_job(n: native.Native, p: dict, first: int, end: int, state: int,
                scratch: native.Scratch | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    w_in, w_out = p["w_in"].copy(), p["w_out"].copy()
    run = n.job_runner(p["arch"], p["ids"], p["offsets"], p["rows"], w_in, w_out, p["keep"], p["threshold"],
                       p["alias"], p["window"], p["negatives"])
    assert run is not None
    s = scratch or native.new_scratch(p["arch"], p["window"], p["negatives"], w_in.shape[1], p["longest"])
    run(first, end, 0.05, 0.01, state, s)
    return w_in, w_out, s.stats


@pytest.mark.parametrize("arch", ARCHS)
def test_the_machine_code_gives_numbas_bits(all_built, arch: int) -> None:
    p = _problem(arch)
    for first, end, state in ((0, 24, abi.stream_state(5, 0)), (3, 11, abi.stream_state(5, 7)), (4, 4, 1)):
        want = _numba_job(p, first, end, state)
        got = _native_job(all_built[arch][0], p, first, end, state)
        for a, b in zip(got, want, strict=True):
            np.testing.assert_array_equal(a, b)
    assert want[2][abi.STAT_PAIRS] == 0 and got[2][abi.STAT_RAW_WORDS] == 0  # (the last range was empty)


def test_the_alias_table_is_numbas_and_the_stream_states_are_the_compiled_ones(built) -> None:
    from explorer.training.sgns.rng import seed_state
    from explorer.training.sgns.tables import build_alias

    for n in (1, 2, 7, 3001):
        probs = np.random.default_rng(n).random(n) ** 3 + 1e-9
        for a, b in zip(built[0].build_alias(probs), build_alias(probs), strict=True):
            np.testing.assert_array_equal(a, b)
    for seed in (0, 1, 7, 2**31 - 1, 12_345_678_901):
        for stream in (0, 1, 2, 99, 2**40):
            assert abi.stream_state(seed, stream) == int(seed_state(seed, stream))


@pytest.mark.parametrize("arch", ARCHS)
def test_a_job_writes_only_inside_its_scratch(all_built, arch: int) -> None:
    """Scratch of exactly scratch_sizes' length, each followed by sentinels: the job leaves them alone."""
    p = _problem(arch, seed=11)
    sizes = abi.scratch_sizes(arch, p["window"], p["negatives"], p["w_in"].shape[1])
    pads = [np.full(k + 64, v, dt) for k, v, dt in zip(sizes, (-7, 7.5, True), (np.int64, np.float32, np.bool_),
                                                      strict=True)]
    scratch = native.Scratch(np.empty(p["longest"], np.int32), np.zeros(13, np.float32), np.zeros(abi.N_STATS),
                             *(pad[:k] for pad, k in zip(pads, sizes, strict=True)))
    got = _native_job(all_built[arch][0], p, 0, 24, 99, scratch)
    for pad, k, v in zip(pads, sizes, (-7, 7.5, True), strict=True):
        assert (pad[k:] == v).all()
    np.testing.assert_array_equal(got[0], _numba_job(p, 0, 24, 99)[0])


def test_too_little_scratch_or_a_range_outside_the_offsets_is_refused(built) -> None:
    p = _problem(abi.ARCH_CBOW_BATCHED)
    w_in = p["w_in"].copy()
    run = built[0].job_runner(p["arch"], p["ids"], p["offsets"], p["rows"], w_in, p["w_out"].copy(), p["keep"],
                              p["threshold"], p["alias"], p["window"], p["negatives"])
    small = native.new_scratch(abi.ARCH_SKIPGRAM, p["window"], p["negatives"], 13, p["longest"])  # another arch's
    with pytest.raises(RuntimeError, match="returned 1"):
        run(0, 24, 0.05, 0.01, 5, small)
    with pytest.raises(RuntimeError, match="returned 2"):
        run(0, 25, 0.05, 0.01, 5, native.new_scratch(p["arch"], p["window"], p["negatives"], 13, p["longest"]))
    np.testing.assert_array_equal(w_in, p["w_in"])  # nothing was trained
    assert built[0].job_runner(abi.ARCH_SKIPGRAM, p["ids"], p["offsets"], p["rows"], w_in, p["w_out"], p["keep"],
                               p["threshold"], p["alias"], p["window"], p["negatives"]) is None  # another arch's


def test_an_object_refuses_another_architectures_job(all_built) -> None:
    """Called directly with another architecture (job_runner refuses that first), the entry returns 3, untrained."""
    p = _problem(abi.ARCH_SKIPGRAM)
    n = all_built[abi.ARCH_CBOW_BATCHED][0]
    n.arch = abi.ARCH_SKIPGRAM  # (only to reach the entry with a Skip-gram job)
    try:
        w_in = p["w_in"].copy()
        run = n.job_runner(p["arch"], p["ids"], p["offsets"], p["rows"], w_in, p["w_out"].copy(), p["keep"],
                           p["threshold"], p["alias"], p["window"], p["negatives"])
        with pytest.raises(RuntimeError, match="returned 3"):
            run(0, 24, 0.05, 0.01, 5, native.new_scratch(abi.ARCH_CBOW_BATCHED, 3, 4, 13, p["longest"]))
        np.testing.assert_array_equal(w_in, p["w_in"])
    finally:
        n.arch = abi.ARCH_CBOW_BATCHED


def test_arrays_of_another_type_or_layout_are_left_to_numba(built) -> None:
    p = _problem(abi.ARCH_SKIPGRAM)
    base = (p["arch"], p["ids"], p["offsets"], p["rows"])
    tail = (p["keep"], p["threshold"], p["alias"], p["window"], p["negatives"])
    assert built[0].job_runner(*base, np.asfortranarray(p["w_in"]), p["w_out"], *tail) is None
    assert built[0].job_runner(*base, p["w_in"].astype(np.float64), p["w_out"], *tail) is None
    assert built[0].job_runner(p["arch"], p["ids"].astype(np.int64), p["offsets"], p["rows"], p["w_in"], p["w_out"],
                               *tail) is None
    assert built[0].job_runner(*base, p["w_in"][:, :8], p["w_out"], *tail) is None


def _copy_into(built, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / built[1].name
    shutil.copy(built[1], target)
    shutil.copy(built[1].with_suffix(".json"), target.with_suffix(".json"))
    return target


def _describe(obj: Path, data: bytes, key: str | None = None) -> None:
    obj.write_bytes(data)
    obj.with_suffix(".json").write_text(json.dumps({"key": key or native.cache_key(abi.ARCH_CBOW_BATCHED),
                                                    "sha256": hashlib.sha256(data).hexdigest()}))


def test_a_good_copy_loads_without_numba_building(built, fresh: Path) -> None:
    _copy_into(built, fresh)
    loaded = native.load(abi.ARCH_CBOW_BATCHED)
    assert loaded is not None and native.loaded(abi.ARCH_CBOW_BATCHED) is loaded and native.loaded() is loaded
    assert native.load(abi.ARCH_SKIPGRAM) is None and native.loaded(abi.ARCH_SKIPGRAM) is None  # (not copied)
    probs = np.array([0.2, 0.3, 0.5])
    np.testing.assert_array_equal(loaded.build_alias(probs)[1], built[0].build_alias(probs)[1])


def _first_load() -> native.Native | None:
    """native.load() in a process that has not tried yet (each way is tried once per process)."""
    native._state.clear()
    return native.load(abi.ARCH_CBOW_BATCHED)


def test_damaged_foreign_or_unloadable_files_are_not_loaded(built, fresh: Path) -> None:
    obj = _copy_into(built, fresh)
    good = obj.read_bytes()
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0xFF
    obj.write_bytes(bytes(flipped))  # its description's sha256 no longer matches
    assert _first_load() is None
    _describe(obj, good, key="0" * 32)  # made for another machine or source
    assert _first_load() is None
    obj.with_suffix(".json").write_text("{not json")
    assert _first_load() is None
    _describe(obj, b"\x7fELF" + bytes(200))  # described correctly, but no object file
    assert _first_load() is None
    needs = good.replace(b"expf\0", b"expq\0", 1)  # an object that needs a symbol this process lacks
    assert b"expq\0" in needs and native.undefined_symbols(needs) is not None
    _describe(obj, needs)
    assert _first_load() is None  # (the JIT linker would have ended the process)
    _describe(obj, good)
    assert _first_load() is not None  # nothing stuck: the good file loads


def test_undefined_symbols_reads_elf_objects_and_refuses_anything_else(built) -> None:
    needed = native.undefined_symbols(built[1].read_bytes())
    assert needed is not None and "memset" in needed and not any("numba" in n or "NRT" in n for n in needed)
    for junk in (b"", b"\x7fELF", b"MZ" + bytes(100), built[1].read_bytes()[:100]):
        assert native.undefined_symbols(junk) is None


def test_a_read_only_folder_a_failed_build_or_the_setting_off_falls_back(built, fresh: Path, monkeypatch) -> None:
    fresh.parent.mkdir(parents=True)
    blocked = fresh.parent / "a-file"
    blocked.write_text("not a folder")  # (a read-only folder is writable for root; this is not, for anyone)
    native._store(blocked / "sgns-x.o", "x", b"data")  # no error, nothing written
    assert blocked.read_text() == "not a folder"
    fresh.mkdir(parents=True)
    runs = []
    monkeypatch.setattr(native.subprocess, "run",
                        lambda *a, **k: runs.append(a) or subprocess.CompletedProcess(a, 1, stderr=b"no compiler"))
    arch = abi.ARCH_CBOW_BATCHED
    assert native.load(arch, build=True) is None and native.load(arch, build=True) is None
    assert native.load(arch) is None and len(runs) == 1  # tried once in this process
    assert [p.suffix for p in fresh.iterdir() if p.suffix != ".lock"] == [".failed"]  # and not again for a day
    assert "no compiler" in next(fresh.glob("*.failed")).read_text()
    for p in fresh.glob("*.failed"):
        p.unlink()
    monkeypatch.setattr(native, "_state", {})
    _copy_into(built, fresh)
    monkeypatch.setenv("EXPLORER_NATIVE_KERNELS", "0")
    assert native.load(arch) is None
    monkeypatch.setattr(native, "_state", {})  # (each way of loading is tried once per process)
    monkeypatch.setenv("EXPLORER_NATIVE_KERNELS", "1")
    assert native.load(arch) is not None


def test_a_missing_file_is_built_only_when_asked(fresh: Path, monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(native, "_build", lambda obj, key, arch: calls.append((obj, arch)) or None)
    assert native.load(abi.ARCH_SKIPGRAM) is None and native.load(abi.ARCH_SKIPGRAM) is None and calls == []
    assert native.load(abi.ARCH_SKIPGRAM, build=True) is None and len(calls) == 1
    assert calls[0][0].parent == fresh and calls[0][1] == abi.ARCH_SKIPGRAM
    assert calls[0][0].name.startswith(f"sgns-a{abi.ARCH_SKIPGRAM}-")


def test_the_cache_folder_is_the_first_writable_one(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    package = Path(native.__file__).resolve().parent / "__pycache__"
    monkeypatch.setattr(native, "_writable", lambda folder: folder != package)  # an installed, read-only package
    assert native.cache_dir() == tmp_path / "xdg" / "embedding-explorer"
    monkeypatch.setattr(native, "_writable", lambda folder: False)  # nowhere to keep a build: none is made
    monkeypatch.setattr(native, "_state", {})
    monkeypatch.setattr(native, "_build", lambda obj, key, arch: pytest.fail("built where it could not be kept"))
    assert native.cache_dir() is None and native.load(abi.ARCH_CBOW, build=True) is None
    monkeypatch.undo()
    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    assert not native._writable(blocked / "sub") and native._writable(tmp_path / "new" / "deeper")


def test_a_cache_folder_keeps_a_few_builds_of_other_versions(built, tmp_path: Path) -> None:
    """Other Pythons or checkouts sharing the folder keep their files (none rebuilds the other's away), up to
    KEEP_BUILDS."""
    for i in range(native.KEEP_BUILDS + 3):
        native._store(tmp_path / f"sgns-{i:02d}.o", f"{i:02d}", b"x")
    native._store(tmp_path / "sgns-new.o", "new", built[1].read_bytes())
    kept = sorted(p.name for p in tmp_path.glob("sgns-*.o"))
    assert len(kept) == native.KEEP_BUILDS and "sgns-new.o" in kept
    assert native._read_checked(tmp_path / "sgns-new.o", "new") == built[1].read_bytes()
    assert native._read_checked(tmp_path / "sgns-new.o", "old") is None


def test_a_failed_build_waits_a_day_and_a_full_folder_builds_nothing(fresh: Path, monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(native, "_run_build", lambda key, arch: calls.append(arch) or (None, "boom"))
    arch = abi.ARCH_SKIPGRAM
    assert native.load(arch, build=True) is None and calls == [arch]
    marker = next(fresh.glob("*.failed"))
    assert marker.read_text() == "boom"
    native._state.clear()
    assert native.load(arch, build=True) is None and calls == [arch]  # another command: not tried again
    old = marker.stat().st_mtime - native.RETRY_AFTER_S - 10
    os.utime(marker, (old, old))
    native._state.clear()
    assert native.load(arch, build=True) is None and calls == [arch, arch]  # a day later: tried again
    marker.unlink()
    monkeypatch.setattr(native, "MIN_FREE_BYTES", 1 << 62)  # no room to keep a build
    native._state.clear()
    assert native.load(arch, build=True) is None and calls == [arch, arch]


def test_the_build_child_refuses_to_build_from_other_sources_or_settings(tmp_path: Path) -> None:
    """A child whose key differs from the caller's (another explorer on its path, other numba settings) builds
    nothing: its file would be stored under the caller's key."""
    out = tmp_path / "x.o"
    done = subprocess.run([sys.executable, "-P", "-m", "explorer.training.sgns.entries", str(out), "4", "a4-0000"],
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 3 and "not a4-0000" in done.stderr and not out.exists()


def test_the_c_arguments_are_the_compiled_signature() -> None:
    import ctypes

    from numba import types

    from explorer.training.sgns import entries

    def as_ctypes(t):  # type: ignore[no-untyped-def]
        if isinstance(t, types.CPointer):
            return ctypes.c_void_p
        return {types.int64: ctypes.c_int64, types.uint64: ctypes.c_uint64, types.float64: ctypes.c_double}[t]

    assert [as_ctypes(t) for t in entries.JOB_SIGNATURE] == list(native.JOB_ARGS)
    assert [as_ctypes(t) for t in entries.ALIAS_SIGNATURE] == list(native.ALIAS_ARGS)


def test_a_runner_keeps_its_machine_code_alive(built, monkeypatch) -> None:
    """A runner still works when nothing else holds its entries (the JIT linker's memory goes with them)."""
    p = _problem(abi.ARCH_CBOW_BATCHED)
    loaded = native._link(built[1].read_bytes(), abi.ARCH_CBOW_BATCHED)
    assert loaded is not None
    w_in = p["w_in"].copy()
    run = loaded.job_runner(p["arch"], p["ids"], p["offsets"], p["rows"], w_in, p["w_out"].copy(), p["keep"],
                            p["threshold"], p["alias"], p["window"], p["negatives"])
    del loaded
    import gc

    gc.collect()
    run(0, 24, 0.05, 0.01, 5, native.new_scratch(p["arch"], p["window"], p["negatives"], 13, p["longest"]))
    np.testing.assert_array_equal(w_in, _numba_job(p, 0, 24, 5)[0])
    with pytest.raises(ValueError, match="another dimension"):
        run(0, 24, 0.05, 0.01, 5, native.new_scratch(p["arch"], p["window"], p["negatives"], 8, p["longest"]))


def test_numbas_path_loads_its_job_from_numbas_cache_in_a_new_process(tmp_path: Path) -> None:
    """With the machine code off, a training compiles nothing once numba's cache holds the job (run_job called
    directly, not through the cached train_job, had compiled for 2 s in every process)."""
    code = ("import numpy as np; from explorer.training.sgns import abi, pool, kernels as K; "
            "w = np.zeros((3, 8), np.float32); t = pool.Tables(abi.ARCH_CBOW_BATCHED, w, w.copy(), abi.keep_all(3), "
            "*K.build_alias(np.full(3, 1 / 3)), 5, 5, 1); s = pool.Stream(np.zeros(4, np.int32), np.array([0, 4])); "
            "pool.compile_kernel(t, s); pool.run_jobs(t, s, [pool.Job(0, 1, 0.1, 0.1, 0)], 2, "
            "lambda j, job, st: None, lambda: False); "
            "print(sum(len(d.stats.cache_misses) for d in (K.train_job, K.run_job, K.cbow_batched_sentence)))")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "EXPLORER_NATIVE_KERNELS": "0"}
    for _ in range(2):  # (the first may fill numba's cache)
        out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                             timeout=300)
        assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[-1] == "0"
