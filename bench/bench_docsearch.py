"""Search and Explore on a run of 20,000 documents (issue 20's targets; results: bench/results_e5.md).

    PYTHONPATH=. python bench/bench_docsearch.py [--docs 20000] [--queries 20]

The run is a sentence-encoder (E5) run of ``--docs`` documents: ~150-character texts from 20 topics and
unit vectors around 20 centres in 384 dimensions (E5's size; what a search costs does not depend on the
texts). Figures:

1. opening the run for searching (validated, vectors normalised in memory, ``docs.tsv`` read): once;
2. ``search()`` once open, the query encoded by the bundled E5 each time (``query: `` prefix): median and
   worst of ``--queries`` different queries; and the part after the encoding (one matrix-vector product);
3. Explore's first chart: the whole page script under Streamlit's AppTest (a fresh server cache: run
   validated, hover text of every document, the PCA the worker cached after encoding read back, colours by
   label, the figure built and serialised), and
   the same with the colour "cluster" (k-means, then each cluster's terms); the browser's drawing is not
   included (bench/bench_ui.py measures that for 20,000 points);
4. cluster names alone (class-based TF-IDF over the 20,000 texts).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

WORDS = ["river", "engine", "garden", "violin", "harvest", "planet", "market", "winter", "castle", "doctor",
         "forest", "bridge", "kitchen", "island", "museum", "station", "teacher", "camera", "desert", "festival"]


def texts_and_labels(n: int, rng: np.random.Generator) -> tuple[list[str], list[str], np.ndarray]:
    filler = "the people said that it was a good day for everyone who came along".split()
    topics = rng.integers(0, len(WORDS), n)
    texts = []
    for i, t in enumerate(topics):
        words = list(rng.choice(filler, 24)) + [WORDS[t]] * 3 + [WORDS[(t + 1) % len(WORDS)]]
        rng.shuffle(words)
        texts.append(f"Document {i}: " + " ".join(words) + ".")
    return texts, [f"topic{t}" for t in topics], topics


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--queries", type=int, default=20)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-docsearch-"))
    os.environ["EXPLORER_HOME"] = str(tmp / "home")
    os.environ.setdefault("EXPLORER_START_WORKER", "0")
    sys.path.insert(0, str(ROOT))
    load_before = os.getloadavg()

    from streamlit.testing.v1 import AppTest

    from explorer.analysis import projection
    from explorer.analysis.cluster_terms import cluster_terms
    from explorer.documents import write_doc_vectors, write_docs_tsv
    from explorer.documents.search import open_index, search
    from explorer.jobs import workspaces
    from explorer.runs import atomic_run_dir, write_config, write_json

    rng = np.random.default_rng(0)
    texts, labels, topics = texts_and_labels(args.docs, rng)
    centres = rng.normal(size=(len(WORDS), 384)).astype(np.float32)
    vectors = centres[topics] + rng.normal(0, 0.6, (args.docs, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ws = workspaces.new_token()
    path = workspaces.run_path(ws, workspaces.new_run_id())
    with atomic_run_dir(path) as d:
        write_doc_vectors(d, vectors)
        write_docs_tsv(d, [f"d{i}" for i in range(args.docs)], [""] * args.docs, labels, texts)
        write_config(d, "encoder", {"encoder": "e5", "batch": 0}, {"documents": "bench.txt"}, name="bench")
        write_json(d / "metrics.json", {})
    projection.precompute(path)  # what the worker does right after a training or encoding job (2-D and 3-D PCA)

    t0 = time.perf_counter()
    index = open_index(path)
    open_s = time.perf_counter() - t0
    search(path, "warm-up: the model loads once", k=10)
    times, products = [], []
    for i in range(args.queries):
        t0 = time.perf_counter()
        search(path, f"question {i}: where is the {WORDS[i % len(WORDS)]} near the {WORDS[(3 * i) % len(WORDS)]}?",
               k=10)
        times.append(time.perf_counter() - t0)
        vec = vectors[i]
        t0 = time.perf_counter()
        index.nearest(vec, 10)
        products.append(time.perf_counter() - t0)

    def first_chart(colour: str) -> float:
        import streamlit as st

        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.query_params["ws"] = ws
        at.run()
        at.switch_page("pages/explore.py")
        if colour != "label":
            at.run()
            next(s for s in at.selectbox if s.label == "Colour by").set_value(colour)
        t0 = time.perf_counter()
        at.run()
        seconds = time.perf_counter() - t0
        assert not at.exception, at.exception
        assert at.get("plotly_chart"), "no chart"
        return seconds

    chart_label_s = first_chart("label")
    chart_cluster_s = first_chart("cluster")
    t0 = time.perf_counter()
    cluster_terms(texts, topics)
    terms_s = time.perf_counter() - t0
    load_after = os.getloadavg()
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores; "
          f"date {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average {load_before[0]:.1f} before, "
          f"{load_after[0]:.1f} after")
    n = f"{args.docs:,}"
    print("| figure | value | target |\n|---|---|---|")
    print(f"| open a run of {n} documents for searching (once) | {1000 * open_s:.0f} ms | |")
    print(f"| search over {n} documents once open, E5 query encoding included ({args.queries} queries) | median "
          f"{1000 * statistics.median(times):.0f} ms, worst {1000 * max(times):.0f} ms | <= 200 ms |")
    print(f"| the same without the encoding (cosine top 10) | median {1000 * statistics.median(products):.1f} ms | |")
    print(f"| Explore's first chart of {n} documents (page script, coloured by label) | {chart_label_s:.1f} s "
          f"| <= 5 s |")
    print(f"| the same coloured by cluster (k-means 8 + the clusters' terms) | {chart_cluster_s:.1f} s | |")
    print(f"| cluster names alone (class-based TF-IDF, {n} texts, 20 clusters) | {terms_s:.1f} s | |")


if __name__ == "__main__":
    main()
