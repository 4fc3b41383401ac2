"""The class report: every student's runs (settings, key numbers), their "check yourself" answers and times, as a
CSV for marking and as one printable HTML page with the class gallery's maps (for parents' evenings).

Answers are recorded by :func:`record_answer` when a student of a class checks a lesson question; a workspace in
no class records nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

import numpy as np

import explorer.jobs.visibility as visibility
from explorer.errors import ExplorerError
from explorer.jobs import classes

#: one colour per label on the report's maps (the figures' palette, as hex)
_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
            "#17becf")
MAP_POINTS = 600  # most frequent rows drawn per map (a printed page needs no more)


def record_answer(workspace: str, question: str, choice: str, correct: bool) -> bool:
    """Keep a class student's latest answer to a lesson question; False (nothing kept) outside a class."""
    if classes.member(workspace) is None:
        return False
    classes.connect().execute(
        "INSERT OR REPLACE INTO answers (workspace, question, choice, correct, answered) VALUES (?, ?, ?, ?, ?)",
        (workspace, str(question)[:80], str(choice)[:200], int(bool(correct)), time.time()))
    return True


def answers(teacher_token: str) -> dict[str, list[dict[str, Any]]]:
    """workspace -> its answers (question, choice, correct, answered), for every student of the teacher's class."""
    info = classes.teacher_class(teacher_token)
    out: dict[str, list[dict[str, Any]]] = {m.workspace: [] for m in classes.members(info.id)}
    if out:
        marks = ",".join("?" * len(out))
        for row in classes.connect().execute(
                f"SELECT * FROM answers WHERE workspace IN ({marks}) ORDER BY question", list(out)):
            out[row["workspace"]].append({k: row[k] for k in ("question", "choice", "correct", "answered")})
    return out


def _when(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M") if ts else ""


def _flat(prefix: str, value: Any, out: dict[str, Any]) -> None:
    """Nested settings as ``a.b`` columns (lists and other values as text)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            _flat(f"{prefix}.{key}" if prefix else str(key), inner, out)
    elif value is not None and not (isinstance(value, str) and value.startswith("/")):  # no server paths
        out[prefix] = value if isinstance(value, (int, float, str, bool)) else str(value)


def rows(teacher_token: str) -> list[dict[str, Any]]:
    """One row per student run (students without runs get one row with their answers only).

    Columns: student, run, kind, created, published, data (the shared dataset's label, else the file's name),
    every setting (``setting.<name>``), every key number (``number.<name>``), answered / correct counts and the
    time of the latest answer.
    """
    from explorer.runs import load_run

    got = answers(teacher_token)
    runs = classes.student_runs(teacher_token)
    info = classes.teacher_class(teacher_token)
    shared = {Path(d["path"]).stem: d["label"] for d in classes.shared_datasets(info.teacher_ws)}  # by sha256
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for r in runs:
        row: dict[str, Any] = {"student": r.display_name, "run": r.name, "kind": r.kind, "created": r.created,
                               "published": r.published, "data": ""}
        settings: dict[str, Any] = {}
        try:
            run = load_run(Path(r.path))
            row["data"] = _data_name(run.config.get("data") or {}, shared)
            _flat("", run.hyper, settings)
        except Exception:  # noqa: BLE001 -- a damaged run still has its row (its numbers say what is known)
            pass
        row.update({f"setting.{k}": v for k, v in settings.items()})
        row.update({f"number.{k}": v for k, v in r.numbers.items()})
        out.append(row | _answer_columns(got.get(r.workspace, [])))
        seen.add(r.workspace)
    for m in classes.members(info.id):
        if m.workspace not in seen:
            out.append({"student": m.display_name, "run": "", "kind": "", "created": "", "published": False}
                       | _answer_columns(got.get(m.workspace, [])))
    return out


def _data_name(data: dict[str, Any], shared: dict[str, str]) -> str:
    """What a run was trained on, for the teacher: the label of the class's shared dataset it read (uploads are
    named by their sha256), else the file name it records; never a server path."""
    for value in (data.get("sha256"), *data.values()):
        if isinstance(value, str) and Path(value).stem in shared:
            return shared[Path(value).stem]
    source = data.get("source")
    return source if isinstance(source, str) and "/" not in source and "\\" not in source else ""


def _answer_columns(given: list[dict[str, Any]]) -> dict[str, Any]:
    return {"answered": len(given), "correct": sum(a["correct"] for a in given),
            "last_answer": _when(max((a["answered"] for a in given), default=0.0))}


def to_csv(teacher_token: str) -> bytes:
    """The report as CSV (UTF-8 with a byte-order mark, so that spreadsheet programs read Chinese names)."""
    table = rows(teacher_token)
    columns = list(dict.fromkeys(k for row in table for k in row))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, columns, restval="")
    writer.writeheader()
    writer.writerows(table)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def svg_map(coords: np.ndarray, labels: list[str], width: int = 320, height: int = 240) -> str:
    """A small scatter of 2D points as inline SVG (one colour per label), for a page that prints without scripts.

    coords: float (n, 2); labels: n labels ("" = none).
    """
    xy = np.asarray(coords, np.float64)[:, :2]
    lo, hi = xy.min(0), xy.max(0)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    pts = 8 + (xy - lo) / span * np.array([width - 16, height - 16])
    names = sorted({lab for lab in labels if lab})
    colour = {lab: _PALETTE[i % len(_PALETTE)] for i, lab in enumerate(names)}
    dots = "".join(f'<circle cx="{x:.1f}" cy="{height - y:.1f}" r="2.2" fill="{colour.get(lab, "#999")}"/>'
                   for (x, y), lab in zip(pts, labels, strict=True))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img">{dots}</svg>')


def _gallery_maps(class_workspace: str) -> list[tuple[str, str, str]]:
    """(title, author, svg) of each run in the class's gallery, from its 2D PCA."""
    from explorer.analysis.projection import cached_projection
    from explorer.runs import load_run

    out = []
    for entry in visibility.gallery_entries(class_workspace):  # the one visibility rule
        try:
            run = load_run(Path(entry.path))
            coords = np.asarray(cached_projection(run.path, "pca", 2))[:MAP_POINTS]
            tokens = run.tokens[: len(coords)]
            out.append((run.name, entry.author, svg_map(coords, [run.labels.get(t, "") for t in tokens])))
        except Exception:  # noqa: BLE001 -- a damaged gallery run is left off the printed page
            continue
    return out


