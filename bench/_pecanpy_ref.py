"""The reference side of bench_graph.py, run by the Python that has pecanpy (not a project dependency).

    python bench/_pecanpy_ref.py EDGES.tsv OUT.npy '{"p": 1, "q": 1, ...}'

Reads the edge list with pecanpy (SparseOTF: node2vec transition probabilities on the fly), warms
its compiled walker up on a tiny graph first (so compilation is not timed), generates the walks and
trains gensim's Word2Vec on them (what ``pecanpy.embed`` does, with the settings given), then writes
the vectors (rows in pecanpy's node order), the node ids and the timings.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from gensim.models import Word2Vec
from pecanpy import pecanpy as pp


def main() -> None:
    edges, out, settings = sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3])
    workers = settings["workers"]
    tiny = Path(tempfile.mkdtemp()) / "tiny.tsv"
    tiny.write_text("a\tb\nb\tc\nc\ta\n")
    warm = pp.SparseOTF(p=settings["p"], q=settings["q"], workers=workers, verbose=False)
    warm.read_edg(str(tiny), weighted=False, directed=False)
    warm.simulate_walks(num_walks=1, walk_length=5)

    t0 = time.perf_counter()
    g = pp.SparseOTF(p=settings["p"], q=settings["q"], workers=workers, verbose=False, random_state=settings["seed"])
    g.read_edg(edges, weighted=False, directed=False)
    t1 = time.perf_counter()
    walks = g.simulate_walks(num_walks=settings["walks_per_node"], walk_length=settings["walk_length"])
    t2 = time.perf_counter()
    w2v = Word2Vec(walks, vector_size=settings["dim"], window=settings["window"], sg=1, min_count=0,
                   workers=workers, epochs=settings["epochs"], negative=settings["negatives"],
                   sample=settings["sample"], seed=settings["seed"])
    t3 = time.perf_counter()
    np.save(out, np.asarray(w2v.wv[g.nodes], dtype=np.float32))
    out.with_suffix(".json").write_text(json.dumps({
        "nodes": list(g.nodes), "read_s": t1 - t0, "walk_s": t2 - t1, "train_s": t3 - t2,
        "steps": int(sum(len(w) for w in walks))}))


if __name__ == "__main__":
    main()
