"""E5 sentence encoder figures (issue 20's targets): encoding throughput on 2 cores, peak memory of an
``encode`` run, and search latency once the run is open.

    PYTHONPATH=. python bench/bench_e5.py [--sentences 200] [--rss-docs 20000] [--search-docs 20000]

- throughput: ``--sentences`` English sentences of ~30 tokens (the engine's own count, specials included,
  is printed) encoded with the ``passage: `` prefix in one process pinned to 2 cores
  (``EXPLORER_JOB_THREADS=2``, ``taskset -c 0,1`` when available), the model loaded before the clock;
  ``--rounds`` rounds, each timing the encoder as it was before data-parallel batches (one engine call per
  batch, the threads inside it) and the encoder now, one after the other, so that both see the same load;
- peak RSS: ``python -m explorer encode`` of ``--rss-docs`` such documents (the whole command, its
  ``ru_maxrss``);
- search: a run of ``--search-docs`` documents (the encoded documents of the RSS run, repeated with a
  little noise when fewer: the cost of a search does not depend on the texts), ``search()`` timed after
  one warm-up call (median and worst of 20 queries; the query is encoded each time).
Prints a Markdown table row set with the machine, date and load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = ("the students in our class compared how different models place similar sentences close together while "
         "the teacher explained why word order and negation still matter for meaning in every language we "
         "study this term at school").split()


def sentences(n: int) -> list[str]:
    """``n`` distinct English sentences of ~22 words (~30 tokens with the prefix and specials)."""
    out = []
    for i in range(n):
        start = (i * 7) % len(WORDS)
        words = (WORDS[start:] + WORDS[:start])[:20]
        out.append(f"Sentence {i}: " + " ".join(words) + ".")
    return out


def _pinned(cmd: list[str]) -> list[str]:
    return (["taskset", "-c", "0,1"] + cmd) if shutil.which("taskset") and (os.cpu_count() or 1) >= 2 else cmd


THROUGHPUT = r"""
import sys, time, json, os
import numpy as np
from explorer.encoders import Encoder, make_encoder
from explorer.encoders.e5 import model, _set_threads
n, rounds = int(sys.argv[1]), int(sys.argv[3])
texts = [l for l in open(sys.argv[2], encoding="utf-8").read().split("\n") if l]


class Before(Encoder):
    # the encoder before data-parallel batches: one engine call per batch, the threads inside it (OpenMP)
    name = "e5-before"

    threads = 0  # 0: the job's threads

    def _encode_batch(self, chunk, kind):
        m = model()
        _set_threads(m, self.threads or enc.threads)
        return m.encode(chunk, kind == "query")


class OneThread(Before):
    name = "e5-one-thread"
    threads = 1


enc = make_encoder("e5"); enc.load(); enc.encode(texts[:4], "passage")
before = Before(); before.encode(texts[:4], "passage")
one = OneThread()
tokens = sum(model().token_count(t) for t in texts) / len(texts)
per_s = {"before": [], "after": [], "one": []}
cpu = {"before": 0.0, "after": 0.0, "one": 0.0}
waits = {"before": 0, "after": 0, "one": 0}  # voluntary context switches: a thread going to sleep (a barrier, a lock)
import resource
for r in range(rounds):  # interleaved, so that both see the same load
    for name, e in (("before", before), ("after", enc), ("one", one)):
        w0 = resource.getrusage(resource.RUSAGE_SELF).ru_nvcsw
        c0 = time.process_time(); t0 = time.perf_counter(); v = e.encode(texts, "passage")
        dt = time.perf_counter() - t0
        waits[name] += resource.getrusage(resource.RUSAGE_SELF).ru_nvcsw - w0
        cpu[name] += time.process_time() - c0  # every thread of the process
        per_s[name].append(len(texts) / dt)
        vectors = per_s.setdefault("v_" + name, v)
