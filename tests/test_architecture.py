"""Tests that guard the architecture (ARCHITECTURE.md):

* nothing under ``explorer/`` or ``models/`` imports streamlit (checked in a fresh interpreter);
* the import graph of ``explorer``/``models`` has no cycles, counting imports inside functions and the
  package face a ``from package import name`` reads;
* the docstring examples of every ``explorer`` module run;
* every UI string a page builds from a registry exists (config fields of every registered kind,
  stages, projection and clustering methods, metrics, export formats, ...);
* only :mod:`explorer.runs` names a cache file or lists a run's cache.
* only :mod:`explorer.settings` reads an ``EXPLORER_*`` environment variable, and its docstring lists
  every one the program names;
* no private name (one leading underscore) is imported from, or read on, a module of another package.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import json
import re
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path
from typing import Optional

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("explorer", "models")


def module_files() -> dict[str, Path]:
    """Dotted module name -> file, for every module under explorer/ and models/."""
    out = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = path
    return out


MODULES = module_files()


def test_no_module_imports_streamlit() -> None:
    script = f"""
import importlib, json, sys
found = []
for name in {sorted(MODULES)!r}:
    importlib.import_module(name)
    if "streamlit" in sys.modules:
        found.append(name)
        break
print(json.dumps(found))
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=240)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == [], "this module loads streamlit"


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    """Every import that can run: at module level and inside functions, classes, ``if``/``try``/``with``
    blocks and loops (an import deferred into a function still closes a circle when it runs); only
    ``if TYPE_CHECKING:`` blocks are left out (they never run)."""
    out: list[ast.Import | ast.ImportFrom] = []
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out.append(node)
            continue
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            out += _imports(node.orelse)
            continue
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                out += _imports([child])
            elif isinstance(child, (ast.excepthandler, ast.match_case)):
                out += _imports(child.body)
    return out


def _edges(name: str, is_package: bool, source: str, modules: Iterable[str]) -> set[str]:
    """The explorer/models modules that module ``name`` imports (see :func:`import_graph`)."""
    modules = set(modules)
    package = name if is_package else name.rpartition(".")[0]
    edges: set[str] = set()
    for node in _imports(ast.parse(source).body):
        if isinstance(node, ast.Import):
            edges |= {_nearest_module(alias.name, modules) for alias in node.names
                      if alias.name.split(".")[0] in PACKAGES}
            continue
        if node.level:
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            base = f"{base}.{node.module}" if node.module else base
        else:
            base = node.module or ""
        if base.split(".")[0] not in PACKAGES:
            continue
        edges.add(_nearest_module(base, modules))  # the names are read from ``base``: its body must have run
        edges |= {f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules}
    edges.discard(name)
    return {e for e in edges if e}


def import_graph() -> dict[str, set[str]]:
    """Module -> the explorer/models modules it imports, counting imports inside functions.

    ``from package import name`` points at the package (its face: ``__init__.py``, whose names are read)
    and also at ``package.name`` when that is a module; ``import a.b.c`` and ``from a.b.c import x``
    point at ``a.b.c``. So a member that takes a sibling through its own package's face
    (``from explorer.runs import layout`` inside ``explorer.runs.directory``) closes a circle with the
    face that re-exports it: members import siblings by their module path (``import explorer.runs.layout``).
    """
    return {name: _edges(name, path.name == "__init__.py", path.read_text(encoding="utf-8"), MODULES)
            for name, path in MODULES.items()}


def _nearest_module(dotted: str, modules: Iterable[str] = MODULES) -> str:
    while dotted and dotted not in modules:
        dotted = dotted.rpartition(".")[0]
    return dotted


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle (as a path that returns to its start), or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


