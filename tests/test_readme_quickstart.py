"""The README runs verbatim: its install command, then its "Quick start on the command line"
block, command by command, in a fresh ``git clone`` of this repository (committed files only).

The install runs in a virtual environment that sees the globally installed packages
(``--system-site-packages``), so that nothing is downloaded twice and the machine's own Python is
left untouched.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Quick start on the command line"


def bash_blocks(markdown: str) -> list[str]:
    """The bodies of the ```bash blocks of ``markdown``, in order."""
    return re.findall(r"```bash\n(.*?)```", markdown, flags=re.S)


def commands(block: str) -> list[str]:
    """One shell command per non-empty line, trailing ``# comments`` removed."""
    out = []
    for line in block.splitlines():
        words = shlex.split(line, comments=True)
        if words:
            out.append(shlex.join(words))
    return out


def quick_start(readme: str) -> list[str]:
    """The commands of the first bash block after the quick-start heading."""
    assert SECTION in readme, f"README has no {SECTION!r} section"
    return commands(bash_blocks(readme.split(SECTION, 1)[1])[0])


def install_commands(readme: str) -> list[str]:
    """The README's ``pip install ...`` commands (the first bash block), without ``streamlit run``/``pytest``."""
    first = bash_blocks(readme)[0]
    parts = [p.strip() for line in first.splitlines() for p in line.split("&&")]
    return [p for p in (shlex.join(shlex.split(q, comments=True)) for q in parts if q) if p.startswith("pip install")]


def test_the_quick_start_block_is_found_and_split_into_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    steps = quick_start(readme)
    assert steps[0].startswith("python -m explorer sample") and len(steps) >= 5
    assert all(not s.startswith("#") for s in steps)
    assert any(c.startswith("pip install -r requirements.txt") for c in install_commands(readme))


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_readme_quick_start_runs_verbatim_in_a_fresh_clone(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    readme = (clone / "README.md").read_text(encoding="utf-8")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(venv),
               EXPLORER_NO_PROGRESS="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    failures = []
    for step in [*install_commands(readme), *quick_start(readme)]:
        done = subprocess.run(["bash", "-c", step], cwd=clone, env=env, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            failures.append(f"{step}\n  exit {done.returncode}: {done.stderr.strip()[-500:]}")
    assert not failures, "README commands failed:\n" + "\n".join(failures)
