"""Outputs of the commands: folders a failed command created are removed again (nothing left behind)."""

from __future__ import annotations

from pathlib import Path


def missing_folders(path: Path) -> list[Path]:
    """``path`` and its ancestors that do not exist yet, deepest first (what creating ``path`` adds)."""
    path = Path(path)
    return [p for p in [path, *path.parents] if not p.exists()]


def remove_folders(created: list[Path]) -> None:
    """Remove the (empty) folders in ``created``, deepest first; stop at the first that is not empty."""
    for path in created:
        try:
            path.rmdir()
        except OSError:
            break
