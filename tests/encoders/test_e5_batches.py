"""The E5 encoder's data-parallel batches: how texts are shared between threads (fast), and that the vectors are
those of one engine call over the whole batch, whatever the thread count (slow: loads the model)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from explorer.encoders.e5 import shares


def test_shares_are_contiguous_cover_every_text_and_balance_characters() -> None:
    texts = ["x" * n for n in (5, 80, 3, 3, 3, 3, 40, 2, 2, 60)]
    for parts in (1, 2, 3, 4, 10, 12):
        ranges = shares(texts, parts)
        assert len(ranges) == min(parts, len(texts))
        assert ranges[0][0] == 0 and ranges[-1][1] == len(texts)
        assert all(a < b for a, b in ranges) and all(r[1] == s[0] for r, s in zip(ranges, ranges[1:], strict=False))
    two = shares(texts, 2)
    load = [sum(len(t) + 9 for t in texts[a:b]) for a, b in two]
    assert max(load) - min(load) <= 80 + 9  # no better split moves fewer characters than the longest text
    assert shares(["only"], 4) == [(0, 1)]


SCRIPT = r"""
import json, sys
import numpy as np
from explorer.encoders import make_encoder
from explorer.encoders.e5 import model, _set_threads
texts = json.loads(sys.argv[1])
enc = make_encoder("e5")
got = enc.encode(texts, "passage", batch=len(texts))
one = enc.encode(texts[:1], "query")
m = model()
_set_threads(m, enc.threads)
whole = np.asarray(m.encode(texts, False), dtype=np.float32)
print(json.dumps({"threads": enc.threads, "diff": float(np.abs(got - whole).max()),
                  "query": float(np.abs(one[0] - m.encode(texts[:1], True)).max()), "shape": list(got.shape)}))
"""


@pytest.mark.slow
@pytest.mark.parametrize("threads", ["1", "2", "3"])
def test_data_parallel_vectors_equal_one_engine_call(threads: str) -> None:
    import json
    import os

    texts = ([f"Sentence {i}: the students compare how models place similar sentences." for i in range(9)]
             + ["猫在沙发上睡觉。", "a " * 400, "short"])
    env = {**os.environ, "EXPLORER_JOB_THREADS": threads}
    out = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(texts)], env=env, capture_output=True, text=True,
                         check=True).stdout
    res = json.loads(out.strip().splitlines()[-1])
    assert res["shape"] == [12, 384]
    assert res["threads"] == min(int(threads), len(os.sched_getaffinity(0)))
    assert res["diff"] <= 1e-6 and res["query"] <= 1e-6
