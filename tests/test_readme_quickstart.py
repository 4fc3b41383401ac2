"""The documents run verbatim: every command in a ```bash block of README.md and of docs/*.md, in a fresh
``git clone`` of this repository (committed files only).

* The install commands (every ``pip install …`` the documents show, the README's first) run once, in a
  virtual environment that sees the globally installed packages (``--system-site-packages``), so that
  nothing is downloaded twice and the machine's own Python is left untouched.
* Then each document gets a clone and an ``EXPLORER_HOME`` of its own, and its bash blocks run in order,
  one line at a time (``bash -c LINE`` from the clone's root; a line ending in ``\\`` continues). Every
  line must exit 0.
* numba's on-disk cache of compiled kernels (``__pycache__/*.nbi``, ``*.nbc`` beside the sources, keyed by the
  source's content) is carried into each clone from this checkout and from the clones before it: a fresh clone
  would compile every kernel again (about 20 CPU seconds for Skip-gram's alone), once per document. The worker
  that docs/deployment.md starts skips its start-up warm-up (``EXPLORER_WORKER_PRELOAD=0``), which would compile
  the projection kernels in both its processes while the document's job runs; neither changes what a command
  prints or writes.
* Left out, as parts of a line split at ``&&``: ``streamlit run`` (serves until stopped; the e2e tests
  drive it in Chromium) and ``python -m pytest`` (the test suite itself). Examples that need files or
  services we cannot ship (MovieLens downloads, Redis, placeholders such as ``JOB``) belong in ```text
  blocks, which are not run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Quick start on the command line"
NOT_RUN = ("streamlit run", "python -m pytest")  # a server that runs until stopped; the suite itself
PACKAGES = ("explorer", "models")  # where numba kernels live (their cache sits in __pycache__ beside them)


def documents(root: Path = ROOT) -> list[Path]:
    """README.md, then docs/*.md."""
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def bash_blocks(markdown: str) -> list[str]:
    """The bodies of the ```bash blocks of ``markdown``, in order (also when indented in a list)."""
    return [textwrap.dedent(b) for b in re.findall(r"^[ \t]*```bash\n(.*?)^[ \t]*```", markdown, flags=re.S | re.M)]


def commands(block: str) -> list[str]:
    """One shell command per line, verbatim (``\\`` continues a line); blank and ``#`` lines skipped.

    >>> commands("a \\\\\\n  b  # note\\n\\n# only a comment\\nc | d")
    ['a b  # note', 'c | d']
    """
    out: list[str] = []
    pending = ""
    for line in block.splitlines():
        line = pending + line.strip() if pending else line.strip()
        if line.endswith("\\"):
            pending = line[:-1].rstrip() + " "
            continue
        pending = ""
        if line and not line.startswith("#"):
            out.append(line)
    return out


def runnable(command: str) -> str:
    """``command`` without its ``&&`` parts that are not run (:data:`NOT_RUN`); ``""`` when none is left.

    >>> runnable("pip install -r requirements.txt && streamlit run app.py")
    'pip install -r requirements.txt'
    >>> runnable('python -m pytest -m "not slow"        # the fast inner loop')
    ''
    """
    parts = [p.strip() for p in command.split("&&")]
    return " && ".join(p for p in parts if p and not p.startswith(NOT_RUN))


def steps(markdown: str) -> list[str]:
    """Every command of the document's bash blocks that runs, in order."""
    return [r for block in bash_blocks(markdown) for c in commands(block) if (r := runnable(c))]


def is_install(step: str) -> bool:
    return step.startswith("pip install")


def quick_start(readme: str) -> list[str]:
    """The commands of the first bash block after the README's quick-start heading."""
    assert SECTION in readme, f"README has no {SECTION!r} section"
    return commands(bash_blocks(readme.split(SECTION, 1)[1])[0])


def install_commands(root: Path = ROOT) -> list[str]:
    """Every distinct ``pip install`` command of the documents, the README's first."""
    found: list[str] = []
    for doc in documents(root):
        found += [s for s in steps(doc.read_text(encoding="utf-8")) if is_install(s) and s not in found]
    return found


def run_documents() -> list[str]:
    """The documents (relative to the root) that have commands to run besides installing."""
    return [doc.relative_to(ROOT).as_posix() for doc in documents()
            if any(not is_install(s) for s in steps(doc.read_text(encoding="utf-8")))]


def test_the_documents_commands_are_found_and_split() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = quick_start(readme)
    assert quick[0].startswith("python -m explorer sample") and len(quick) >= 5
    assert all(not s.startswith("#") for s in quick)
    assert set(quick) <= set(steps(readme))  # the quick start runs, with the rest of the README
    installs = install_commands()
    assert installs[0] == "pip install -r requirements.txt" and "pip install -r requirements-dev.txt" in installs
    assert not any(s.startswith(NOT_RUN) or " && " in s and "streamlit" in s for s in steps(readme))
    docs = run_documents()
    assert docs[0] == "README.md" and "docs/cli.md" in docs and len(docs) >= 5


def test_text_blocks_and_other_languages_are_not_run() -> None:
    doc = "```text\npython -m explorer status JOB\n```\n```python\nprint(1)\n```\n  ```bash\n  ls \\\n    -a\n  ```\n"
    assert steps(doc) == ["ls -a"]


def test_no_document_writes_the_same_output_twice() -> None:
    """``--out`` never overwrites, so a document that writes one path twice fails when run top to bottom
    (a line that shows the refusal on purpose ends in ``|| …``)."""
    for doc in documents():
        outs = [m for s in steps(doc.read_text(encoding="utf-8")) if "||" not in s
                for m in re.findall(r"--out[ =](\S+)", s)]
        assert len(outs) == len(set(outs)), f"{doc.name}: {sorted(o for o in set(outs) if outs.count(o) > 1)}"


def test_the_helpers_examples() -> None:
    import doctest

    assert doctest.testmod(sys.modules[__name__]).failed == 0


def test_an_install_in_a_doc_is_run_once_not_per_document() -> None:
    assert all(not is_install(s) for s in ["python -m explorer sample --out s", "pipx run x"])
    assert is_install("pip install -r requirements-dev.txt")


def carry_compiled_kernels(src: Path, dst: Path) -> int:
    """Copy numba's cache files (``__pycache__/*.nbi``, ``*.nbc``) of the packages from the tree ``src`` into the
    tree ``dst`` (same relative paths); return how many. numba keys an entry by the source file's content, so an
    entry for a file that differs between the trees is ignored (and recompiled), never used."""
    copied = 0
    for package in PACKAGES:
        for cached in sorted((src / package).glob("**/__pycache__/*.nb[ic]")):
            target = dst / cached.relative_to(src)
            if not target.parent.parent.is_dir():
                continue
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(cached, target)
            copied += 1
    return copied


def test_compiled_kernels_are_carried_between_trees(tmp_path: Path) -> None:
    src, dst = tmp_path / "src", tmp_path / "dst"
    for tree in (src, dst):
        (tree / "explorer" / "text").mkdir(parents=True)
    cache = src / "explorer" / "text" / "__pycache__"
    cache.mkdir()
    (cache / "fastencode._lookup-85.py311.nbi").write_bytes(b"index")
    (cache / "fastencode._lookup-85.py311.1.nbc").write_bytes(b"code")
    (cache / "fastencode.cpython-311.pyc").write_bytes(b"bytecode")  # not numba's: left alone
    (src / "explorer" / "gone" / "__pycache__").mkdir(parents=True)  # a folder the other tree lacks
    (src / "explorer" / "gone" / "__pycache__" / "x.f-1.py311.nbi").write_bytes(b"index")
    assert carry_compiled_kernels(src, dst) == 2
    assert sorted(p.name for p in (dst / "explorer" / "text" / "__pycache__").iterdir()) == [
        "fastencode._lookup-85.py311.1.nbc", "fastencode._lookup-85.py311.nbi"]
    assert not (dst / "explorer" / "gone").exists()


@pytest.fixture(scope="module")
def kernels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """numba's cache files, carried from this checkout and then from one document's clone to the next."""
    store = tmp_path_factory.mktemp("numba-kernels")
    for package in PACKAGES:
        for folder in [ROOT / package, *(ROOT / package).rglob("*")]:
            if folder.is_dir() and "__pycache__" not in folder.parts:
                (store / folder.relative_to(ROOT)).mkdir(parents=True, exist_ok=True)
    carry_compiled_kernels(ROOT, store)
    return store


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A virtual environment where the documents' install commands ran, in a fresh clone; its environment."""
    base = tmp_path_factory.mktemp("docs-venv")
    clone = base / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "EXPLORER_HOME")}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(venv),
               EXPLORER_NO_PROGRESS="1", PIP_DISABLE_PIP_VERSION_CHECK="1", EXPLORER_HOME=str(base / "home"),
               EXPLORER_WORKER_PRELOAD="0")
    for step in install_commands(clone):
        done = subprocess.run(["bash", "-c", step], cwd=clone, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{step}\n  exit {done.returncode}: {done.stderr.strip()[-1000:]}"
    return env


@pytest.mark.slow
@pytest.mark.timeout(1200)
@pytest.mark.parametrize("document", run_documents())
def test_the_documents_commands_run_verbatim_in_a_fresh_clone(document: str, installed: dict[str, str],
                                                              kernels: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    carry_compiled_kernels(kernels, clone)
    env = dict(installed, EXPLORER_HOME=str(tmp_path / "home"))
    failures = []
    for step in steps((clone / document).read_text(encoding="utf-8")):
        if is_install(step):  # ran once, in the fixture
            continue
        done = subprocess.run(["bash", "-c", step], cwd=clone, env=env, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            failures.append(f"{step}\n  exit {done.returncode}: {done.stderr.strip()[-500:]}")
    carry_compiled_kernels(clone, kernels)  # what this document compiled, for the next one
    assert not failures, f"{document}: commands failed:\n" + "\n".join(failures)
