"""Two worker hosts on one Redis queue and one shared data home, one of them killed mid-job.

Four "hosts" are built on this machine from Linux namespaces (see docs/deployment-two-hosts.md)::

    redis  10.213.7.1   redis-server (password, no persistence)
    app    10.213.7.2   the app server's side: uploads, jobs.submit/retry/list_jobs, load_run (tests/support/two_hosts_app.py)
    w1     10.213.7.3   python -m explorer worker --concurrency 2      <- killed with kill -9 mid-job
    w2     10.213.7.4   python -m explorer worker --concurrency 2      <- finishes the queue

Each host is its own network namespace (one veth into a bridge that lives in a fifth, address-less
namespace: no interface, route or address is added to this machine's own network), PID namespace (so
"the host's processes" are exactly the namespace's: kill -9 of its init takes all of them, like a power
cut), UTS namespace (its own host name, so the job table's host/pid checks treat it as another machine),
and mount namespace: the data home -- one folder under /var/tmp, "the NFS server's disk" -- is
bind-mounted at the same path on every host (as a school mounts its NFS export at one path everywhere),
and each host gets a private tmpfs /tmp (nothing host-local is shared by accident). This machine sees an
empty folder at that path: the hosts reach the data only through their mount. SQLite runs with
EXPLORER_JOBS_JOURNAL=delete, as on NFS.

Needs root, ``ip`` (iproute2), ``unshare`` (util-linux) and redis-server; without them it skips, except
when ``EXPLORER_REQUIRE_REDIS=1`` (CI), where it fails. Every namespace, process and folder is removed
in a finalizer, also on failure; every wait is bounded.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import pytest

pytestmark = [pytest.mark.redis, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
APP_MODULE = "tests.support.two_hosts_app"  # run as python -m (PYTHONPATH is the repository)
SUBNET = "10.213.7"  # private; exists only inside the namespaces below
ADDRS = {"redis": f"{SUBNET}.1", "app": f"{SUBNET}.2", "w1": f"{SUBNET}.3", "w2": f"{SUBNET}.4"}
REDIS_PORT = 6379
WORKSPACES, JOBS = 5, 20

# Each host: set its name, mount the data home, give it a private /tmp, then become the host's program.
_HOST_INIT = r"""
set -e
echo "$HOST_NAME" > /proc/sys/kernel/hostname
mount --bind "$EXPORT" "$MOUNT_POINT"
if [ "$PRIVATE_TMP" = 1 ]; then mount -t tmpfs -o size=64m,mode=1777 tmpfs /tmp; fi
exec "$@"
"""


def _needs(reason: str) -> None:
    if os.environ.get("EXPLORER_REQUIRE_REDIS") == "1":
        pytest.fail(f"two-host test cannot run but EXPLORER_REQUIRE_REDIS=1: {reason}")
    pytest.skip(reason)


def _sh(*argv: str, timeout: float = 20) -> str:
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: exit {proc.returncode}: {proc.stderr.strip()[:500]}")
    return proc.stdout


def _wait(predicate, timeout: float, what: str, every: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


# --------------------------------------------------------------------------- processes by PID namespace


def _ns_of(pid: int) -> Optional[str]:
    try:
        return os.readlink(f"/proc/{pid}/ns/pid")
    except OSError:
        return None


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    if int(fh.read().rsplit(b")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return out


def _pids_in(pid_ns: str) -> list[int]:
    """Every process of this machine in the PID namespace ``pid_ns`` (a readlink of /proc/PID/ns/pid)."""
    return [int(e) for e in os.listdir("/proc") if e.isdigit() and _ns_of(int(e)) == pid_ns]


def _environ(pid: int) -> dict[str, str]:
    with open(f"/proc/{pid}/environ", "rb") as fh:
        items = [item.split(b"=", 1) for item in fh.read().split(b"\0") if b"=" in item]
    return {k.decode(): v.decode(errors="replace") for k, v in items}


def _tcp_peers(pid: int) -> set[tuple[str, int]]:
    """Remote (address, port) of the established TCP connections in the network namespace of ``pid``."""
    peers = set()
    for name in ("tcp", "tcp6"):
        try:
            lines = Path(f"/proc/{pid}/net/{name}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            if cols[3] != "01":  # ESTABLISHED
                continue
            addr, port = cols[2].split(":")
            if len(addr) == 8:
                ip = ".".join(str(int(addr[i:i + 2], 16)) for i in (6, 4, 2, 0))
            else:
                ip = addr  # IPv6: kept raw; none is expected
            peers.add((ip, int(port, 16)))
    return peers


# --------------------------------------------------------------------------- the lab


@dataclass
class Lab:
    tag: str
    base: Path  # under /var/tmp: the export (NFS server's disk) and the mount point
    export: Path
    mount_point: Path
    password: str
    private_tmp: bool
    netns: dict[str, str] = field(default_factory=dict)  # role -> namespace name
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    logs: dict[str, Path] = field(default_factory=dict)

    @property
    def home(self) -> Path:
        """EXPLORER_HOME as the hosts see it."""
        return self.mount_point / "explorer"

    @property
    def home_on_disk(self) -> Path:
        """The same folder on the export (what the NFS server has on disk)."""
        return self.export / "explorer"

    @property
    def queue_url(self) -> str:
        return f"redis://:{self.password}@{ADDRS['redis']}:{REDIS_PORT}/0"

    def host_name(self, role: str) -> str:
        return f"exr-{self.tag}-{role}"

    def env(self) -> dict[str, str]:
        """The whole environment of a host's program: nothing of this test process's leaks in."""
        return {"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), "HOME": "/tmp", "LANG": "C.UTF-8",
                "PYTHONPATH": str(ROOT), "EXPLORER_HOME": str(self.home), "EXPLORER_QUEUE_URL": self.queue_url,
                "EXPLORER_START_WORKER": "0", "EXPLORER_JOBS_JOURNAL": "delete", "EXPLORER_NO_PROGRESS": "1",
                "EXPLORER_WORKER_PRELOAD": "0",  # the kernels come from numba's cache, warmed by the test
                "EXPORT": str(self.export), "MOUNT_POINT": str(self.mount_point),
                "PRIVATE_TMP": "1" if self.private_tmp else "0"}

    def host_argv(self, role: str, argv: list[str]) -> list[str]:
        return ["ip", "netns", "exec", self.netns[role], "unshare", "--pid", "--fork", "--kill-child", "--mount-proc",
                "--mount", "--uts", "--propagation", "private", "--", "sh", "-c", _HOST_INIT, "host", *argv]

    def start(self, role: str, argv: list[str]) -> subprocess.Popen:
        log = self.base / f"{role}.log"
        self.logs[role] = log
        env = self.env() | {"HOST_NAME": self.host_name(role)}
        with open(log, "ab") as out:
            proc = subprocess.Popen(self.host_argv(role, argv), env=env, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT)
        self.procs[role] = proc
        return proc

    def app(self, *args: str, timeout: float = 60) -> dict:
        """Run one action of tests/support/two_hosts_app.py on the app host; its JSON answer."""
        env = self.env() | {"HOST_NAME": self.host_name("app")}
        proc = subprocess.run(self.host_argv("app", [sys.executable, "-m", APP_MODULE, *args]), env=env,
                              capture_output=True, text=True, timeout=timeout)
        assert proc.returncode == 0, f"app {args[0]}: exit {proc.returncode}\n{proc.stderr[-3000:]}"
        return json.loads(proc.stdout.strip().splitlines()[-1])

    def pid_ns(self, role: str) -> Optional[str]:
        """The PID namespace of a running host (that of its init process)."""
        proc = self.procs.get(role)
        if proc is None or proc.poll() is not None:
            return None
        kids = _children(proc.pid)
        return _ns_of(kids[0]) if kids else None

    def kill_host(self, role: str) -> None:
        """kill -9 of every process of the host (its PID namespace's init first: the kernel takes the rest)."""
        pid_ns = self.pid_ns(role)
        proc = self.procs[role]
        for pid in [*_children(proc.pid), proc.pid]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait(10)
        if pid_ns is not None:
            _wait(lambda: not _pids_in(pid_ns), 10, f"every process of host {role} gone")

    def stop_host(self, role: str) -> None:
        """SIGTERM to the host's program (its PID namespace's init), which must exit 0 within 30 s."""
        proc = self.procs[role]
        (init,) = _children(proc.pid)
        os.kill(init, signal.SIGTERM)
        assert proc.wait(30) == 0, self.log_tail(role)

    def log_tail(self, role: str) -> str:
        path = self.logs.get(role)
        return path.read_text(errors="replace")[-4000:] if path is not None and path.exists() else ""


def _build_network(lab: Lab) -> None:
    lan = lab.netns["lan"] = f"exr{lab.tag}-lan"
    _sh("ip", "netns", "add", lan)
    _sh("ip", "-n", lan, "link", "add", "br0", "type", "bridge")
    _sh("ip", "-n", lan, "link", "set", "br0", "up")
    for role, addr in ADDRS.items():
        ns = lab.netns[role] = f"exr{lab.tag}-{role}"
        _sh("ip", "netns", "add", ns)
        _sh("ip", "-n", lan, "link", "add", f"p-{role}", "type", "veth", "peer", "name", "eth0", "netns", ns)
        _sh("ip", "-n", lan, "link", "set", f"p-{role}", "master", "br0", "up")
        _sh("ip", "-n", ns, "addr", "add", f"{addr}/24", "dev", "eth0")
        _sh("ip", "-n", ns, "link", "set", "eth0", "up")
        _sh("ip", "-n", ns, "link", "set", "lo", "up")


def _teardown(lab: Lab) -> list[str]:
    problems = []
    for role, proc in lab.procs.items():
        if proc.poll() is None:
            pid_ns = lab.pid_ns(role)
            for pid in [*_children(proc.pid), proc.pid]:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                problems.append(f"host {role}: still running")
            if pid_ns is not None:
                deadline = time.monotonic() + 10
                while _pids_in(pid_ns) and time.monotonic() < deadline:
                    time.sleep(0.1)
                if _pids_in(pid_ns):
                    problems.append(f"host {role}: processes left {_pids_in(pid_ns)}")
    for ns in lab.netns.values():
        try:
            _sh("ip", "netns", "del", ns)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            problems.append(str(exc))
    shutil.rmtree(lab.base, ignore_errors=True)
    return problems


@pytest.fixture
def lab() -> Iterator[Lab]:
    if sys.platform != "linux":
        _needs("Linux namespaces only")
    if os.geteuid() != 0:
        _needs("needs root (ip netns, unshare, mount)")
    missing = [tool for tool in ("ip", "unshare", "redis-server") if shutil.which(tool) is None]
    if missing:
        _needs(f"not installed: {', '.join(missing)}")
    base = Path(tempfile.mkdtemp(prefix="explorer-two-hosts-", dir="/var/tmp"))  # not /tmp: hosts get their own
    tag = secrets.token_hex(3)
    lab = Lab(tag=tag, base=base, export=base / "export", mount_point=base / "mnt", password=secrets.token_hex(16),
              private_tmp=not any(str(p).startswith("/tmp/") for p in (ROOT, Path(sys.executable).resolve(),
                                                                      Path(shutil.which("redis-server")))))
    lab.export.mkdir()
    lab.mount_point.mkdir()
    lab.home_on_disk.mkdir()
    try:
        try:
            _build_network(lab)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            _needs(f"cannot build network namespaces here: {exc}")
        yield lab
    finally:
        for role in lab.logs:  # shown by pytest when the test failed
            print(f"----- {role}.log (tail)\n{lab.log_tail(role)}")
        print("----- jobs\n" + "\n".join(str(r) for r in _rows(lab)))
        problems = _teardown(lab)
        assert not problems, problems
        assert not any(ns in _sh("ip", "netns", "list") for ns in lab.netns.values())


# --------------------------------------------------------------------------- the job table, read from the export


def _rows(lab: Lab) -> list[dict]:
    path = lab.home_on_disk / "jobs.sqlite"
    if not path.exists():
        return []
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT id, workspace, state, progress, stage, error, worker_host, "
                                              "attempts, started, finished FROM jobs")]
    except sqlite3.OperationalError:  # no table yet, or busy beyond the timeout: ask again
        return []
    finally:
        conn.close()