diff = float(np.abs(per_s.pop("v_before") - per_s.pop("v_after")).max())
per_s.pop("v_one")
print(json.dumps({"n": len(texts), "tokens": tokens, "threads": enc.threads, "max_diff": diff,
                  "before": sorted(per_s["before"]), "after": sorted(per_s["after"]), "one": sorted(per_s["one"]),
                  "cpu_ms": {k: 1000 * c / (rounds * len(texts)) for k, c in cpu.items()},
                  "waits": {k: w / (rounds * len(texts)) for k, w in waits.items()},
                  "per_s": float(np.median(per_s["after"]))}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sentences", type=int, default=200)
    ap.add_argument("--rss-docs", type=int, default=20000)
    ap.add_argument("--search-docs", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=3, help="throughput rounds, before and after interleaved")
    args = ap.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "EXPLORER_JOB_THREADS": "2", "EXPLORER_NO_PROGRESS": "1"}
    tmp = Path(tempfile.mkdtemp(prefix="bench-e5-"))
    env["EXPLORER_HOME"] = str(tmp / "home")
    load_before = os.getloadavg()
    try:
        txt = tmp / "s.txt"
        txt.write_text("\n".join(sentences(args.sentences)) + "\n", encoding="utf-8")
        out = subprocess.run(_pinned([sys.executable, "-c", THROUGHPUT, str(args.sentences), str(txt), str(args.rounds)]), env=env,
                             check=True, capture_output=True, text=True).stdout
        tp = json.loads(out.strip().splitlines()[-1])

        docs = tmp / "docs.txt"
        docs.write_text("\n".join(sentences(args.rss_docs)) + "\n", encoding="utf-8")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t0 = time.perf_counter()
        subprocess.run(_pinned([sys.executable, "-m", "explorer", "encode", "--documents", str(docs), "--out",
                                str(tmp / "run")]), env=env, check=True, capture_output=True)
        encode_s = time.perf_counter() - t0
        rss_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024

        sys.path.insert(0, str(ROOT))
        os.environ.update({k: env[k] for k in ("EXPLORER_HOME", "EXPLORER_JOB_THREADS")})
        import numpy as np

        from explorer.documents.runfiles import read_docs_tsv, write_doc_vectors, write_docs_tsv
        from explorer.documents.search import search

        run = tmp / "run"
        vec = np.load(run / "doc_vectors.npy")
        table = read_docs_tsv(run)
        reps = -(-args.search_docs // len(vec))
        rng = np.random.default_rng(0)
        big = np.tile(vec, (reps, 1))[:args.search_docs]
        big = big + rng.normal(0, 0.01, big.shape).astype(np.float32)
        write_doc_vectors(run, big)
        ids = [f"{i}" for i in range(len(big))]
        write_docs_tsv(run, ids, [""] * len(big), [""] * len(big), (table.texts * reps)[:len(big)])
        search(run, "how do models place similar sentences", k=10)  # opens the run, loads the model
        times = []
        for i in range(20):
            t0 = time.perf_counter()
            search(run, f"query number {i} about word order and negation", k=10)
            times.append(time.perf_counter() - t0)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    load_after = os.getloadavg()
    print(f"machine: {platform.node()} {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"date {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average {load_before[0]:.1f} before, "
          f"{load_after[0]:.1f} after")
    print("| figure | value | target |\n|---|---|---|")
    print(f"| E5 encoding, {tp['n']} sentences of {tp['tokens']:.0f} tokens, {tp['threads']} threads (median of "
          f"{args.rounds}) | {tp['per_s']:.1f} sentences/s | >= 40/s |")
    ratio = float(np.median(tp["after"]) / np.median(tp["before"]))
    print(f"| the same before data-parallel batches (one engine call, OpenMP threads), interleaved | "
          f"{float(np.median(tp['before'])):.1f} sentences/s (after/before {ratio:.2f}x; rounds before "
          f"{', '.join(f'{x:.1f}' for x in tp['before'])}, after {', '.join(f'{x:.1f}' for x in tp['after'])}; "
          f"largest vector difference {tp['max_diff']:.1g}) | |")
    one = float(np.median(tp["one"]))
    print(f"| one thread (one engine call per batch), interleaved | {one:.1f} sentences/s (two threads' share of "
          f"2x this: before {float(np.median(tp['before'])) / (2 * one):.0%}, after "
          f"{float(np.median(tp['after'])) / (2 * one):.0%}) | |")
    print(f"| CPU time per sentence (all threads), before / after | {tp['cpu_ms']['before']:.1f} ms / "
          f"{tp['cpu_ms']['after']:.1f} ms | |")
    print(f"| threads going to sleep (voluntary context switches) per sentence, before / after | "
          f"{tp['waits']['before']:.1f} / {tp['waits']['after']:.1f} | |")
    print(f"| `encode` of {args.rss_docs} documents: peak RSS | {rss_mb:.0f} MB ({encode_s:.0f} s whole command) "
          f"| <= 800 MB at 20,000 |")
    print(f"| search over {args.search_docs} documents, once open (20 queries) | median "
          f"{1000 * float(np.median(times)):.0f} ms, worst {1000 * max(times):.0f} ms | <= 200 ms |")


if __name__ == "__main__":
    main()
