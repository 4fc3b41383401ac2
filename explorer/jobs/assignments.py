"""Assignments: the teacher fixes a kind, a shared dataset and some or all settings (with bounds) and a due time;
students see it on the Train page with the fixed fields locked and the bounds as the form's limits; the dashboard
shows each student's status.

One assignment per class at a time (a new one replaces it). A student's run *hands it in* when it is of the
assignment's kind, trained on its dataset, with the fixed values and within the bounds; it is late when it was
made after the due time. The rules are checked again on every submission (:func:`check_spec`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Optional

import explorer.jobs.classes as classes
from explorer.configs import field_specs
from explorer.errors import ExplorerError
from explorer.kinds import TrainingSpec, input_files, training_kind, training_kinds

STATUSES = ("not_started", "working", "handed_in", "late")


@dataclass
class Assignment:
    """What the students are asked to train."""

    title: str
    kind: str  # a training kind
    dataset: str = ""  # the shared upload to train on ("" = any data)
    fixed: dict[str, Any] = field(default_factory=dict)  # config field -> the value every student uses
    bounds: dict[str, list[Optional[float]]] = field(default_factory=dict)  # numeric field -> [low, high]
    due: float = 0.0  # epoch seconds; 0 = no due time

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Assignment:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def _bad(message: str, **params: Any) -> ExplorerError:
    return ExplorerError(f"assignment: {message.format(**params)}", code="assignment_invalid", problem=message.format(
        **params))


def validate(a: Assignment) -> Assignment:
    """The assignment, checked against its kind's config: known fields, valid fixed values, sane bounds."""
    if a.kind not in training_kinds():
        raise _bad("unknown kind {kind!r}", kind=a.kind)
    kind = training_kind(a.kind)
    specs = {s.name: s for s in field_specs(kind.config_cls)}
    for name in [*a.fixed, *a.bounds]:
        if name not in specs:
            raise _bad("{name!r} is not a setting of {kind}", name=name, kind=a.kind)
    kind.config_cls(**a.fixed).validate()  # refuses a fixed value the kind would refuse (one line, its own code)
    for name, (low, high) in a.bounds.items():
        if specs[name].type not in (int, float) or name in a.fixed:
            raise _bad("{name!r} cannot have bounds", name=name)
        for v in (low, high):
            if v is not None and (not isinstance(v, (int, float)) or not math.isfinite(v)):
                raise _bad("bounds of {name!r} must be finite numbers", name=name)
        if low is not None and high is not None and low > high:
            raise _bad("the low bound of {name!r} is above its high bound", name=name)
    if not isinstance(a.due, (int, float)) or not math.isfinite(a.due) or a.due < 0:
        raise _bad("the due time must be a date")
    a.title = classes.clean_name(a.title, "title")
    return a


def set_assignment(teacher_token: str, a: Assignment) -> Assignment:
    """Give the class this assignment (replacing the current one). The dataset must be shared with the class."""
    info = classes.teacher_class(teacher_token)
    a = validate(a)
    if a.dataset and a.dataset not in {d["path"] for d in classes.shared_datasets(info.teacher_ws)}:
        raise _bad("its dataset is not shared with the class")
    classes.connect().execute("INSERT OR REPLACE INTO assignments (class_id, assignment, set_at) VALUES (?, ?, ?)",
                              (info.id, json.dumps(asdict(a)), time.time()))
    return a


def clear_assignment(teacher_token: str) -> None:
    info = classes.teacher_class(teacher_token)
    classes.connect().execute("DELETE FROM assignments WHERE class_id = ?", (info.id,))


def assignment_of(workspace: str) -> Optional[Assignment]:
    """The assignment of the workspace's class (student or teacher), None when there is none."""
    info = classes.class_of(workspace)
    if info is None:
        return None
    row = classes.connect().execute("SELECT assignment FROM assignments WHERE class_id = ?", (info.id,)).fetchone()
    return Assignment.from_dict(json.loads(row["assignment"])) if row is not None else None


