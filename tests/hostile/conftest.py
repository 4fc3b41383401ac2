"""Fixtures of the hostile-input suite: every CLI case runs once, all in one batch process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hostile.cases import build, cases, listing

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


@pytest.fixture(scope="session")
def cli_batch(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Run the selected cases of :func:`cases.cases` (one forked child each); return the results and
    the before/after listings of each case's directory and of the data home."""
    root = tmp_path_factory.mktemp("hostile")
    home = root / "home"
    home.mkdir()
    selected = {item.callspec.params["case_id"] for item in request.session.items
                if hasattr(item, "callspec") and "case_id" in item.callspec.params}
    all_cases = [c for c in cases() if c.id in selected]
    other_job = _job_of_another_workspace(home)
    specs, before = [], {}
    for case in all_cases:
        where = build(case, root / "cases")
        before[case.id] = listing(where)
        argv = [other_job if a == "@OTHER_JOB@" else a for a in case.argv]
        env = {"EXPLORER_HOME": str(home), "EXPLORER_NO_PROGRESS": "1", "EXPLORER_WORKSPACE": None,
               "EXPLORER_START_WORKER": "0", **case.env}
        specs.append({"id": case.id, "argv": argv, "cwd": str(where), "env": env, "timeout": case.timeout})
    cases_json = root / "cases.json"
    cases_json.write_text(json.dumps(specs), encoding="utf-8")
    results_json = root / "results.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT), EXPLORER_HOME=str(home))
    start = time.perf_counter()
    subprocess.run([sys.executable, str(HERE / "_batch.py"), str(cases_json), str(results_json)], check=True,
                   env=env, cwd=ROOT, timeout=1200)
    seconds = time.perf_counter() - start
    results = json.loads(results_json.read_text(encoding="utf-8"))
    artifacts = ROOT / "tests" / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    (artifacts / "hostile_cli_results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    after = {case.id: listing(root / "cases" / case.id) for case in all_cases}
    return {"results": results, "before": before, "after": after, "home": home, "seconds": seconds,
            "cases": {c.id: c for c in all_cases}}


def _job_of_another_workspace(home: Path) -> str:
    """A queued job owned by a browser workspace (for the --operator cases)."""
    old = os.environ.get("EXPLORER_HOME")
    os.environ["EXPLORER_HOME"] = str(home)
    try:
        from explorer import jobs
        from explorer.jobs import workspaces

        corpus = home / "other.txt"
        corpus.write_text("a b c\n", encoding="utf-8")
        spec = {"kind": "skipgram", "name": "other.txt", "data": {"corpus": str(corpus)},
                "corpus_config": {}, "config": {"epochs": 1}}
        job = jobs.submit(spec, workspaces.new_token())
        jobs.close_connections()
        return job
    finally:
        if old is None:
            os.environ.pop("EXPLORER_HOME", None)
        else:
            os.environ["EXPLORER_HOME"] = old
