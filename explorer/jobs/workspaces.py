"""Workspaces: unguessable tokens that own runs and jobs, the class gallery, and uploads.

A browser gets a workspace token in its URL (``?ws=<token>``); whoever has the link shares the
workspace. On disk, under the data home (:func:`explorer.paths.explorer_home`)::

    workspaces/<token>/runs/<run_id>/   finished runs of one workspace (explorer.runs format)
    gallery/<run_id>/                   runs published to the read-only class gallery
    gallery/.owners/<run_id>            sha256 of the publishing token (never the token itself)
    uploads/<sha256><suffix>            uploaded bytes, content-addressed
    cli_workspace                       the command line's own token (created once)

Paths are only ever built from validated tokens (:func:`is_valid_token`), generated run ids
(:func:`new_run_id`, :func:`is_valid_run_id`), hashes and fixed names; never from user text.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import shutil
import time
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from explorer import settings
from explorer.atomic import replacing_dir, write_bytes
from explorer.errors import ExplorerError
from explorer.paths import explorer_home

if TYPE_CHECKING:
    from explorer.runs import Run


# explorer.runs (numpy under it) is imported where a run is read: `status` and `jobs` never need it
def is_run_dir(path: Path) -> bool:
    from explorer.runs import is_run_dir as check

    return check(path)


def _list_runs(folder: Path) -> list[Run]:
    from explorer.runs import list_runs as listing

    return listing(folder)


def _delete_run_dir(path: Path) -> None:
    from explorer.runs import delete_run

    delete_run(path)

_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{22}")  # secrets.token_urlsafe(16): 16 random bytes, 22 characters
_RUN_ID_RE = re.compile(r"\d{8}-\d{6}-[0-9a-f]{8}")  # UTC time + 32 random bits, sortable by time

#: Upload suffixes the app accepts (corpora, interaction logs, metadata, vector imports).
UPLOAD_SUFFIXES = frozenset({".txt", ".csv", ".tsv", ".dat", ".zip", ".npy", ".bin", ".vec",
                             ".data", ".inter", ".item", ".user", ".jsonl", ".json", ".ndjson",  # logs
                             ".edges", ".edgelist", ".graphml", ".gml", ".gexf"})  # graphs
DEFAULT_MAX_UPLOAD_MB = 200  # Streamlit's own default for server.maxUploadSize


# --------------------------------------------------------------------------- tokens and ids


def new_token() -> str:
    """A fresh, unguessable workspace token (128 random bits, URL-safe, 22 characters).

    Never starts with ``-``, so that ``--workspace TOKEN`` on a command line is not read as a flag."""
    while True:
        token = secrets.token_urlsafe(16)
        if not token.startswith("-"):
            return token


def is_valid_token(token: object) -> bool:
    """True only for strings shaped exactly like :func:`new_token` output."""
    return isinstance(token, str) and _TOKEN_RE.fullmatch(token) is not None


def check_token(token: object) -> str:
    """``token`` if valid, else :class:`ExplorerError` (the message never echoes the token)."""
    if not is_valid_token(token):
        raise ExplorerError("workspace: invalid workspace token", code="workspace_invalid")
    return token  # type: ignore[return-value]


def new_run_id() -> str:
    """A generated run id: ``YYYYMMDD-HHMMSS-<8 hex>`` (UTC), sortable by creation time."""
    return time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + "-" + secrets.token_hex(4)


def is_valid_run_id(run_id: object) -> bool:
    """True only for ids shaped like :func:`new_run_id` output."""
    return isinstance(run_id, str) and _RUN_ID_RE.fullmatch(run_id) is not None


def _check_run_id(run_id: object) -> str:
    if not is_valid_run_id(run_id):
        raise ExplorerError(f"run {str(run_id)[:40]!r}: not a valid run id", code="run_id_invalid", run=str(run_id)[:40])
    return run_id  # type: ignore[return-value]


# --------------------------------------------------------------------------- runs per workspace


def _made(path: Path) -> Path:
    """``path``, created when the data home lets it; on a read-only home a reader finds it empty or absent
    (listings are empty) and a writer fails where it writes, with one line naming the folder."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC):
            raise
    return path


def workspace_dir(token: str) -> Path:
    """``EXPLORER_HOME/workspaces/<token>`` (created)."""
    return _made(explorer_home() / "workspaces" / check_token(token))


def runs_dir(token: str) -> Path:
    """``EXPLORER_HOME/workspaces/<token>/runs`` (created): where the workspace's runs live."""
    return _made(workspace_dir(token) / "runs")


def list_runs(token: str) -> list[Run]:
    """The workspace's finished runs, newest first."""
    return _list_runs(runs_dir(token))


def run_path(token: str, run_id: str) -> Path:
    """Path of one run of the workspace (validated id; the run may not exist yet)."""
    return runs_dir(token) / _check_run_id(run_id)


