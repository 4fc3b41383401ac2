"""The class load test, scaled down for CI (bench/bench_class.py runs the full 30-student class).

One server, its auto-started worker, a long t-SNE 3D, and a few students (one of them a real browser,
one on the command line, the rest through the job API): no job lost or run twice, no error shown, and a
small job of another workspace runs within 5 s while the long job runs.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def test_a_small_class_on_one_server(tmp_path: Path, artifacts_dir: Path) -> None:
    if not Path("/usr/bin/chromium").exists():
        if os.environ.get("EXPLORER_REQUIRE_BROWSER") == "1":
            pytest.fail("browser tests required: /usr/bin/chromium not found")
        pytest.skip("/usr/bin/chromium not found")
    from bench.bench_class import markdown, run_class

    with socket.socket() as sock:  # a free port (a fixed one may be taken on a shared machine)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run_class(students=5, browsers=1, cli=1, long_words=3000, arrive_over=3, port=port,
                       home=tmp_path / "home", shots=artifacts_dir)
    print(markdown(result))
    assert result["lost"] == [] and result["twice"] == []
    assert result["errors"] == {}
    assert result["train_s"]["n"] == 4 and result["projection_s"]["n"] == 4
    assert result["probe_long_job_was_running"] and result["probe_small_job_start_s"] <= 5.0
    assert result["memory_peak_mb"] < 4096
