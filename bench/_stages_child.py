"""One training, stage by stage, in a fresh process (run by ``bench_sgns.py stages``; prints one JSON line).

    python bench/_stages_child.py ours|gensim CORPUS ARCH EPOCHS WORKERS SEED OUT_DIR [kernel]

ours:   the stages of ``python -m explorer train skipgram`` (the same library calls, in the same order):
        imports, read+decode (a pass of the decoder alone, for the split), tokenize (``load_corpus`` without
        the cache, minus the decode pass), corpus cache (write, then read back), vocabulary (``build_vocab``
        + ``encode``), kernel load (the job's machine code, else numba's cache), training (``train_skipgram``), saving (vectors + vocab).
gensim: imports, read+tokenize (``LineSentence``, held as a list), vocabulary (``build_vocab``), training
        (``train``), saving (``wv.save``).
Every stage: wall seconds, CPU seconds of this process (all threads), peak RSS so far (MB). Only the
standard library is imported before the clock starts.
"""

from __future__ import annotations

import json
import resource
import sys
import time

T0_WALL, T0_CPU = time.perf_counter(), time.process_time()
SETTINGS = dict(dim=100, window=5, negatives=5, sample=1e-3, min_count=5, lr=0.025)


def peak_mb() -> float:
    """This process's peak RSS in MB: VmHWM (ru_maxrss survives exec, so a child would report its parent's)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Clock:
    def __init__(self) -> None:
        self.stages: list[dict] = []
        self.wall, self.cpu = T0_WALL, T0_CPU

    def lap(self, name: str, **extra: object) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        peak = peak_mb()
        self.stages.append(dict(stage=name, wall=wall - self.wall, cpu=cpu - self.cpu, peak_mb=peak, **extra))
        self.wall, self.cpu = wall, cpu

    def skip(self) -> None:
        """Do not count the time since the last lap (a measurement that the command does not do)."""
        self.wall, self.cpu = time.perf_counter(), time.process_time()


def ours(path: str, arch: str, epochs: int, workers: int, seed: int, out: str, kernel: str) -> Clock:
    from contextlib import ExitStack
    from pathlib import Path

    clock = Clock()
    import explorer.cli  # noqa: F401  (what the command imports before it trains)
    from explorer.configs import CorpusConfig
    from explorer.kinds import SkipGramConfig
    from explorer.runs import save_vectors
    from explorer.text import cache
    from explorer.text.corpus import load_corpus
    from explorer.text.readers import file_format, file_sha256, open_stream
    from explorer.text.vocab import build_vocab, encode
    from explorer.training.skipgram import train_skipgram
    clock.lap("imports")

    n_lines = 0
    with ExitStack() as stack:
        for _line in open_stream(Path(path), Path(path).name, None, stack).lines:
            n_lines += 1
    decode = (time.perf_counter() - clock.wall, time.process_time() - clock.cpu)
    clock.lap("read+decode (decoder alone)", lines=n_lines)
    cfg = CorpusConfig(lang="pretokenized", dedupe_lines=False)
    corpus = load_corpus(Path(path), cfg, use_cache=False)
    clock.lap("tokenize (incl. read+decode)", tokens=int(corpus.n_tokens), decode_wall=decode[0], decode_cpu=decode[1])
    with open(path, "rb") as fh:
        key = cache.cache_key(file_sha256(Path(path)), cfg, [], file_format(Path(path), fh.read(4)))
    cache.save_cache(key, corpus)
    clock.lap("corpus cache write")
    cached = cache.load_cache(key, Path(path).name)
    assert cached is not None and cached.n_tokens == corpus.n_tokens
    del cached
    clock.lap("corpus cache read (a second run)")
    vocab, remap = build_vocab(corpus, SETTINGS["min_count"])
    ids, offsets = encode(corpus, remap)
    del corpus
    clock.lap("vocabulary + encode", vocab=len(vocab.tokens), trained_tokens=int(ids.size))
    from explorer.training.sgns.pool import warm
    from explorer.training.skipgram import _job_arch

    config = SkipGramConfig(dim=SETTINGS["dim"], window=SETTINGS["window"], negatives=SETTINGS["negatives"],
                            sample=SETTINGS["sample"], min_count=SETTINGS["min_count"], lr=SETTINGS["lr"],
                            epochs=epochs, workers=workers, seed=seed, device="cpu", arch=arch)
    warm(_job_arch(config, kernel))  # the job's machine code (explorer.training.sgns.native), else numba's job
    clock.lap("kernel load")
    kwargs = {} if kernel == "default" else {"kernel": kernel}
    result = train_skipgram(ids, offsets, vocab.counts, config, **kwargs)
    threads = result.extra.get("threads", {})
    clock.lap("training", loop_s=result.seconds, compile_s=result.compile_seconds,
              loss=result.loss_per_epoch[-1], demand=threads.get("demand", float("nan")),
              threads_cpu_s=threads.get("cpu_s", float("nan")), threads_wall_s=threads.get("wall_s", float("nan")))
    Path(out).mkdir(parents=True, exist_ok=True)
    save_vectors(Path(out), result.vectors, vocab.tokens, vocab.counts)
    clock.lap("saving")
    clock.vectors = (result.vectors, vocab.tokens)  # type: ignore[attr-defined]
    return clock


def gensim(path: str, arch: str, epochs: int, workers: int, seed: int, out: str) -> Clock:
    clock = Clock()
    from gensim.models import Word2Vec
    from gensim.models.word2vec import LineSentence
    clock.lap("imports")
    sentences = list(LineSentence(path))
    clock.lap("read+decode+tokenize", tokens=sum(len(s) for s in sentences))
    model = Word2Vec(vector_size=SETTINGS["dim"], window=SETTINGS["window"], negative=SETTINGS["negatives"],
                     sample=SETTINGS["sample"], min_count=SETTINGS["min_count"], alpha=SETTINGS["lr"],
                     min_alpha=SETTINGS["lr"] * 1e-4, sg=1 if arch == "skipgram" else 0, hs=0, workers=workers,
                     seed=seed, epochs=epochs)
    model.build_vocab(sentences)
    clock.lap("vocabulary", vocab=len(model.wv))
    model.train(sentences, total_examples=model.corpus_count, epochs=epochs)
    clock.lap("training")
    model.wv.save(out.rstrip("/") + ".kv")
    clock.lap("saving")
    clock.vectors = (model.wv.vectors, model.wv.index_to_key)  # type: ignore[attr-defined]
    return clock


def main() -> None:
    who, path, arch, epochs, workers, seed, out = sys.argv[1:8]
    kernel = sys.argv[8] if len(sys.argv) > 8 else "default"
    if who == "ours":
        clock = ours(path, arch, int(epochs), int(workers), int(seed), out, kernel)
    else:
        clock = gensim(path, arch, int(epochs), int(workers), int(seed), out)
    vectors, tokens = clock.vectors  # type: ignore[attr-defined]
    import numpy as np

    np.save(out.rstrip("/") + "-vectors.npy", np.asarray(vectors, np.float32))
    with open(out.rstrip("/") + "-tokens.txt", "w", encoding="utf-8") as fh:
        fh.write("\n".join(tokens))
    print(json.dumps({"stages": clock.stages}))


if __name__ == "__main__":
    main()
