"""Choosing where torch computes: one rule for every trainer.

``device`` is ``"auto"``, ``"cpu"`` or ``"cuda"`` (a config field of each training kind).
``"auto"`` becomes ``"cuda"`` when torch sees a GPU, else ``"cpu"``; ``"cuda"`` without a GPU is a
clear :class:`~explorer.errors.ExplorerError`. torch is imported only when this is called, and for
``"auto"`` only where a GPU driver is installed (:func:`gpu_driver_present`): on a machine without one,
asking torch (1.5-4 s of imports) could only answer ``"cpu"``.

    >>> resolve_device("cpu")
    'cpu'
"""

from __future__ import annotations

import os
import sys

from explorer.errors import ExplorerError

DEVICES = ("auto", "cpu", "cuda")


#: files that exist where an NVIDIA driver is loaded (Linux; /dev/dxg: WSL's GPU bridge)
DRIVER_FILES = ("/proc/driver/nvidia/version", "/dev/nvidiactl", "/dev/nvidia0", "/dev/dxg")


def gpu_driver_present() -> bool:
    """False only where CUDA surely cannot work: Linux without an NVIDIA driver (True elsewhere: ask torch)."""
    if not sys.platform.startswith("linux"):
        return True
    return any(os.path.exists(p) for p in DRIVER_FILES)


def resolve_device(device: str) -> str:
    """``"cpu"`` or ``"cuda"`` for the requested ``device``."""
    if device not in DEVICES:
        raise ExplorerError(f"device: expected one of {', '.join(DEVICES)}, got {device!r}", code="param_choice",
                            name="device", value=str(device), choices=", ".join(DEVICES))
    if device == "cpu" or (device == "auto" and not gpu_driver_present()):
        return "cpu"
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if not torch.cuda.is_available():
        raise ExplorerError("device: cuda was requested but torch sees no CUDA GPU", code="no_cuda")
    return "cuda"