def _cell(row: dict[str, Any], column: str, family: dict[tuple[str, str, str], str]) -> str:
    """One cell of the printed table: the model as people name it, key numbers as the dashboard shows them."""
    from explorer.kinds import KEY_NUMBER_FORMATS

    value = row.get(column, "")
    if column == "kind" and row.get("run"):
        return family.get((row["student"], row["run"], row["created"]), str(value))
    fmt = KEY_NUMBER_FORMATS.get(column[len("number."):]) if column.startswith("number.") else None
    if column.startswith("number.") and isinstance(value, float):
        return fmt.format(value) if fmt is not None else f"{value:.4g}"  # e.g. seconds: 0.1863, not 0.18630944…
    return str(value)


def to_html(teacher_token: str, text: Callable[[str], str], generated: Optional[float] = None,
            label: Callable[[str], str] = str, number: Callable[[str], str] = str) -> str:
    """The printable page: class, students' runs and answers, the gallery's maps. ``text(key)`` translates the
    column titles and headings (keys of the ``class_report`` table); ``label(key)`` any other i18n key (the
    model's name: "CBOW · negative sampling", not ``skipgram``); ``number(name)`` a key number's column title
    ("loss" -> 损失); all user text is escaped."""
    from explorer.kinds import run_kind

    info = classes.teacher_class(teacher_token)
    table = rows(teacher_token)
    family = {}
    for r in classes.student_runs(teacher_token):
        try:
            family[(r.display_name, r.name, r.created)] = " · ".join(
                label(k) for k in run_kind(r.kind).family_label_keys(r.settings))
        except ExplorerError:  # a kind this version does not know: its stored name
            continue
    e = html.escape
    head = ["student", "run", "kind", "data", "created", "answered", "correct"]
    numbers = list(dict.fromkeys(k for row in table for k in row if k.startswith("number.")))
    body = "".join("<tr>" + "".join(f"<td>{e(_cell(row, c, family))}</td>" for c in head + numbers) + "</tr>"
                   for row in table)
    titles = "".join(f"<th>{e(text(c))}</th>" for c in head) + "".join(f"<th>{e(number(c[7:]))}</th>" for c in numbers)
    maps = "".join(f'<figure>{svg}<figcaption>{e(title)} · {e(author)}</figcaption></figure>'
                   for title, author, svg in _gallery_maps(info.teacher_ws))
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{e(info.name)}</title>
<style>body{{font-family:"Noto Sans CJK SC","Noto Sans",sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:2px 6px;font-size:12px}}figure{{display:inline-block;margin:8px}}
@media print{{figure{{break-inside:avoid}}}}</style></head><body>
<h1>{e(info.name)}</h1><p>{e(text("generated"))} {e(_when(generated or time.time()))} · {e(text("students"))}
{len(classes.members(info.id))}</p><h2>{e(text("runs"))}</h2><table><tr>{titles}</tr>{body}</table>
<h2>{e(text("gallery"))}</h2>{maps or "<p>" + e(text("no_gallery")) + "</p>"}</body></html>"""
