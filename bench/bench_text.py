"""The text pipeline's new steps against their references, each pair in the same run.

    python bench/bench_text.py cbow-speed   [--tokens 3000000] [--workers 2] [--repeats 3]
    python bench/bench_text.py cbow-quality [--epochs 5] [--seeds 3]
    python bench/bench_text.py normalize    [--tokens 20000000]
    python bench/bench_text.py segmenters   [--mb 10]

- ``cbow-speed``: ours (``arch=cbow``, the numba kernel, 2 threads) against gensim
  ``Word2Vec(sg=0, cbow_mean=1, workers=2)`` on the same corpus with the same settings (dim 100,
  window 5, negatives 5, sample 1e-3, min_count 5, lr 0.025), interleaved repeats; words/s counted
  the same way for both (corpus words after min_count x epochs / training seconds), as in
  ``bench/bench_sgns.py``, whose corpora and helpers this reuses.
- ``cbow-quality``: WordSim-353 (the copy in gensim's test folder) Spearman of both CBOW models on
  gensim's Wikipedia extract at equal epochs, several seeds.
- ``normalize``: ``load_corpus`` (tokenizing) of a ~20M-token English corpus (the Wikipedia extract
  repeated), then the time each optional step adds on top (stem, lemma, phrases with 1 and 2
  passes), as a share of the tokenizing time.
- ``segmenters``: jieba and THULAC over the same ~10 MB of Chinese (the bundled sample's Chinese
  lines, recombined at random), with the time to load each segmenter.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_sgns import SETTINGS, WORK, Prepared, _wordsim, corpus_path, machine, repeated, wiki_text  # noqa: E402


def gensim_cbow(data: Prepared, workers: int, epochs: int, seed: int = 0):  # type: ignore[no-untyped-def]
    from gensim.models import Word2Vec

    model = Word2Vec(vector_size=SETTINGS["dim"], window=SETTINGS["window"], negative=SETTINGS["negatives"],
                     sample=SETTINGS["sample"], min_count=SETTINGS["min_count"], alpha=SETTINGS["lr"],
                     min_alpha=SETTINGS["lr"] * 1e-4, sg=0, cbow_mean=1, hs=0, workers=workers, seed=seed,
                     epochs=epochs)
    model.build_vocab(data.sentences)
    start = time.perf_counter()
    model.train(data.sentences, total_examples=model.corpus_count, epochs=epochs)
    seconds = time.perf_counter() - start
    return model, data.n_tokens * epochs / seconds, seconds


def ours_cbow(data: Prepared, workers: int, epochs: int, seed: int = 0, n_tokens: int | None = None):  # type: ignore[no-untyped-def]
    from explorer.kinds import SkipGramConfig
    from explorer.training.skipgram import train_skipgram

    ids, offsets = data.ids, data.offsets
    if n_tokens is not None and n_tokens < ids.size:
        cut = int(np.searchsorted(offsets, n_tokens))
        offsets = offsets[: cut + 1]
        ids = ids[: offsets[-1]]
    cfg = SkipGramConfig(dim=SETTINGS["dim"], window=SETTINGS["window"], negatives=SETTINGS["negatives"],
                         sample=SETTINGS["sample"], min_count=SETTINGS["min_count"], lr=SETTINGS["lr"],
                         epochs=epochs, workers=workers, seed=seed, device="cpu", arch="cbow")
    return train_skipgram(ids, offsets, data.vocab.counts, cfg)


def cmd_cbow_speed(args: argparse.Namespace) -> None:
    path = corpus_path(args.corpus, args.tokens)
    data = Prepared(path, SETTINGS["min_count"])
    print(f"# cbow speed: {path.name}, {data.n_tokens:,} tokens after min_count, vocabulary {len(data.vocab):,}")
    print(f"# {machine()}")
    ours_cbow(data, args.workers, 1, n_tokens=20_000)  # compile or load the kernel outside the timings
    ours, theirs, ours_cpu, theirs_cpu = [], [], [], []
    words = data.n_tokens * args.epochs
    for r in range(args.repeats):
        cpu = time.process_time()
        _, g_rate, g_s = gensim_cbow(data, args.workers, args.epochs, seed=r)
        theirs_cpu.append(words / (time.process_time() - cpu))
        cpu = time.process_time()
        res = ours_cbow(data, args.workers, args.epochs, seed=r)
        ours_cpu.append(words / (time.process_time() - cpu))
        theirs.append(g_rate)
        ours.append(res.words_per_s)
        print(f"repeat {r}: gensim sg=0 {g_rate:,.0f} words/s ({g_s:.2f} s)   ours cbow {res.words_per_s:,.0f} "
              f"words/s ({res.seconds:.2f} s)   ratio {res.words_per_s / g_rate:.2f}x   per CPU-second: "
              f"gensim {theirs_cpu[-1]:,.0f}, ours {ours_cpu[-1]:,.0f}")
    g, o = statistics.median(theirs), statistics.median(ours)
    print(f"median: gensim {g:,.0f} words/s, ours {o:,.0f} words/s, ratio {o / g:.2f}x "
          f"(workers={args.workers}, epochs={args.epochs}, {args.repeats} interleaved repeats)")
    gc, oc = statistics.median(theirs_cpu), statistics.median(ours_cpu)
    print(f"words per CPU-second (median): gensim {gc:,.0f}, ours {oc:,.0f}, ratio {oc / gc:.2f}x")


def cmd_cbow_quality(args: argparse.Namespace) -> None:
    print(f"# cbow quality: epochs {args.epochs}, seeds {args.seeds}, workers {args.workers}")
    print(f"# {machine()}")
    wiki = Prepared(wiki_text(), SETTINGS["min_count"])
    ours_ws, theirs_ws = [], []
    for seed in range(args.seeds):
        g, _, _ = gensim_cbow(wiki, args.workers, args.epochs, seed=seed)
        res = ours_cbow(wiki, args.workers, args.epochs, seed=seed)
        gs, n = _wordsim(g.wv.vectors, g.wv.key_to_index)
        os_, n2 = _wordsim(res.vectors, wiki.vocab.index)
        theirs_ws.append(gs)
        ours_ws.append(os_)
        print(f"WordSim-353 seed {seed}: gensim cbow {gs:.3f} ({n} pairs)  ours cbow {os_:.3f} ({n2} pairs)")
    print(f"WordSim-353 mean over seeds (wiki extract, {wiki.n_tokens:,} tokens, {args.epochs} epochs): gensim "
          f"{statistics.mean(theirs_ws):.3f} ± {statistics.pstdev(theirs_ws):.3f}, ours {statistics.mean(ours_ws):.3f}"
          f" ± {statistics.pstdev(ours_ws):.3f}, difference {statistics.mean(ours_ws) - statistics.mean(theirs_ws):+.3f}")


def cmd_normalize(args: argparse.Namespace) -> None:
    from explorer.configs import CorpusConfig
    from explorer.text.corpus import after_tokenizing, load_corpus

    path = repeated(wiki_text(), args.tokens)
    print(f"# normalize: {path.name} ({path.stat().st_size / 2**20:.0f} MB)")
    print(f"# {machine()}")
    start, cpu = time.perf_counter(), time.process_time()
    corpus = load_corpus(path, CorpusConfig(lang="en", dedupe_lines=False), use_cache=False)
    tokenize_s, tokenize_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"tokenizing (load_corpus, en, no cache): {tokenize_s:.1f} s wall, {tokenize_cpu:.1f} s CPU, "
          f"{corpus.n_tokens:,} tokens, vocabulary {len(corpus.tokens):,}")
    steps = [("stem", dict(normalize="stem")), ("lemma", dict(normalize="lemma")),
             ("phrases, 1 pass", dict(phrases=1)), ("phrases, 2 passes", dict(phrases=2)),
             ("stem + phrases, 2 passes", dict(normalize="stem", phrases=2))]
    print("| step | wall s | share of tokenizing (wall) | CPU s | share of tokenizing (CPU) | vocabulary after "
          "| phrase tokens |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, extra in steps:
        cfg = CorpusConfig(lang="en", **extra)
        start, cpu = time.perf_counter(), time.process_time()
        out = after_tokenizing(corpus, cfg)
        s, c = time.perf_counter() - start, time.process_time() - cpu
        n_phrases = sum("_" in t for t in out.tokens)
        print(f"| {name} | {s:.2f} | {s / tokenize_s:.1%} | {c:.2f} | {c / tokenize_cpu:.1%} | {len(out.tokens):,} "
              f"| {n_phrases:,} |")


def chinese_file(n_bytes: int, seed: int = 0) -> Path:
    """About ``n_bytes`` of Chinese: the bundled sample's Chinese lines, two or three joined at random (cached)."""
    from explorer.samples.corpus import generate_corpus
    from explorer.text.tokenizer import HAN

    out = WORK / f"zh-sample-{n_bytes}.txt"
    if out.exists():
        return out
    WORK.mkdir(parents=True, exist_ok=True)
    lines = [line for line in generate_corpus().lines if HAN.search(line)]
    rng = random.Random(seed)
    written = 0
    with open(out, "w", encoding="utf-8") as fh:
        while written < n_bytes:
            line = "".join(rng.sample(lines, rng.randint(2, 3))) + "\n"
            fh.write(line)
            written += len(line.encode("utf-8"))
    return out


