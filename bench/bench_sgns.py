"""Skip-gram speed and quality against gensim, on the same corpus in the same run.

    python bench/bench_sgns.py speed   [--corpus wiki|synthetic|PATH] [--tokens N] [--workers 2] [--repeats 3]
    python bench/bench_sgns.py steps   [--corpus ...] [--tokens N]       # what each trainer buys
    python bench/bench_sgns.py quality [--epochs 5] [--seeds 3]          # WordSim-353 + planted-ring proxy
    python bench/bench_sgns.py first                                     # time to first model (sample)
    python bench/bench_sgns.py stages  [--sizes small,large] [--archs skipgram,cbow] [--seeds 2]
                                       # whole command + per-stage breakdown, ours beside gensim

Settings everywhere: dim 100, window 5, negatives 5, sample 1e-3, min_count 5, lr 0.025, Skip-gram.
words/s = corpus words (after min_count, before subsampling) x epochs / seconds of training, for both
(gensim: the wall time of ``Word2Vec.train``; ours: the training loop, compilation excluded and
reported separately).

Corpora (no downloads):
- ``wiki``: the English Wikipedia extract shipped with gensim's tests
  (``enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2``, 106 articles, about
  450,000 words after gensim's WikiCorpus tokenizer), repeated to reach ``--tokens``.
- ``synthetic``: generated text (Zipfian function words, content words on a "ring" of topics);
  its planted structure gives a graded similarity benchmark (``quality``), a stand-in for
  WordSim-353 on a corpus too small for it.
- a path: a whitespace-tokenized text file, one sentence per line.
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
from typing import Optional

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SETTINGS = dict(dim=100, window=5, negatives=5, sample=1e-3, min_count=5, lr=0.025)
WORK = Path(tempfile.gettempdir()) / "explorer-bench"


# --------------------------------------------------------------------------- corpora


def gensim_test_file(name: str) -> Path:
    import gensim

    return Path(gensim.__file__).parent / "test" / "test_data" / name


def wiki_text() -> Path:
    """The gensim test Wikipedia extract as one article per line, tokenized by gensim (cached)."""
    out = WORK / "wiki.txt"
    if out.exists():
        return out
    from gensim.corpora.wikicorpus import WikiCorpus

    WORK.mkdir(parents=True, exist_ok=True)
    dump = gensim_test_file("enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2")
    wiki = WikiCorpus(str(dump), dictionary={}, processes=1)
    tmp = out.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for tokens in wiki.get_texts():
            fh.write(" ".join(tokens) + "\n")
    tmp.replace(out)
    return out


def repeated(path: Path, n_tokens: int) -> Path:
    """``path`` repeated until it holds at least ``n_tokens`` words (cached)."""
    text = path.read_text(encoding="utf-8")
    per_copy = len(text.split())
    copies = max(1, -(-n_tokens // per_copy))
    out = WORK / f"{path.stem}-x{copies}.txt"
    if not out.exists():
        out.write_text(text * copies, encoding="utf-8")
    return out


FUNCTION_WORDS, RING_WORDS, RING_SPREAD = 300, 5000, 25.0


def _pseudo_words(n: int, rng: np.random.Generator) -> list[str]:
    """n distinct pronounceable pseudo-words."""
    cons, vows = list("bcdfghjklmnprstvwz"), list("aeiou")
    words: set[str] = set()
    out = []
    while len(out) < n:
        k = int(rng.integers(2, 4))
        w = "".join(cons[int(rng.integers(len(cons)))] + vows[int(rng.integers(len(vows)))] for _ in range(k))
        if w not in words:
            words.add(w)
            out.append(w)
    return out


def synthetic(n_tokens: int, seed: int = 0) -> tuple[Path, dict[str, int]]:
    """A corpus with a planted, graded similarity; returns (file, content word -> ring position) (cached).

    300 function words (45% of tokens, Zipf-distributed, in every sentence) and 5,000 content words
    placed on a ring. Each sentence has a topic (a point on the ring) and draws its content words
    around it (normal, standard deviation 25 positions). Two content words are the more similar
    the closer they sit on the ring: a graded ground truth that does not saturate.
    """
    rng = np.random.default_rng(seed)
    names = np.array(_pseudo_words(FUNCTION_WORDS + RING_WORDS, rng), dtype=object)
    truth = {str(names[FUNCTION_WORDS + i]): i for i in range(RING_WORDS)}
    out = WORK / f"ring-{n_tokens}-{seed}.txt"
    if out.exists():
        return out, truth
    WORK.mkdir(parents=True, exist_ok=True)
    lengths = rng.integers(8, 31, size=n_tokens // 19 + 1)
    lengths = lengths[: np.searchsorted(np.cumsum(lengths), n_tokens) + 1]
    n = int(lengths.sum())
    centre = np.repeat(rng.integers(0, RING_WORDS, size=len(lengths)), lengths)
    zipf = 1.0 / np.arange(1, FUNCTION_WORDS + 1)
    function = rng.choice(FUNCTION_WORDS, n, p=zipf / zipf.sum())
    content = FUNCTION_WORDS + (centre + np.rint(rng.normal(0, RING_SPREAD, n)).astype(np.int64)) % RING_WORDS
    words = names[np.where(rng.random(n) < 0.45, function, content)]
    tmp = out.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        start = 0
        for end in np.cumsum(lengths):
            fh.write(" ".join(words[start:end]) + "\n")
            start = end
    tmp.replace(out)
    return out, truth


def corpus_path(name: str, n_tokens: int) -> Path:
    if name == "wiki":
        return repeated(wiki_text(), n_tokens)
    if name == "synthetic":
        return synthetic(n_tokens)[0]
    return Path(name)


# --------------------------------------------------------------------------- the two trainers


class Prepared:
    """One corpus, read once, in both trainers' formats."""

    def __init__(self, path: Path, min_count: int) -> None:
        from explorer.configs import CorpusConfig
        from explorer.text.corpus import load_corpus
        from explorer.text.vocab import build_vocab, encode

        self.path = path
        corpus = load_corpus(path, CorpusConfig(lang="pretokenized", dedupe_lines=False), use_cache=False)
        self.vocab, remap = build_vocab(corpus, min_count)
        self.ids, self.offsets = encode(corpus, remap)
        self.n_tokens = int(self.ids.size)
        with open(path, encoding="utf-8") as fh:
            self.sentences = [line.split() for line in fh if line.strip()]

    def gensim(self, workers: int, epochs: int, seed: int = 0, train: bool = True):
        from gensim.models import Word2Vec

        model = Word2Vec(vector_size=SETTINGS["dim"], window=SETTINGS["window"], negative=SETTINGS["negatives"],
                         sample=SETTINGS["sample"], min_count=SETTINGS["min_count"], alpha=SETTINGS["lr"],
                         min_alpha=SETTINGS["lr"] * 1e-4, sg=1, hs=0, workers=workers, seed=seed, epochs=epochs)
        model.build_vocab(self.sentences)
        start = time.perf_counter()
        model.train(self.sentences, total_examples=model.corpus_count, epochs=epochs)
        seconds = time.perf_counter() - start
        # the same numerator as ours: the corpus words that survive min_count, times epochs
        return model, self.n_tokens * epochs / seconds, seconds

    def ours(self, workers: int, epochs: int, seed: int = 0, backend: str = "auto",
             n_tokens: Optional[int] = None, batch_size: Optional[int] = None, torch_threads: int = 1):
        from explorer.kinds import SkipGramConfig
        from explorer.training.skipgram import train_skipgram

        ids, offsets = self.ids, self.offsets
        if n_tokens is not None and n_tokens < ids.size:
            cut = int(np.searchsorted(offsets, n_tokens))
            offsets = offsets[: cut + 1]
            ids = ids[: offsets[-1]]
        cfg = SkipGramConfig(dim=SETTINGS["dim"], window=SETTINGS["window"], negatives=SETTINGS["negatives"],
                             sample=SETTINGS["sample"], min_count=SETTINGS["min_count"], lr=SETTINGS["lr"],
                             epochs=epochs, workers=workers, seed=seed, device="cpu")
        return train_skipgram(ids, offsets, self.vocab.counts, cfg, backend=backend, batch_size=batch_size,
                              torch_threads=torch_threads)


