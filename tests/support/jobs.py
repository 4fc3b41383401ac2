"""Test-only job kinds and worker helpers for the job-queue tests (product code never imports this).

The fake kinds are registered like real ones (:func:`explorer.kinds.register`), with a config
dataclass of their own, so the job table validates and stores them as it does any training spec.
``sleep``: a fake training job that reports progress every ``step_s`` seconds for ``steps`` steps,
honours stop requests like a real trainer, writes a tiny valid run directory atomically and
appends its ``tag`` to ``EXPLORER_HOME/executions.log`` when it starts (to count executions).
``fail``: reports once, then raises an ExplorerError.
``deaf``: ignores stop requests (never calls back while sleeping), to test the interrupt fallback.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import numpy as np
import pytest

from explorer.errors import ExplorerError, TrainingStopped
from explorer.progress import Progress, ProgressCallback
from explorer.runs import atomic_run_dir, save_vectors, write_config, write_json

ROOT = Path(__file__).resolve().parents[2]


def executions(home: Path) -> list[str]:
    """Tags of all fake jobs that started, in order."""
    path = Path(home) / "executions.log"
    return path.read_text().split() if path.exists() else []


@dataclass
class FakeData:
    source: str = "fake"


@dataclass
class FakeConfig:
    tag: str = "-"
    steps: int = 5
    step_s: float = 0.01
    seconds: float = 30.0
    extra: Any = None  # anything: a test passes an object that is not JSON data

    def validate(self) -> FakeConfig:
        return self


def _mark_started(spec: Any) -> None:
    path = Path(os.environ["EXPLORER_HOME"]) / "executions.log"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, f"{spec.config.tag}\n".encode())
    finally:
        os.close(fd)


def sleep_runner(spec: Any, out_dir: Optional[Path], callback: ProgressCallback) -> Path:
    _mark_started(spec)
    steps, step_s = int(spec.config.steps), float(spec.config.step_s)
    assert out_dir is not None
    with atomic_run_dir(out_dir) as tmp:
        (tmp / "partial.bin").write_bytes(b"x")  # something a cancel must not leave behind
        for i in range(steps):
            time.sleep(step_s)
            report = Progress(stage="train", progress=(i + 1) / steps, epoch=i + 1, epochs=steps,
                              loss=1.0 / (i + 1), rate=100.0, eta_s=(steps - i - 1) * step_s)
            if callback(report):
                raise TrainingStopped()
        tokens = [f"w{i}" for i in range(4)]
        save_vectors(tmp, np.eye(4, 2, dtype=np.float32), tokens, [4, 3, 2, 1])
        write_config(tmp, "skipgram", {"dim": 2, "steps": steps}, {"tag": spec.config.tag}, name=spec.name)
        write_json(tmp / "metrics.json", {"loss_per_epoch": [1.0 / (i + 1) for i in range(steps)]})
        (tmp / "partial.bin").unlink()
    return out_dir


def fail_runner(spec: Any, out_dir: Optional[Path], callback: ProgressCallback) -> Path:
    _mark_started(spec)
    callback(Progress(stage="read", progress=0.1))
    raise ExplorerError("corpus: no words left after cleaning", code="text_no_tokens", file="corpus")


def deaf_runner(spec: Any, out_dir: Optional[Path], callback: ProgressCallback) -> Path:
    _mark_started(spec)
    callback(Progress(stage="read", progress=0.0))
    assert out_dir is not None
    with atomic_run_dir(out_dir):
        deadline = time.monotonic() + float(spec.config.seconds)
        while time.monotonic() < deadline:  # pure Python work, no callbacks
            sum(range(1000))
    return out_dir


FAKE_KINDS = ("sleep", "fail", "deaf")


def _fake_kind(name: str) -> Any:
    from explorer import kinds

    class FakeKind(kinds.TrainingKind):
        def estimate_seconds(self, spec: Any, data_stats: Any) -> float:
            return 2.0 + spec.config.steps * spec.config.step_s  # the worker's lanes ask the kind

    return FakeKind(name=name, help=f"test-only {name} job", data_cls=FakeData, config_cls=FakeConfig,
                    runner=f"{__name__}:{name}_runner", run_files=("config.json",), capabilities=kinds.Capabilities())


def register() -> None:
    """Register the fake training kinds (once per process; the worker subprocess does it too)."""
    from explorer import kinds

    for name in FAKE_KINDS:
        if name not in kinds.training_kinds():
            kinds.register(_fake_kind(name))


def unregister() -> None:
    from explorer import kinds

    for name in FAKE_KINDS:
        kinds.unregister(name)


@pytest.fixture(autouse=True, scope="module")
def fake_kinds() -> Iterator[None]:
    """The fake kinds, registered for one test module only: the registry other modules see (the Train
    form, the CLI's flags) holds the real kinds alone. Use with ``from tests.support.jobs import fake_kinds``."""
    register()
    yield
    unregister()


def fake_spec(kind: str, tag: str = "t", name: str = "", out: Optional[str] = None, **config: Any) -> dict:
    spec = {"kind": kind, "name": name or f"{kind} {tag}", "data": {}, "config": {"tag": tag, **config}}
    return spec | ({"out": out} if out is not None else {})


def sleep_spec(tag: str = "t", steps: int = 5, step_s: float = 0.01, **extra: Any) -> dict:
    return fake_spec("sleep", tag, steps=steps, step_s=step_s, **extra)


def worker_command(concurrency: int = 1) -> list[str]:
    """A ``python -m explorer worker`` that also knows the fake kinds."""
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); from tests.support import jobs; "
            f"jobs.register(); from explorer.cli import main; "
            f"sys.exit(main(['worker', '--concurrency', '{concurrency}']))")
    return [sys.executable, "-c", code]