def delete_run(token: str, run_id: str) -> None:
    """Delete a run of the workspace ``token`` (never another workspace's: paths come from the token)."""
    path = run_path(token, run_id)
    if not is_run_dir(path):
        raise ExplorerError(f"run {run_id}: not found in this workspace", code="run_not_in_workspace", run=run_id)
    _delete_run_dir(path)


def remove_partial_runs(token: str, run_id: str) -> int:
    """Remove what a killed job left beside its run: temporary directories (``.<run_id>.tmp-*``) and its
    live frame (``.<run_id>.live.npz`` and that file's temporary ``.<run_id>.live.tmp-*.npz``, see
    :mod:`explorer.runs.frames`); return how many. A job killed with its host (kill -9, power loss) never
    reaches its own clean-up: whoever marks it dead calls this."""
    root = runs_dir(token)
    _check_run_id(run_id)
    removed = 0
    for tmp in root.glob(f".{run_id}.tmp-*"):
        shutil.rmtree(tmp, ignore_errors=True)
        removed += 1
    for live in root.glob(f".{run_id}.live*.npz"):
        live.unlink(missing_ok=True)
        removed += 1
    return removed


def finished_run(token: str, run_id: str) -> Optional[Path]:
    """The workspace's complete run ``run_id`` (renamed into place, so whole), or None.

    For a job whose worker died after training: hidden temporary files inside the run (``.<name>.tmp-*``,
    e.g. a projection cache being written) are removed, so only whole files remain."""
    path = run_path(token, run_id)
    if not is_run_dir(path):
        return None
    for tmp in sorted(path.rglob(".*.tmp-*"), reverse=True):
        if tmp.is_dir() and not tmp.is_symlink():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)
    return path


# --------------------------------------------------------------------------- derived data of runs one does not own


def owns_run(token: str, run_dir: Path) -> bool:
    """True when ``run_dir`` is one of the workspace's own runs (it may then write its derived data into it)."""
    return Path(run_dir).resolve().parent == runs_dir(token).resolve()


def _run_key(run_dir: Path) -> str:
    return hashlib.sha256(str(Path(run_dir).resolve()).encode("utf-8")).hexdigest()[:24]


