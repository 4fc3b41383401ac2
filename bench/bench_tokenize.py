"""Benchmark the text pipeline: time and peak memory of ``explorer.text.corpus.load_corpus``.

Usage::

    python bench/bench_tokenize.py [--tokens 20000000] [--zh-mb 10] [--workdir /tmp/explorer-bench-text]

Generates (deterministically, into ``--workdir``):

* an English corpus of about ``--tokens`` tokens: Zipf-distributed pseudo-words (100k word
  types), 5-35 words a line, some capitals and punctuation;
* a Chinese corpus of about ``--zh-mb`` MB (UTF-8): words drawn by frequency from jieba's own
  dictionary, 8-40 words a line, with Chinese punctuation;

then loads each in a fresh child process (so the generator's memory does not count) and prints
a Markdown table: seconds, lines/s, tokens/s, peak RSS (``resource.getrusage``), RSS after
imports, and the reference timings measured in the same child on the same lines (a bare
``re.findall`` loop for English, bare ``jieba.lcut`` for Chinese). Also times the bundled sample
corpus (first load, jieba included) and a cache hit.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mb() -> float:
    """Peak RSS of this process: ``getrusage`` (KiB on Linux). Linux keeps ru_maxrss across execve,
    so the parent generates corpora in its own child and stays small; VmHWM (reset by execve) is
    reported beside it as a check."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _hwm_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


# --------------------------------------------------------------------------- corpus generators