def test_find_cycle_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_imports_inside_functions_and_through_a_face_count() -> None:
    modules = {"explorer", "explorer.a", "explorer.a.b", "explorer.a.c", "explorer.d"}
    source = """
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from explorer.d import Never
def f():
    from explorer.a import b
class K:
    def g(self):
        try:
            import explorer.a.c as c
        except ImportError:
            from explorer import d
"""
    assert _edges("explorer.x", False, source, modules) == {"explorer.a", "explorer.a.b", "explorer.a.c", "explorer",
                                                            "explorer.d"}
    assert _edges("explorer.a.b", False, "import explorer.a.c as c\n", modules) == {"explorer.a.c"}


def test_no_import_cycles() -> None:
    graph = import_graph()
    assert graph["explorer.runs.logged"] >= {"explorer.recsys.ranking", "explorer.runs.directory"}  # the graph is real
    assert "explorer.jobs.classes" in graph["explorer.jobs.submission"]  # imported inside a function
    cycle = find_cycle(graph)
    assert not cycle, " -> ".join(cycle)


@pytest.mark.parametrize("name", [m for m in sorted(MODULES) if m.startswith("explorer")])
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


# --------------------------------------------------------------------------- UI strings built from registries


def _need(keys: dict[str, str]) -> list[str]:
    from explorer.i18n import table

    return [f"{key} ({why})" for key, why in keys.items()
            if key.partition(".")[2] not in table(key.partition(".")[0])]


def test_every_dynamically_built_ui_string_exists() -> None:
    from explorer.analysis import clusters, neighbors, projection
    from explorer.analysis.colouring import colour_options  # noqa: F401  (the colourings named below)
    from explorer.jobs.table import STATES
    from explorer.kinds import COLUMN_ROLES, training_kinds
    from explorer.progress import STAGES
    from explorer.runs import layout, manage
    from explorer.runs.formats import FORMATS

    keys: dict[str, str] = {}
    for kind in training_kinds().values():
        for f in fields(kind.config_cls):
            keys[f"train.f_{f.name}"] = f"{kind.name} config field"
            keys[f"train.help_{f.name}"] = f"{kind.name} config field"
        keys[f"train.{kind.rate_unit}_per_s"] = f"{kind.name} rate unit"
    for kind in layout.run_kinds():
        keys[f"common.kind_{kind}"] = "run kind"
    for stage in STAGES:
        keys[f"train.stage_{stage}"] = "job stage"
    for state in STATES:
        keys[f"common.state_{state}"] = "job state"
    for method in projection.PROJECTION_METHODS:
        keys[f"explore.m_{method}"] = "projection method"
    for method in clusters.CLUSTER_METHODS:
        keys[f"clusters.m_{method}"] = "clustering method"
    for metric in neighbors.METRICS:
        keys[f"explore.metric_{metric}"] = "neighbour metric"
        keys[f"explore.score_{metric}"] = "neighbour metric"
    for colour in ("type", "label", "frequency", "popularity", "cluster", "none", "saved"):
        keys[f"explore.colour_{colour}"] = "colouring"
    for fmt in manage.EXPORTS:
        keys[f"runs.fmt_{fmt}"] = "export format"
    for fmt in ("auto", *FORMATS):
        keys[f"runs.imp_{fmt}"] = "import format"
    for role in COLUMN_ROLES:
        keys[f"data.role_{role}"] = "column role"
    assert _need(keys) == []


def test_the_registries_named_above_are_the_ones_pages_use() -> None:
    """Pages build these keys from the registries (no copies of the method lists in pages)."""
    explore = (ROOT / "pages" / "_explore_ui.py").read_text(encoding="utf-8")
    assert 'tr(f"explore.m_{' in explore and 'tr(f"explore.colour_{' in explore
    widgets = (ROOT / "pages" / "_widgets.py").read_text(encoding="utf-8")
    assert "from explorer.progress import STAGES" in widgets


# --------------------------------------------------------------------------- the run directory has one owner

CACHE_NAMES = re.compile(r"""["']cache["']|normalized\.npy|\.glob\(""")