def machine() -> str:
    import gensim
    import numba
    import torch

    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{cpu}, {len(os.sched_getaffinity(0))} cores available, load average {load:.2f} at start; "
            f"Python {platform.python_version()}, numpy {np.__version__}, numba {numba.__version__}, "
            f"torch {torch.__version__}, gensim {gensim.__version__}; {time.strftime('%Y-%m-%d %H:%M')}")


# --------------------------------------------------------------------------- commands


def cmd_speed(args: argparse.Namespace) -> None:
    path = corpus_path(args.corpus, args.tokens)
    data = Prepared(path, SETTINGS["min_count"])
    print(f"# speed: {path.name}, {data.n_tokens:,} tokens after min_count, vocabulary {len(data.vocab):,}")
    print(f"# {machine()}")
    data.ours(args.workers, 1, n_tokens=20_000)  # compile or load the kernel once, outside the timings
    ours, theirs, ours_cpu, theirs_cpu = [], [], [], []
    words = data.n_tokens * args.epochs
    for r in range(args.repeats):
        cpu = time.process_time()
        _, g_rate, g_s = data.gensim(args.workers, args.epochs, seed=r)
        theirs_cpu.append(words / (time.process_time() - cpu))
        cpu = time.process_time()
        res = data.ours(args.workers, args.epochs, seed=r)
        ours_cpu.append(words / (time.process_time() - cpu))
        theirs.append(g_rate)
        ours.append(res.words_per_s)
        print(f"repeat {r}: gensim {g_rate:,.0f} words/s ({g_s:.2f} s)   ours {res.words_per_s:,.0f} words/s "
              f"({res.seconds:.2f} s; compile/cache load {res.compile_seconds:.2f} s)   "
              f"ratio {res.words_per_s / g_rate:.2f}x   per CPU-second: gensim {theirs_cpu[-1]:,.0f}, "
              f"ours {ours_cpu[-1]:,.0f}")
    g, o = statistics.median(theirs), statistics.median(ours)
    print(f"median: gensim {g:,.0f} words/s, ours {o:,.0f} words/s, ratio {o / g:.2f}x "
          f"(workers={args.workers}, epochs={args.epochs}, {args.repeats} interleaved repeats)")
    print(f"best:   gensim {max(theirs):,.0f} words/s, ours {max(ours):,.0f} words/s, "
          f"ratio {max(ours) / max(theirs):.2f}x")
    gc, oc = statistics.median(theirs_cpu), statistics.median(ours_cpu)
    print(f"words per CPU-second (median): gensim {gc:,.0f}, ours {oc:,.0f}, ratio {oc / gc:.2f}x")


