"""Hostile inputs on the upload path (the functions the Data and Runs pages call), in process:
one ``ExplorerError`` naming the file, nothing written, and a bounded Python heap (tracemalloc,
which also sees NumPy's buffers)."""

from __future__ import annotations

import io
import json
import shutil
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from explorer.errors import ExplorerError
from explorer.i18n import error_text, table, table_names
from explorer.jobs import workspaces
from explorer.recsys.interactions import read_columns, read_interactions, read_item_metadata
from explorer.runs.manage import unpack_run_zip
from explorer.text.readers import preview_text, read_labels
from tests.hostile.cases import RUNS, _random_bytes, _zip
from tests.support.text import read_text

pytestmark = pytest.mark.slow  # the hostile-input suite: large and damaged uploads

MAX_HEAP_MB = 64


def _known_codes() -> set[str]:
    return {k for n in table_names() if n.startswith("errors") for k in table(n)}  # Python + NumPy allocations while refusing an input


def _run_zip(damage: Callable[[Path], None] | None = None, extra: dict | None = None, source: str = "sg") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for f in sorted((RUNS / source).iterdir()):
            zf.writestr(f.name, f.read_bytes())
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    data = buf.getvalue()
    if damage is None:
        return data
    tmp = Path(__import__("tempfile").mkdtemp())
    try:
        shutil.copytree(RUNS / source, tmp / "r")
        damage(tmp / "r")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for f in sorted((tmp / "r").iterdir()):
                zf.writestr(f.name, f.read_bytes())
        return buf.getvalue()
    finally:
        shutil.rmtree(tmp)