def test_only_explorer_runs_names_or_lists_a_run_cache() -> None:
    offenders = []
    for path in [*sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "explorer" / "analysis").rglob("*.py"))]:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#")[0]
            if CACHE_NAMES.search(code):
                offenders.append(f"{path.relative_to(ROOT)}:{lineno}: {line.strip()}")
    assert offenders == []


# --------------------------------------------------------------------------- private names stay in their package


def _package_of(module: str) -> str:
    return module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]


def private_crossings() -> set[str]:
    """``importer -> module._name`` for every private name (one leading underscore) that a module takes from a
    module of another package: ``from m import _name`` or ``m._name`` after ``import m`` / ``from p import m``,
    at any depth (inside functions too)."""
    found: set[str] = set()
    for name, path in MODULES.items():
        package = _package_of(name)
        aliases: dict[str, str] = {}  # local name -> explorer/models module
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in MODULES and alias.asname:
                        aliases[alias.asname] = alias.name
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    base = f"{base}.{node.module}" if node.module else base
                if base not in MODULES:
                    continue
                for alias in node.names:
                    if f"{base}.{alias.name}" in MODULES:
                        aliases[alias.asname or alias.name] = f"{base}.{alias.name}"
                    elif alias.name.startswith("_") and not alias.name.startswith("__") \
                            and _package_of(base) != package:
                        found.add(f"{name} -> {base}.{alias.name}")
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                    and node.attr.startswith("_") and not node.attr.startswith("__")
                    and _package_of(aliases[node.value.id]) != package):
                found.add(f"{name} -> {aliases[node.value.id]}.{node.attr}")
    return found


def test_no_private_name_crosses_a_package() -> None:
    assert private_crossings() == set(), "make the name public, or keep its use inside its package"


# --------------------------------------------------------------------------- one module reads the settings

SETTINGS = ROOT / "explorer" / "settings.py"
_ENV_NAME = re.compile(r"\bEXPLORER_[A-Z_]+\b")


