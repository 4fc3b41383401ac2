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
