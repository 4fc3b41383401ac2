"""Errors of explorer/runs/ in the user's language: every raise carries a code, every code has an
English and a Chinese text with the same placeholders, and real errors read in Chinese."""

from __future__ import annotations

import ast
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from explorer.errors import ExplorerError
from explorer.i18n import error_tables, error_text, placeholders, table
from explorer.runs import formats, manage, saved_clusterings
from tests.support.runs import words_run

ROOT = Path(__file__).resolve().parents[1]
RUNS = ROOT / "explorer" / "runs"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _functions() -> list[tuple[str, ast.FunctionDef]]:
    out = []
    for path in sorted(RUNS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                out.append((path.name, node))
    return out


def _name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _code(call: ast.Call) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == "code"), None)


def _calls() -> list[tuple[str, ast.Call, ast.FunctionDef | None]]:
    """(file:line, call, enclosing function) of every ``ExplorerError(...)`` call under explorer/runs/."""
    out = []
    for path in sorted(RUNS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        owner: dict[ast.AST, ast.FunctionDef] = {}
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef):
                for node in ast.walk(fn):
                    owner.setdefault(node, fn) if node is not fn else None
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node) == "ExplorerError":
                out.append((f"{path.name}:{node.lineno}", node, owner.get(node)))
    return out


def _wrappers() -> dict[str, int]:
    """Helpers that build an ExplorerError with the ``code`` they are given: name -> position of ``code``."""
    out = {}
    for _, call, fn in _calls():
        value = _code(call)
        if fn is not None and isinstance(value, ast.Name):
            names = [a.arg for a in fn.args.args]
            if value.id in names:
                out[fn.name] = names.index(value.id)
    return out


def _literal(value: ast.expr | None) -> str | None:
    return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value else None


