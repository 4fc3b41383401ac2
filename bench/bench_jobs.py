"""Benchmark of the job queue against the targets of issue 4 (results: bench/results_jobs.md).

    python bench/bench_jobs.py [--reps 20] [--no-redis]

Measures, for the SQLite storage (default) and the Redis storage side by side:

* submit -> running with an idle worker (target <= 1 s);
* cancel -> cancelled of a running job (target <= 2 s);
* 30 simulated students submitting at once from 30 workspaces: submit latency, time until all
  are done, executions counted (none lost, none duplicated);
* the cost of a page's polling reads (jobs.get, jobs.list_jobs, worker.ensure_worker) while a real
  Skip-gram job trains in the worker (target: a page rerun < 300 ms).

Jobs other than the Skip-gram one are the test-only "sleep" kind of tests/support/jobs.py, so the
numbers measure the queue, not training. Everything runs in a temporary EXPLORER_HOME.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from explorer import jobs  # noqa: E402
from explorer.jobs import worker, workspaces  # noqa: E402
from tests.support import jobs as S  # noqa: E402

S.register()


def stats(values: list[float], scale: float = 1.0) -> str:
    v = sorted(x * scale for x in values)
    p95 = v[min(len(v) - 1, int(round(0.95 * (len(v) - 1))))]
    return f"{statistics.median(v):.2f} / {p95:.2f} / {v[-1]:.2f}"


def idle_submit_to_running(ws: str, reps: int) -> list[float]:
    out = []
    for i in range(reps):
        time.sleep(1.5)  # the worker is idle: its queue polling has backed off to the slowest rate
        start = time.monotonic()
        job = jobs.submit(S.sleep_spec(f"idle{i}", steps=1), ws)
        info = jobs.get(job)
        while info.state == "queued":
            time.sleep(0.005)
            info = jobs.get(job)
        out.append(time.monotonic() - start)
        S.wait_state(job, "done", 30)
    return out


def cancel_latency(ws: str, reps: int) -> list[float]:
    out = []
    for i in range(reps):
        job = jobs.submit(S.sleep_spec(f"cancel{i}", steps=10_000, step_s=0.05), ws)
        S.wait_state(job, "running", 30)
        time.sleep(0.3)
        start = time.monotonic()
        assert jobs.cancel(job, ws)
        S.wait_state(job, "cancelled", 30)
        out.append(time.monotonic() - start)
    return out


def thirty_students(home: Path) -> dict:
    tokens = [workspaces.new_token() for _ in range(30)]
    ids: dict[int, str] = {}
    submit_s: list[float] = []
    barrier = threading.Barrier(30)

    def student(i: int) -> None:
        barrier.wait()
        t0 = time.monotonic()
        ids[i] = jobs.submit(S.sleep_spec(f"student{i}", steps=5, step_s=0.02), tokens[i])
        submit_s.append(time.monotonic() - t0)

    before = len(S.executions(home))
    start = time.monotonic()
    threads = [threading.Thread(target=student, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    S.wait_for(lambda: all(jobs.get(j).state == "done" for j in ids.values()), 600, "30 jobs", 0.1)
    total = time.monotonic() - start
    runs = S.executions(home)[before:]
    tags = sorted(f"student{i}" for i in range(30))
    return {"submit": submit_s, "total": total, "lost": len(set(tags) - set(runs)),
            "duplicated": len(runs) - len(set(runs)), "done": sum(jobs.get(j).state == "done" for j in ids.values())}


def polling_cost(ws: str, tmp: Path, reps: int) -> dict:
    from explorer.cli import build_parser
    from explorer.commands.train import spec_from_args
    from explorer.samples.corpus import write_sample_corpus

    corpus, labels = write_sample_corpus(tmp)
    args = build_parser().parse_args(["train", "skipgram", "--corpus", str(corpus), "--labels", str(labels),
                                      "--out", str(tmp / "unused"), "--dim", "50", "--epochs", "30"])
    for i in range(28):  # a student's page lists ~30 jobs
        jobs.submit(S.sleep_spec(f"history{i}", steps=1), ws)
    S.wait_for(lambda: all(not j.active for j in jobs.list_jobs(ws)), 120, "history jobs", 0.1)
    job = jobs.submit(spec_from_args(args), ws)
    S.wait_for(lambda: jobs.get(job).state == "running" and jobs.get(job).stage == "train", 240, "training", 0.1)
    os.environ["EXPLORER_START_WORKER"] = "1"  # as in the app: ensure_worker probes the worker lock
    get_s, list_s, ensure_s = [], [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        jobs.get(job)
        t1 = time.perf_counter()
        jobs.list_jobs(ws)
        t2 = time.perf_counter()
        worker.ensure_worker()
        t3 = time.perf_counter()
        get_s.append(t1 - t0)
        list_s.append(t2 - t1)
        ensure_s.append(t3 - t2)
        time.sleep(0.02)
    os.environ["EXPLORER_START_WORKER"] = "0"
    info = jobs.get(job)
    still_training = info.state == "running"
    jobs.cancel(job, ws)
    S.wait_state(job, ("cancelled", "done", "failed"), 30)
    return {"get": get_s, "list": list_s, "ensure": ensure_s, "training": still_training,
            "progress": info.progress, "rate": info.rate}


def start_redis() -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([shutil.which("redis-server") or "redis-server", "--port", str(port), "--bind",
                             "127.0.0.1", "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    import redis

    client = redis.Redis(port=port)
    for _ in range(200):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    return proc, f"redis://127.0.0.1:{port}/0"


def run_storage(label: str, queue_url: str | None, reps: int, poll_reps: int) -> list[str]:
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-jobs-{label}-"))
    home = tmp / "home"
    home.mkdir()
    os.environ["EXPLORER_HOME"] = str(home)
    os.environ["EXPLORER_START_WORKER"] = "0"
    env = {}
    if queue_url:
        os.environ["EXPLORER_QUEUE_URL"] = env["EXPLORER_QUEUE_URL"] = queue_url
    else:
        os.environ.pop("EXPLORER_QUEUE_URL", None)
    proc = S.start_worker(home, env={**env, "EXPLORER_WORKER_PRELOAD": "1"})
    try:
        ws = workspaces.new_token()
        idle = idle_submit_to_running(ws, reps)
        cancel = cancel_latency(ws, max(5, reps // 2))
        crowd = thirty_students(home)
        poll = polling_cost(workspaces.new_token(), tmp, poll_reps)
    finally:
        S.stop_worker(proc)
        shutil.rmtree(tmp, ignore_errors=True)
    return [
        f"| {label} | submit -> running, idle worker (s), n={len(idle)} | {stats(idle)} | <= 1 |",
        f"| {label} | cancel -> cancelled, running job (s), n={len(cancel)} | {stats(cancel)} | <= 2 |",
        f"| {label} | 30 students: one submit call (ms) | {stats(crowd['submit'], 1e3)} | |",
        f"| {label} | 30 students: all 30 done (s) | {crowd['total']:.1f} | |",
        f"| {label} | 30 students: done / lost / duplicated | {crowd['done']} / {crowd['lost']} / {crowd['duplicated']} "
        f"| 30 / 0 / 0 |",
        f"| {label} | poll while training: jobs.get (ms), n={len(poll['get'])} | {stats(poll['get'], 1e3)} | |",
        f"| {label} | poll while training: jobs.list_jobs, 30 jobs (ms) | {stats(poll['list'], 1e3)} | |",
        f"| {label} | poll while training: worker.ensure_worker (ms) | {stats(poll['ensure'], 1e3)} | < 10 |",
        f"| {label} | (training still running at the end: {poll['training']}, {poll['rate'] or 0:,.0f} words/s) | | |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--poll-reps", type=int, default=200)
    parser.add_argument("--no-redis", action="store_true")
    args = parser.parse_args()
    load = os.getloadavg()
    rows = ["| storage | measure | median / p95 / max | target |", "|---|---|---|---|"]
    rows += run_storage("sqlite", None, args.reps, args.poll_reps)
    if not args.no_redis and shutil.which("redis-server"):
        redis_proc, url = start_redis()
        try:
            rows += run_storage("redis", url, args.reps, args.poll_reps)
        finally:
            redis_proc.terminate()
            redis_proc.wait(10)
    print(f"cpu cores: {os.cpu_count()}, python {sys.version.split()[0]}, 1-min load average before: {load[0]:.1f}, "
          f"after: {os.getloadavg()[0]:.1f}")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