def _program_files() -> list[Path]:
    return [*MODULES.values(), *sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"]


def _is_os_environ(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ" and isinstance(node.value, ast.Name)
            and node.value.id == "os") or (isinstance(node, ast.Name) and node.id == "environ")


def _may_be_ours(key: Optional[ast.expr]) -> bool:
    """A key that is, or may be, an ``EXPLORER_*`` name (anything but a literal naming another variable)."""
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        return key.value.startswith("EXPLORER_")
    return True


def environment_reads(source: str) -> list[int]:
    """Lines that read an ``EXPLORER_*`` variable (or a variable whose name is not a literal) from
    ``os.environ``: ``.get``, ``os.getenv``, ``os.environ[...]``, ``... in os.environ``. Writes
    (``os.environ[k] = v``, ``setdefault``, a copy handed to a child process) are not reads."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            func = node.func
            reads = (func.attr == "get" and _is_os_environ(func.value)) or (
                func.attr == "getenv" and isinstance(func.value, ast.Name) and func.value.id == "os")
            if reads and _may_be_ours(node.args[0] if node.args else None):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getenv":
            if _may_be_ours(node.args[0] if node.args else None):
                lines.append(node.lineno)
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and _is_os_environ(node.value):
            if _may_be_ours(node.slice):
                lines.append(node.lineno)
        elif isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops):
            if any(_is_os_environ(c) for c in node.comparators) and _may_be_ours(node.left):
                lines.append(node.lineno)
    return sorted(lines)


def test_environment_reads_are_found() -> None:
    source = """
import os
from os import environ, getenv
a = os.environ.get("EXPLORER_HOME")
b = os.getenv("EXPLORER_X", "1")
c = os.environ["EXPLORER_Y"]
d = "EXPLORER_Z" in os.environ
e = environ.get(name)
f = getenv("EXPLORER_W")
os.environ["EXPLORER_JOB_THREADS"] = "2"
os.environ.setdefault("EXPLORER_HOME", "/x")
g = os.environ.get("OMP_NUM_THREADS")
env = dict(os.environ)
"""
    assert environment_reads(source) == [4, 5, 6, 7, 8, 9]


def test_only_settings_reads_explorer_variables() -> None:
    offenders = [f"{path.relative_to(ROOT)}:{line}" for path in _program_files() if path != SETTINGS
                 for line in environment_reads(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_settings_documents_every_variable_the_program_names() -> None:
    """Every ``EXPLORER_*`` name in the program is one that settings reads, and its docstring lists each."""
    import explorer.settings

    documented = set(re.findall(r"^- ``(EXPLORER_[A-Z_]+)``", explorer.settings.__doc__ or "", re.M))
    code = SETTINGS.read_text(encoding="utf-8").split('"""', 2)[2]  # after the docstring
    read = set(_ENV_NAME.findall(code))
    assert len(read) >= 22 and read == documented
    named = {name for path in _program_files() for name in _ENV_NAME.findall(path.read_text(encoding="utf-8"))}
    assert named - read == set()


# --------------------------------------------------------------------------- kinds are asked, never named


def _kind_names() -> set[str]:
    from explorer.kinds import job_kinds, run_kinds

    return set(run_kinds()) | set(job_kinds())


def _config_fields() -> set[str]:
    from explorer.kinds import training_kinds

    return {f.name for kind in training_kinds().values() for f in fields(kind.config_cls)}


def _outside_kinds() -> list[Path]:
    skip = (ROOT / "explorer" / "kinds", ROOT / "explorer" / "i18n")
    files = [*sorted((ROOT / "explorer").rglob("*.py")), *sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"]
    return [p for p in files if not any(p.is_relative_to(s) for s in skip)]


def _strings(node: ast.AST) -> list[str]:
    """String constants of a comparison operand (a literal, or a tuple/list/set of them)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [s for e in node.elts for s in _strings(e)]
    return []


def _names_config(node: ast.AST) -> bool:
    """Whether an expression is (part of) a config: a spec's, a form's or a run's recorded hyperparameters."""
    code = ast.unparse(node).lower()
    return "config" in code or "hyper" in code


def kind_name_uses(source: str, names: set[str], config_fields: set[str]) -> list[tuple[int, str]]:
    """(line, code) of each comparison with a kind's name and each config field read by its name
    (``config["dim"]``, ``config.get("epochs")``) in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            if any(s in names for operand in (node.left, *node.comparators) for s in _strings(operand)):
                found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Subscript) and _names_config(node.value):
            if any(s in config_fields for s in _strings(node.slice)):
                found.append((node.lineno, ast.unparse(node)))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
              and node.args and _names_config(node.func.value)):
            if any(s in config_fields for s in _strings(node.args[0])):
                found.append((node.lineno, ast.unparse(node)))
    return found


def test_kind_name_uses_finds_comparisons_and_config_reads() -> None:
    source = ('if run.kind == "graph": pass\nif kind in ("skipgram", "x"): pass\nepochs = spec["config"]["epochs"]\n'
              'dim = config.get("dim")\nok = run.capabilities.users and stats["dim"]\nmc = run.hyper.get("epochs", 5)\n')
    assert [line for line, _ in kind_name_uses(source, {"graph", "skipgram"}, {"epochs", "dim"})] == [1, 2, 3, 4, 6]


def test_nothing_outside_the_kinds_names_a_kind_or_reads_a_config_field_by_name() -> None:
    """Lanes, limits, gallery, pages, metrics, resources and run validation ask the kind (explorer/kinds/)."""
    names, config_fields = _kind_names(), _config_fields()
    assert {"skipgram", "useritem", "graph", "imported", "projection"} <= names and "epochs" in config_fields
    offenders = [f"{path.relative_to(ROOT)}:{line}: {code}" for path in _outside_kinds()
                 for line, code in kind_name_uses(path.read_text(encoding="utf-8"), names, config_fields)]
    assert offenders == []
