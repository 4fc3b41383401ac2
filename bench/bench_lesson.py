"""Lesson benchmarks (issue 13): frames cost, player frame switch, lesson page render time, frames on disk.

    python bench/bench_lesson.py [--skip-browser] [--skip-pages]

1. The bundled sample trained as the app trains it, with 30 frames against none (the reference), plus
   the aligned 2D frames the player needs (Procrustes + PCA of 31 frames).
2. Player: a standalone page with the player figure (20 frames x 1,000 and x 10,000 points) in headless
   Chromium; milliseconds for ``Plotly.animate`` to a frame until the next paint (median of 10 switches).
3. Each lesson page under Streamlit's AppTest on the sample (second run, caches warm): seconds per run.
4. Frames of a 100,000-word dim-100 model over 10 epochs: bytes on disk (frames.npy) against per-epoch
   full snapshots (the old snapshots.npy, float16).
Prints a Markdown table; paste it into bench/results_lesson.md with the machine and the load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def bench_frames_cost(home: Path) -> list[tuple[str, str]]:
    from explorer.analysis.frames import cached_frame_coords
    from explorer.analysis.projection import project
    from explorer.configs import to_dict
    from explorer.kinds import SkipGramConfig, spec_from_dict
    from explorer.samples.corpus import write_sample_corpus
    from explorer.training.skipgram import train_skipgram_run

    corpus, labels = write_sample_corpus(home)
    project(np.random.default_rng(0).normal(size=(10, 4)), "pca", 2)  # the worker has scikit-learn loaded already
    rows = []
    for frames in (0, 30, 0, 30):  # twice each: the first pair warms the compiled kernel's cache
        spec = {"kind": "skipgram", "name": "s", "corpus_config": {},
                "data": {"corpus": str(corpus), "labels": str(labels)},
                "config": to_dict(SkipGramConfig(frames=frames))}
        out = home / f"run-{frames}-{time.monotonic_ns()}"
        t0 = time.perf_counter()
        train_skipgram_run(spec_from_dict(spec), out, lambda p: None)
        train_s = time.perf_counter() - t0
        align_s = 0.0
        if frames:
            t1 = time.perf_counter()
            cached_frame_coords(out)
            align_s = time.perf_counter() - t1
        rows.append((frames, train_s, align_s, sum(f.stat().st_size for f in out.glob("frames.*"))))
    out = []
    for frames, train_s, align_s, size in rows[2:]:
        label = "sample, no frames (reference)" if not frames else "sample, 30 frames"
        extra = f" + {align_s:.2f} s aligned 2D frames" if frames else ""
        out.append((label, f"{train_s:.2f} s read+train+write{extra}; frames files {size / 1e6:.1f} MB"))
    return out


def bench_player(n_points: int, n_frames: int = 20) -> float:
    from playwright.sync_api import sync_playwright

    from explorer.figures.lesson import frames_player

    rng = np.random.default_rng(0)
    final = rng.normal(size=(n_points, 2)).astype(np.float32)
    coords = np.stack([final * (f + 1) / n_frames + rng.normal(0, 0.05, final.shape) for f in range(n_frames)])
    labels = [f"w{i}" for i in range(n_points)]
    cats = [f"c{i % 8}" for i in range(n_points)]
    meta = [{"epoch": f // 4, "progress": f / (n_frames - 1), "loss": 3.0 - f * 0.1} for f in range(n_frames)]
    nbrs = [[["a", "b", "c"]] * 4 for _ in range(n_frames)]
    text = dict(play="Play", pause="Pause", frame="Frame", epoch="epoch", loss="loss", progress="progress",
                neighbours="neighbours")
    fig = frames_player(coords, labels, cats, [0, 1, 2, 3], nbrs, meta, [(m["progress"], m["loss"]) for m in meta],
                        text)
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "player.html"
        fig.write_html(html, include_plotlyjs=True, div_id="player", auto_play=False)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--headless", "--disable-gpu", "--enable-unsafe-swiftshader"])
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(html.as_uri())
            page.wait_for_function("() => document.getElementById('player')._transitionData")
            times = []
            for i in range(12):
                name = str((i * 7) % n_frames)
                ms = page.evaluate("""async (name) => {
                    const gd = document.getElementById('player');
                    const t0 = performance.now();
                    await Plotly.animate(gd, [name], {frame: {duration: 0, redraw: false},
                                                      transition: {duration: 0}, mode: 'immediate'});
                    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
                    return performance.now() - t0;
                }""", name)
                times.append(ms)
            browser.close()
    return statistics.median(times[2:])


def bench_pages(home: Path) -> list[tuple[str, str]]:
    """Seconds per warm AppTest run of each lesson page (English), on small real sample runs."""
    from streamlit.testing.v1 import AppTest

    from tests.support import lesson_runs as tl

    os.environ["EXPLORER_START_WORKER"] = "0"
    (home / "runs").mkdir(exist_ok=True)
    trained = tl.train_small_samples(home / "runs")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    tl.finish_samples(trained)
    out = []
    for page in tl.PAGES:
        at.switch_page(f"pages/{page}.py").run()  # first run: imports and caches
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            at.run()
            runs.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
        out.append((f"page {page} (warm rerun, AppTest)", f"{statistics.median(runs):.2f} s"))
    return out


def bench_disk() -> list[tuple[str, str]]:
    from explorer.training.frames import FrameRecorder, plan_frames, save_frames

    n, d, epochs = 100_000, 100, 10
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(n, d)).astype(np.float32)
    out = []
    for wanted, label in ((epochs + 1, "per epoch (11 frames)"), (31, "30 frames asked")):
        rec = FrameRecorder(plan_frames(wanted, epochs, n, d), epochs=epochs)
        rec.start(vectors)
        for i, at in enumerate(rec.plan.at):
            vectors += rng.normal(0, 0.01, size=vectors.shape).astype(np.float32)
            rec.add(vectors, 1 + i * epochs // len(rec.plan.at), float(at), 1.0)
        with tempfile.TemporaryDirectory() as tmp:
            save_frames(Path(tmp), rec)
            size = (Path(tmp) / "frames.npy").stat().st_size
        out.append((f"100k x 100, 10 epochs, {label}",
                    f"{size / 2**20:.0f} MiB ({len(rec.frames)} frames x {rec.plan.rows.size:,} rows, "
                    f"limited by {rec.plan.limited_by or '-'})"))
    out.append(("reference: full per-epoch snapshots (old snapshots.npy)", f"{epochs * n * d * 2 / 2**20:.0f} MiB"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--skip-pages", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["EXPLORER_HOME"] = home
        rows = bench_frames_cost(Path(home))
        if not args.skip_pages:
            rows += bench_pages(Path(home))
    rows += bench_disk()
    if not args.skip_browser:
        for n in (1_000, 10_000):
            rows.append((f"player frame switch, 20 frames x {n:,} points", f"{bench_player(n):.0f} ms (median)"))
    print("| what | measured |\n|---|---|")
    for what, value in rows:
        print(f"| {what} | {value} |")


if __name__ == "__main__":
    main()