def _live_worker_hosts(lab: Lab) -> set[str]:
    path = lab.home_on_disk / "jobs.sqlite"
    if not path.exists():
        return set()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return {r[0] for r in conn.execute("SELECT host FROM workers WHERE stopped IS NULL")}
    except sqlite3.OperationalError:
        return set()
    finally:
        conn.close()


def _ips(addrs: list[str]) -> set[str]:
    return {a.rsplit(":", 1)[0] for a in addrs}


def _check_isolated(lab: Lab) -> None:
    """Every host namespace has only its loopback and its one veth, and a route to the private subnet only."""
    for role in ADDRS:
        ns = lab.netns[role]
        links = {link["ifname"] for link in json.loads(_sh("ip", "-n", ns, "-j", "link", "show"))}
        assert links == {"lo", "eth0"}, (role, links)
        routes = json.loads(_sh("ip", "-n", ns, "-j", "route", "show"))
        assert [r["dst"] for r in routes] == [f"{SUBNET}.0/24"], (role, routes)  # no default route: nowhere else
        addrs = {a["local"] for link in json.loads(_sh("ip", "-n", ns, "-j", "addr", "show"))
                 for a in link.get("addr_info", []) if a.get("family") == "inet"}
        assert addrs == {"127.0.0.1", ADDRS[role]}, (role, addrs)
    own = {a["local"] for link in json.loads(_sh("ip", "-j", "addr", "show")) for a in link.get("addr_info", [])}
    assert not any(a.startswith(SUBNET + ".") for a in own), "the private subnet must not exist outside the lab"


