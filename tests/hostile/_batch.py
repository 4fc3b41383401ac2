"""Run many CLI cases in one process: ``python _batch.py CASES.json RESULTS.json``.

The parent imports the CLI once, then forks one child per case (so a case pays no start-up, and
one case's state never leaks into the next). Each child:

* caps its address space at what the parent already maps + 1 GiB (``RLIMIT_AS``): a rejected
  input must never allocate much, whatever a file claims (pyarrow uses the system allocator here:
  its default one reserves address space it never uses);
* runs ``explorer.cli.main(argv)`` in the case's directory with the case's environment, with
  stdout/stderr going to files; any exception that escapes ``main`` is printed as a traceback
  (what a user would see) and exits 99;
* is killed after ``timeout`` seconds.

The parent records per case: exit status, stdout, stderr, seconds, and the child's peak resident
memory (``ru_maxrss`` from ``wait4``; it includes the ~100 MB the parent had already loaded).
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import time
import traceback


def _vm_size() -> int:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _child(case: dict, out_path: str, err_path: str) -> None:
    os.chdir(case["cwd"])
    for key, value in case.get("env", {}).items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    cap = _vm_size() + (1 << 30)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    signal.alarm(int(case.get("timeout", 60)))
    out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(out, 1)
    os.dup2(err, 2)
    from explorer.cli import main

    try:
        code = main(case["argv"])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except BaseException:  # noqa: BLE001 -- what a user would see: a traceback
        traceback.print_exc()
        code = 99
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001
        pass
    os._exit(int(code))


def main() -> None:
    cases_path, results_path = sys.argv[1], sys.argv[2]
    # pyarrow's default allocator (jemalloc/mimalloc, behind pandas' strings) reserves a large address
    # range on first use, which RLIMIT_AS refuses; the system allocator reserves only what it uses
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    with open(cases_path, encoding="utf-8") as fh:
        cases = json.load(fh)
    import explorer.cli  # noqa: F401 -- warm: the children fork with it loaded
    import explorer.commands.analysis  # noqa: F401
    import explorer.commands.jobs  # noqa: F401
    import explorer.commands.train  # noqa: F401
    import explorer.recsys.interactions  # noqa: F401 -- pandas
    import explorer.runs  # noqa: F401
    import explorer.runs.formats  # noqa: F401

    results = {}
    for case in cases:
        out_path = os.path.join(case["cwd"], os.pardir, f".{case['id']}.stdout")
        err_path = os.path.join(case["cwd"], os.pardir, f".{case['id']}.stderr")
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            try:
                _child(case, out_path, err_path)
            finally:
                os._exit(98)
        _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        with open(out_path, encoding="utf-8", errors="replace") as fh:
            stdout = fh.read()
        with open(err_path, encoding="utf-8", errors="replace") as fh:
            stderr = fh.read()
        os.unlink(out_path)
        os.unlink(err_path)
        results[case["id"]] = {"code": code, "stdout": stdout[-4000:], "stderr": stderr[-4000:],
                               "seconds": seconds, "max_rss_mb": usage.ru_maxrss / 1024}
    with open(results_path, "w", encoding="utf-8") as fh:
        json.dump(results, fh, indent=1)


if __name__ == "__main__":
    main()
