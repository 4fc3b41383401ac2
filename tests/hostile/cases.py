"""The hostile command-line cases: every one must end with exit status 2 and one ``error:`` line.

A :class:`Case` names its arguments, the input files it needs (written into its own directory,
which is also the working directory: messages then name files as the user typed them), fixture
runs copied in (possibly damaged), extra environment variables, and a text the error line must
contain (the file or parameter it names).
"""

from __future__ import annotations

import io
import random
import shutil
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

import numpy as np

RUNS = Path(__file__).resolve().parent / "data" / "runs"
Content = Union[bytes, Callable[[Path], None]]


@dataclass
class Case:
    id: str
    argv: list[str]
    expect: str  # the error line names this (file, parameter, limit)
    files: dict[str, Content] = field(default_factory=dict)
    runs: dict[str, tuple[str, Optional[Callable[[Path], None]]]] = field(default_factory=dict)
    env: dict[str, Optional[str]] = field(default_factory=dict)
    timed: bool = True  # answer time <= 2 s expected (False: recorded only)
    timeout: int = 60


CORPUS = ("the cat sat on the mat with the dog\nthe dog ate the bone near the cat\n" * 30).encode()
LOG = ("user,item,rating,timestamp\n" + "".join(f"u{u},i{(u * 3 + j) % 7},{1 + j % 5},{1000 + u * 10 + j}\n"
                                               for u in range(12) for j in range(5))).encode()
GLOVE = b"cat 0.1 0.2 0.3\ndog 0.2 0.1 0.3\nbird 0.3 0.3 0.1\n"


# --------------------------------------------------------------------------- file builders


