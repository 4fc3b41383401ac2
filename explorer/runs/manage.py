"""Looking after run directories: display names, sizes, key metrics, and zip files coming back.

* :func:`rename_run` stores a display name in ``config.json`` (atomic rewrite; the directory,
  whose name is the run id, never moves).
* :func:`run_size`, :func:`key_metrics` summarise a run for the Runs page's table.
* :func:`unpack_run_zip` takes a zip made by :func:`explorer.runs.zip_run` (possibly re-zipped
  inside one top-level folder) and writes it as a *new* run with a fresh run id. It refuses
  anything that is not plainly a run: absolute names, ``..``, links, unknown files, archives
  larger than the limit once unpacked; then the unpacked files pass the same checks as
  :func:`explorer.runs.load_run` (:mod:`explorer.runs.validation`) before the run appears.
  Cached derived files (``cache/...``) are skipped: they are recomputed on demand.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any, Optional

from explorer.errors import ExplorerError
from explorer.runs import Run, atomic_run_dir, load_run, write_json
from explorer.runs import layout as L
from explorer.runs.validation import check_config, check_run_dir, parse_json_object

MAX_NAME_CHARS = 80

SKIPPED_DIRS = ("cache",)  # derived files: recomputed, never trusted from an upload


# --------------------------------------------------------------------------- names


def clean_name(name: str) -> str:
    """A display name: whitespace collapsed, 1..80 printable characters, else :class:`ExplorerError`.

    >>> clean_name("  my   model ")
    'my model'
    """
    text = " ".join(str(name).split())
    if not text:
        raise ExplorerError("name: the name is empty", code="run_name_empty")
    if len(text) > MAX_NAME_CHARS:
        raise ExplorerError(f"name: at most {MAX_NAME_CHARS} characters (got {len(text)})", code="run_name_too_long",
                            max=MAX_NAME_CHARS, n=len(text))
    if not text.isprintable():
        raise ExplorerError("name: contains control characters", code="run_name_control")
    return text


def rename_run(path: Path, name: str) -> str:
    """Set the display name of the run at ``path`` (``config.json["name"]``); return the cleaned name.

    The config file is rewritten atomically (temporary file + rename), so a reader never sees a
    half-written config; nothing else in the run changes.
    """
    run = load_run(Path(path))
    text = clean_name(name)
    config = dict(run.config)
    config["name"] = text
    write_json(run.path / L.CONFIG, config)
    return text


# --------------------------------------------------------------------------- summaries


def run_size(path: Path) -> int:
    """Bytes of all files in the run directory (cache included)."""
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def _last(values: Any) -> Optional[float]:
    if isinstance(values, list) and values and isinstance(values[-1], (int, float)):
        return float(values[-1])
    return None


def key_metrics(run: Run) -> dict[str, Any]:
    """A few numbers that tell runs apart: size of the vocabulary (or users/items), dimension,
    final training loss, training seconds, and for user-item runs the test HR@10 / NDCG@10 of the
    model and of the popularity baseline under the full-ranking protocol.

    Keys are stable identifiers (``n``, ``dim``, ``loss``, ``seconds``, ``hr10``, ``ndcg10``,
    ``pop_hr10``, ``pop_ndcg10``); values are None when the run does not record them.
    """
    m = run.metrics or {}
    out: dict[str, Any] = {"n": None, "dim": None, "loss": _last(m.get("loss_per_epoch")),
                           "seconds": m.get("seconds"), "hr10": None, "ndcg10": None,
                           "pop_hr10": None, "pop_ndcg10": None}
    try:
        vectors = run.vectors
        out["n"], out["dim"] = int(vectors.shape[0]), int(vectors.shape[1])
    except (OSError, ValueError):
        pass
    if run.capabilities.users:
        full = ((m.get("test") or {}).get("full") or {})
        model, pop = full.get("model") or {}, full.get("popularity") or {}
        out.update(hr10=model.get("HR@10"), ndcg10=model.get("NDCG@10"),
                   pop_hr10=pop.get("HR@10"), pop_ndcg10=pop.get("NDCG@10"))
    return out


# --------------------------------------------------------------------------- zip upload


def _member_name(info: zipfile.ZipInfo) -> PurePosixPath:
    """The member's path, refused when absolute, with ``..``, backslashes, drive letters or a link."""
    raw = info.filename
    if "\\" in raw or raw.startswith("/") or (len(raw) > 1 and raw[1] == ":"):
        raise ExplorerError(f"zip: refusing member {raw[:80]!r} (absolute or Windows path)", code="zip_member_absolute",
                            member=raw[:80])
    path = PurePosixPath(raw)
    if any(part in ("..", "") for part in path.parts) or not path.parts:
        raise ExplorerError(f"zip: refusing member {raw[:80]!r} (path leaves the run directory)", code="zip_member_outside",
                            member=raw[:80])
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise ExplorerError(f"zip: refusing member {raw[:80]!r} (symbolic link)", code="zip_member_link", member=raw[:80])
    return path