def start_worker(home: Path, concurrency: int = 1, env: Optional[dict] = None) -> subprocess.Popen:
    """Start a worker for ``home`` in its own session (so a test can kill its whole process group)."""
    full_env = dict(os.environ, EXPLORER_HOME=str(home), EXPLORER_WORKER_PRELOAD="0",
                    PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    full_env.update(env or {})
    log = open(Path(home) / f"worker-{time.monotonic_ns()}.log", "wb")
    proc = subprocess.Popen(worker_command(concurrency), cwd=ROOT, env=full_env, stdin=subprocess.DEVNULL,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()
    wait_for(lambda: _has_live_worker(proc.pid) or proc.poll() is not None, 30, "worker start")
    assert proc.poll() is None, f"worker exited with {proc.returncode}"
    return proc


def _has_live_worker(pid: int) -> bool:
    from explorer import jobs

    return any(w["pid"] == pid for w in jobs.live_workers())


def stop_worker(proc: subprocess.Popen, timeout: float = 15) -> Optional[int]:
    """SIGTERM, then (if needed) SIGKILL to the worker's process group; return its exit status."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            kill_group(proc.pid)
            proc.wait(5)
    return proc.returncode


def kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def wait_for(predicate, timeout: float, what: str = "condition", interval: float = 0.02) -> float:
    """Poll until ``predicate()`` is true; return the seconds it took; fail after ``timeout``."""
    start = time.monotonic()
    while True:
        if predicate():
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def wait_state(job_id: str, states: tuple[str, ...] | str, timeout: float = 30):
    """Wait until the job is in one of ``states``; return its JobInfo."""
    from explorer import jobs

    states = (states,) if isinstance(states, str) else states
    box: dict[str, Any] = {}

    def reached() -> bool:
        box["info"] = jobs.get(job_id)
        return box["info"] is not None and box["info"].state in states

    try:
        wait_for(reached, timeout, f"job {job_id} to be {states}")
    except AssertionError:
        raise AssertionError(f"job {job_id} stuck at {box.get('info')}") from None
    return box["info"]
