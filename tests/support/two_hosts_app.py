"""The "app server" side of tests/test_two_hosts.py: run inside the app host's namespaces, prints JSON.

It does what the Streamlit pages do through the same functions (``save_upload``, ``jobs.submit``,
``jobs.retry``, ``jobs.list_jobs``, ``list_runs``, ``load_run``), with the data home and the queue
taken from the environment (``EXPLORER_HOME``, ``EXPLORER_QUEUE_URL``) like the app server's.

    python -m tests.support.two_hosts_app wait-queue SECONDS
    python -m tests.support.two_hosts_app submit WORKSPACES JOBS      -> {"workspaces": [...], "jobs": [[id, ws], ...]}
    python -m tests.support.two_hosts_app retry ID:WS ...             -> {"retried": {old id: new id}}
    python -m tests.support.two_hosts_app clients                     -> {"addrs": ["ip:port", ...]} (Redis CLIENT LIST)
    python -m tests.support.two_hosts_app check WS ...                -> every job, run and leftover of those workspaces
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from explorer import jobs
from explorer.errors import ExplorerError
from explorer.jobs import queue, workspaces


def _corpus(seed: int) -> bytes:
    """A small made-up corpus: 10,000 lines of 10 words over a vocabulary of 200 (trained 60-62 epochs: about 1 s per job,
    long enough that a kill aimed mid-training lands there)."""
    rng = random.Random(seed)
    words = [f"w{seed}x{i}" for i in range(200)]
    return "".join(" ".join(rng.choice(words) for _ in range(10)) + "\n" for _ in range(10000)).encode()


def _spec(corpus: Path, epochs: int, name: str):
    from explorer.cli import build_parser
    from explorer.commands.kind_flags import spec_from_args

    args = build_parser().parse_args([
        "train", "skipgram", "--corpus", str(corpus), "--out", "/nonexistent/unused", "--lang", "pretokenized",
        "--dim", "16", "--epochs", str(epochs), "--workers", "1", "--frames", "3", "--seed", str(epochs)])
    spec = spec_from_args("skipgram", args)
    spec.name = name
    return spec


def wait_queue(seconds: float) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        try:
            queue.check_connection()
            return {"ok": True}
        except ExplorerError as exc:
            if time.monotonic() > deadline:
                return {"ok": False, "error": str(exc)}
            time.sleep(0.2)


def submit(n_workspaces: int, n_jobs: int) -> dict:
    tokens = [workspaces.new_token() for _ in range(n_workspaces)]
    corpora = [workspaces.save_upload(_corpus(i), ".txt") for i in range(n_workspaces)]
    submitted = []
    for j in range(n_jobs):  # interleaved, as students submit: ws0, ws1, ..., ws0, ...
        w = j % n_workspaces
        job = jobs.submit(_spec(corpora[w], 60 + j % 3, f"job {j}"), tokens[w])
        submitted.append([job, tokens[w]])
    return {"workspaces": tokens, "jobs": submitted}


def retry(pairs: list[str]) -> dict:
    out = {}
    for pair in pairs:
        job, ws = pair.split(":", 1)
        out[job] = jobs.retry(job, ws)
    return {"retried": out}


def clients() -> dict:
    conn = queue.get_huey().storage.conn
    return {"addrs": sorted(c["addr"] for c in conn.client_list())}


def check(tokens: list[str]) -> dict:
    from explorer.runs import load_run

    report: dict = {"jobs": [], "runs": {}, "leftovers": {}}
    for ws in tokens:
        for info in jobs.list_jobs(ws):
            row = jobs.job_row(info.id) or {}
            entry = {"id": info.id, "ws": ws, "state": info.state, "error": info.error, "run_dir": info.run_dir,
                     "run_id": row.get("run_id"), "attempts": row.get("attempts"),
                     "worker_host": row.get("worker_host"), "valid": None}
            if info.state == "done":
                try:
                    run = load_run(Path(info.run_dir))
                    entry["valid"] = bool(run.vectors.shape[0] == len(run.tokens) > 0 and run.vectors.shape[1] == 16)
                except ExplorerError as exc:
                    entry["valid"] = f"load_run: {exc}"
            report["jobs"].append(entry)
        runs = workspaces.runs_dir(ws)
        report["runs"][ws] = sorted(r.path.name for r in workspaces.list_runs(ws))
        report["leftovers"][ws] = sorted(p.name for p in runs.iterdir() if p.name.startswith("."))
    return report


def main(argv: list[str]) -> int:
    action, rest = argv[0], argv[1:]
    if action == "wait-queue":
        result = wait_queue(float(rest[0]))
    elif action == "submit":
        result = submit(int(rest[0]), int(rest[1]))
    elif action == "retry":
        result = retry(rest)
    elif action == "clients":
        result = clients()
    elif action == "check":
        result = check(rest)
    else:
        raise SystemExit(f"unknown action {action!r}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
