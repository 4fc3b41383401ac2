"""Static checks of the test suite itself (AST only, nothing imported).

* every test asserts something that could fail: an ``assert``, ``pytest.raises``/``warns``/``fail``, an
  ``assert_*`` call (numpy, pandas), or a call of a helper of its module or of :mod:`tests.support` that
  does one of these (transitively);
* test modules never import each other and never edit ``sys.path``: shared code lives in tests/support/;
* run directories are written by the builders of tests/support/runs.py (one per run kind), not by hand;
* what is slow is said by an explicit ``slow`` marker only: no collection hook adds it, and the modules
  whose every test takes seconds (page tests under AppTest, the hostile-input suite, the browser tests)
  carry ``pytestmark = … pytest.mark.slow …``.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SUPPORT = TESTS / "support"

#: tests that legitimately assert nothing themselves (none today): "path::name" -> why
NO_ASSERT_ALLOWED: dict[str, str] = {}

#: folders whose every module is slow, with the marker each module names besides ``slow``
SLOW_FOLDERS = {"e2e": ("e2e",), "hostile": ()}
PYTEST_CHECKS = {"raises", "warns", "fail", "deprecated_call"}


def _modules(folder: Path | None = None) -> Iterator[Path]:
    for path in sorted((folder or TESTS).rglob("*.py")):
        if "artifacts" not in path.relative_to(TESTS).parts:
            yield path


def _test_modules() -> Iterator[Path]:
    return (p for p in _modules() if p.name.startswith("test_"))


def _rel(path: Path) -> str:
    return path.relative_to(TESTS.parent).as_posix()


@functools.cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _called_name(call: ast.Call) -> str:
    """``f`` for ``f(...)``, ``attr`` for ``x.y.attr(...)``."""
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _checks_directly(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Assert):
            return True
        if isinstance(sub, ast.Call):
            name = _called_name(sub)
            func = sub.func
            if name.startswith("assert_") or name.startswith("assert"):
                return True
            if (name in PYTEST_CHECKS and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                    and func.value.id == "pytest"):
                return True
    return False


def _calls(node: ast.AST) -> set[str]:
    return {_called_name(sub) for sub in ast.walk(node) if isinstance(sub, ast.Call)} - {""}


def _functions(tree: ast.Module) -> dict[str, ast.AST]:
    """Every function of the module by name (nested ones and methods too: helpers may be either)."""
    return {n.name: n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _checking(functions: dict[str, ast.AST], known: set[str]) -> set[str]:
    """Names of ``functions`` that check something, directly or through ``known`` or each other."""
    checking = set(known) | {name for name, fn in functions.items() if _checks_directly(fn)}
    calls = {name: _calls(fn) for name, fn in functions.items() if name not in checking}
    grown = True
    while grown:
        grown = False
        for name, called in calls.items():
            if name not in checking and called & checking:
                checking.add(name)
                grown = True
    return checking


def _support_checking() -> set[str]:
    """Helpers of tests/support/ and of the conftest files that check something (by bare name)."""
    functions: dict[str, ast.AST] = {}
    for path in [*_modules(SUPPORT), *TESTS.rglob("conftest.py"), *(TESTS / "hostile").glob("*.py")]:
        if not path.name.startswith("test_"):
            functions.update(_functions(_tree(path)))
    return _checking(functions, set())


def test_every_test_checks_something() -> None:
    shared = _support_checking()
    silent = []
    for path in _test_modules():
        tree = _tree(path)
        checking = _checking(_functions(tree), shared)
        for node in tree.body:
            tests = [node] if isinstance(node, ast.FunctionDef) else [
                n for n in node.body if isinstance(n, ast.FunctionDef)] if isinstance(node, ast.ClassDef) else []
            for fn in tests:
                if fn.name.startswith("test_") and not (_checks_directly(fn) or _calls(fn) & checking):
                    silent.append(f"{_rel(path)}::{fn.name}")
    assert sorted(set(silent) - set(NO_ASSERT_ALLOWED)) == [], "tests that check nothing"
    assert sorted(set(NO_ASSERT_ALLOWED) - set(silent)) == [], "stale entries of NO_ASSERT_ALLOWED"


def test_the_check_sees_a_test_that_checks_nothing() -> None:
    tree = ast.parse("def helper(x):\n    assert x\n\ndef quiet(x):\n    print(x)\n\n"
                     "def test_a():\n    helper(1)\n\ndef test_b():\n    quiet(1)\n\n"
                     "def test_c():\n    with pytest.raises(ValueError):\n        int('x')\n\n"
                     "def test_d():\n    np.testing.assert_allclose(1, 1)\n")
    checking = _checking(_functions(tree), set())
    verdict = {fn.name: _checks_directly(fn) or bool(_calls(fn) & checking)
               for fn in tree.body if fn.name.startswith("test_")}
    assert verdict == {"test_a": True, "test_b": False, "test_c": True, "test_d": True}


def _imported_modules(tree: ast.Module) -> Iterator[str]:
    """Every module an import names (``from tests import x`` names ``tests.x``; ``from m import f``, ``m``)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            if node.module == "tests" or node.module.startswith("tests."):
                yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _wrong_import(name: str, local_names: set[str]) -> bool:
    """A test module imported, a conftest imported, or test code imported around the ``tests`` package."""
    parts = name.split(".")
    return any(p.startswith("test_") or p == "conftest" for p in parts) or parts[0] in local_names


