"""``class``: classes from the command line (create, join, roster, runs, limits, publish, withdraw).

``class create NAME`` prints JSON with the class id, the join code, the teacher link (it carries
the secret teacher token) and the student join link. Teacher commands take ``--teacher TOKEN``
(or ``$EXPLORER_TEACHER_TOKEN``); a wrong token is refused with one line (exit 2). ``class join
CODE --name NAME`` makes a student workspace for the command line and prints its token: export it
as ``EXPLORER_WORKSPACE`` so that ``submit`` and ``status`` act as that student, under the class's
limits.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from explorer import settings
from explorer.errors import ExplorerError


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The ``class`` command group (called from explorer.cli.build_parser)."""
    p = sub.add_parser("class", help="classes: create, join, roster, runs, limits, publish, withdraw")
    cs = p.add_subparsers(dest="class_command", required=True)

    def limit_flags(q: argparse.ArgumentParser, default: str) -> None:
        q.add_argument("--max-epochs", type=int, default=None, help=f"most epochs per training job (0: no limit) {default}")
        q.add_argument("--max-dim", type=int, default=None, help=f"largest vector size (0: no limit) {default}")
        q.add_argument("--max-corpus-mb", type=float, default=None,
                       help=f"largest training file in MB (0: no limit) {default}")
        q.add_argument("--max-jobs", type=int, default=None,
                       help=f"jobs queued or running at once per student (0: no limit) {default}")

    def teacher_flag(q: argparse.ArgumentParser) -> None:
        q.add_argument("--teacher", default=None, help="teacher token (default: $EXPLORER_TEACHER_TOKEN)")

    q = cs.add_parser("create", help="create a class; prints JSON with the teacher link and the join link")
    q.add_argument("name")
    q.add_argument("--base-url", default="", help="the app's address (default: $EXPLORER_BASE_URL or localhost:8501)")
    limit_flags(q, "(default: 0)")
    q = cs.add_parser("join", help="join a class as a student; prints the new workspace token as JSON")
    q.add_argument("code")
    q.add_argument("--name", required=True, help="display name shown to the teacher (required)")
    for name, text in (("roster", "students with their jobs and runs (JSON)"), ("runs", "every student's runs (JSON)")):
        teacher_flag(cs.add_parser(name, help=text))
    q = cs.add_parser("limits", help="show or set the class limits (JSON)")
    teacher_flag(q)
    limit_flags(q, "(default: unchanged)")
    q = cs.add_parser("publish", help="publish a student's run in the class gallery")
    teacher_flag(q)
    q.add_argument("run_id")
    q.add_argument("--description", default="", help="a line shown with the run in the gallery (default: none)")
    q = cs.add_parser("withdraw", help="remove a run from the class gallery")
    teacher_flag(q)
    q.add_argument("run_id")


def _limits(args: argparse.Namespace, base: dict) -> dict:
    out = dict(base)
    for name in ("max_epochs", "max_dim", "max_corpus_mb", "max_jobs"):
        value = getattr(args, name, None)
        if value is not None:
            out[name] = value
    return out


def _teacher(args: argparse.Namespace) -> str:
    token = args.teacher or settings.teacher_token()
    if not token:
        raise ExplorerError("--teacher: the teacher token is required (or set EXPLORER_TEACHER_TOKEN)")
    return token


def _print(obj: object) -> None:
    print(json.dumps(obj, indent=2, ensure_ascii=False))


def run(args: argparse.Namespace) -> int:
    from explorer.jobs import classes

    cmd = args.class_command
    if cmd == "create":
        info = classes.create_class(args.name, classes.Limits.from_dict(_limits(args, {})))
        _print({"class_id": info.id, "name": info.name, "code": info.code, **info.links(args.base_url),
                "teacher_token": info.teacher_token, "limits": asdict(info.limits)})
    elif cmd == "join":
        found = classes.join(args.code, args.name)
        _print({"workspace": found.workspace, "class_id": found.class_id, "display_name": found.display_name})
    elif cmd == "roster":
        _print([asdict(r) for r in classes.roster(_teacher(args))])
    elif cmd == "runs":
        _print([asdict(r) for r in classes.student_runs(_teacher(args))])
    elif cmd == "limits":
        token = _teacher(args)
        info = classes.teacher_class(token)
        wanted = _limits(args, asdict(info.limits))
        if wanted != asdict(info.limits):
            info = classes.set_limits(token, classes.Limits.from_dict(wanted))
        _print(asdict(info.limits))
    elif cmd == "publish":
        token = _teacher(args)
        owner = next((r.workspace for r in classes.student_runs(token) if r.run_id == args.run_id), None)
        if owner is None:
            raise ExplorerError(f"run {args.run_id[:40]}: no student of this class has it")
        classes.publish(token, owner, args.run_id, args.description)
        _print({"published": args.run_id})
    elif cmd == "withdraw":
        classes.withdraw(_teacher(args), args.run_id)
        _print({"withdrawn": args.run_id})
    return 0