def form_bounds(workspace: str, kind: str) -> dict[str, tuple[Optional[float], Optional[float]]]:
    """Config field -> (low, high) for the Train form of a class member: the class's limits (epochs, vector size)
    and, for the assignment's kind, its bounds. Empty outside a class."""
    info = classes.class_of(workspace) if classes.member(workspace) is not None else None
    if info is None or kind not in training_kinds():
        return {}
    out: dict[str, tuple[Optional[float], Optional[float]]] = {}
    limits = {"epochs": info.limits.max_epochs, "dim": info.limits.max_dim}
    for limit, name in training_kind(kind).limited_config_fields().items():
        if limits.get(limit):
            out[name] = (None, float(limits[limit]))
    a = assignment_of(workspace)
    if a is not None and a.kind == kind:
        for name, (low, high) in a.bounds.items():
            old_low, old_high = out.get(name, (None, None))
            out[name] = (low if old_low is None else max(low or old_low, old_low),
                         high if old_high is None else min(high if high is not None else old_high, old_high))
    return out


def _matches(a: Assignment, kind: str, config: Any, inputs: dict[str, Path]) -> bool:
    """Whether a run or spec of ``kind`` with ``config`` (the kind's config dataclass) and ``inputs`` is the
    assignment's: same kind and dataset (by upload path or content hash)."""
    if kind != a.kind:
        return False
    if not a.dataset:
        return True
    stem = Path(a.dataset).name.split(".")[0]
    return any(str(p) == a.dataset or Path(str(p)).name.split(".")[0] == stem for p in inputs.values())


def problems(a: Assignment, config: Any) -> list[str]:
    """The fixed values and bounds ``config`` breaks (field names; empty when it keeps them all)."""
    out = [name for name, value in a.fixed.items() if getattr(config, name, None) != value]
    for name, (low, high) in a.bounds.items():
        value = getattr(config, name, None)
        if value is None or (low is not None and value < low) or (high is not None and value > high):
            out.append(name)
    return out


def check_spec(workspace: str, spec: TrainingSpec) -> None:
    """Refuse a class student's submission for the assignment (its kind on its dataset) that breaks its rules."""
    if classes.member(workspace) is None:
        return
    a = assignment_of(workspace)
    if a is None or not _matches(a, spec.kind, spec.config, input_files(spec.data)):
        return
    broken = problems(a, spec.config)
    if broken:
        raise ExplorerError(f"{broken[0]}: the assignment {a.title!r} fixes or bounds this setting",
                            code="assignment_broken", field=broken[0], title=a.title)


@dataclass
class Status:
    display_name: str
    workspace: str
    status: str  # one of STATUSES
    run_name: str = ""
    when: str = ""


def statuses(teacher_token: str) -> list[Status]:
    """Each student's status for the class's assignment (empty when there is none)."""
    from explorer.jobs.table import list_jobs
    from explorer.jobs.workspaces import list_runs

    info = classes.teacher_class(teacher_token)
    a = assignment_of(info.teacher_ws)
    if a is None:
        return []
    out = []
    for m in classes.members(info.id):
        handed = []
        for run in list_runs(m.workspace):
            try:
                config = run.settings
            except ExplorerError:
                continue
            data = run.config.get("data") or {}
            inputs = {k: Path(v) for k, v in data.items() if isinstance(v, str)}
            if config is not None and _matches(a, run.kind, config, inputs) and not problems(a, config):
                handed.append(run)
        if handed:
            first = min(handed, key=lambda r: r.created)
            made = dt.datetime.fromisoformat(first.created).timestamp() if first.created else time.time()
            state = "late" if a.due and made > a.due else "handed_in"
            out.append(Status(m.display_name, m.workspace, state, first.name, first.created[:16].replace("T", " ")))
        elif any(j.active for j in list_jobs(m.workspace)):
            out.append(Status(m.display_name, m.workspace, "working"))
        else:
            out.append(Status(m.display_name, m.workspace, "not_started"))
    return out