def test_test_modules_never_import_each_other_nor_edit_sys_path() -> None:
    # what a folder of tests/ on sys.path would make importable by a bare name (tests/support/ never is)
    local_names = {p.stem for p in _modules() if p.parent != SUPPORT} | {p.name for p in TESTS.iterdir() if p.is_dir()}
    wrong = []
    for path in _modules():
        tree = _tree(path)
        for name in _imported_modules(tree):
            if _wrong_import(name, local_names - {"tests"}):
                wrong.append(f"{_rel(path)} imports {name}")
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and node.attr == "path" and isinstance(node.value, ast.Name)
                    and node.value.id == "sys"):
                wrong.append(f"{_rel(path)}:{node.lineno} uses sys.path")
    assert wrong == []


#: the run-writing calls a test module leaves to tests/support/runs.py (one builder per run kind)
RUN_WRITERS = {"atomic_run_dir", "save_vectors", "save_labels", "write_config"}
#: modules that test those calls themselves
RUN_WRITER_TESTS = {"tests/test_skeleton.py"}


def test_run_directories_are_built_by_the_support_builders() -> None:
    wrong = []
    for path in _modules():
        if path.parent == SUPPORT or _rel(path) in RUN_WRITER_TESTS:
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Call) and _called_name(node) in RUN_WRITERS:
                wrong.append(f"{_rel(path)}:{node.lineno} calls {_called_name(node)} (use tests.support.runs)")
    assert wrong == []


def _marks(node: ast.AST) -> set[str]:
    """Marker names in ``pytest.mark.NAME`` expressions under ``node``."""
    return {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Attribute)
            and n.value.attr == "mark"}


def _module_marks(tree: ast.Module) -> set[str]:
    marks: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets):
            marks |= _marks(node.value)
    return marks


def _uses_apptest(tree: ast.Module) -> bool:
    return any(isinstance(n, ast.ImportFrom) and n.module == "streamlit.testing.v1" for n in ast.walk(tree))


def test_slow_is_said_by_explicit_markers_only() -> None:
    wrong = []
    for path in _modules():
        tree = _tree(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called_name(node) == "add_marker" and "slow" in _marks(node):
                wrong.append(f"{_rel(path)}:{node.lineno} adds the slow marker at collection")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "slow" \
                    and node.args:
                wrong.append(f"{_rel(path)}:{node.lineno} applies pytest.mark.slow as a function")
    for path in _test_modules():
        tree = _tree(path)
        folder = path.parent.name
        needed = {"slow", *SLOW_FOLDERS.get(folder, ())} if folder in SLOW_FOLDERS or _uses_apptest(tree) else set()
        missing = needed - _module_marks(tree)
        if missing:
            wrong.append(f"{_rel(path)}: every test is slow (AppTest, e2e or hostile) but pytestmark lacks {sorted(missing)}")
    assert wrong == []