def make_english(path: Path, n_tokens: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    n_types = 100_000
    letters = np.array(list("etaoinshrdlcumwfgypbvkjxqz"))
    lengths = np.clip(rng.poisson(5, n_types), 1, 14)
    words = np.array(["".join(rng.choice(letters[:20], k) if i % 7 else rng.choice(letters, k))
                      for i, k in enumerate(lengths)])
    words = np.unique(words)
    rng.shuffle(words)
    p = 1.0 / (np.arange(len(words)) + 2.7) ** 1.07
    p /= p.sum()
    written = 0
    with open(path, "w", encoding="utf-8") as fh:
        while written < n_tokens:
            ids = rng.choice(len(words), size=200_000, p=p)
            cuts = np.cumsum(rng.integers(5, 36, size=len(ids) // 5))
            cuts = cuts[cuts < len(ids)]
            lines = []
            for sent in np.split(words[ids], cuts):
                if len(sent) == 0:
                    continue
                text = " ".join(sent)
                lines.append(text[0].upper() + text[1:] + ("." if len(sent) % 3 else ", and more!"))
            fh.write("\n".join(lines) + "\n")
            written += len(ids)


def make_chinese(path: Path, n_bytes: int, seed: int = 0) -> None:
    import jieba

    dict_path = Path(jieba.__file__).parent / "dict.txt"
    words, freqs = [], []
    for line in dict_path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in parts[0]):
            words.append(parts[0])
            freqs.append(int(parts[1]))
    words_arr = np.array(words)
    p = np.array(freqs, dtype=np.float64)
    p /= p.sum()
    rng = np.random.default_rng(seed)
    written = 0
    with open(path, "w", encoding="utf-8") as fh:
        while written < n_bytes:
            ids = rng.choice(len(words_arr), size=100_000, p=p)
            cuts = np.cumsum(rng.integers(8, 41, size=len(ids) // 8))
            cuts = cuts[cuts < len(ids)]
            lines = []
            for sent in np.split(words_arr[ids], cuts):
                if len(sent) == 0:
                    continue
                half = len(sent) // 2
                lines.append("".join(sent[:half]) + "，" + "".join(sent[half:]) + "。")
            block = "\n".join(lines) + "\n"
            fh.write(block)
            written += len(block.encode("utf-8"))


# --------------------------------------------------------------------------- child measurements


def child(kind: str, path: str) -> dict:
    from explorer.configs import CorpusConfig
    from explorer.text.corpus import load_corpus

    if kind in ("en-gen", "zh-gen"):
        (make_english if kind == "en-gen" else make_chinese)(Path(path), int(float(os.environ["BENCH_SIZE"])))
        return {}
    if kind == "zh":  # import jieba and load its dictionary before the baseline, as the app would
        from explorer.text.tokenizer import _jieba_tokenizer

        _jieba_tokenizer(())
    base = _rss_mb()
    cfg = CorpusConfig(lang="en" if kind == "en" else "zh")
    if kind == "sample":
        from explorer.samples.corpus import generate_corpus

        words = generate_corpus().words
        start = time.perf_counter()
        corpus = load_corpus(Path(path), CorpusConfig(), user_words=words)
        first = time.perf_counter() - start
        start = time.perf_counter()
        load_corpus(Path(path), CorpusConfig(), user_words=words)
        return {"first_s": first, "cached_s": time.perf_counter() - start, "tokens": corpus.n_tokens,
                "lines": corpus.n_lines, "lang": corpus.lang}
    start = time.perf_counter()
    corpus = load_corpus(Path(path), cfg)
    seconds = time.perf_counter() - start
    peak, hwm = _peak_mb(), _hwm_mb()
    start = time.perf_counter()
    load_corpus(Path(path), cfg)  # cache hit
    cached = time.perf_counter() - start
    from explorer.text.vocab import build_vocab, encode

    start = time.perf_counter()
    _, remap = build_vocab(corpus, min_count=5)
    encoded = encode(corpus, remap)
    encode_s = time.perf_counter() - start
    encode_peak = _hwm_mb()
    del encoded
    out = {
        "seconds": seconds, "cached_s": cached, "peak_rss_mb": peak, "hwm_mb": hwm, "base_rss_mb": base,
        "encode_s": encode_s, "encode_peak_mb": encode_peak,
        "tokens": corpus.n_tokens, "lines": corpus.n_lines, "vocab": len(corpus.tokens),
        "array_mb": (corpus.ids.nbytes + corpus.offsets.nbytes + corpus.counts.nbytes) / 2**20,
        "mb": os.path.getsize(path) / 2**20,
    }
    del corpus
    # reference on the same lines: the bare tokenizer loop (no cleaning, dedupe or id assignment)
    start = time.perf_counter()
    n_ref = 0
    with open(path, encoding="utf-8") as fh:
        if kind == "en":
            word = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
            for line in fh:
                n_ref += len(word.findall(line.lower()))
        else:
            import jieba

            jieba.initialize()  # dictionary load outside the timing, as for load_corpus
            start = time.perf_counter()
            for line in fh:
                n_ref += len(jieba.lcut(line.strip()))
    out["ref_seconds"] = time.perf_counter() - start
    out["ref_tokens"] = n_ref
    return out


def run_child(kind: str, path: Path, home: Path) -> dict:
    env = dict(os.environ, EXPLORER_HOME=str(home), PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tokens", type=int, default=20_000_000)
    parser.add_argument("--zh-mb", type=float, default=10.0)
    parser.add_argument("--workdir", default="/tmp/explorer-bench-text")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    en_path = work / f"en_{args.tokens}.txt"
    zh_path = work / f"zh_{args.zh_mb:g}mb.txt"
    for path, kind, size in ((en_path, "en-gen", args.tokens), (zh_path, "zh-gen", int(args.zh_mb * 2**20))):
        if not path.exists():  # generated in a child: this parent stays small (see _peak_mb)
            tmp = path.with_suffix(".tmp")
            subprocess.run([sys.executable, __file__, "--child", kind, str(tmp)], check=True,
                           env=dict(os.environ, BENCH_SIZE=str(size), PYTHONPATH=str(ROOT)))
            tmp.rename(path)
    from explorer.samples.corpus import write_sample_corpus

    sample_dir = work / "sample"
    sample_dir.mkdir(exist_ok=True)
    for old in sample_dir.iterdir():
        old.unlink()
    sample_path, _ = write_sample_corpus(sample_dir)

    import shutil

    rows = []
    for kind, path in (("en", en_path), ("zh", zh_path)):
        home = work / f"home-{kind}"
        shutil.rmtree(home, ignore_errors=True)
        r = run_child(kind, path, home)
        rows.append(
            f"| {kind} | {r['mb']:.1f} | {r['lines']:,} | {r['tokens']:,} | {r['vocab']:,} | {r['seconds']:.1f} "
            f"| {r['tokens'] / r['seconds']:,.0f} | {r['peak_rss_mb']:.0f} ({r['hwm_mb']:.0f}) | {r['base_rss_mb']:.0f} "
            f"| {r['array_mb']:.0f} | {r['cached_s']:.2f} | {r['encode_s']:.1f} | {r['encode_peak_mb']:.0f} "
            f"| {r['ref_seconds']:.1f} |"
        )
        print(rows[-1], flush=True)
    home = work / "home-sample"
    shutil.rmtree(home, ignore_errors=True)
    s = run_child("sample", sample_path, home)
    print()
    print("| corpus | MB | lines | tokens | vocab | load s | tokens/s | peak RSS MB (VmHWM) | RSS after imports MB "
          "| arrays MB | cache hit s | vocab+encode s | peak RSS after encode MB | reference s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print()
    print(f"bundled sample: {s['lines']:,} lines, {s['tokens']:,} tokens, lang {s['lang']}: first load "
          f"{s['first_s']:.2f} s (jieba dictionary load included), cache hit {s['cached_s']:.2f} s")


if __name__ == "__main__":
    main()