def _plan(zf: zipfile.ZipFile, max_bytes: int) -> dict[str, zipfile.ZipInfo]:
    """Map each run file name to its zip member, after every safety check."""
    members = [(info, _member_name(info)) for info in zf.infolist() if not info.is_dir()]
    if not members:
        raise ExplorerError("zip: the archive is empty", code="zip_empty")
    total = sum(info.file_size for info, _ in members)
    if total > max_bytes:
        raise ExplorerError(f"zip: {total / 2**20:.1f} MB once unpacked, above the limit of {max_bytes / 2**20:.0f} MB",
                            code="zip_too_big", size=f"{total / 2**20:.1f}", limit=f"{max_bytes / 2**20:.0f}")
    # A run zipped with its folder: every member under one common top-level directory.
    tops = {p.parts[0] for _, p in members}
    strip = 1 if len(tops) == 1 and all(len(p.parts) > 1 for _, p in members) else 0
    plan: dict[str, zipfile.ZipInfo] = {}
    for info, path in members:
        parts = path.parts[strip:]
        if parts[0] in SKIPPED_DIRS and len(parts) > 1:
            continue
        name = "/".join(parts)
        if name not in L.run_files():
            raise ExplorerError(f"zip: unexpected file {name[:80]!r} (a run holds only {', '.join(sorted(L.run_files()))})",
                                code="zip_unexpected_file", name=name[:80], files=", ".join(sorted(L.run_files())))
        if name in plan:
            raise ExplorerError(f"zip: {name} appears twice", code="zip_duplicate", name=name)
        plan[name] = info
    return plan


def _read_config(data: bytes, label: str) -> dict:
    config = parse_json_object(data, label)
    check_config(config, label)
    return config


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    data = zf.read(info)
    if len(data) != info.file_size:
        raise ExplorerError(f"zip: {name} is truncated", code="zip_truncated", name=name)
    return data


def unpack_run_zip(zip_path: Path, out: Path, max_bytes: int) -> Path:
    """Validate the run zip at ``zip_path`` and write it as the new run directory ``out``.

    ``out`` must not exist yet (give it a fresh run id); it appears only when everything passed.
    ``max_bytes`` bounds the unpacked size (zip bombs). Returns ``out``.
    """
    zip_path = Path(zip_path)
    if not zipfile.is_zipfile(zip_path):
        raise ExplorerError(f"{zip_path.name}: not a zip file", code="zip_invalid", file=zip_path.name)
    try:
        with zipfile.ZipFile(zip_path) as zf:
            plan = _plan(zf, max_bytes)
            if "config.json" not in plan:
                raise ExplorerError("zip: no config.json (is this a run downloaded from the Runs page?)",
                                    code="zip_no_config")
            shown = zip_path.name
            config = _read_config(_read_member(zf, plan[L.CONFIG], L.CONFIG), f"{shown}/{L.CONFIG}")
            kind = config["kind"]
            missing = [f for f in L.required_files(kind) if f not in plan]
            if missing:
                raise ExplorerError(f"{shown}/{missing[0]}: missing; a {kind} run needs {', '.join(missing)}",
                                    code="run_missing_file", file=f"{shown}/{missing[0]}")
            with atomic_run_dir(Path(out)) as tmp:
                for name, info in plan.items():
                    (tmp / name).write_bytes(_read_member(zf, info, name))  # names from L.run_files(), not the archive
                check_run_dir(tmp, shown=shown)  # every file, as load_run checks it
                write_json(tmp / L.CONFIG, config)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError) as exc:  # damaged, encrypted, odd codec
        raise ExplorerError(f"{zip_path.name}: unreadable zip file ({exc})", code="zip_unreadable", file=zip_path.name,
                            detail=str(exc)) from None
    return Path(out)