def _timed(fn, words: int):  # type: ignore[no-untyped-def]
    """(result, words per CPU-second of this process) of ``fn()``."""
    cpu = time.process_time()
    out = fn()
    return out, words / max(1e-9, time.process_time() - cpu)


def cmd_steps(args: argparse.Namespace) -> None:
    path = corpus_path(args.corpus, args.tokens)
    data = Prepared(path, SETTINGS["min_count"])
    print(f"# steps: {path.name}, {data.n_tokens:,} tokens, vocabulary {len(data.vocab):,}")
    print(f"# {machine()}")
    data.ours(1, 1, n_tokens=20_000)
    small = int(data.offsets[np.searchsorted(data.offsets, args.torch_tokens)])
    rows = []
    for r in range(args.repeats):
        (_, g2, _), g2_cpu = _timed(lambda r=r: data.gensim(args.workers, 1, seed=r), data.n_tokens)
        (_, g1, _), g1_cpu = _timed(lambda r=r: data.gensim(1, 1, seed=r), data.n_tokens)
        steps = [("gensim workers=1", g1, g1_cpu, ""), (f"gensim workers={args.workers}", g2, g2_cpu, "")]
        for backend, bs, threads in (("torch-autograd", 4096, 1), ("torch", 4096, 1), ("torch", 32768, 1),
                                     ("torch", 32768, args.workers)):
            res, cpu = _timed(lambda b=backend, s=bs, t=threads: data.ours(
                args.workers, 1, backend=b, n_tokens=small, batch_size=s, torch_threads=t), small)
            steps.append((f"{backend} batch {bs}, {threads} thread(s)", res.words_per_s, cpu,
                          f"first {small:,} tokens, loss {res.loss_per_epoch[-1]:.3f}"))
        res, cpu = _timed(lambda: data.ours(1, 1), data.n_tokens)
        steps.append(("numba, 1 thread", res.words_per_s, cpu, f"loss {res.loss_per_epoch[-1]:.3f}"))
        res, cpu = _timed(lambda: data.ours(args.workers, 1), data.n_tokens)
        steps.append((f"numba Hogwild, {args.workers} threads", res.words_per_s, cpu,
                      f"loss {res.loss_per_epoch[-1]:.3f}"))
        rows.append(steps)
        print(f"repeat {r}:")
        for name, rate, cpu, note in steps:
            print(f"  {name:40s} {rate:>10,.0f} words/s {rate / g2:5.2f}x   {cpu:>10,.0f} words/CPU-s "
                  f"{cpu / g2_cpu:5.2f}x   {note}")
    print("median over repeats: | trainer | words/s | vs gensim | words per CPU-second | vs gensim |")
    g2 = statistics.median(row[1][1] for row in rows)
    g2c = statistics.median(row[1][2] for row in rows)
    for i, (name, *_rest) in enumerate(rows[0]):
        rate = statistics.median(row[i][1] for row in rows)
        cpu = statistics.median(row[i][2] for row in rows)
        print(f"| {name} | {rate:,.0f} | {rate / g2:.2f}x | {cpu:,.0f} | {cpu / g2c:.2f}x |")