def _zip(members: dict[str, bytes], level: int = 9) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _zip_one_long_line(path: Path, size: int = 200 << 20) -> None:
    """A small zip holding one .txt of ``size`` bytes and no line break (written in blocks)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("big.txt", "w", force_zip64=True) as member:
            block = b"a" * (1 << 20)
            for _ in range(size >> 20):
                member.write(block)


def _npy_header_only(shape: tuple, dtype: str = "<f4", payload: int = 64) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": dtype, "fortran_order": False, "shape": shape})
    return buf.getvalue() + b"\x00" * payload


def _npy(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=True)
    return buf.getvalue()


def _w2v_binary(n: int, d: int, rows: int = 2) -> bytes:
    body = b"".join(f"w{i} ".encode() + struct.pack(f"<{d}f", *([0.5] * d)) for i in range(rows)) if d < 100 else b""
    return f"{n} {d}\n".encode() + body


def _random_bytes(n: int = 8192) -> bytes:
    return random.Random(7).randbytes(n)


# --------------------------------------------------------------------------- run damage


def _truncate(name: str, keep: float = 0.5) -> Callable[[Path], None]:
    def damage(run: Path) -> None:
        data = (run / name).read_bytes()
        (run / name).write_bytes(data[: int(len(data) * keep)])
    return damage


def _write(name: str, data: bytes) -> Callable[[Path], None]:
    return lambda run: (run / name).write_bytes(data)


def _delete(name: str) -> Callable[[Path], None]:
    return lambda run: (run / name).unlink()


def _drop_last_tsv_row(name: str) -> Callable[[Path], None]:
    def damage(run: Path) -> None:
        lines = (run / name).read_text(encoding="utf-8").splitlines(keepends=True)
        (run / name).write_text("".join(lines[:-1]), encoding="utf-8")
    return damage


def _bad_counts(run: Path) -> None:
    lines = (run / "vocab.tsv").read_text(encoding="utf-8").splitlines()
    token = lines[1].split("\t")[0]
    lines[1] = f"{token}\tmany"
    (run / "vocab.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _nan_vectors(name: str) -> Callable[[Path], None]:
    def damage(run: Path) -> None:
        arr = np.load(run / name)
        arr[0, 0] = np.nan
        np.save(run / name, arr)
    return damage


def _short_array(name: str) -> Callable[[Path], None]:
    def damage(run: Path) -> None:
        arr = np.load(run / name)
        np.save(run / name, arr[:-1])
    return damage


def _one_d(name: str) -> Callable[[Path], None]:
    def damage(run: Path) -> None:
        np.save(run / name, np.load(run / name).ravel())
    return damage


SG_DAMAGE: dict[str, Callable[[Path], None]] = {
    "vectors-truncated": _truncate("vectors.npy"),
    "vectors-missing": _delete("vectors.npy"),
    "vectors-nan": _nan_vectors("vectors.npy"),
    "vectors-1d": _one_d("vectors.npy"),
    "vectors-garbage": _write("vectors.npy", _random_bytes(512)),
    "vocab-short": _drop_last_tsv_row("vocab.tsv"),
    "vocab-counts": _bad_counts,
    "vocab-binary": _write("vocab.tsv", b"\x00\x01\x02" * 50),
    "config-list": _write("config.json", b"[1, 2, 3]"),
    "config-not-json": _write("config.json", b"{not json"),
}
UI_DAMAGE: dict[str, Callable[[Path], None]] = {
    "users-tsv-missing": _delete("users.tsv"),
    "interactions-damaged": _write("interactions.npz", _random_bytes(300)),
    "item-bias-short": _short_array("item_bias.npy"),
    "items-truncated": _truncate("items.npy"),
    "config-list": _write("config.json", b"[]"),
}


# --------------------------------------------------------------------------- cases

SG_PARAMS = [
    ("dim", "0"), ("dim", "-1"), ("dim", "10000000"), ("dim", "abc"), ("window", "0"), ("window", "1e9"),
    ("window", "1000000000"), ("negatives", "-1"), ("negatives", "0"), ("negatives", "1000000000"),
    ("epochs", "0"), ("epochs", "1000000"), ("min-count", "0"), ("min-count", "-5"), ("max-vocab", "1"),
    ("max-vocab", "100000000000"), ("sample", "-0.1"), ("sample", "2"), ("sample", "nan"), ("lr", "0"),
    ("lr", "-1"), ("lr", "nan"), ("lr", "inf"), ("lr", "1e400"), ("workers", "-1"), ("workers", "100000"),
    ("seed", "-1"), ("seed", str(2**70)), ("seed", "1.5"), ("loss", "magic"), ("device", "tpu"), ("lang", "klingon"),
]
UI_PARAMS = [
    ("dim", "0"), ("dim", "100000"), ("epochs", "0"), ("negatives", "0"), ("negatives", "100000"), ("lr", "0"),
    ("lr", "nan"), ("weight-decay", "-1"), ("weight-decay", "inf"), ("batch-size", "0"),
    ("batch-size", "10000000000"), ("seed", str(2**70)), ("min-rating", "nan"), ("min-rating", "inf"),
    ("loss", "mse"), ("neg-sampling", "x"),
]


def _expect_param(flag: str) -> str:
    """Config checks name the field (min_count); argparse names the flag (--min-count): accept the stem."""
    return flag.split("-")[0]


def cases() -> list[Case]:
    out: list[Case] = []
    add = out.append

    # ---- 1. parameter bounds, through train and submit (the job API path)
    for command in ("train", "submit"):
        for flag, value in SG_PARAMS:
            add(Case(f"{command}-sg-{flag}-{value}"[:60], [command, "skipgram", "--corpus", "c.txt", "--out", "out",
                                                           f"--{flag}", value],
                     _expect_param(flag), files={"c.txt": CORPUS}))
        for flag, value in UI_PARAMS:
            add(Case(f"{command}-ui-{flag}-{value}"[:60], [command, "useritem", "--interactions", "log.csv", "--out",
                                                           "out", f"--{flag}", value],
                     _expect_param(flag), files={"log.csv": LOG}))
        add(Case(f"{command}-ui-same-columns", [command, "useritem", "--interactions", "log.csv", "--out", "out",
                                                "--user-col", "user", "--item-col", "user"],
                 "--user-col and --item-col", files={"log.csv": LOG}))
    add(Case("submit-bad-workspace", ["submit", "--workspace", "../other", "skipgram", "--corpus", "c.txt", "--out",
                                      "out"], "--workspace", files={"c.txt": CORPUS}))

    # ---- 2. corpora (train skipgram)
    def corpus_case(name: str, file: str, content: Optional[Content], expect: str, env: Optional[dict] = None,
                    extra: tuple = (), timed: bool = True) -> None:
        files = {file: content} if content is not None else {}
        add(Case(f"corpus-{name}", ["train", "skipgram", "--corpus", file, "--out", "out", "--min-count", "1",
                                    *extra], expect, files=files, env=env or {}, timed=timed))

    corpus_case("missing", "nope.txt", None, "nope.txt")
    corpus_case("directory", "d", lambda p: p.mkdir(), "d")
    corpus_case("empty", "e.txt", b"", "e.txt")
    corpus_case("blank-lines", "b.txt", b"\n \n\t\n" * 100, "b.txt")
    corpus_case("markup-only", "m.txt", b"<p></p> &lt;br&gt; <img src=x>\n" * 10, "m.txt")
    corpus_case("nul-bytes", "n.txt", b"hello\x00world\x00" * 200, "n.txt")
    corpus_case("random-bytes", "r.txt", _random_bytes(), "r.txt")
    corpus_case("png", "p.txt", b"\x89PNG\r\n\x1a\n" + _random_bytes(2000), "p.txt")
    corpus_case("zip-corrupt", "z.zip", b"PK\x03\x04" + _random_bytes(500), "z.zip")
    corpus_case("zip-no-txt", "z.zip", _zip({"a.csv": b"x,y\n"}), "z.zip")
    corpus_case("zip-one-200MB-line", "big.zip", _zip_one_long_line, "EXPLORER_MAX_LINE_CHARS", timed=False)
    corpus_case("zip-over-unzipped-limit", "z.zip", _zip({"a.txt": b"word " * (600 << 10)}),
                "EXPLORER_MAX_UNZIPPED_MB", env={"EXPLORER_MAX_UNZIPPED_MB": "1"})
    corpus_case("zip-many-members-over-limit", "z.zip",
                _zip({f"a{i}.txt": b"word " * (100 << 10) for i in range(8)}), "EXPLORER_MAX_UNZIPPED_MB",
                env={"EXPLORER_MAX_UNZIPPED_MB": "2"})
    corpus_case("long-line", "l.txt", b"word " * 400_000, "EXPLORER_MAX_LINE_CHARS")
    corpus_case("long-line-env", "l.txt", b"short line\n" + b"x" * 500 + b"\n", "line 2",
                env={"EXPLORER_MAX_LINE_CHARS": "100"})
    corpus_case("limit-env-not-number", "c.txt", CORPUS, "EXPLORER_MAX_LINE_CHARS",
                env={"EXPLORER_MAX_LINE_CHARS": "lots"})
    corpus_case("limit-env-zero", "c.txt", CORPUS, "EXPLORER_MAX_FIELDS", env={"EXPLORER_MAX_FIELDS": "0"})
    corpus_case("csv-no-such-column", "c.csv", b"id,text\n1,hello world\n", "nope", extra=("--text-column", "nope"))
    corpus_case("csv-numbers-only", "c.csv", b"a,b\n1,2\n3,4\n", "c.csv")
    corpus_case("csv-huge-cell", "c.csv", b'id,text\n1,"' + b"word " * 400_000 + b'"\n', "EXPLORER_MAX_LINE_CHARS")
    corpus_case("text-column-on-txt", "c.txt", CORPUS, "--text-column", extra=("--text-column", "text"))
    corpus_case("labels-missing", "c.txt", CORPUS, "lab.tsv", extra=("--labels", "lab.tsv"))
    add(Case("corpus-labels-binary", ["train", "skipgram", "--corpus", "c.txt", "--out", "out", "--labels", "lab.tsv"],
             "lab.tsv", files={"c.txt": CORPUS, "lab.tsv": b"\x00\xff" * 300}))
    add(Case("corpus-labels-empty", ["train", "skipgram", "--corpus", "c.txt", "--out", "out", "--labels", "lab.tsv"],
             "lab.tsv", files={"c.txt": CORPUS, "lab.tsv": b""}))
    add(Case("corpus-user-words-binary", ["train", "skipgram", "--corpus", "c.txt", "--out", "out", "--user-words",
                                          "w.txt"], "w.txt", files={"c.txt": CORPUS, "w.txt": b"\x00\x01" * 300}))
    corpus_case("vocab-too-small", "c.txt", b"one\n", "c.txt")
    corpus_case("model-over-memory", "c.txt", CORPUS, "EXPLORER_MAX_MODEL_MB", env={"EXPLORER_MAX_MODEL_MB": "0.001"},
                timed=False)
    add(Case("corpus-out-exists", ["train", "skipgram", "--corpus", "c.txt", "--out", "out"], "out",
             files={"c.txt": CORPUS, "out": lambda p: (p.mkdir(), (p / "keep.txt").write_text("x"))}))
    add(Case("corpus-fails-out-parents-removed", ["train", "skipgram", "--corpus", "c.txt", "--out", "no/such/out",
                                                  "--min-count", "1000"], "c.txt", files={"c.txt": CORPUS}))

    # ---- 3. interaction logs and item metadata (train useritem)
    def log_case(name: str, content: Optional[Content], expect: str, extra: tuple = (), env: Optional[dict] = None,
                 file: str = "log.csv", more: Optional[dict] = None) -> None:
        files = {file: content} if content is not None else {}
        files.update(more or {})
        add(Case(f"log-{name}", ["train", "useritem", "--interactions", file, "--out", "out", *extra], expect,
                 files=files, env=env or {}))

    log_case("missing", None, "log.csv")
    log_case("empty", b"", "log.csv")
    log_case("binary", _random_bytes(), "log.csv")
    log_case("nul", b"user,item\x00\n" * 100, "log.csv")
    log_case("header-only", b"user,item,rating\n", "log.csv")
    log_case("one-column", b"user\nu1\nu2\nu3\n", "log.csv")
    log_case("200k-columns", b"user,item\n" + b",".join(b"x" for _ in range(200_001)) + b"\n", "EXPLORER_MAX_FIELDS")
    log_case("300k-field", b"user,item,title\nu1,i1," + b"t" * 300_000 + b"\n", "EXPLORER_MAX_FIELD_CHARS")
    log_case("2M-line", b"user,item\n" + b"u" * 2_000_000 + b",i\n", "EXPLORER_MAX_LINE_CHARS")
    log_case("fields-env", LOG, "EXPLORER_MAX_FIELDS", env={"EXPLORER_MAX_FIELDS": "2"})
    log_case("bad-rating", b"user,item,rating\nu1,i1,5\nu2,i2,lots\n", "rating")
    log_case("bad-timestamp-line-5", b"user,item,timestamp\nu1,i1,1\nu2,i2,2\nu3,i3,3\nu4,i4,yesterday\n", "line 5")
    log_case("no-such-user-col", LOG, "nobody", extra=("--user-col", "nobody"))
    log_case("min-rating-no-rating", b"user,item\nu1,i1\nu2,i2\n", "rating", extra=("--min-rating", "3"))
    log_case("label-not-number", b"user,item,label\nu1,i1,1\nu2,i2,maybe\n", "label", extra=("--label-col", "label"))
    log_case("items-binary", LOG, "items.csv", extra=("--items", "items.csv"), more={"items.csv": _random_bytes()})
    log_case("items-empty", LOG, "items.csv", extra=("--items", "items.csv"), more={"items.csv": b""})
    log_case("items-one-column", LOG, "items.csv", extra=("--items", "items.csv"),
             more={"items.csv": b"item\ni1\ni2\n"})
    log_case("items-300k-field", LOG, "EXPLORER_MAX_FIELD_CHARS", extra=("--items", "items.csv"),
             more={"items.csv": b"item,title\ni1," + b"t" * 300_000 + b"\n"})
    log_case("items-missing", LOG, "items.csv", extra=("--items", "items.csv"))

    # ---- 4. vector imports
    def import_case(name: str, file: str, content: Optional[Content], expect: str, extra: tuple = (),
                    env: Optional[dict] = None, more: Optional[dict] = None) -> None:
        files = {file: content} if content is not None else {}
        files.update(more or {})
        add(Case(f"import-{name}", ["import", file, "--out", "out", *extra], expect, files=files, env=env or {}))

    import_case("missing", "v.txt", None, "v.txt")
    import_case("empty", "v.txt", b"", "v.txt")
    import_case("binary-unknown", "v.bin", _random_bytes(), "v.bin")
    import_case("w2v-bin-1e12-rows", "v.bin", _w2v_binary(10**12, 4), "1,000,000,000,000 vectors")
    import_case("w2v-bin-huge-dim", "v.bin", _w2v_binary(2, 10**9), "EXPLORER_MAX_FIELDS",
                extra=("--format", "word2vec-binary"))
    import_case("w2v-bin-truncated", "v.bin", _w2v_binary(5, 4, rows=2), "v.bin")
    import_case("w2v-text-count", "v.txt", b"5 3\n" + GLOVE, "v.txt")
    import_case("w2v-text-ragged", "v.txt", b"3 3\ncat 0.1 0.2 0.3\ndog 0.1\nbird 0.1 0.2 0.3\n", "line 3")
    import_case("glove-not-number", "v.txt", b"cat 0.1 0.2\ndog 0.1 x\n", "line 2")
    import_case("glove-nan", "v.txt", b"cat 0.1 nan\ndog 0.1 0.2\n", "line 1")
    import_case("glove-too-big-for-f32", "v.txt", b"cat 0.1 1e39\ndog 0.1 0.2\n", "too large for a float32")
    import_case("glove-duplicate", "v.txt", b"cat 0.1 0.2\ncat 0.3 0.2\n", "duplicate")
    import_case("glove-long-line", "v.txt", b"cat " + b"0.1 " * 100 + b"\n", "EXPLORER_MAX_LINE_CHARS",
                env={"EXPLORER_MAX_LINE_CHARS": "50"})
    import_case("glove-many-fields", "v.txt", GLOVE, "EXPLORER_MAX_FIELDS", env={"EXPLORER_MAX_FIELDS": "2"})
    import_case("glove-not-utf8", "v.txt", "中文 0.1 0.2\n".encode("gbk"), "v.txt")
    import_case("projector-ragged", "v.tsv", b"0.1\t0.2\n0.3\n", "line 2")
    import_case("npy-huge-shape", "v.npy", _npy_header_only((10**9, 10**4)), "1,000,000,000 vectors")
    import_case("npy-3d", "v.npy", _npy(np.zeros((2, 2, 2), np.float32)), "2-D")
    import_case("npy-object", "v.npy", _npy(np.array([[object()]], dtype=object)), "v.npy")
    import_case("npy-strings", "v.npy", _npy(np.array([["a", "b"]])), "dtype")
    import_case("npy-nan", "v.npy", _npy(np.array([[0.1, np.nan]], np.float32)), "row 1")
    import_case("npy-truncated", "v.npy", lambda p: p.write_bytes(_npy(np.ones((50, 8), np.float32))[:300]), "v.npy")
    import_case("npy-empty", "v.npy", _npy(np.zeros((0, 4), np.float32)), "v.npy")
    import_case("npy-f64-overflow", "v.npy", _npy(np.array([[1e300, 0.0]])), "too large for float32")
    import_case("format-mismatch", "v.txt", GLOVE, "v.txt", extra=("--format", "npy"))
    import_case("metadata-rows", "v.npy", _npy(np.ones((3, 2), np.float32)), "m.tsv", extra=("--metadata", "m.tsv"),
                more={"m.tsv": b"a\nb\n"})
    import_case("metadata-binary", "v.npy", _npy(np.ones((3, 2), np.float32)), "m.tsv",
                extra=("--metadata", "m.tsv"), more={"m.tsv": b"\xff\xfe\x00" * 40})
    import_case("size-limit", "v.txt", GLOVE, "EXPLORER_MAX_IMPORT_MB", env={"EXPLORER_MAX_IMPORT_MB": "0.00001"})
    add(Case("import-out-exists", ["import", "v.txt", "--out", "out"], "out",
             files={"v.txt": GLOVE, "out": lambda p: (p.mkdir(), (p / "x").write_text("x"))}))

    # ---- 5. damaged runs, through every command that opens one
    sg_commands = {
        "neighbors": ["neighbors", "run", "cat"],
        "export": ["export", "run", "--format", "word2vec", "--out", "e.txt"],
        "cluster": ["cluster", "run", "--k", "2"],
        "project": ["project", "run", "--out", "p.csv"],
    }
    for damage, fn in SG_DAMAGE.items():
        for command, argv in sg_commands.items():
            add(Case(f"run-sg-{damage}-{command}", argv, "run", runs={"run": ("sg", fn)}, timed=command != "project"))
    ui_commands = {
        "recommend": ["recommend", "run", "u01"],
        "evaluate": ["evaluate", "run"],
        "export": ["export", "run", "--format", "projector", "--out", "e.tsv"],
    }
    for damage, fn in UI_DAMAGE.items():
        for command, argv in ui_commands.items():
            add(Case(f"run-ui-{damage}-{command}", argv, "run", runs={"run": ("ui", fn)}))

    # ---- 6. arguments of the other commands
    sg = {"run": ("sg", None)}
    add(Case("neighbors-k0", ["neighbors", "run", "cat", "-k", "0"], "-k", runs=sg))
    add(Case("neighbors-unknown-word", ["neighbors", "run", "![x](//127.0.0.1:9/x)"], "127.0.0.1", runs=sg))
    add(Case("neighbors-no-run", ["neighbors", "nope", "cat"], "nope"))
    add(Case("neighbors-run-is-file", ["neighbors", "f.txt", "cat"], "f.txt", files={"f.txt": b"x"}))
    add(Case("neighbors-empty-dir", ["neighbors", "d", "cat"], "d", files={"d": lambda p: p.mkdir()}))
    add(Case("export-out-exists", ["export", "run", "--format", "word2vec", "--out", "e.txt"], "e.txt", runs=sg,
             files={"e.txt": b"keep me"}))
    add(Case("export-out-is-dir", ["export", "run", "--format", "word2vec", "--out", "d"], "d", runs=sg,
             files={"d": lambda p: p.mkdir()}))
    add(Case("export-bad-format", ["export", "run", "--format", "pdf", "--out", "e"], "format", runs=sg))
    add(Case("project-out-exists", ["project", "run", "--out", "p.csv"], "p.csv", runs=sg, files={"p.csv": b"x"},
             timed=False))
    add(Case("project-seed-huge", ["project", "run", "--out", "p.csv", "--seed", str(2**70)], "seed", runs=sg))
    add(Case("project-dims-4", ["project", "run", "--out", "p.csv", "--dims", "4"], "dims", runs=sg))
    add(Case("cluster-k0", ["cluster", "run", "--k", "0"], "k", runs=sg))
    add(Case("cluster-k-huge", ["cluster", "run", "--k", "1000000000"], "k", runs=sg, timed=False))
    add(Case("cluster-seed-negative", ["cluster", "run", "--seed", "-1"], "seed", runs=sg))
    ui = {"run": ("ui", None)}
    add(Case("recommend-unknown-user", ["recommend", "run", "<img src=//127.0.0.1:9/x>"], "127.0.0.1", runs=ui))
    add(Case("recommend-k0", ["recommend", "run", "u01", "-k", "0"], "-k", runs=ui))
    add(Case("recommend-on-word-run", ["recommend", "run", "u01"], "run", runs=sg))
    add(Case("evaluate-on-word-run", ["evaluate", "run"], "run", runs=sg))
    add(Case("status-bad-id", ["status", "../../etc/passwd"], "etc/passwd"))
    add(Case("status-unknown", ["status", "0123456789abcdef0123"], "0123456789abcdef0123"))
    add(Case("status-other-workspace", ["status", "@OTHER_JOB@"], "--operator"))
    add(Case("cancel-bad-id", ["cancel", "x" * 5000], "job"))
    add(Case("cancel-other-workspace", ["cancel", "@OTHER_JOB@"], "--operator"))
    add(Case("worker-concurrency-0", ["worker", "--concurrency", "0"], "--concurrency"))
    add(Case("worker-concurrency-huge", ["worker", "--concurrency", "1000000"], "--concurrency"))
    add(Case("sample-out-is-file", ["sample", "--out", "f"], "f", files={"f": b"x"}))
    add(Case("sample-would-overwrite", ["sample", "--out", "d"], "d",
             files={"d": lambda p: (p.mkdir(), (p / "sample_corpus.txt").write_text("mine"))}))
    add(Case("unknown-command", ["frobnicate"], "frobnicate"))
    add(Case("train-no-model", ["train"], "skipgram"))
    return out


def build(case: Case, root: Path) -> Path:
    """Write the case's files and runs into ``root/<id>``; return that directory."""
    where = root / case.id
    where.mkdir(parents=True)
    for name, content in case.files.items():
        path = where / name
        if callable(content):
            content(path)
        else:
            path.write_bytes(content)
    for name, (source, damage) in case.runs.items():
        shutil.copytree(RUNS / source, where / name)
        if damage is not None:
            damage(where / name)
    return where


def listing(where: Path) -> dict[str, tuple[int, int]]:
    """Every path under ``where`` with, for files, its size and mtime (to see that nothing was
    written or left behind; a directory's own mtime changes with temporary entries, so not that)."""
    return {str(p.relative_to(where)): (p.stat().st_size, p.stat().st_mtime_ns) if p.is_file() else (0, 0)
            for p in sorted(where.rglob("*"))}
