"""The word2vec engine's output is pinned: Skip-gram, CBOW (numba and torch) and graph training (DeepWalk,
node2vec) give the vectors recorded in ``tests/data/engine_golden.npz`` for fixed seeds and thread counts.

The fixture was recorded before the engine moved into :mod:`explorer.training.sgns`, so any change to
the numbers a seed produces shows here. What is pinned is what the trainers promise:

- one worker: bit-identical vectors (every case below with ``w1``);
- two workers on a corpus/graph that is one job per epoch/block: bit-identical too (one thread trains
  each job; the others find none), and equal to the one-worker vectors;
- two workers over several jobs: the updates interleave (Hogwild), so only what does not depend on the
  interleaving is exact (words kept and pairs trained come from per-job random streams); the loss is close.

Floating-point results depend on the CPU's vector instructions (the kernels use fastmath), so the exact
comparisons run on the CPU the fixture was recorded on and are skipped elsewhere; re-record with
``PYTHONPATH=. python tests/test_engine_golden.py --record`` only when a change of numbers is intended.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from explorer.graph.io import build_csr
from explorer.kinds import GraphConfig, SkipGramConfig
from explorer.training.graph import train_node_vectors
from explorer.training.skipgram import train_skipgram

FIXTURE = Path(__file__).resolve().parent / "data" / "engine_golden.npz"


def corpus(n_tokens: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A planted corpus: (ids int32 (N,), offsets int64 (S+1,), counts int64 (V,)), V = 60 words in
    three topics of 20, Zipf-like within a topic; sentences of 3..40 words, one topic each."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, 21) ** 0.8
    weights /= weights.sum()
    ids: list[np.ndarray] = []
    lengths: list[int] = []
    total = 0
    while total < n_tokens:
        n = int(rng.integers(3, 41))
        topic = int(rng.integers(0, 3))
        ids.append((topic * 20 + rng.choice(20, size=n, p=weights)).astype(np.int32))
        lengths.append(n)
        total += n
    flat = np.concatenate(ids)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    return flat, offsets, np.bincount(flat, minlength=60).astype(np.int64)


def planted_graph(n_nodes: int, seed: int, weighted: bool) -> Any:
    """Two communities, dense inside and sparse across, as a CSR (undirected)."""
    rng = np.random.default_rng(seed)
    half = n_nodes // 2
    edges = []
    for a in range(n_nodes):
        for _ in range(4):
            same = rng.random() < 0.9
            lo, hi = (0, half) if (a < half) == same else (half, n_nodes)
            b = int(rng.integers(lo, hi))
            if b != a:
                edges.append((a, b))
    arr = np.unique(np.sort(np.array(edges), axis=1), axis=0)
    weights = rng.integers(1, 5, size=len(arr)).astype(np.float64) if weighted else None
    return build_csr(n_nodes, arr, weights, directed=False)


# name -> (trainer, settings); "tokens"/"nodes" size the input, the rest is the config
CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "sg_w1_multi": ("words", dict(tokens=24_000, dim=16, window=3, negatives=3, epochs=2, sample=1e-2, workers=1,
                                  seed=7)),
    "sg_pair_w1_multi": ("words", dict(tokens=24_000, dim=16, window=3, negatives=3, epochs=2, sample=1e-2, workers=1,
                                       seed=7, kernel="pair")),
    "sg_w1_nosample": ("words", dict(tokens=12_000, dim=8, window=5, negatives=2, epochs=1, sample=0.0, workers=1,
                                     seed=1)),
    "sg_w1_frames": ("words", dict(tokens=24_000, dim=16, window=3, negatives=3, epochs=2, sample=1e-2, workers=1,
                                   seed=7, frames=6)),
    "sg_w2_single": ("words", dict(tokens=1_800, dim=16, window=4, negatives=4, epochs=3, sample=1e-2, workers=2,
                                   seed=3)),
    "sg_w1_single": ("words", dict(tokens=1_800, dim=16, window=4, negatives=4, epochs=3, sample=1e-2, workers=1,
                                   seed=3)),
    "cbow_w1_multi": ("words", dict(tokens=24_000, dim=16, window=3, negatives=3, epochs=2, sample=1e-2, workers=1,
                                    seed=7, arch="cbow", kernel="pair")),
    "cbow_batched_w1_multi": ("words", dict(tokens=24_000, dim=16, window=3, negatives=3, epochs=2, sample=1e-2,
                                            workers=1, seed=7, arch="cbow")),
    "cbow_w1_frames": ("words", dict(tokens=24_000, dim=16, window=3, negatives=3, epochs=2, sample=1e-2, workers=1,
                                     seed=5, arch="cbow", frames=4, kernel="pair")),
    "cbow_w2_single": ("words", dict(tokens=1_800, dim=16, window=4, negatives=4, epochs=3, sample=1e-2, workers=2,
                                     seed=3, arch="cbow", kernel="pair")),
    "torch_cpu": ("torch", dict(tokens=6_000, dim=8, window=3, negatives=3, epochs=1, sample=1e-2, workers=1,
                                seed=2, device="cpu")),
    "deepwalk_w1_multi": ("graph", dict(nodes=400, walk_length=10, walks_per_node=5, window=3, dim=8, epochs=2,
                                        negatives=3, workers=1, seed=4)),
    "node2vec_w1_weighted": ("graph", dict(nodes=120, weighted=True, walk="node2vec", p=0.5, q=2.0, walk_length=12,
                                           walks_per_node=4, window=4, dim=8, epochs=1, negatives=3, sample=0.01,
                                           workers=1, seed=9)),
    "deepwalk_w2_single": ("graph", dict(nodes=60, walk_length=10, walks_per_node=5, window=3, dim=8, epochs=2,
                                         negatives=3, workers=2, seed=4)),
    "deepwalk_w1_single": ("graph", dict(nodes=60, walk_length=10, walks_per_node=5, window=3, dim=8, epochs=2,
                                         negatives=3, workers=1, seed=4)),
    "node2vec_w2_single": ("graph", dict(nodes=60, walk="node2vec", p=2.0, q=0.5, walk_length=10, walks_per_node=5,
                                         window=3, dim=8, epochs=1, negatives=3, workers=2, seed=6)),
}
#: several jobs per epoch on two threads: only the interleaving-free numbers are exact
HOGWILD_CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "sg_w2_multi": ("words", dict(tokens=30_000, dim=16, window=3, negatives=3, epochs=2, sample=1e-2, workers=2,
                                  seed=7)),
    "cbow_w2_multi": ("words", dict(tokens=30_000, dim=16, window=3, negatives=3, epochs=2, sample=1e-2, workers=2,
                                    seed=7, arch="cbow", kernel="pair")),
}
#: pairs of cases that must give the same vectors (two workers on single-job inputs = one worker)
SAME = [("sg_w2_single", "sg_w1_single"), ("deepwalk_w2_single", "deepwalk_w1_single")]


def train(kind: str, settings: dict[str, Any]) -> dict[str, np.ndarray]:
    s = dict(settings)
    if kind == "graph":
        csr = planted_graph(s.pop("nodes"), 11, s.pop("weighted", False))
        r = train_node_vectors(csr, GraphConfig(**s))
        return {"vectors": r.vectors, "context": r.context_vectors,
                "loss_per_epoch": np.array(r.loss_per_epoch), "n_steps": np.array([r.n_steps])}
    ids, offsets, counts = corpus(s.pop("tokens"), 5)
    kernel = s.pop("kernel", "default")  # the default is HogBatch for both; "pair" pins word2vec's pair updates
    r = train_skipgram(ids, offsets, counts, SkipGramConfig(min_count=1, **s),
                       backend="torch" if kind == "torch" else "auto", kernel=kernel)
    out = {"vectors": r.vectors, "context": r.context_vectors, "loss_per_epoch": np.array(r.loss_per_epoch)}
    if kind == "words":
        out["words_kept"] = np.array(r.extra["words_kept"])
        out["pairs"] = np.array(r.extra["pairs"])
    if r.frames is not None:
        out["frames"] = np.stack(r.frames.frames)
        out["frame_progress"] = np.array([m["progress"] for m in r.frames.meta])
    return out


def host_cpu() -> str:
    from llvmlite import binding

    return f"{binding.get_host_cpu_name()} {binding.get_host_cpu_features().flatten()}"


def digest(a: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


def record() -> None:
    arrays: dict[str, np.ndarray] = {}
    for name, (kind, settings) in {**CASES, **HOGWILD_CASES}.items():
        for key, value in train(kind, settings).items():
            arrays[f"{name}/{key}"] = value
    meta = {"cpu": host_cpu(), "sha256": {k: digest(v) for k, v in arrays.items()}}
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(FIXTURE, meta=np.array(json.dumps(meta)), **arrays)


@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    with np.load(FIXTURE, allow_pickle=False) as data:
        out = {k: data[k] for k in data.files}
    out["meta"] = json.loads(str(out["meta"]))
    return out


def _same_cpu(golden: dict[str, Any]) -> bool:
    return golden["meta"]["cpu"] == host_cpu()


@pytest.mark.parametrize("name", sorted(CASES))
def test_vectors_are_bit_identical_to_the_recorded_ones(name: str, golden: dict[str, Any]) -> None:
    kind, settings = CASES[name]
    got = train(kind, settings)
    keys = sorted(k.partition("/")[2] for k in golden if k.startswith(f"{name}/"))
    assert sorted(got) == keys
    for key in ("words_kept", "pairs", "n_steps", "frame_progress"):  # integers and plans: exact on any CPU
        if key in got:
            np.testing.assert_array_equal(got[key], golden[f"{name}/{key}"], err_msg=f"{name}/{key}")
    if not _same_cpu(golden):
        pytest.skip("the fixture was recorded on another CPU (fastmath results differ by instruction set)")
    for key, value in got.items():
        want = golden[f"{name}/{key}"]
        assert value.dtype == want.dtype and value.shape == want.shape, f"{name}/{key}"
        assert digest(value) == golden["meta"]["sha256"][f"{name}/{key}"], (
            f"{name}/{key}: max |difference| {np.abs(value.astype(np.float64) - want).max():.3g}")


@pytest.mark.parametrize("pair", SAME, ids=lambda p: p[0])
def test_two_workers_on_one_job_equal_one_worker(pair: tuple[str, str], golden: dict[str, Any]) -> None:
    a, b = pair
    np.testing.assert_array_equal(golden[f"{a}/vectors"], golden[f"{b}/vectors"])


@pytest.mark.parametrize("name", sorted(HOGWILD_CASES))
def test_two_workers_over_several_jobs_keep_their_random_draws(name: str, golden: dict[str, Any]) -> None:
    kind, settings = HOGWILD_CASES[name]
    got = train(kind, settings)
    np.testing.assert_array_equal(got["words_kept"], golden[f"{name}/words_kept"])
    np.testing.assert_array_equal(got["pairs"], golden[f"{name}/pairs"])
    np.testing.assert_allclose(got["loss_per_epoch"], golden[f"{name}/loss_per_epoch"], rtol=0.05)
    assert np.isfinite(got["vectors"]).all()


if __name__ == "__main__":
    if sys.argv[1:] == ["--record"]:
        record()
        print(f"recorded {FIXTURE}")
    else:
        print(__doc__)
