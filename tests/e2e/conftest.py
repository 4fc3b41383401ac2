"""End-to-end fixtures: a real ``streamlit run app.py`` server (with the worker it starts) and a
headless Chromium driven by Playwright.

Chromium is Debian's ``/usr/bin/chromium``. Without it the browser tests are skipped locally, but
they fail when ``EXPLORER_REQUIRE_BROWSER=1`` (CI sets it), so CI never passes by skipping.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--enable-unsafe-swiftshader",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run"]
START_TIMEOUT_S = 60


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} not found (apt-get install chromium fonts-noto-cjk)"
    if os.environ.get("EXPLORER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required: {message}", pytrace=False)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    home: Path
    log: Path


def _kill_group(pid: int, grace_s: float = 5.0, child: Optional[subprocess.Popen] = None) -> None:
    """SIGTERM a process group, then SIGKILL what is left after ``grace_s``. ``child``: the leader, a child of this
    process (the server), reaped as soon as it exits (unreaped, its zombie kept the group alive for the whole grace
    and the SIGKILL's wait: 7 s at the end of every session)."""
    try:
        pgid = os.getpgid(pid)
    except ProcessLookupError:
        return
    for sig, wait in ((signal.SIGTERM, grace_s), (signal.SIGKILL, 2.0)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if child is not None:
                child.poll()
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


def _worker_pids(home: Path) -> list[int]:
    """Worker processes the app started for this data home (recorded in the job table)."""
    db = home / "jobs.sqlite"
    if not db.exists():
        return []
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return [int(r[0]) for r in conn.execute("SELECT pid FROM workers") if r[0]]
    except sqlite3.Error:
        return []


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``streamlit run app.py`` on a free port with its own EXPLORER_HOME; torn down with its worker."""
    _require_browser()
    home = tmp_path_factory.mktemp("e2e-home")
    log = home / "server.log"
    port = _free_port()
    env = dict(os.environ, EXPLORER_HOME=str(home), EXPLORER_NO_PROGRESS="1", EXPLORER_WORKER_IDLE_EXIT="600")
    env.pop("EXPLORER_START_WORKER", None)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.3)
        yield Server(url=url, home=home, log=log)
    finally:
        _kill_group(proc.pid, child=proc)
        for pid in _worker_pids(home):  # the worker runs in its own session (it outlives server restarts)
            _kill_group(pid)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    try:
        yield pg
    finally:
        context.close()