def derived_dir(token: str, run_dir: Path) -> Path:
    """Where the workspace keeps what it derives from a run (saved clusterings, ...): the run itself when
    the workspace owns it, else ``workspaces/<token>/views/<run key>`` -- so a viewer never changes a
    gallery run or another workspace's run. Use it where a run directory is expected (``<dir>/cache/...``)."""
    if owns_run(token, run_dir):
        return Path(run_dir)
    path = workspace_dir(token) / "views" / _run_key(run_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def projection_store(token: str, run_dir: Path) -> Optional[Path]:
    """Where projections of ``run_dir`` requested by ``token`` are cached: None (the run's own cache) for the
    workspace's own runs, else :func:`shared_projection_store`."""
    if owns_run(token, run_dir):
        return None
    return shared_projection_store(run_dir)


def shared_projection_store(run_dir: Path) -> Path:
    """``EXPLORER_HOME/views/<run key>``: the viewers' projection cache of a run they do not own, laid out
    like a run directory (``explorer.runs.cache.projection_file(store, ...)``); keyed by run and
    parameters, seeded, so its content cannot differ between viewers. May not exist yet."""
    return explorer_home() / "views" / _run_key(run_dir)


# --------------------------------------------------------------------------- class gallery


def gallery_dir() -> Path:
    """``EXPLORER_HOME/gallery`` (created): runs everyone can open, nobody can change."""
    return _made(explorer_home() / "gallery")


def _owner_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def publish(token: str, run_id: str) -> None:
    """Copy a run of the workspace into the class gallery (idempotent; atomic copy + rename)."""
    src = run_path(token, run_id)
    if not is_run_dir(src):
        raise ExplorerError(f"run {run_id}: not found in this workspace", code="run_not_in_workspace", run=run_id)
    gallery = gallery_dir()
    dst = gallery / run_id
    if dst.exists():
        return
    with replacing_dir(dst) as tmp:
        shutil.copytree(src, tmp, dirs_exist_ok=True)
        owners = gallery / ".owners"
        owners.mkdir(exist_ok=True)
        (owners / run_id).write_text(_owner_hash(token), encoding="ascii")


def gallery_owner_hash(run_id: str) -> str:
    """sha256 of the workspace that put ``run_id`` in the gallery ("" when unknown)."""
    try:
        return (gallery_dir() / ".owners" / _check_run_id(run_id)).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def unpublish(token: str, run_id: str) -> None:
    """Remove a run from the gallery; only the workspace that published it may (a class's teacher
    moderates through :func:`explorer.jobs.classes.withdraw`)."""
    check_token(token)
    path = gallery_dir() / _check_run_id(run_id)
    if not is_run_dir(path):
        raise ExplorerError(f"run {run_id}: not in the gallery", code="run_not_in_gallery", run=run_id)
    if gallery_owner_hash(run_id) != _owner_hash(token):
        raise ExplorerError(f"run {run_id}: published by another workspace", code="run_other_publisher", run=run_id)
    remove_from_gallery(run_id)


def remove_from_gallery(run_id: str) -> None:
    """Delete the gallery copy of ``run_id`` and its owner record (no ownership check: callers decide)."""
    path = gallery_dir() / _check_run_id(run_id)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    (gallery_dir() / ".owners" / run_id).unlink(missing_ok=True)


def gallery_runs() -> list[Run]:
    """Runs in the class gallery, newest first."""
    return _list_runs(gallery_dir())


# --------------------------------------------------------------------------- command line workspace


def cli_workspace() -> str:
    """The command line's workspace: ``$EXPLORER_WORKSPACE``, else a token kept in ``EXPLORER_HOME/cli_workspace``."""
    env = settings.workspace()
    if env:
        if not is_valid_token(env):
            raise ExplorerError("EXPLORER_WORKSPACE: not a valid workspace token", code="env_workspace",
                                name="EXPLORER_WORKSPACE")
        return env
    path = explorer_home() / "cli_workspace"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # another process may be writing it right now
            token = path.read_text(encoding="ascii").strip()
            if token:
                return check_token(token)
            time.sleep(0.01)
        raise ExplorerError(f"{path}: empty workspace token file", code="workspace_file_empty", path=str(path)) from None
    token = new_token()
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(token + "\n")
    return token


# --------------------------------------------------------------------------- uploads


def uploads_dir() -> Path:
    """``EXPLORER_HOME/uploads`` (created)."""
    return _made(explorer_home() / "uploads")


_SHA256_RE = re.compile(r"[0-9a-f]{64}")


def upload_by_sha256(sha256: object) -> Optional[Path]:
    """The kept upload whose bytes hash to ``sha256`` (uploads are stored as ``uploads/<sha256><suffix>``), or None.

    A run records the sha256 of the file it read, not its path: this is how a page finds a run's own text again.
    Only 64 lowercase hex digits are looked up (a path is never built from any other text)."""
    if not isinstance(sha256, str) or not _SHA256_RE.fullmatch(sha256):
        return None
    for suffix in sorted(UPLOAD_SUFFIXES):
        path = uploads_dir() / (sha256 + suffix)
        if path.is_file():
            return path
    return None


def max_upload_bytes() -> int:
    """The upload size limit: ``$EXPLORER_MAX_UPLOAD_MB``, else ``server.maxUploadSize`` of the
    project's ``.streamlit/config.toml``, else Streamlit's default (200 MB)."""
    env_mb = settings.max_upload_mb()
    if env_mb is not None:
        return int(env_mb * 1024 * 1024)
    config = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
    mb = DEFAULT_MAX_UPLOAD_MB
    if config.is_file():
        try:
            mb = tomllib.loads(config.read_text(encoding="utf-8")).get("server", {}).get("maxUploadSize", mb)
        except (OSError, tomllib.TOMLDecodeError):
            pass
    return int(float(mb) * 1024 * 1024)


def save_upload(data: bytes, suffix: str) -> Path:
    """Save uploaded bytes as ``uploads/<sha256><suffix>`` at once (same bytes: same file) and return the path.

    ``suffix`` must be one of :data:`UPLOAD_SUFFIXES` (case-insensitive), or the bytes must read as text (then the
    file is saved as ``.txt``: a ``.cor`` corpus is judged by its content); the size limit is enforced again here
    (:func:`max_upload_bytes`), whatever the browser was told.
    """
    from explorer.text.decode import reads_as_text

    suffix = str(suffix).lower()
    if suffix not in UPLOAD_SUFFIXES and reads_as_text(bytes(data[:1 << 20]), suffix):
        suffix = ".txt"
    if suffix not in UPLOAD_SUFFIXES:
        raise ExplorerError(f"upload: file type {suffix!r} not accepted (use one of {', '.join(sorted(UPLOAD_SUFFIXES))})",
                            code="upload_type", suffix=suffix or "–", accepted=", ".join(sorted(UPLOAD_SUFFIXES)))
    data = bytes(data)
    if not data:
        raise ExplorerError("upload: the file is empty", code="upload_empty")
    limit = max_upload_bytes()
    if len(data) > limit:
        raise ExplorerError(f"upload: the file is {len(data) / 2**20:.1f} MB, above the limit of {limit / 2**20:.0f} MB",
                            code="upload_too_big", size=f"{len(data) / 2**20:.1f}", limit=f"{limit / 2**20:.0f}")
    path = uploads_dir() / (hashlib.sha256(data).hexdigest() + suffix)
    if path.is_file() and path.stat().st_size == len(data):
        return path
    write_bytes(path, data)
    return path
