"""The shared helpers: atomic writes, device choice, throttled progress."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from explorer import atomic
from explorer.devices import resolve_device
from explorer.errors import ExplorerError
from explorer.progress import Throttle


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    atomic.write_text(path, "old")
    with pytest.raises(RuntimeError), atomic.open_atomic(path, "w") as fh:
        fh.write("half")
        raise RuntimeError("disk full")
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["a.txt"]
    atomic.save_npy(tmp_path / "x.npy", np.arange(3))
    assert np.load(tmp_path / "x.npy").tolist() == [0, 1, 2]


def test_replacing_dir_appears_complete_or_not_at_all(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), atomic.replacing_dir(tmp_path / "run") as tmp:
        (tmp / "f").write_text("x")
        raise RuntimeError("cancelled")
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "run").mkdir()  # an empty directory made by the caller is replaced
    with atomic.replacing_dir(tmp_path / "run") as tmp:
        (tmp / "f").write_text("x")
    assert (tmp_path / "run" / "f").read_text() == "x" and [p.name for p in tmp_path.iterdir()] == ["run"]


def test_device_choice() -> None:
    import torch

    assert resolve_device("cpu") == "cpu"
    assert resolve_device("auto") == ("cuda" if torch.cuda.is_available() else "cpu")
    with pytest.raises(ExplorerError, match="device: expected one of auto, cpu, cuda"):
        resolve_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(ExplorerError, match="cuda was requested"):
            resolve_device("cuda")


def test_throttle() -> None:
    throttle = Throttle(0.0)
    assert throttle.due() and throttle.due()
    slow = Throttle(3600)
    assert slow.due() and not slow.due() and slow.due(force=True) and slow.elapsed >= 0