def _wordsim(vectors: np.ndarray, index: dict[str, int]) -> tuple[float, int]:
    from scipy.stats import spearmanr

    gold, pred = [], []
    for line in open(gensim_test_file("wordsim353.tsv"), encoding="utf-8"):
        if line.startswith("#"):
            continue
        a, b, score = line.rstrip("\n").split("\t")[:3]
        a, b = a.lower(), b.lower()
        if a in index and b in index:
            u, v = vectors[index[a]], vectors[index[b]]
            gold.append(float(score))
            pred.append(float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v) + 1e-12)))
    return float(spearmanr(gold, pred).statistic), len(gold)


def _planted(vectors: np.ndarray, index: dict[str, int], truth: dict[str, int], n_pairs: int = 20000) -> float:
    """Spearman between cosine and closeness on the ring, over pairs at log-uniform ring distances."""
    from scipy.stats import spearmanr

    rng = np.random.default_rng(123)
    by_position = {pos: word for word, pos in truth.items()}
    a = rng.integers(0, RING_WORDS, n_pairs)
    dist = np.exp(rng.uniform(0, np.log(8 * RING_SPREAD), n_pairs)).astype(np.int64)  # 1..200: the graded range
    b = (a + dist) % RING_WORDS
    pairs = [(by_position[i], by_position[j], d) for i, j, d in zip(a, b, dist, strict=True)
             if by_position[i] in index and by_position[j] in index]
    unit = vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12)
    ia = np.array([index[p[0]] for p in pairs])
    ib = np.array([index[p[1]] for p in pairs])
    pred = np.einsum("ij,ij->i", unit[ia], unit[ib])
    return float(spearmanr([-p[2] for p in pairs], pred).statistic)


def cmd_quality(args: argparse.Namespace) -> None:
    print(f"# quality: epochs {args.epochs}, seeds {args.seeds}, workers {args.workers}")
    print(f"# {machine()}")
    if "wordsim" in args.parts:
        _quality_wordsim(args)
    if "ring" in args.parts:
        _quality_ring(args)


