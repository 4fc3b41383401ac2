"""The tokenized-corpus cache: an :class:`~explorer.text.encoded.EncodedCorpus` kept under
``explorer.paths.cache_dir()`` as three ``.npy`` arrays and a JSON file, keyed by the SHA-256 of the
file's bytes, the tokenizing settings, the user words and the segmenters' versions.

A missing, half-written or corrupt entry is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import IO, Optional

import numpy as np

from explorer.atomic import open_atomic
from explorer.configs import CorpusConfig
from explorer.text.encoded import EncodedCorpus

CACHE_VERSION = 1  # bump when tokenizing or the cache format changes
#: CorpusConfig fields applied to the cached tokenized corpus (vectorised, fast): not in the cache key
AFTER_TOKENIZING = ("normalize", "phrases", "phrase_min_count", "phrase_threshold")


def cache_key(sha256: str, cfg: CorpusConfig, words: list[str], fmt: str) -> str:
    from importlib import metadata

    try:
        jieba_version = metadata.version("jieba")
    except metadata.PackageNotFoundError:
        jieba_version = ""
    config = {k: v for k, v in asdict(cfg).items() if k not in AFTER_TOKENIZING} | {"user_words": words}
    material = {"v": CACHE_VERSION, "sha256": sha256, "format": fmt, "config": config, "jieba": jieba_version}
    if cfg.segmenter != "jieba":  # (keys of jieba corpora stay as they were)
        try:
            material["thulac"] = metadata.version("thulac")
        except metadata.PackageNotFoundError:
            material["thulac"] = ""
    return hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


_ARRAYS = ("ids", "offsets", "counts")


def _cache_paths(key: str) -> dict[str, Path]:
    from explorer.paths import cache_dir

    root = cache_dir()
    paths = {a: root / f"corpus-{key}.{a}.npy" for a in _ARRAYS}
    paths["json"] = root / f"corpus-{key}.json"
    return paths


def _atomic_write(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    with open_atomic(path, "wb") as fh:
        write(fh)


def save_cache(key: str, corpus: EncodedCorpus) -> None:
    paths = _cache_paths(key)
    for a in _ARRAYS:
        _atomic_write(paths[a], lambda fh, a=a: np.save(fh, getattr(corpus, a), allow_pickle=False))
    meta = {
        "key": key, "tokens": corpus.tokens, "lang": corpus.lang, "encoding": corpus.encoding,
        "sha256": corpus.sha256, "n_lines": corpus.n_lines, "n_undecodable": corpus.n_undecodable,
    }
    _atomic_write(paths["json"], lambda fh: fh.write(json.dumps(meta, ensure_ascii=False).encode("utf-8")))


_writing: list[threading.Thread] = []


def save_cache_behind(key: str, corpus: EncodedCorpus) -> None:
    """:func:`save_cache` in a thread of its own, so that the caller's next steps (vocabulary, encoding: one core)
    run while the arrays are written (file writes release the interpreter lock). :func:`wait_for_writes` waits for
    it; the interpreter waits for it at exit too. A write that fails costs speed next time, nothing else. The
    corpus's arrays must not change meanwhile (nothing writes to them)."""
    thread = threading.Thread(target=save_cache_quietly, args=(key, corpus), name="corpus-cache")
    _writing.append(thread)
    thread.start()


def wait_for_writes() -> None:
    """Wait until the cache writes started by :func:`save_cache_behind` are done."""
    while _writing:
        _writing.pop().join()


def save_cache_quietly(key: str, corpus: EncodedCorpus) -> None:
    """:func:`save_cache`, a failure ignored."""
    try:
        save_cache(key, corpus)
    except OSError:  # a full or read-only cache directory costs speed next time, nothing else
        pass


def load_cache(key: str, source: str) -> Optional[EncodedCorpus]:
    """The cached corpus for ``key``, or None (missing, half-written or corrupt entries are misses)."""
    paths = _cache_paths(key)
    if not paths["json"].is_file():
        return None
    try:
        meta = json.loads(paths["json"].read_text(encoding="utf-8"))
        arrays = {a: np.load(paths[a], allow_pickle=False) for a in _ARRAYS}
    except (OSError, ValueError):
        return None
    ids, offsets, counts = arrays["ids"], arrays["offsets"], arrays["counts"]
    if (
        meta.get("key") != key or ids.dtype != np.int32 or offsets.dtype != np.int64 or counts.dtype != np.int64
        or len(counts) != len(meta["tokens"]) or len(offsets) < 1 or offsets[-1] != len(ids)
    ):
        return None
    return EncodedCorpus(
        tokens=meta["tokens"], counts=counts, ids=ids, offsets=offsets, lang=meta["lang"],
        encoding=meta["encoding"], sha256=meta["sha256"], source=source, n_lines=int(meta["n_lines"]),
        n_undecodable=int(meta.get("n_undecodable", 0)),
    )