def _check_worker_side(lab: Lab, role: str) -> None:
    """The worker host's processes know only the lab's Redis, and talk TCP only to it."""
    pid_ns = lab.pid_ns(role)
    assert pid_ns is not None, f"host {role} is not running"
    pids = _pids_in(pid_ns)
    assert pids
    for pid in pids:
        env = _environ(pid)
        assert env["EXPLORER_QUEUE_URL"] == lab.queue_url
        assert env["EXPLORER_HOME"] == str(lab.home)
        assert not [k for k, v in env.items() if "redis://" in v.lower() and k != "EXPLORER_QUEUE_URL"]
    peers = _tcp_peers(pids[0])
    assert peers and peers <= {(ADDRS["redis"], REDIS_PORT)}, peers


def _warm_numba_cache() -> None:
    """Compile the word2vec kernels once into numba's on-disk cache, so that no worker compiles while its
    heartbeat must go on (the workers run with EXPLORER_WORKER_PRELOAD=0 to spare the 2 cores UMAP's warm-up)."""
    subprocess.run([sys.executable, "-c", "from explorer.training.sgns.kernels import warmup; warmup()"],
                   cwd=ROOT, env=os.environ | {"PYTHONPATH": str(ROOT)}, check=True, timeout=180)


# --------------------------------------------------------------------------- the test