def _cfg(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def damage(run: Path) -> None:
        cfg = json.loads((run / "config.json").read_text(encoding="utf-8"))
        change(cfg)
        (run / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    return damage


def _trunc(name: str) -> Callable[[Path], None]:
    return lambda run: (run / name).write_bytes((run / name).read_bytes()[:100])


def _short_vocab(run: Path) -> None:
    lines = (run / "vocab.tsv").read_text(encoding="utf-8").splitlines()
    (run / "vocab.tsv").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")


# (id, file name, bytes, reader, env, expected text in the message)
READ_TEXT = lambda p: read_text(p)  # noqa: E731
PREVIEW = lambda p: preview_text(p)  # noqa: E731
COLUMNS = lambda p: read_columns(p)  # noqa: E731
LOG = lambda p: read_interactions(p)  # noqa: E731
META = lambda p: read_item_metadata(p, ["i1"])  # noqa: E731
LABELS = lambda p: read_labels(p)  # noqa: E731
RUNZIP = lambda p: unpack_run_zip(p, p.parent / "unpacked", 50 << 20)  # noqa: E731

UPLOADS = [
    ("preview-binary", "a.txt", _random_bytes(), PREVIEW, {}, "a.txt"),
    ("preview-empty", "a.txt", b"", PREVIEW, {}, "a.txt"),
    ("preview-nul", "a.txt", b"ab\x00\x00" * 500, PREVIEW, {}, "a.txt"),
    ("preview-long-line", "a.txt", b"w " * 600_000, PREVIEW, {}, "EXPLORER_MAX_LINE_CHARS"),
    ("preview-zip-long-line", "a.zip", _zip({"x.txt": b"w" * (3 << 20)}, level=1), PREVIEW, {},
     "EXPLORER_MAX_LINE_CHARS"),
    ("preview-zip-unzipped-limit", "a.zip", _zip({"x.txt": b"word\n" * 400_000}), PREVIEW,
     {"EXPLORER_MAX_UNZIPPED_MB": "1"}, "EXPLORER_MAX_UNZIPPED_MB"),
    ("preview-zip-corrupt", "a.zip", b"PK\x03\x04" + _random_bytes(100), PREVIEW, {}, "a.zip"),
    ("preview-csv-cell", "a.csv", b'id,text\n1,"' + b"w " * 600_000 + b'"\n', PREVIEW, {}, "EXPLORER_MAX_LINE_CHARS"),
    ("preview-csv-column", "a.csv", b"a,b\n1,2\n", lambda p: preview_text(p, "text"), {}, "text"),
    ("read-text-binary", "a.txt", _random_bytes(), READ_TEXT, {}, "a.txt"),
    ("read-text-long-line", "a.txt", b"x" * 200, READ_TEXT, {"EXPLORER_MAX_LINE_CHARS": "100"}, "line 1"),
    ("columns-binary", "l.csv", _random_bytes(), COLUMNS, {}, "l.csv"),
    ("columns-200k", "l.csv", b",".join(b"c" for _ in range(200_001)) + b"\n", COLUMNS, {}, "EXPLORER_MAX_FIELDS"),
    ("columns-empty", "l.csv", b"", COLUMNS, {}, "l.csv"),
    ("log-300k-field", "l.csv", b"user,item,title\nu1,i1," + b"t" * 300_000 + b"\n", LOG, {},
     "EXPLORER_MAX_FIELD_CHARS"),
    ("log-200k-columns", "l.csv", b"user,item\n" + b",".join(b"x" for _ in range(200_001)) + b"\n", LOG, {},
     "EXPLORER_MAX_FIELDS"),
    ("log-long-line", "l.csv", b"user,item\n" + b"u" * 2_000_001 + b",i\n", LOG, {}, "EXPLORER_MAX_LINE_CHARS"),
    ("log-utf16-garbage", "l.csv", b"\xff\xfe" + _random_bytes(501), LOG, {}, "l.csv"),
    ("meta-binary", "m.csv", _random_bytes(), META, {}, "m.csv"),
    ("meta-300k-field", "m.csv", b"item,title\ni1," + b"t" * 300_000 + b"\n", META, {}, "EXPLORER_MAX_FIELD_CHARS"),
    ("labels-binary", "lab.tsv", _random_bytes(), LABELS, {}, "lab.tsv"),
    ("runzip-not-zip", "r.zip", b"hello", RUNZIP, {}, "r.zip"),
    ("runzip-traversal", "r.zip", _zip({"../../evil.txt": b"x"}), RUNZIP, {}, "evil"),
    ("runzip-absolute", "r.zip", _zip({"/etc/x": b"x"}), RUNZIP, {}, "/etc/x"),
    ("runzip-unexpected-file", "r.zip", _run_zip(extra={"evil.sh": b"rm -rf /"}), RUNZIP, {}, "evil.sh"),
    ("runzip-bomb", "r.zip", _zip({"vectors.npy": b"\x00" * (60 << 20)}, level=9), RUNZIP, {}, "MB"),
    ("runzip-no-config", "r.zip", _zip({"vectors.npy": b"x"}), RUNZIP, {}, "config.json"),
    ("runzip-config-list", "r.zip", _run_zip(lambda r: (r / "config.json").write_text("[]")), RUNZIP, {},
     "config.json"),
    ("runzip-truncated-vectors", "r.zip", _run_zip(_trunc("vectors.npy")), RUNZIP, {}, "vectors.npy"),
    ("runzip-short-vocab", "r.zip", _run_zip(_short_vocab), RUNZIP, {}, "vocab.tsv"),
    ("runzip-pickle", "r.zip", _run_zip(lambda r: np.save(r / "vectors.npy", np.array([[object()]]),
                                                          allow_pickle=True)), RUNZIP, {}, "vectors.npy"),
    ("runzip-config-date-number", "r.zip", _run_zip(_cfg(lambda c: c.update(created=12345))), RUNZIP, {}, "created"),
    ("runzip-ui-bias-short", "r.zip", _run_zip(lambda r: np.save(r / "item_bias.npy", np.zeros(3, np.float32)),
                                               source="ui"), RUNZIP, {}, "item"),
]


@pytest.mark.parametrize("case", UPLOADS, ids=[c[0] for c in UPLOADS])
def test_upload_refused_with_one_line(case: tuple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, name, data, reader, env, expect = case
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    path = tmp_path / name
    path.write_bytes(data)
    before = sorted(p.name for p in tmp_path.iterdir())
    tracemalloc.start()
    try:
        with pytest.raises(ExplorerError) as info:
            reader(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = str(info.value)
    assert "\n" not in message and expect in message, message
    if info.value.code is not None:  # translated: the code is known and its parameters fit the text
        zh = error_text(info.value, "zh")
        assert zh and (zh != message or info.value.code not in _known_codes()), (info.value.code, zh)
    assert sorted(p.name for p in tmp_path.iterdir()) == before, "something was written"
    assert peak <= MAX_HEAP_MB << 20, f"peak heap {peak / 2**20:.0f} MB"


@pytest.mark.parametrize(("suffix", "data", "env", "expect"), [
    (".exe", b"MZ", {}, ".exe"),
    (".py", b"\x00\x01\x02 not text", {}, ".py"),  # an unknown suffix is judged by its content: binary is refused
    ("", bytes(range(256)) * 4, {}, "file type"),
    (".txt", b"", {}, "empty"),
    (".txt", b"x" * 3000, {"EXPLORER_MAX_UPLOAD_MB": "0.001"}, "limit"),
    (".txt", b"x", {"EXPLORER_MAX_UPLOAD_MB": "lots"}, "EXPLORER_MAX_UPLOAD_MB"),
])
def test_save_upload_refuses(suffix: str, data: bytes, env: dict, expect: str, monkeypatch: pytest.MonkeyPatch,
                             explorer_home: Path) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ExplorerError) as info:
        workspaces.save_upload(data, suffix)
    assert expect in str(info.value)
    assert not (explorer_home / "uploads").exists() or not any((explorer_home / "uploads").iterdir())


def test_an_unknown_suffix_that_reads_as_text_is_kept_as_text(explorer_home: Path) -> None:
    """A ``.cor`` corpus (or a ``.py`` file) whose bytes are text is saved as ``.txt``, never under its own suffix."""
    for suffix in (".cor", ".py", ""):
        path = workspaces.save_upload("the cat sat\n猫 在 这里\n".encode(), suffix)
        assert path.suffix == ".txt" and path.parent == explorer_home / "uploads"


# ---------------------------------------------------------------------- text a user expects to train


def test_utf16_without_bom_is_read(tmp_path: Path) -> None:
    for codec in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{codec}.txt"
        path.write_bytes("the cat sat\n小猫 在 睡觉\n".encode(codec))
        raw = read_text(path)
        assert raw.encoding == codec and raw.lines == ["the cat sat", "小猫 在 睡觉"]


def test_mixed_utf8_and_gbk_lines_are_decoded_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes("第一行 是 UTF-8\n".encode() + "第二行 是 GBK\n".encode("gbk") + b"\xff\xfe\xff\xfe\n"
                     + "third line utf-8 猫\n".encode())
    raw = read_text(path)
    assert raw.lines == ["第一行 是 UTF-8", "第二行 是 GBK", "third line utf-8 猫"]
    assert raw.n_undecodable == 1 and raw.encoding == "mixed_gb18030"
    preview = preview_text(path)
    assert preview.n_undecodable == 1 and preview.complete


def test_entities_are_decoded_before_tags_are_stripped() -> None:
    from explorer.text.clean import clean_line

    assert clean_line("a &lt;img src=//127.0.0.1:9/x&gt; b") == "a b"
    assert clean_line("1 &lt; 2 &amp; 3") == "1 < 2 & 3"


def test_preview_holds_a_bounded_slice(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(300_000):
            fh.write(f"line {i} with a few words in it\n")
    tracemalloc.start()
    try:
        preview = preview_text(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not preview.complete and len(preview.lines) == 2000
    assert 200_000 < preview.n_lines < 400_000  # extrapolated
    assert peak < 16 << 20
