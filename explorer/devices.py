"""Choosing where torch computes: one rule for every trainer.

``device`` is ``"auto"``, ``"cpu"`` or ``"cuda"`` (a config field of each training kind).
``"auto"`` becomes ``"cuda"`` when torch sees a GPU, else ``"cpu"``; ``"cuda"`` without a GPU is a
clear :class:`~explorer.errors.ExplorerError`. torch is imported only when this is called.

    >>> resolve_device("cpu")
    'cpu'
"""

from __future__ import annotations

from explorer.errors import ExplorerError

DEVICES = ("auto", "cpu", "cuda")


def resolve_device(device: str) -> str:
    """``"cpu"`` or ``"cuda"`` for the requested ``device``."""
    if device not in DEVICES:
        raise ExplorerError(f"device: expected one of {', '.join(DEVICES)}, got {device!r}", code="param_choice",
                            name="device", value=str(device), choices=", ".join(DEVICES))
    if device == "cpu":
        return "cpu"
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if not torch.cuda.is_available():
        raise ExplorerError("device: cuda was requested but torch sees no CUDA GPU", code="no_cuda")
    return "cuda"
