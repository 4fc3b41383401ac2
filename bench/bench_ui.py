"""UI benchmarks of issue 5 (results: bench/results_ui.md).

    python bench/bench_ui.py [--points 20000] [--no-browser]

1. Figure size and build time (in this process): the Explore scatter for n points (20 categories,
   a searched word with 10 neighbours), built by explorer.figures and serialised as Streamlit
   does (``plotly.io.to_json``): bytes sent to the browser and milliseconds on the server.
2. In headless Chromium (``/usr/bin/chromium``) against a real ``streamlit run app.py``: a run of
   ``--points`` imported vectors (20 planted clusters, 100 dimensions, PCA cached as the worker
   would), opened in Explore: time to a drawn chart, websocket bytes received, frames per second
   while panning (requestAnimationFrame count during 2 s of mouse drags), and the time to change
   the colouring.

The train -> projection timing comes from the end-to-end test (tests/e2e/test_journey.py, which
writes tests/artifacts/e2e_timings.json). Everything runs in a temporary EXPLORER_HOME.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--enable-unsafe-swiftshader",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def clustered(n: int, dim: int = 100, k: int = 20, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, dim)).astype(np.float32) * 3
    labels = rng.integers(0, k, size=n)
    return (centres[labels] + rng.normal(size=(n, dim)).astype(np.float32)), labels


def figure_sizes(sizes: list[int]) -> list[dict]:
    import plotly.io as pio

    from explorer import figures

    out = []
    for n in sizes:
        vectors, labels = clustered(n)
        coords = vectors[:, :2]
        tokens = [f"word{i}" for i in range(n)]
        colouring = figures.Colouring("category", [f"cluster {c}" for c in labels], "label")
        highlight = figures.Highlight(queries=[0], neighbors=list(range(1, 11)))
        start = time.perf_counter()
        rows = figures.sample_rows(n, figures.MAX_POINTS, keep=[0, *range(1, 11)])
        fig = figures.embedding_scatter(coords, tokens, colouring=colouring, highlight=highlight, rows=rows)
        spec = pio.to_json(fig, validate=False)
        ms = (time.perf_counter() - start) * 1000
        out.append({"points": n, "drawn": len(rows), "json_bytes": len(spec), "bytes_per_point": round(len(spec) / len(rows), 1),
                    "build_and_serialise_ms": round(ms, 1)})
    return out


def make_home(n: int) -> tuple[Path, str, str]:
    """A data home with one workspace holding an imported run of n clustered vectors, PCA cached."""
    home = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    os.environ["EXPLORER_HOME"] = str(home)
    from explorer.analysis import projection
    from explorer.jobs import workspaces
    from explorer.runs import atomic_run_dir, save_labels, save_vectors, write_config, write_json

    vectors, labels = clustered(n)
    tokens = [f"word{i}" for i in range(n)]
    ws = workspaces.new_token()
    run_id = workspaces.new_run_id()
    with atomic_run_dir(workspaces.run_path(ws, run_id)) as tmp:
        save_vectors(tmp, vectors, tokens, np.arange(n, 0, -1))
        save_labels(tmp, {t: f"cluster {c}" for t, c in zip(tokens, labels, strict=True)})
        write_config(tmp, "imported", {"dim": 100}, {"source": "bench"}, name=f"bench {n}")
        write_json(tmp / "metrics.json", {})
    projection.precompute(workspaces.run_path(ws, run_id))
    return home, ws, run_id


def timed(page, action, condition_js: str) -> float:
    """Seconds from ``action`` until ``condition_js`` holds in the page (checked every frame)."""
    start = page.evaluate("performance.now()")
    action()
    page.wait_for_function(f"() => {condition_js}", polling="raf", timeout=60_000)
    return round((page.evaluate("performance.now()") - start) / 1000, 2)


def idle(page) -> None:
    page.wait_for_timeout(150)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")


def browser_bench(n: int) -> dict:
    from playwright.sync_api import sync_playwright

    home, ws, run_id = make_home(n)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, EXPLORER_HOME=str(home), EXPLORER_START_WORKER="0")
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                               "--server.headless", "true"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    result: dict = {"points": n}
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.3)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(120_000)
            received = [0]
            page.on("websocket", lambda ws_: ws_.on("framereceived", lambda f: received.__setitem__(
                0, received[0] + (len(f) if isinstance(f, (bytes, str)) else 0))))
            # warm the server (imports, caches of other sessions do not count)
            page.goto(f"{url}/explore?ws={ws}&run={run_id}")
            try:
                page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
            except Exception:
                page.screenshot(path=str(ROOT / "bench" / "out" / "ui-failed.png"))
                raise
            page.wait_for_timeout(1500)
            received[0] = 0
            start = time.monotonic()
            page.goto(f"{url}/explore?ws={ws}&run={run_id}")
            page.locator('[data-testid="stPlotlyChart"] canvas').first.wait_for()
            page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
            result["open_explore_to_chart_s"] = round(time.monotonic() - start, 2)
            page.wait_for_timeout(500)
            result["websocket_bytes_received"] = received[0]
            # pan: switch the chart to pan mode, then drag for ~2 s while counting animation frames
            chart = page.locator('[data-testid="stPlotlyChart"]').first
            chart.hover()
            page.locator('[data-testid="stPlotlyChart"] .modebar-btn[data-val="pan"]').first.dispatch_event("click")
            box = page.locator('[data-testid="stPlotlyChart"] .nsewdrag').first.bounding_box()
            cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            page.evaluate("""() => { window.__frames = 0; const tick = () => { window.__frames++;
                if (window.__counting) requestAnimationFrame(tick); }; window.__counting = true;
                requestAnimationFrame(tick); }""")
            t0 = time.monotonic()
            for i in range(8):
                dx = 150 if i % 2 == 0 else -150
                page.mouse.move(cx, cy)
                page.mouse.down()
                page.mouse.move(cx + dx, cy + dx / 3, steps=15)
                page.mouse.up()
            elapsed = time.monotonic() - t0
            frames = page.evaluate("() => { window.__counting = false; return window.__frames; }")
            result["pan_fps"] = round(frames / elapsed, 1)
            result["pan_seconds"] = round(elapsed, 2)
            # change the colouring (the projection is cached): from the option click to the redrawn chart
            page.get_by_label("Colour by").click()
            option = page.get_by_role("option", name="frequency (log10)")
            result["change_colouring_s"] = timed(page, option.click, "!!document.querySelector('.colorbar')")
            idle(page)
            page.get_by_role("radio", name="3D").click()
            page.get_by_text("3D charts cannot select points").wait_for()
            idle(page)
            to_2d = page.get_by_role("radio", name="2D")
            result["switch_3d_to_cached_2d_s"] = timed(page, to_2d.click, "!!document.querySelector('.nsewdrag')")
            idle(page)
            page.screenshot(path=str(ROOT / "bench" / "out" / f"ui-{n}.png"))
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", type=int, default=20_000)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    report = {"machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} CPUs",
              "date": time.strftime("%Y-%m-%d %H:%M"),
              "figure": figure_sizes([1_000, 20_000, 50_000, 100_000])}
    if not args.no_browser and Path(CHROMIUM).exists():
        report["browser"] = browser_bench(args.points)
    print(json.dumps(report, indent=2))
    (ROOT / "bench" / "out" / "ui.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