def _quality_wordsim(args: argparse.Namespace) -> None:
    wiki = Prepared(wiki_text(), SETTINGS["min_count"])
    index = wiki.vocab.index
    ours_ws, theirs_ws = [], []
    for seed in range(args.seeds):
        g, _, _ = wiki.gensim(args.workers, args.epochs, seed=seed)
        res = wiki.ours(args.workers, args.epochs, seed=seed)
        gs, n = _wordsim(g.wv.vectors, g.wv.key_to_index)
        os_, n2 = _wordsim(res.vectors, index)
        theirs_ws.append(gs)
        ours_ws.append(os_)
        print(f"WordSim-353 seed {seed}: gensim {gs:.3f} ({n} pairs)  ours {os_:.3f} ({n2} pairs)")
    print(f"WordSim-353 mean over seeds (wiki extract, {wiki.n_tokens:,} tokens): gensim "
          f"{statistics.mean(theirs_ws):.3f} ± {statistics.pstdev(theirs_ws):.3f}, ours {statistics.mean(ours_ws):.3f} "
          f"± {statistics.pstdev(ours_ws):.3f}, difference {statistics.mean(ours_ws) - statistics.mean(theirs_ws):+.3f}")


def _quality_ring(args: argparse.Namespace) -> None:
    path, truth = synthetic(args.synthetic_tokens)
    syn = Prepared(path, SETTINGS["min_count"])
    ours_p, theirs_p = [], []
    for seed in range(args.seeds):
        g, _, _ = syn.gensim(args.workers, args.epochs, seed=seed)
        res = syn.ours(args.workers, args.epochs, seed=seed)
        gp = _planted(g.wv.vectors, g.wv.key_to_index, truth)
        op = _planted(res.vectors, syn.vocab.index, truth)
        theirs_p.append(gp)
        ours_p.append(op)
        print(f"planted ring Spearman seed {seed}: gensim {gp:.3f}  ours {op:.3f}")
    print(f"planted ring proxy mean ({syn.n_tokens:,} tokens): gensim {statistics.mean(theirs_p):.3f}, ours "
          f"{statistics.mean(ours_p):.3f}, difference {statistics.mean(ours_p) - statistics.mean(theirs_p):+.3f}")


def cmd_first(args: argparse.Namespace) -> None:
    """Time to first model: ``explorer sample`` then ``explorer train skipgram`` on the sample."""
    import json
    import subprocess

    print(f"# first model: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        numba_cache = tmp_path / "numba-cache"
        cases = [("cold: fresh numba cache, fresh EXPLORER_HOME", "home1"),
                 ("numba cache warm, fresh EXPLORER_HOME (tokenize again)", "home2"),
                 ("numba cache warm, tokenized sample cached", "home2")]
        for i, (label, home) in enumerate(cases):
            env = {**os.environ, "PYTHONPATH": str(ROOT), "EXPLORER_HOME": str(tmp_path / home),
                   "NUMBA_CACHE_DIR": str(numba_cache), "EXPLORER_NO_PROGRESS": "1"}
            sample, run = tmp_path / f"s{i}", tmp_path / f"r{i}"
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "explorer", "sample", "--out", str(sample)], cwd=ROOT, env=env,
                           check=True, capture_output=True)
            t_sample = time.perf_counter() - start
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "explorer", "train", "skipgram", "--corpus",
                            str(sample / "sample_corpus.txt"), "--labels", str(sample / "sample_labels.tsv"),
                            "--out", str(run)], cwd=ROOT, env=env, check=True, capture_output=True)
            t_train = time.perf_counter() - start
            m = json.loads((run / "metrics.json").read_text())
            print(f"{label}: sample {t_sample:.1f} s + train command {t_train:.1f} s = {t_sample + t_train:.1f} s; "
                  f"training loop {m['seconds']:.2f} s ({m['words_per_s']:,.0f} words/s), kernel compile/cache "
                  f"load {m['compile_seconds']:.2f} s, {m['n_tokens']:,} tokens x {m['epochs']} epochs")


# --------------------------------------------------------------------------- stages: whole command, per stage


