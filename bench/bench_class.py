"""A class on one server: N students against one ``streamlit run app.py`` (and the worker it starts).

    python bench/bench_class.py [--students 30] [--browsers 5] [--cli 5] [--long-words 7000]
                                [--arrive-over 60] [--port 8615] [--json bench/out/class.json]

What happens (all against one data home, one server, one auto-started worker with its default lanes):

1. the teacher creates the class with the command line (``python -m explorer class create``);
2. one student owns a ~7,000-word model (an imported run of planted-cluster vectors) and requests its
   t-SNE 3D; the class starts once that long job runs;
3. the other students arrive spread over ``--arrive-over`` seconds (people take time to open a link and
   pick data). Each joins with the class code, picks the sample corpus or uploads a small text of its own,
   trains, requests a t-SNE or UMAP (alternating), and opens the result:
   * ``--browsers`` of them are real browser sessions (Playwright contexts on /usr/bin/chromium): join
     link -> display name -> Train page -> Train -> "Finished" -> Open in Explore -> t-SNE -> chart drawn;
   * ``--cli`` of them use the command line (``class join``, ``submit``, ``status`` polled every second);
   * the rest use the job API in threads (``classes.join``, ``jobs.submit``, ``jobs.submit_projection``,
     ``jobs.get`` polled, then the cached coordinates and the neighbours loaded as Explore does).

Recorded per student: seconds from Train to a trained model and from the projection request to visible
coordinates (a drawn chart in the browsers); errors shown (browser: exception boxes and error alerts;
others: exceptions / failed jobs); jobs lost (not done at the end) or run twice (attempts > 1); how long
each small job waited in the queue while the long job ran; server + worker resident memory (sampled
every second, summed over the processes). Prints a Markdown summary and writes JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--enable-unsafe-swiftshader",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
CHART = '[data-testid="stPlotlyChart"] .main-svg'
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'  # Streamlit runs no script


@dataclass
class Student:
    name: str
    how: str  # browser | cli | api
    dataset: str = ""
    method: str = ""
    train_s: Optional[float] = None
    projection_s: Optional[float] = None
    queue_wait_s: list[float] = field(default_factory=list)  # per job: started - created
    errors: list[str] = field(default_factory=list)
    jobs: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- processes and memory


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of one process so far (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK
    except (OSError, IndexError, ValueError):
        return 0.0


def _comm(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return out


def _tree(pid: int) -> list[int]:
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p not in seen:
            seen.append(p)
            todo += _children(p)
    return seen


class MemorySampler(threading.Thread):
    """Sums the resident memory of the server and the worker process trees every second, and keeps
    the CPU seconds of every process seen, by part: server, worker, browsers (chromium and Playwright's
    driver) and command-line students (``python -m explorer``), so a run says where the cores went."""

    def __init__(self, server_pid: int, home: Path) -> None:
        super().__init__(daemon=True)
        self.server_pid, self.home = server_pid, home
        self.peak_mb = 0.0
        self.samples: list[float] = []
        self.stop = threading.Event()
        self.cpu: dict[int, tuple[str, float]] = {}  # pid -> (part, last CPU seconds seen)

    def _note_cpu(self, pids: set[int], part: str) -> None:
        for pid in pids:
            known_part, seen = self.cpu.get(pid, (part, 0.0))
            used = _cpu_s(pid)
            if used > seen:
                self.cpu[pid] = (known_part, used)

    def cpu_by_part(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for part, used in self.cpu.values():
            out[part] = round(out.get(part, 0.0) + used, 1)
        return out

    def worker_pids(self) -> list[int]:
        import sqlite3

        try:
            with sqlite3.connect(self.home / "jobs.sqlite", timeout=5) as conn:
                return [int(r[0]) for r in conn.execute("SELECT pid FROM workers WHERE stopped IS NULL")]
        except sqlite3.Error:
            return []

    def run(self) -> None:
        while not self.stop.wait(1.0):
            pids = set(_tree(self.server_pid))
            self._note_cpu(pids, "server")
            workers: set[int] = set()
            for w in self.worker_pids():
                workers.update(_tree(w))
            self._note_cpu(workers, "worker")
            pids |= workers
            others = set(_tree(os.getpid())) - pids - {os.getpid()}
            self._note_cpu({p for p in others if "explorer" in _comm(p)}, "cli")
            self._note_cpu({p for p in others if "explorer" not in _comm(p)}, "browsers")
            total = sum(_rss_mb(p) for p in pids)
            self.samples.append(total)
            self.peak_mb = max(self.peak_mb, total)


def _free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def start_server(home: Path, port: int) -> subprocess.Popen:
    env = dict(os.environ, EXPLORER_HOME=str(home), EXPLORER_NO_PROGRESS="1", EXPLORER_WORKER_IDLE_EXIT="600")
    env.pop("EXPLORER_START_WORKER", None)
    if not _free(port):
        raise SystemExit(f"port {port} is busy")
    log = open(home / "server.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    raise SystemExit("streamlit did not start")


def kill_group(pid: int, grace_s: float = 3.0) -> None:
    """SIGTERM the process group of ``pid``, SIGKILL it if it still lives after ``grace_s``; return once it is gone
    (a child of ours is reaped), or after ``grace_s`` more."""
    try:
        pgid = os.getpgid(pid)
    except ProcessLookupError:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except (ProcessLookupError, PermissionError):
            return
        deadline = time.monotonic() + grace_s
        while time.monotonic() < deadline:
            try:
                os.waitpid(pid, os.WNOHANG)  # a child of ours (the server) is reaped: a zombie would count as alive
            except ChildProcessError:
                pass
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)


# --------------------------------------------------------------------------- students


def _wait_job(job_id: str, timeout: float = 600) -> Any:
    from explorer import jobs

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = jobs.get(job_id)
        if info is not None and not info.active:
            return info
        time.sleep(0.2)
    return jobs.get(job_id)


def small_text(seed: int) -> bytes:
    """A student's own small corpus: shuffled lines of the sample (a different file per student)."""
    from explorer.samples.files import sample_files

    lines = sample_files().corpus.read_text(encoding="utf-8").splitlines()
    rng = random.Random(seed)
    rng.shuffle(lines)
    return ("\n".join(lines[: max(200, len(lines) // 8)]) + "\n").encode("utf-8")


def api_student(s: Student, code: str, index: int) -> None:
    from explorer import jobs
    from explorer.analysis import neighbors, projection
    from explorer.jobs import classes, workspaces
    from explorer.runs import load_run
    from explorer.samples.files import sample_files

    try:
        ws = classes.join(code, s.name).workspace
        if index % 2:
            corpus = workspaces.save_upload(small_text(index), ".txt")
            s.dataset = "upload"
        else:
            corpus = sample_files().corpus
            s.dataset = "sample"
        t0 = time.monotonic()
        job = jobs.submit({"kind": "skipgram", "name": s.name, "data": {"corpus": str(corpus)}}, ws)
        s.jobs.append(job)
        info = _wait_job(job)
        if info.state != "done":
            s.errors.append(f"training {info.state}: {info.error}")
            return
        s.train_s = time.monotonic() - t0
        s.method = "tsne" if index % 4 < 2 else "umap"
        t1 = time.monotonic()
        pjob = jobs.submit_projection(info.run_dir, s.method, 2, {}, ws)
        s.jobs.append(pjob)
        pinfo = _wait_job(pjob)
        if pinfo.state != "done":
            s.errors.append(f"projection {pinfo.state}: {pinfo.error}")
            return
        coords = projection.cached_projection(Path(info.run_dir), s.method, 2)  # loads the cache, as Explore does
        load_run(Path(info.run_dir))
        neighbors.index_for(Path(info.run_dir)).query(0, 10)
        s.projection_s = time.monotonic() - t1
        assert coords.shape[1] == 2
    except Exception as exc:  # noqa: BLE001 -- every failure counts as an error shown to this student
        s.errors.append(f"{type(exc).__name__}: {exc}")


def _cli(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "explorer", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def cli_student(s: Student, code: str, index: int, home: Path) -> None:
    env = dict(os.environ, EXPLORER_HOME=str(home))
    try:
        done = _cli(["class", "join", code, "--name", s.name], env)
        if done.returncode:
            s.errors.append(done.stderr.strip())
            return
        env["EXPLORER_WORKSPACE"] = json.loads(done.stdout)["workspace"]
        corpus = home / "students" / f"{index}.txt"
        corpus.parent.mkdir(exist_ok=True)
        corpus.write_bytes(small_text(index))
        s.dataset = "upload (CLI)"
        t0 = time.monotonic()
        done = _cli(["submit", "skipgram", "--corpus", str(corpus), "--out", str(home / "students" / f"run{index}")], env)
        if done.returncode:
            s.errors.append(done.stderr.strip())
            return
        job = done.stdout.strip().splitlines()[0]
        s.jobs.append(job)
        while True:
            status = _cli(["status", job], env)
            if status.returncode:
                s.errors.append(status.stderr.strip())
                return
            state = json.loads(status.stdout)
            if state["state"] not in ("queued", "running"):
                break
            time.sleep(1.0)
        if state["state"] != "done":
            s.errors.append(f"training {state['state']}: {state['error']}")
            return
        s.train_s = time.monotonic() - t0
        s.method = "pca (CLI project)"
        t1 = time.monotonic()
        done = _cli(["project", str(home / "students" / f"run{index}"), "--method", "pca", "--out",
                     str(home / "students" / f"p{index}.csv")], env)
        if done.returncode:
            s.errors.append(done.stderr.strip())
            return
        s.projection_s = time.monotonic() - t1
    except Exception as exc:  # noqa: BLE001
        s.errors.append(f"{type(exc).__name__}: {exc}")


async def browser_student(browser: Any, s: Student, url: str, code: str, shots: Path) -> None:
    context = await browser.new_context(viewport={"width": 1300, "height": 1000}, locale="en-US")
    page = await context.new_page()
    page.set_default_timeout(240_000)
    s.dataset, s.method = "sample", "tsne"
    try:
        await page.goto(f"{url}/?join={code}")
        await page.get_by_label("Your display name").fill(s.name)
        await page.get_by_role("button", name="Join").click()
        await page.wait_for_url(re.compile(r"ws="))
        nav = '[data-testid="stSidebarNavLink"]'
        await page.locator(nav).filter(has_text=re.compile("Train$")).wait_for()
        if await page.locator(nav).filter(has_text=re.compile("Teacher$")).count():
            s.errors.append("the student's menu lists the teacher's page")
        await page.locator(nav).filter(has_text=re.compile("Train$")).click()
        await page.get_by_text("Data: sample_corpus.txt").wait_for()
        t0 = time.monotonic()
        await page.locator('[data-testid="stFormSubmitButton"] button').click()
        await page.get_by_text(re.compile(r"Finished in [0-9.]+ s")).wait_for()
        s.train_s = time.monotonic() - t0
        await page.get_by_role("button").filter(has_text="Open in Explore").first.click()
        await page.locator(CHART).first.wait_for()
        t1 = time.monotonic()
        await page.get_by_role("radio", name="t-SNE").click()
        await page.wait_for_timeout(500)
        await page.get_by_text("nearest neighbours of").first.wait_for()
        await page.wait_for_function(
            "() => !document.body.innerText.includes('in the background') && "
            "document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .main-svg').length > 0",
            polling=250, timeout=240_000)
        s.projection_s = time.monotonic() - t1
        await page.screenshot(path=str(shots / f"class_{s.name}.png"), full_page=True)
    except Exception as exc:  # noqa: BLE001
        s.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
        try:
            await page.screenshot(path=str(shots / f"class_{s.name}_failed.png"), full_page=True)
        except Exception:  # noqa: BLE001
            pass
    try:
        shown = await page.locator(ERRORS).all_inner_texts()
        s.errors += [f"shown: {' '.join(t.split())[:200]}" for t in shown]
    except Exception:  # noqa: BLE001
        pass
    await context.close()


async def teacher_screens(browser: Any, teacher_link: str, shots: Path) -> list[str]:
    """The teacher's dashboard after the class, in English and Chinese (screenshots to look at)."""
    problems: list[str] = []
    context = await browser.new_context(viewport={"width": 1300, "height": 1400}, locale="en-US")
    page = await context.new_page()
    page.set_default_timeout(120_000)
    try:
        await page.goto(teacher_link)  # the class was created with --base-url of this server
        await page.get_by_text("Roster").first.wait_for()
        join_link = (await page.locator('[data-testid="stCode"]').first.inner_text()).strip()
        if not join_link.startswith(teacher_link.split("/teacher?")[0] + "/?join="):
            problems.append(f"the dashboard's join link {join_link!r} is not this server's address")
        await page.locator(IDLE).wait_for(state="attached")  # the page's run has ended: all of it is drawn
        await page.screenshot(path=str(shots / "class_teacher_en.png"), full_page=True)
        await page.get_by_role("radio", name="中文").click()
        await page.get_by_text("学生名单").first.wait_for()
        await page.locator(IDLE).wait_for(state="attached")  # the page's run has ended: all of it is drawn
        await page.screenshot(path=str(shots / "class_teacher_zh.png"), full_page=True)
        problems.extend(await page.locator(ERRORS).all_inner_texts())
    except Exception as exc:  # noqa: BLE001
        problems.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
    await context.close()
    return problems


def run_browsers(students: list[Student], url: str, code: str, delays: list[float], shots: Path,
                 teacher_link: str = "", teacher_problems: Optional[list[str]] = None) -> None:
    from playwright.async_api import async_playwright

    async def main() -> None:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

            async def one(s: Student, delay: float) -> None:
                await asyncio.sleep(delay)
                await browser_student(browser, s, url, code, shots)

            await asyncio.gather(*(one(s, d) for s, d in zip(students, delays, strict=True)))
            if teacher_link and teacher_problems is not None:
                teacher_problems.extend(await teacher_screens(browser, teacher_link, shots))
            await browser.close()

    asyncio.run(main())


# --------------------------------------------------------------------------- the class


def big_model(ws: str, words: int) -> Path:
    """A ~``words``-word model in the student's workspace: planted-cluster vectors (n, 100), as an import."""
    import numpy as np

    from explorer.jobs import workspaces
    from explorer.runs import atomic_run_dir, save_vectors, write_config, write_json

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(30, 100)) * 4
    x = (centres[rng.integers(0, 30, words)] + rng.normal(size=(words, 100))).astype(np.float32)
    out = workspaces.runs_dir(ws) / workspaces.new_run_id()
    with atomic_run_dir(out) as tmp:
        save_vectors(tmp, x, [f"word{i}" for i in range(words)], list(range(words, 0, -1)))
        write_config(tmp, "imported", {"dim": 100}, {"source": "bench"}, name=f"big {words}")
        write_json(tmp / "metrics.json", {})
    return out


def pct(values: list[float], q: float) -> Optional[float]:
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def summary(values: list[float]) -> dict[str, Optional[float]]:
    return {"n": len(values), "median": statistics.median(values) if values else None, "p95": pct(values, 0.95),
            "max": max(values) if values else None}


def run_class(students: int = 30, browsers: int = 5, cli: int = 5, long_words: int = 7000, arrive_over: float = 60.0,
              port: int = 8615, home: Optional[Path] = None, shots: Optional[Path] = None) -> dict[str, Any]:
    """Run the class; return the measurements (see the module docstring)."""
    home = Path(home or tempfile.mkdtemp(prefix="class-bench-"))
    home.mkdir(parents=True, exist_ok=True)
    os.environ["EXPLORER_HOME"] = str(home)
    os.environ.pop("EXPLORER_START_WORKER", None)
    shots = Path(shots or ROOT / "tests" / "artifacts")
    shots.mkdir(parents=True, exist_ok=True)
    from explorer import jobs
    from explorer.jobs import classes, worker
    from explorer.jobs.sample_job import ensure_sample_job
    from explorer.samples.files import sample_files

    load_before = os.getloadavg()
    own_cpu = os.times()
    server = start_server(home, port)
    url = f"http://127.0.0.1:{port}"
    sampler = MemorySampler(server.pid, home)
    sampler.start()
    try:
        worker.ensure_worker()  # what the first page visit does ...
        _wait_job(ensure_sample_job(), 600)  # ... with the bundled sample: the teacher opened the app before class
        made = json.loads(_cli(["class", "create", "Load test", "--base-url", url], dict(os.environ)).stdout)
        code = made["code"]
        long_ws = classes.join(code, "long-tsne").workspace
        long_job = jobs.submit_projection(str(big_model(long_ws, long_words)), "tsne", 3, {}, long_ws)
        deadline = time.monotonic() + 120
        while jobs.get(long_job).state == "queued" and time.monotonic() < deadline:
            time.sleep(0.2)
        # the probe: one small job of another workspace while only the long job runs
        probe_ws = classes.join(code, "probe").workspace
        probe = jobs.submit({"kind": "skipgram", "name": "probe", "data": {"corpus": str(sample_files().corpus)}},
                            probe_ws)
        while jobs.get(probe).state == "queued" and time.monotonic() < deadline + 60:
            time.sleep(0.05)
        probe_row = jobs.job_row(probe)
        probe_start_s = (probe_row["started"] or time.time()) - probe_row["queued_at"]
        long_running_then = jobs.get(long_job).state == "running"
        _wait_job(probe, 600)
        class_started = time.time()
        people = [Student(f"s{i:02d}", "browser" if i < browsers else "cli" if i < browsers + cli else "api")
                  for i in range(students - 1)]
        rng = random.Random(1)
        delays = [rng.uniform(0, arrive_over) for _ in people]
        threads = []
        for i, (s, d) in enumerate(zip(people, delays, strict=True)):
            if s.how == "api":
                target = lambda s=s, d=d, i=i: (time.sleep(d), api_student(s, code, i))  # noqa: E731
            elif s.how == "cli":
                target = lambda s=s, d=d, i=i: (time.sleep(d), cli_student(s, code, i, home))  # noqa: E731
            else:
                continue
            threads.append(threading.Thread(target=target, daemon=True))
        b_people = [s for s in people if s.how == "browser"]
        b_delays = [d for s, d in zip(people, delays, strict=True) if s.how == "browser"]
        teacher_problems: list[str] = []
        if b_people:
            threads.append(threading.Thread(target=run_browsers, daemon=True, args=(
                b_people, url, code, b_delays, shots, made["teacher_link"], teacher_problems)))
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=900)
        wall = time.monotonic() - started
        long_info = _wait_job(long_job, 600)
    finally:
        sampler.stop.set()
        kill_group(server.pid)
        for pid in sampler.worker_pids():
            kill_group(pid)
    # the job table's view: lost, twice, queue waits of small jobs while the long job ran
    import sqlite3

    with sqlite3.connect(home / "jobs.sqlite") as conn:
        conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in conn.execute("SELECT * FROM jobs")]
    by_id = {r["id"]: r for r in rows}
    long_row = by_id[long_job]
    small_waits = [r["started"] - r["queued_at"] for r in rows if r["id"] != long_job and r["started"]
                   and long_row["started"] and long_row["started"] <= r["queued_at"] <= (long_row["finished"] or 1e18)
                   and r["kind"] != "projection"]
    lost = [r["id"] for r in rows if r["state"] != "done"]
    twice = [r["id"] for r in rows if r["attempts"] > 1]
    train = [s.train_s for s in people if s.train_s is not None]
    proj = [s.projection_s for s in people if s.projection_s is not None]
    load_after = os.getloadavg()
    now_cpu = os.times()
    cpu = sampler.cpu_by_part()
    cpu["bench process (API students, harness)"] = round(now_cpu.user + now_cpu.system - own_cpu.user - own_cpu.system, 1)
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.processor() or platform.machine(),
        "cores": os.cpu_count(), "load_before": load_before, "load_after": load_after,
        "students": students, "browsers": browsers, "cli": cli, "arrive_over_s": arrive_over, "wall_s": wall,
        "long_job": {"words": long_words, "state": long_info.state if long_info else None,
                     "seconds": (long_row["finished"] or 0) - (long_row["started"] or 0)},
        "train_s": summary(train), "projection_s": summary(proj),
        "train_s_by_how": {h: summary([s.train_s for s in people if s.how == h and s.train_s is not None])
                           for h in ("browser", "cli", "api")},
        "probe_small_job_start_s": probe_start_s, "probe_long_job_was_running": long_running_then,
        "queue_wait_while_long_runs_s": summary(small_waits),
        "jobs": len(rows), "lost": lost, "twice": twice,
        "errors": {s.name: s.errors for s in people if s.errors},
        "memory_peak_mb": round(sampler.peak_mb, 1), "class_started": class_started, "cpu_s_by_part": cpu,
        "teacher_dashboard_problems": teacher_problems,
        "per_student": [asdict(s) for s in people],
    }


def markdown(r: dict[str, Any]) -> str:
    def row(name: str, s: dict) -> str:
        def f(v: Optional[float]) -> str:
            return "–" if v is None else f"{v:.1f}"

        return f"| {name} | {s['n']} | {f(s['median'])} | {f(s['p95'])} | {f(s['max'])} |"

    lines = [f"Class of {r['students']} ({r['browsers']} browsers, {r['cli']} CLI, rest job API), arriving over "
             f"{r['arrive_over_s']:.0f} s, {r['cores']} cores, load {r['load_before'][0]:.1f} before / "
             f"{r['load_after'][0]:.1f} after, {r['date']}",
             f"long job: t-SNE 3D of {r['long_job']['words']} words, {r['long_job']['state']}, "
             f"{r['long_job']['seconds']:.1f} s", "",
             "| seconds | n | median | p95 | max |", "|---|---|---|---|---|",
             row("Train → trained model", r["train_s"]), row("projection request → visible", r["projection_s"]),
             row("class's training jobs: queued → running (while the long job ran)", r["queue_wait_while_long_runs_s"])]
    for how, s in r["train_s_by_how"].items():
        lines.append(row(f"Train → model ({how})", s))
    lines += ["", f"probe: a small job of another workspace, submitted while the long job ran "
                  f"({'running' if r['probe_long_job_was_running'] else 'NOT running'}), was running after "
                  f"{r['probe_small_job_start_s']:.2f} s", "", f"jobs {r['jobs']}, lost {len(r['lost'])}, run twice {len(r['twice'])}, students with errors "
                  f"{len(r['errors'])}, server + workers peak RSS {r['memory_peak_mb']:.0f} MB, wall {r['wall_s']:.0f} s"]
    if r.get("cpu_s_by_part"):
        lines.append("CPU seconds by part (sampled every second): "
                     + ", ".join(f"{k} {v:.0f}" for k, v in sorted(r["cpu_s_by_part"].items())))
    if r.get("teacher_dashboard_problems"):
        lines.append(f"- teacher dashboard: {'; '.join(r['teacher_dashboard_problems'])[:300]}")
    for name, errs in r["errors"].items():
        lines.append(f"- {name}: {'; '.join(errs)[:300]}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=30)
    ap.add_argument("--browsers", type=int, default=5)
    ap.add_argument("--cli", type=int, default=5)
    ap.add_argument("--long-words", type=int, default=7000)
    ap.add_argument("--arrive-over", type=float, default=60.0)
    ap.add_argument("--port", type=int, default=8615)
    ap.add_argument("--keep-home", action="store_true")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="class-bench-"))
    try:
        result = run_class(args.students, args.browsers, args.cli, args.long_words, args.arrive_over, args.port, home)
    finally:
        if not args.keep_home:
            shutil.rmtree(home, ignore_errors=True)
    print(markdown(result))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