def _wrapper_calls() -> list[tuple[str, str | None]]:
    """(file:line, literal code or None) of every call of a wrapper (e.g. ``_err(message, "run_bad_json", ...)``)."""
    wrappers = _wrappers()
    out = []
    for path in sorted(RUNS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _name(node) in wrappers:
                pos = wrappers[_name(node)]
                value = node.args[pos] if len(node.args) > pos else _code(node)
                out.append((f"{path.name}:{node.lineno}", _literal(value)))
    return out


def _is_pass_through(value: ast.expr, fn: ast.FunctionDef | None) -> bool:
    """``code=exc.code`` (an ExplorerError raised again with its own code and params), or a helper's
    own ``code`` argument (its callers are checked in turn)."""
    if isinstance(value, ast.Attribute) and value.attr == "code":
        return True
    return isinstance(value, ast.Name) and fn is not None and value.id in [a.arg for a in fn.args.args]


def _raised_codes() -> set[str]:
    codes = {_literal(_code(call)) for _, call, _ in _calls()} | {code for _, code in _wrapper_calls()}
    return codes - {None}


def _entry(code: str) -> tuple[str, str] | None:
    for name in error_tables():
        pair = table(name).get(code)
        if pair is not None:
            return pair
    return None


def test_every_raise_under_runs_has_a_literal_code() -> None:
    calls = _calls()
    assert len(calls) > 60
    missing = [where for where, call, fn in calls
               if _literal(_code(call)) is None and not (_code(call) is not None and _is_pass_through(_code(call), fn))]
    assert missing == []
    assert [where for where, code in _wrapper_calls() if code is None] == []


def _coded_here() -> set[str]:
    """Codes raised with a literal ``code=`` in the files whose raises this test file was written for."""
    files = {"formats.py", "manage.py", "saved_clusterings.py", "directory.py"}
    return {code for where, call, _ in _calls() if where.split(":")[0] in files and (code := _literal(_code(call)))}


def test_every_code_has_matching_english_and_chinese_texts() -> None:
    assert {"import_bad_header", "run_name_empty", "zip_empty", "clustering_bad_name"} <= _coded_here()
    for code in sorted(_raised_codes()):
        pair = _entry(code)
        assert pair is not None, code
        en, zh = pair
        assert placeholders(en) == placeholders(zh), code
        assert not re.search(r"--[a-z]", en + zh), code
    for code in sorted(_coded_here()):
        assert _CJK.search(_entry(code)[1]), code
    for key, (en, zh) in table("errors_runs").items():
        assert placeholders(en) == placeholders(zh), key


def test_raised_params_fill_every_placeholder() -> None:
    """Each literal-coded raise passes (at least) the parameters its texts use."""
    for where, call, _ in _calls():
        code = _literal(_code(call))
        if code is None or any(kw.arg is None for kw in call.keywords):
            continue
        en, _ = _entry(code)
        given = {kw.arg for kw in call.keywords if kw.arg != "code"}
        assert placeholders(en) <= given, (where, code, placeholders(en) - given)


# ---------------------------------------------------------------------------- real errors


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


TOY = {"tokens": ["cat", "dog", "猫", "狗"], "vectors": np.arange(12).reshape(4, 3), "counts": [5, 4, 3, 2],
       "data": {"source": "toy"}, "name": "toy"}


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    path.write_bytes(buf.getvalue())
    return path


def _bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _npy(path: Path, array: np.ndarray) -> Path:
    np.save(path, array)
    return path


def _zip_without_vectors(tmp: Path) -> Path:
    run = words_run(tmp / "r1", **TOY)
    files = {f.name: f.read_bytes() for f in run.iterdir() if f.is_file() and f.name != "vectors.npy"}
    return _zip(tmp / "up.zip", files)


CASES: dict[str, tuple[str, Callable[[Path], object]]] = {
    "word2vec header": ("import_bad_header", lambda d: formats.import_vectors(
        _write(d / "v.txt", "three 2\ncat 1 2\n"), "word2vec")),
    "ragged glove": ("import_ragged", lambda d: formats.import_vectors(_write(d / "v.txt", "cat 1 2\ndog 1\n"), "glove")),
    "ragged word2vec": ("import_ragged_header", lambda d: formats.import_vectors(
        _write(d / "v.txt", "2 2\ncat 1 2\ndog 1\n"), "word2vec")),
    "not a number": ("import_not_a_number", lambda d: formats.import_vectors(
        _write(d / "v.txt", "cat 1 x\n"), "glove")),
    "duplicate label": ("import_duplicate_label", lambda d: formats.import_vectors(
        _write(d / "v.txt", "cat 1 2\ncat 3 4\n"), "glove")),
    "header count": ("import_count_mismatch", lambda d: formats.import_vectors(
        _write(d / "v.txt", "3 2\ncat 1 2\ndog 3 4\n"), "word2vec")),
    "empty file": ("file_empty", lambda d: formats.import_vectors(_write(d / "v.txt", ""))),
    "missing file": ("import_not_found", lambda d: formats.import_vectors(d / "nope.txt")),
    "unknown format": ("import_bad_format", lambda d: formats.import_vectors(_write(d / "v.txt", "cat 1\n"), "nope")),
    "npy shape": ("import_npy_shape", lambda d: formats.import_vectors(_npy(d / "v.npy", np.zeros((2, 2, 2))), "npy")),
    "npy metadata rows": ("import_meta_rows_labels", lambda d: formats.import_vectors(
        _npy(d / "v.npy", np.ones((3, 2))), "npy", _write(d / "m.tsv", "a\nb\nc\nd\ne\n"))),
    "binary truncated": ("import_truncated", lambda d: formats.import_vectors(
        _bytes(d / "v.bin", b"2 1\na " + np.float32(1).tobytes() + b"b" * 15), "word2vec-binary")),
    "zip without vectors": ("run_missing_file", lambda d: manage.unpack_run_zip(
        _zip_without_vectors(d), d / "out", 2**20)),
    "zip empty": ("zip_empty", lambda d: manage.unpack_run_zip(_zip(d / "e.zip", {}), d / "out", 2**20)),
    "zip stranger": ("zip_unexpected_file", lambda d: manage.unpack_run_zip(
        _zip(d / "s.zip", {"config.json": b"{}", "evil.py": b"x"}), d / "out", 2**20)),
    "zip traversal": ("zip_member_outside", lambda d: manage.unpack_run_zip(
        _zip(d / "t.zip", {"a/../../x": b"x"}), d / "out", 2**20)),
    "not a zip": ("zip_invalid", lambda d: manage.unpack_run_zip(_write(d / "n.zip", "hello"), d / "out", 2**20)),
    "rename empty": ("run_name_empty", lambda d: manage.rename_run(words_run(d / "r1", **TOY), "   ")),
    "rename long": ("run_name_too_long", lambda d: manage.rename_run(words_run(d / "r1", **TOY), "x" * 200)),
    "export format": ("export_bad_format", lambda d: manage.export_file_name(None, "nope")),  # type: ignore[arg-type]
    "clustering name": ("clustering_bad_name", lambda d: saved_clusterings.load_labels(d, "../evil")),
    "clustering not saved": ("clustering_not_saved", lambda d: saved_clusterings.load_labels(d, "kmeans-k8-vectors")),
    "clustering method": ("clustering_bad_method", lambda d: saved_clusterings.clustering_name("nope", {}, "vectors")),
    "clustering labels": ("clustering_bad_labels", lambda d: saved_clusterings.save_clustering(
        d, np.zeros((2, 2)), "kmeans", {"k": 2})),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_real_errors_read_in_chinese(tmp_path: Path, case: str) -> None:
    code, trigger = CASES[case]
    with pytest.raises(ExplorerError) as info:
        trigger(tmp_path)
    exc = info.value
    assert exc.code == code
    en, zh = error_text(exc, "en"), error_text(exc, "zh")
    assert _CJK.search(zh), zh
    assert zh != str(exc)
    assert "{" not in en and "}" not in en, en
    assert "{" not in zh and "}" not in zh, zh
    assert _entry(code) is not None


def test_file_kind_reads_in_chinese(tmp_path: Path) -> None:
    vectors = _write(tmp_path / "v.txt", "cat 1 2\n")
    with pytest.raises(ExplorerError) as info:
        formats.import_vectors(vectors, "glove", tmp_path / "missing.tsv")
    assert info.value.code == "import_not_found"
    assert "找不到元数据文件" in error_text(info.value, "zh")
    assert "metadata file not found" in error_text(info.value, "en")
    with pytest.raises(ExplorerError) as info:
        formats.import_vectors(tmp_path / "nope.txt")
    assert "找不到向量文件" in error_text(info.value, "zh")


def test_messages_stay_the_command_line_text(tmp_path: Path) -> None:
    with pytest.raises(ExplorerError) as info:
        manage.rename_run(words_run(tmp_path / "r1", **TOY), "")
    assert str(info.value) == "name: the name is empty"
    path = _write(tmp_path / "v.txt", "cat 1 2\ndog 1\n")
    with pytest.raises(ExplorerError) as info:
        formats.import_vectors(path, "glove")
    assert str(info.value) == f"{path}: line 2: 1 values but the first vector has 2 (ragged rows)"
    assert error_text(info.value, "zh") == f"{path}：第 2 行：有 1 个值，但第一行有 2 个（各行长度不一致）"
    cfg = json.loads((tmp_path / "r1" / "config.json").read_text(encoding="utf-8"))
    assert cfg["name"] == "toy"