def _run_measured(cmd: list[str], env: dict) -> tuple[float, float, float, str]:
    """Run ``cmd`` in a child; (wall s, CPU s of the child (user + system, all threads), peak RSS MB, stdout)."""
    import subprocess

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    usage = __import__("resource").getrusage(__import__("resource").RUSAGE_CHILDREN)
    # getrusage(CHILDREN) sums every waited-for child: take the difference around this one
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{err[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


class _ChildClock:
    """Differences of RUSAGE_CHILDREN around each child (the peak is per child: ru_maxrss of the largest,
    so children run from the smallest expected peak up, or the peak is read from the child itself)."""

    def __init__(self) -> None:
        self.cpu = 0.0

    def run(self, cmd: list[str], env: dict) -> tuple[float, float, float, str]:
        wall, cpu_total, peak, out = _run_measured(cmd, env)
        cpu, self.cpu = cpu_total - self.cpu, cpu_total
        return wall, cpu, peak, out


def _wordsim_files(prefix: Path) -> float:
    vectors = np.load(str(prefix) + "-vectors.npy")
    tokens = Path(str(prefix) + "-tokens.txt").read_text(encoding="utf-8").split("\n")
    return _wordsim(vectors, {t: i for i, t in enumerate(tokens)})[0]


def _peak_of(stages: list[dict]) -> float:
    return max(s["peak_mb"] for s in stages)


def cmd_stages(args: argparse.Namespace) -> None:
    """Whole commands from outside (wall, CPU, peak memory) and each stage, ours beside gensim's, same run."""
    import json

    print(f"# stages: {machine()}")
    sizes = {"small": (wiki_text(), args.small_epochs), "large": (corpus_path("wiki", args.large_tokens), 1)}
    clock = _ChildClock()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        numba_cache = WORK / "numba-cache"
        base_env = {**os.environ, "PYTHONPATH": str(ROOT), "EXPLORER_NO_PROGRESS": "1",
                    "NUMBA_CACHE_DIR": str(numba_cache)}
        # compile the kernels once, outside every timing (a first run compiles for tens of seconds)
        clock.run([sys.executable, str(ROOT / "bench" / "_stages_child.py"), "ours", str(sizes["small"][0]),
                   "skipgram", "1", "1", "0", str(tmp_path / "warm")], base_env)
        clock.run([sys.executable, str(ROOT / "bench" / "_stages_child.py"), "ours", str(sizes["small"][0]),
                   "cbow", "1", "1", "0", str(tmp_path / "warm")], base_env)
        # our modules' bytecode, as an installed package has it (pip byte-compiles a wheel, and Python writes the files
        # at the first import unless PYTHONDONTWRITEBYTECODE is set, as on the dev VM: there every command compiled
        # the changed modules from source, ~20 ms; gensim's installed modules have theirs)
        clock.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "explorer")], base_env)
        # and the job's machine code that a command line loads without numba (explorer.training.sgns.native)
        clock.run([sys.executable, "-c", "from explorer.training.sgns import native; "
                   "assert all(native.load(a, build=True) is not None for a in range(5))"], base_env)
        # and the compiled tokenizer that big files go through (explorer.text.fastencode)
        clock.run([sys.executable, "-c", "from explorer.text.fastencode import BlockEncoder; "
                   "from explorer.text.tokenizer import make_tokenizer; "
                   "[BlockEncoder(lang, make_tokenizer(lang)).finish() for lang in ('en', 'pretokenized')]; "
                   "b = BlockEncoder('en', make_tokenizer('en')); b.add('a b'); b.finish()"], base_env)
        for size in args.sizes.split(","):
            path, epochs = sizes[size]
            for arch in args.archs.split(","):
                kernels = args.kernel.split(",")
                rows: dict[str, list] = {"ours": [], "gensim": [], "ours_cmd": [], **{k: [] for k in kernels}}
                for seed in range(args.seeds):
                    load = os.getloadavg()[0]
                    tag = f"{size}-{arch}-{seed}"
                    g_out, o_out = tmp_path / f"g-{tag}", tmp_path / f"o-{tag}"
                    wall, cpu, _peak, out = clock.run(
                        [sys.executable, str(ROOT / "bench" / "_stages_child.py"), "gensim", str(path), arch,
                         str(epochs), str(args.workers), str(seed), str(g_out)], base_env)
                    g = json.loads(out.strip().splitlines()[-1])["stages"]
                    rows["gensim"].append(dict(wall=wall, cpu=cpu, peak=_peak_of(g), stages=g,
                                               ws=_wordsim_files(g_out), load=load))
                    for kernel in kernels:
                        wall, cpu, _peak, out = clock.run(
                            [sys.executable, str(ROOT / "bench" / "_stages_child.py"), "ours", str(path), arch,
                             str(epochs), str(args.workers), str(seed), str(o_out), kernel], base_env)
                        o = json.loads(out.strip().splitlines()[-1])["stages"]
                        rows[kernel].append(dict(wall=wall, cpu=cpu, peak=_peak_of(o), stages=o,
                                                 ws=_wordsim_files(o_out), load=load))
                    # the real command, fresh EXPLORER_HOME (reads and tokenizes; the corpus cache is cold)
                    env = {**base_env, "EXPLORER_HOME": str(tmp_path / f"home-{tag}")}
                    cmd = [sys.executable, "-m", "explorer", "train", "skipgram", "--corpus", str(path),
                           "--lang", "pretokenized", "--no-dedupe-lines", "--dim", "100", "--window", "5",
                           "--negatives", "5", "--sample", "1e-3", "--min-count", "5", "--lr", "0.025",
                           "--epochs", str(epochs), "--workers", str(args.workers), "--seed", str(seed),
                           "--arch", arch, "--device", "cpu", "--out", str(tmp_path / f"run-{tag}")]
                    wall, cpu, _peak, _ = clock.run(_time_wrapped(cmd), env)
                    peak = float(json.loads((tmp_path / f"run-{tag}.rusage").read_text())["peak_mb"]) \
                        if (tmp_path / f"run-{tag}.rusage").exists() else float("nan")
                    rows["ours_cmd"].append(dict(wall=wall, cpu=cpu, peak=peak, load=load))
                for kernel in kernels:
                    _print_stages(size, arch, path, epochs, args.workers, {**rows, "ours": rows[kernel]}, kernel)


