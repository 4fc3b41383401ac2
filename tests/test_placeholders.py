"""An empty multi-select box shows a placeholder; Streamlit's own is English ("Choose options", seen in the 中文
UI's assignment form), so every multi-select (and every select box that may start empty) passes its own,
translated."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _calls(tree: ast.AST) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]


def test_every_box_that_can_be_empty_has_its_own_placeholder() -> None:
    missing = []
    for path in sorted((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"]:
        for call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            keywords = {k.arg: k.value for k in call.keywords}
            starts_empty = call.func.attr == "multiselect" or (
                call.func.attr == "selectbox" and isinstance(keywords.get("index"), ast.Constant)
                and keywords["index"].value is None)
            if starts_empty and "placeholder" not in keywords:
                missing.append(f"{path.name}:{call.lineno} {call.func.attr}")
    assert not missing, missing
