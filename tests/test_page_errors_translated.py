"""Every page shows an error in the UI's language: explorer.i18n.error_text called with the exception alone gives
the English line, so a page must pass the language (or use pages._widgets.error_message / pages._class_ui.error_text,
which do)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _raw_error_text_names(tree: ast.Module) -> set[str]:
    """Local names bound to explorer.i18n.error_text (imported from explorer.i18n, or re-exported by pages._widgets)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("explorer.i18n", "pages._widgets"):
            names |= {a.asname or a.name for a in node.names if a.name == "error_text"}
    return names


def test_no_page_calls_the_english_error_text_without_a_language() -> None:
    found = []
    for path in sorted((ROOT / "pages").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        raw = _raw_error_text_names(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in raw
                    and len(node.args) + len(node.keywords) < 2):
                found.append(f"{path.name}:{node.lineno}")
    assert found == [], f"error_text(exc) without the UI's language (English in the 中文 UI): {found}"


def test_the_check_sees_a_call_without_a_language() -> None:
    tree = ast.parse("from pages._widgets import error_text\nerror_text(exc)\nerror_text(exc, lang())\n")
    raw = _raw_error_text_names(tree)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in raw]
    assert [len(c.args) for c in calls] == [1, 2]


def test_a_refused_run_zip_is_said_in_the_ui_language_with_the_users_file_name(tmp_path: Path) -> None:
    from explorer.errors import ExplorerError
    from explorer.runs import manage
    from pages._runs_import_ui import upload_error

    stored = tmp_path / "3f9c2a.zip"
    stored.write_bytes(b"not a zip at all")
    try:
        manage.unpack_run_zip(stored, tmp_path / "out", 1 << 20)
    except ExplorerError as exc:
        refused = exc
    else:
        raise AssertionError("a file that is not a zip was accepted")
    zh = upload_error("我的模型.zip", stored, refused, "zh")
    en = upload_error("my model.zip", stored, refused, "en")
    assert zh.startswith("我的模型.zip") and "3f9c2a" not in zh and any("\u4e00" <= c <= "\u9fff" for c in zh[8:]), zh
    assert en.startswith("my model.zip") and "3f9c2a" not in en and "zip" in en, en