def _time_wrapped(cmd: list[str]) -> list[str]:
    """``cmd`` run by a tiny wrapper that writes the child's own peak RSS beside its --out (RUSAGE_CHILDREN's
    maximum would be the largest child of the whole bench)."""
    out = cmd[cmd.index("--out") + 1]
    # ru_maxrss survives exec: the wrapper forks small (a bare interpreter), so its child's maximum is its own
    code = ("import json,os,resource,subprocess,sys; r=subprocess.run(sys.argv[2:]); "
            "json.dump({'peak_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024}, "
            "open(sys.argv[1],'w')); sys.exit(r.returncode)")
    return [sys.executable, "-c", code, out + ".rusage", *cmd]


def _print_stages(size: str, arch: str, path: Path, epochs: int, workers: int, rows: dict, kernel: str) -> None:
    mean = statistics.mean
    n_tok = next(s for s in rows["ours"][0]["stages"] if s["stage"].startswith("vocabulary"))["trained_tokens"]
    print(f"\n## {size}: {arch}, ours with the {kernel} kernel, {path.name} ({n_tok:,} tokens after min_count) x {epochs} epoch(s), "
          f"{workers} threads, {len(rows['ours'])} seed(s); load average at the starts "
          + ", ".join(f"{r['load']:.1f}" for r in rows["ours"]))
    o, c, g = rows["ours"], rows["ours_cmd"], rows["gensim"]
    print("| whole command (from outside, mean over seeds) | wall s | CPU s | peak RSS MB | WordSim-353 |")
    print("|---|---:|---:|---:|---:|")
    print(f"| ours: `python -m explorer train skipgram --arch {arch}` (fresh home) | {mean(r['wall'] for r in c):.2f} "
          f"| {mean(r['cpu'] for r in c):.2f} | {mean(r['peak'] for r in c):.0f} | |")
    print(f"| ours ({kernel} kernel): the stages below in one process | {mean(r['wall'] for r in o):.2f} | "
          f"{mean(r['cpu'] for r in o):.2f} | {mean(r['peak'] for r in o):.0f} | {mean(r['ws'] for r in o):.3f} |")
    print(f"| gensim 4.4 `Word2Vec(sg={1 if arch == 'skipgram' else 0})` script | {mean(r['wall'] for r in g):.2f} | "
          f"{mean(r['cpu'] for r in g):.2f} | {mean(r['peak'] for r in g):.0f} | {mean(r['ws'] for r in g):.3f} |")
    if kernel == "default":
        print(f"| **ratio gensim / ours (the command)** | {mean(r['wall'] for r in g) / mean(r['wall'] for r in c):.2f}x"
              f" | {mean(r['cpu'] for r in g) / mean(r['cpu'] for r in c):.2f}x | "
              f"{mean(r['peak'] for r in c) / mean(r['peak'] for r in g):.2f}x ours/gensim | "
              f"{mean(r['ws'] for r in o) - mean(r['ws'] for r in g):+.3f} |")
    print(f"| **ratio gensim / ours (stages process)** | {mean(r['wall'] for r in g) / mean(r['wall'] for r in o):.2f}x"
          f" | {mean(r['cpu'] for r in g) / mean(r['cpu'] for r in o):.2f}x | "
          f"{mean(r['peak'] for r in o) / mean(r['peak'] for r in g):.2f}x ours/gensim | "
          f"{mean(r['ws'] for r in o) - mean(r['ws'] for r in g):+.3f} |")
    print("| stage | ours wall s | ours CPU s | ours CPU/wall | ours peak MB | gensim wall s | gensim CPU s | "
          "gensim CPU/wall | gensim peak MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    names = [s["stage"] for s in o[0]["stages"]]
    g_names = [s["stage"] for s in g[0]["stages"]]
    g_of = {"imports": "imports", "tokenize (incl. read+decode)": "read+decode+tokenize",
            "vocabulary + encode": "vocabulary", "training": "training", "saving": "saving"}

    def cells(runs: list, name: str) -> str:
        st = [next(s for s in r["stages"] if s["stage"] == name) for r in runs]
        w, cp = mean(s["wall"] for s in st), mean(s["cpu"] for s in st)
        return f"{w:.2f} | {cp:.2f} | {cp / max(w, 1e-9):.2f} | {mean(s['peak_mb'] for s in st):.0f}"

    for name in names:
        theirs = cells(g, g_of[name]) if g_of.get(name) in g_names else " | | | "
        print(f"| {name} | {cells(o, name)} | {theirs} |")
    tr = [next(s for s in r["stages"] if s["stage"] == "training") for r in o]
    print(f"ours training loop (compile excluded) {mean(s['loop_s'] for s in tr):.2f} s, kernel load inside "
          f"training {mean(s['compile_s'] for s in tr):.3f} s, final loss {mean(s['loss'] for s in tr):.3f}; "
          f"threads: CPU/wall {mean(s['threads_cpu_s'] / s['threads_wall_s'] for s in tr):.2f}, demand "
          f"(CPU + waiting for a core) / wall {mean(s['demand'] for s in tr):.2f} of {workers}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("speed", "steps"):
        p = sub.add_parser(name)
        p.add_argument("--corpus", default="wiki", help="wiki | synthetic | path to a tokenized text file")
        p.add_argument("--tokens", type=int, default=5_000_000, help="corpus size for wiki/synthetic")
        p.add_argument("--workers", type=int, default=2)
        p.add_argument("--repeats", type=int, default=3)
        p.add_argument("--epochs", type=int, default=1)
        p.add_argument("--torch-tokens", type=int, default=300_000, help="steps: tokens for the slow torch trainers")
    p = sub.add_parser("quality")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--synthetic-tokens", type=int, default=1_000_000)
    p.add_argument("--parts", default="wordsim,ring", help="wordsim, ring or both (comma-separated)")
    sub.add_parser("first", help="time to first model on the bundled sample")
    p = sub.add_parser("stages", help="whole command + per-stage breakdown, ours beside gensim")
    p.add_argument("--sizes", default="small,large", help="small: the wiki extract x --small-epochs; "
                   "large: the extract repeated to --large-tokens, 1 epoch")
    p.add_argument("--archs", default="skipgram,cbow")
    p.add_argument("--seeds", type=int, default=2)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--small-epochs", type=int, default=8, help="8 x 412,531 tokens = 3.3M words trained")
    p.add_argument("--large-tokens", type=int, default=20_000_000)
    p.add_argument("--kernel", default="default", help="ours: the kernels, comma-separated (default, pair, "
                   "batched; default = batched for skipgram, pair for cbow)")
    args = parser.parse_args()
    {"speed": cmd_speed, "steps": cmd_steps, "quality": cmd_quality, "first": cmd_first,
     "stages": cmd_stages}[args.command](args)


if __name__ == "__main__":
    main()