# --------------------------------------------------------------------------- export downloads

#: Export formats offered for download: name -> (file suffix, MIME type).
EXPORTS = {
    "projector": (".zip", "application/zip"),
    "word2vec_text": (".txt", "text/plain"),
    "word2vec_binary": (".bin", "application/octet-stream"),
}


_UNSAFE = re.compile(r"[^\w.\-]+")  # anything but letters and digits (any script), "_", "." and "-"
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
MAX_STEM_CHARS = 60


def download_stem(run: Run) -> str:
    """A downloaded file's name (without suffix) for ``run``: its display name, made safe for every file system
    (no separators, spaces, control or markup characters, no leading dot, no Windows device name, at most 60
    characters); the run id when nothing of the name is left.

    >>> from types import SimpleNamespace as R
    >>> download_stem(R(name="My model: v2 / final", run_id="20250101-000000-abcdef12"))
    'My-model-v2-final'
    >>> download_stem(R(name="三国 演义", run_id="x")), download_stem(R(name="../..", run_id="20250101-000000-abcdef12"))
    ('三国-演义', '20250101-000000-abcdef12')
    """
    stem = _UNSAFE.sub("-", str(getattr(run, "name", "") or "")).strip("-._")[:MAX_STEM_CHARS].strip("-._")
    if not stem or stem.lower() in _RESERVED:
        return str(run.run_id)
    return stem


def export_file_name(run: Run, fmt: str) -> tuple[str, str]:
    """(download file name, MIME type) of an export of ``run``, named after the run (:func:`download_stem`)."""
    if fmt not in EXPORTS:
        raise ExplorerError(f"format: expected one of {', '.join(EXPORTS)}, got {fmt!r}", code="export_bad_format",
                            formats=", ".join(EXPORTS), value=fmt)
    suffix, mime = EXPORTS[fmt]
    stem = {"projector": "projector", "word2vec_text": "word2vec", "word2vec_binary": "word2vec"}[fmt]
    return f"{download_stem(run)}-{stem}{suffix}", mime


def export_bytes(run: Run, fmt: str) -> bytes:
    """The export of ``run`` in ``fmt`` as bytes (written through :mod:`explorer.runs.formats` to a temp dir).

    ``projector`` is a zip of ``vectors.tsv`` and ``metadata.tsv`` (the two files
    projector.tensorflow.org asks for); ``word2vec_text`` / ``word2vec_binary`` are single files.
    """
    import tempfile

    from explorer.runs import formats

    export_file_name(run, fmt)  # validates fmt
    with tempfile.TemporaryDirectory(prefix="export-") as tmp:
        out = Path(tmp)
        if fmt == "projector":
            vectors, meta = formats.export_projector(run, out / "vectors.tsv")
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
                zf.write(vectors, "vectors.tsv")
                zf.write(meta, "metadata.tsv")
            return buf.getvalue()
        path = formats.export_word2vec(run, out / "vectors", binary=fmt == "word2vec_binary")
        return path.read_bytes()
