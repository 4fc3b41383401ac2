"""Who may see a run: the one rule that every listing, job submission, cache and download asks.

A workspace may see (open, list, project, compare, download from) a run when it is

* **own**: ``workspaces/<its token>/runs/<run_id>``;
* **sample**: a bundled sample's run (published to the gallery by the samples workspace): everyone;
* **gallery**: a run in the gallery whose audience is the workspace's class (published by the class's
  teacher, by a classmate, or on a student's behalf by the teacher); outside any class, the open gallery
  (runs published by workspaces that are in no class). A class's gallery runs are never shown to another
  class or outside the class, and the open gallery is not shown inside a class;
* **student**: for a class's teacher only, the runs of the class's students (read-only).

Nothing else: another workspace's runs, another class's gallery, a path outside the data home. Pages
(:func:`visible_runs` feeds the run picker, the Runs page's gallery list and the Gallery page), the job
API (:func:`check_visible` in :func:`explorer.jobs.submit_projection`) and the teacher's moderation
(:func:`may_moderate`) all ask here, so a new page or kind is covered by calling these functions.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import explorer.jobs.classes as classes
import explorer.jobs.workspaces as workspaces
from explorer.errors import ExplorerError
from explorer.paths import explorer_home

if TYPE_CHECKING:
    from explorer.runs import Run

#: a gallery run's audience when everyone may see it (the bundled samples)
EVERYONE = "*"
#: a gallery folder nobody published through the program (no owner record): shown to nobody
NOBODY = "-"


@dataclass(frozen=True)
class Viewer:
    """A workspace and what decides what it sees: its class and, for a teacher, the class's students."""

    workspace: str
    class_id: Optional[str] = None
    teacher_of: Optional[str] = None  # class id when this is the class's teacher workspace
    students: dict[str, str] = field(default_factory=dict)  # student workspace -> display name (teacher only)


@dataclass(frozen=True)
class VisibleRun:
    """One run a workspace may see: its folder, where it comes from, and its author's display name."""

    path: Path
    run_id: str
    place: str  # "own" | "sample" | "gallery" | "student"
    author: str = ""  # display name of the student (student runs, class gallery runs), else ""