def cmd_segmenters(args: argparse.Namespace) -> None:
    from explorer.text.tokenizer import make_tokenizer

    path = chinese_file(int(args.mb * 2**20))
    lines = path.read_text(encoding="utf-8").splitlines()
    print(f"# segmenters: {path.name}, {path.stat().st_size / 2**20:.1f} MB, {len(lines):,} lines")
    print(f"# {machine()}")
    for segmenter in ("jieba", "thulac"):
        start = time.perf_counter()
        tokenize = make_tokenizer("zh", segmenter=segmenter)
        tokenize("预热")
        load_s = time.perf_counter() - start
        start, cpu = time.perf_counter(), time.process_time()
        n = sum(len(tokenize(line)) for line in lines)
        s, c = time.perf_counter() - start, time.process_time() - cpu
        print(f"| {segmenter} | load {load_s:.1f} s | {s:.1f} s wall | {c:.1f} s CPU | "
              f"{path.stat().st_size / 2**20 / c:.2f} MB per CPU-second | {n:,} tokens |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("cbow-speed")
    p.add_argument("--corpus", default="wiki")
    p.add_argument("--tokens", type=int, default=3_000_000)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--epochs", type=int, default=1)
    p = sub.add_parser("cbow-quality")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--workers", type=int, default=2)
    p = sub.add_parser("normalize")
    p.add_argument("--tokens", type=int, default=20_000_000)
    p = sub.add_parser("segmenters")
    p.add_argument("--mb", type=float, default=10.0)
    args = parser.parse_args()
    {"cbow-speed": cmd_cbow_speed, "cbow-quality": cmd_cbow_quality, "normalize": cmd_normalize,
     "segmenters": cmd_segmenters}[args.command](args)


if __name__ == "__main__":
    main()