def test_two_worker_hosts_share_redis_and_survive_a_killed_host(lab: Lab) -> None:
    timings: dict[str, float] = {}
    t0 = time.monotonic()
    _check_isolated(lab)
    _warm_numba_cache()
    assert not any(lab.mount_point.iterdir())  # this machine sees the mount point empty: only hosts mount it

    redis_bin = shutil.which("redis-server")
    lab.start("redis", [redis_bin, "--bind", ADDRS["redis"], "--port", str(REDIS_PORT), "--requirepass", lab.password,
                        "--save", "", "--appendonly", "no", "--dir", "/tmp", "--protected-mode", "yes"])
    assert lab.app("wait-queue", "20") == {"ok": True}, lab.log_tail("redis")
    worker = [sys.executable, "-m", "explorer", "worker", "--concurrency", "2"]
    for role in ("w1", "w2"):
        lab.start(role, worker)
    hosts = {lab.host_name("w1"), lab.host_name("w2")}
    _wait(lambda: _live_worker_hosts(lab) >= hosts, 60, "both worker hosts registered")
    timings["set-up"] = time.monotonic() - t0

    t1 = time.monotonic()
    submitted = lab.app("submit", str(WORKSPACES), str(JOBS))
    tokens, pairs = submitted["workspaces"], submitted["jobs"]
    originals = {job for job, _ in pairs}
    assert len(originals) == JOBS and len(tokens) == WORKSPACES
    clients = lab.app("clients")["addrs"]
    assert _ips(clients) == {ADDRS["app"], ADDRS["w1"], ADDRS["w2"]}, clients  # and nobody else
    for role in ("w1", "w2"):
        _check_worker_side(lab, role)

    # kill -9 host w1 while it trains: mid-job, after its first progress report and well before the end
    def w1_mid_job() -> list[dict]:
        return [r for r in _rows(lab) if r["state"] == "running" and r["worker_host"] == lab.host_name("w1")
                and r["stage"] == "train" and 0.05 <= r["progress"] <= 0.7]

    _wait(w1_mid_job, 90, "a job training on host w1", every=0.05)
    lab.kill_host("w1")
    killed_at = time.time()
    on_w1 = [r for r in _rows(lab) if r["state"] == "running" and r["worker_host"] == lab.host_name("w1")]
    victims = {r["id"] for r in on_w1}
    # the dead host's rows keep what it last reported: a job still in "train" there was killed while training (a job
    # seen training above may have finished training before the kill landed, and then its run is whole and done)
    killed_training = {r["id"] for r in on_w1 if r["stage"] == "train" and r["progress"] < 1}
    assert killed_training, "the kill came after w1's jobs ended training"
    timings["submit-to-kill"] = time.monotonic() - t1

    # the survivor: marks the dead host's job failed (heartbeat timeout) and finishes everything else
    def all_final() -> list[dict]:
        rows = [r for r in _rows(lab) if r["id"] in originals]
        return rows if len(rows) == JOBS and all(r["state"] in ("done", "failed") for r in rows) else []

    rows = {r["id"]: r for r in _wait(all_final, 150, "all 20 jobs finished or failed", every=0.25)}
    timings["kill-to-queue-done"] = time.time() - killed_at
    failed = {j for j, r in rows.items() if r["state"] == "failed"}
    # the job killed while training fails; another job of w1 may have had its run complete already (killed while
    # caching projections): that one is done, with its run (checked below with every other run)
    assert killed_training <= failed <= victims, {j: rows[j] for j in failed | victims}
    for job in failed:
        assert rows[job]["error"] == "worker stopped" and rows[job]["attempts"] == 1
        assert rows[job]["finished"] - killed_at <= 10 + 8  # EXPLORER_HEARTBEAT_TIMEOUT (10 s) + ticks, loaded
    for row in rows.values():
        if row["started"] > killed_at:
            assert row["worker_host"] == lab.host_name("w2"), row  # only the survivor works after the kill
    clients = lab.app("clients")["addrs"]
    assert _ips(clients) == {ADDRS["app"], ADDRS["w2"]}, clients  # the dead host's connections are gone
    _check_worker_side(lab, "w2")

    # failed and retryable: retried from the app host, the survivor runs the retries
    owner = dict(pairs)
    retried = lab.app("retry", *[f"{job}:{owner[job]}" for job in sorted(failed)])["retried"]
    assert set(retried) == failed
    _wait(lambda: all(r["state"] == "done" for r in _rows(lab) if r["id"] in retried.values())
          and {r["id"] for r in _rows(lab)} >= set(retried.values()), 60, "the retried jobs done", every=0.25)

    # every job exactly once, every run whole, nothing half-written anywhere
    report = lab.app("check", *tokens)
    by_id = {j["id"]: j for j in report["jobs"]}
    assert len(report["jobs"]) == len(by_id) == JOBS + len(failed)
    assert set(by_id) == originals | set(retried.values())
    for job in by_id.values():
        assert job["attempts"] == 1, job  # claimed once: never run twice
        if job["id"] in failed:
            assert job["state"] == "failed" and job["run_dir"] is None
        else:
            assert job["state"] == "done" and job["valid"] is True, job
            assert job["worker_host"] in hosts
    for ws in tokens:
        done_runs = sorted(j["run_id"] for j in report["jobs"] if j["ws"] == ws and j["state"] == "done")
        assert report["runs"][ws] == done_runs, ws  # one run per done job, none for the killed one
        assert report["leftovers"][ws] == [], report["leftovers"][ws]  # no .tmp- folder, no stale live frame
    stray = [str(p) for p in lab.home_on_disk.rglob("*") if ".tmp-" in p.name or ".live" in p.name]
    assert stray == []
    # SQLite across hosts: rollback journal only (WAL needs shared memory, which NFS does not have)
    assert not list(lab.home_on_disk.glob("*.sqlite-wal")), sorted(p.name for p in lab.home_on_disk.iterdir())
    for db in lab.home_on_disk.glob("*.sqlite"):
        assert db.read_bytes()[18:20] == b"\x01\x01", f"{db.name} is in WAL mode"

    # the survivor stops cleanly (SIGTERM: nothing running, nothing to requeue)
    assert {r["worker_host"] for r in _rows(lab)} <= hosts
    lab.stop_host("w2")
    timings["total"] = time.monotonic() - t0
    print("two-host timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))