def viewer(workspace: object) -> Viewer:
    """The viewer ``workspace`` is (an invalid token sees nothing but is still a viewer)."""
    if not workspaces.is_valid_token(workspace):
        return Viewer("")
    info = classes.class_of(workspace)  # type: ignore[arg-type]
    if info is None:
        return Viewer(workspace)  # type: ignore[arg-type]
    if info.teacher_ws == workspace:
        students = {m.workspace: m.display_name for m in classes.members(info.id)}
        return Viewer(workspace, info.id, info.id, students)  # type: ignore[arg-type]
    return Viewer(workspace, info.id)  # type: ignore[arg-type]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _sample_owner_hash() -> str:
    """sha256 of the samples workspace (explorer.jobs.sample_job), read without creating anything."""
    try:
        state = json.loads((explorer_home() / "samples" / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    token = state.get("workspace") if isinstance(state, dict) else None
    return _hash(token) if workspaces.is_valid_token(token) else ""


def _gallery_root() -> Path:
    return (explorer_home() / "gallery").resolve()


def _runs_root(token: str) -> Path:
    return (explorer_home() / "workspaces" / token / "runs").resolve()


def gallery_audience(run_id: str) -> Optional[str]:
    """Who sees the gallery run ``run_id``: :data:`EVERYONE` (a bundled sample), a class id (published in
    or by a member of that class), None (the open gallery: published by a workspace in no class), or
    :data:`NOBODY` (no record of its publisher)."""
    owner_file = explorer_home() / "gallery" / ".owners" / run_id
    try:
        owner = owner_file.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        owner = ""
    if owner and owner == _sample_owner_hash():
        return EVERYONE
    found = classes.gallery_class(run_id, owner)
    if found is None and not owner:  # no record of who published it (gone, or put there by hand): nobody
        return NOBODY
    return found


def _place(run_dir: Path, who: Viewer) -> Optional[str]:
    """Where ``run_dir`` is as seen by ``who``: "own", "sample", "gallery", "student", or None (not visible)."""
    if not who.workspace:
        return None
    try:
        path = Path(os.path.abspath(run_dir))
        parent = path.parent.resolve()
    except (OSError, ValueError):
        return None
    run_id = path.name
    if run_id.startswith(".") or path.is_symlink():  # a temporary folder, or a link to elsewhere
        return None
    if parent == _runs_root(who.workspace):
        return "own"
    if parent == _gallery_root():
        if not workspaces.is_valid_run_id(run_id):
            return None
        audience = gallery_audience(run_id)
        if audience == EVERYONE:
            return "sample"
        return "gallery" if audience == who.class_id else None
    if who.teacher_of is not None and any(parent == _runs_root(ws) for ws in who.students):
        return "student"
    return None


def may_see(workspace: object, run_dir: Path | str) -> bool:
    """True when ``workspace`` may see the run at ``run_dir`` (see the module's rules)."""
    return _place(Path(run_dir), viewer(workspace)) is not None


def check_visible(workspace: object, run_dir: Path | str) -> Path:
    """``run_dir`` resolved when ``workspace`` may see it and it is a run, else one refusal
    (:class:`ExplorerError`, code ``run_not_allowed``) that says nothing about whether the run exists."""
    from explorer.runs import is_run_dir

    path = Path(os.path.abspath(run_dir))
    if not may_see(workspace, path) or not is_run_dir(path):
        raise ExplorerError(f"{str(run_dir)[:200]}: not a run of this workspace or of the gallery",
                            code="run_not_allowed", path=str(run_dir)[:200])
    return path.resolve()


def visible_runs(workspace: object) -> list[VisibleRun]:
    """Every run ``workspace`` may see, as folders (own runs, samples, its gallery, its students' for a
    teacher); nothing is loaded. The run picker, the Runs page and the Gallery page list from here."""
    who = viewer(workspace)
    if not who.workspace:
        return []
    out: list[VisibleRun] = []
    own = _runs_root(who.workspace)
    if own.is_dir():
        out += [VisibleRun(p, p.name, "own") for p in _run_folders(own)]
    gallery = _gallery_root()
    if gallery.is_dir():
        names = classes.display_names()
        for p in _run_folders(gallery):
            place = _place(p, who)
            if place is not None:
                out.append(VisibleRun(p, p.name, place, names.get(classes.gallery_author(p.name), "")
                                      if place == "gallery" else ""))
    for ws, name in who.students.items():
        root = _runs_root(ws)
        if root.is_dir():
            out += [VisibleRun(p, p.name, "student", name) for p in _run_folders(root)]
    return out


def _run_folders(root: Path) -> list[Path]:
    """Folders under ``root`` (not hidden temporaries, not links), newest first."""
    return sorted((p for p in root.iterdir() if not p.name.startswith(".") and p.is_dir() and not p.is_symlink()),
                  key=lambda p: p.name, reverse=True)


def may_moderate(teacher_token: object, run_id: object) -> bool:
    """True when the teacher token's class is the audience of the gallery run ``run_id`` (the teacher may
    withdraw it, whoever published it)."""
    try:
        info = classes.teacher_class(teacher_token)
    except ExplorerError:
        return False
    return workspaces.is_valid_run_id(run_id) and gallery_audience(run_id) == info.id  # type: ignore[arg-type]


@dataclass
class GalleryEntry:
    """A gallery run as the Gallery page shows it."""

    run_id: str
    path: str
    author: str
    description: str
    published: float
    kind: str
    name: str
    numbers: dict[str, float]


def open_visible(found: VisibleRun) -> Optional[Run]:
    """The run ``found`` loaded and validated (None when it is damaged or vanished)."""
    from explorer.runs import load_run

    try:
        return load_run(found.path)
    except (ExplorerError, OSError):
        return None


def gallery_entries(workspace: object) -> list[GalleryEntry]:
    """The gallery this workspace sees: its class's gallery (published by the teacher, or by a classmate),
    or, outside any class, the open gallery (the bundled samples included); newest first."""
    who = viewer(workspace)
    wanted = ("gallery",) if who.class_id is not None else ("gallery", "sample")
    out = []
    for found in visible_runs(workspace):
        if found.place not in wanted:
            continue
        run = open_visible(found)
        if run is None:
            continue
        description, published = classes.gallery_description(found.run_id)
        out.append(GalleryEntry(found.run_id, str(run.path), found.author, description,
                                published if published is not None else run.path.stat().st_mtime,
                                run.kind, run.name, classes.key_numbers(run.metrics or {}, run.kind)))
    return out
