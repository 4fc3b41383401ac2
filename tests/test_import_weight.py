"""A training command loads only what it uses: ``python -m explorer train skipgram`` on the compiled (numba) path
never imports torch, pandas or streamlit (torch alone costs 1.5-4 s of a command that trains the sample in 1 s),
nor scipy.linalg (numba's start-up check for BLAS, answered by :mod:`explorer.jit`), nor numba itself (the job's
machine code is loaded without it: :mod:`explorer.training.sgns.native`).

Each check runs the real command in a fresh interpreter (``runpy``, as ``python -m explorer`` does) and reads its
``sys.modules`` at exit. ``devices.DRIVER_FILES`` is emptied there so that ``--device auto`` sees no GPU driver on
any machine (where a driver is installed, asking torch is right).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "pandas", "streamlit")

RUN = """
import json, runpy, sys
import explorer.devices
explorer.devices.DRIVER_FILES = ()  # no GPU driver, on every machine
heavy = json.loads(sys.argv[2])
sys.argv = ["explorer", *json.loads(sys.argv[1])]
try:
    runpy.run_module("explorer", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    assert not exc.code, exc.code
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in heavy)))
"""


def _modules_after(args: list[str], heavy: tuple[str, ...] = HEAVY) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", RUN, json.dumps(args), json.dumps(heavy)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    words = "king queen man woman prince princess cat dog mouse horse apple pear plum fig".split()
    lines = [" ".join(words[(i * 7 + j * 3) % len(words)] for j in range(12)) for i in range(200)]
    path = tmp_path / "c.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("arch", ["skipgram", pytest.param("cbow", marks=pytest.mark.slow)])
def test_a_compiled_training_command_imports_no_torch_pandas_or_streamlit(arch: str, corpus: Path,
                                                                         tmp_path: Path) -> None:
    loaded = _modules_after(["train", "skipgram", "--corpus", str(corpus), "--lang", "en", "--epochs", "1",
                             "--min-count", "1", "--dim", "8", "--arch", arch, "--out", str(tmp_path / "run")],
                            heavy=(*HEAVY, "scipy", "tqdm", "numba"))
    assert (tmp_path / "run" / "vectors.npy").exists()
    heavy = [m for m in loaded if m.split(".")[0] in HEAVY]
    assert heavy == [], f"the training command imported {heavy}"
    assert "tqdm" not in loaded  # stderr is not a terminal here: no progress bar, so no tqdm (16 ms)
    # numba's start-up check for BLAS would import all of scipy.linalg (0.2-0.4 s); explorer.jit answers it
    assert "scipy.linalg" not in loaded
    # the job runs from its machine code (built by the first command that needs it): numba is not even imported
    from explorer.training.sgns import native

    if native.enabled() and native.cache_dir() is not None:  # (elsewhere numba's job trains, as it should)
        assert "numba" not in loaded


@pytest.mark.slow  # imports torch: seconds
def test_the_check_sees_torch_when_a_command_loads_it(corpus: Path, tmp_path: Path) -> None:
    """The same check catches torch when the torch trainer is asked for (the softmax loss trains with torch)."""
    loaded = _modules_after(["train", "skipgram", "--corpus", str(corpus), "--lang", "en", "--epochs", "1",
                             "--min-count", "1", "--dim", "8", "--loss", "softmax", "--out", str(tmp_path / "run")])
    assert "torch" in loaded


@pytest.mark.slow  # a fresh interpreter that starts numba and imports scipy.linalg: seconds
def test_quick_start_gives_numba_the_blas_answer_its_own_check_gives() -> None:
    """explorer.jit.quick_start: arraymath sees BLAS exactly when numba's own check (importing scipy.linalg) would,
    without that import, and numba's check is back in place afterwards."""
    code = ("import json, sys, explorer.jit as j; j.quick_start(); import numba.np.arraymath as a, numba.np.linalg as l;"
            "quick = [a._HAVE_BLAS, 'scipy.linalg' in sys.modules, a.ensure_blas is l.ensure_blas];"
            "own = a._check_blas(); print(json.dumps(quick + [own]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    have_blas, linalg_loaded, check_restored, own_answer = json.loads(out.stdout.strip().splitlines()[-1])
    assert have_blas == own_answer and not linalg_loaded and check_restored
