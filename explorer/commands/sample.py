"""``sample --out DIR``: write the bundled teaching samples (text corpus + labels, interaction log + items,
the graphs karate / lesmis / planted: ``<name>_edges.tsv`` + ``<name>_labels.tsv``, and the documents:
``sample_documents.csv`` (planted topics) and ``sample_sentences.csv`` (English and Chinese sentences)).

The files are generated into a hidden temporary directory inside DIR and moved into place only
when all of them are written and none of them would overwrite an existing file, so the command
either writes every sample file or none.
"""

from __future__ import annotations

import argparse
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

from explorer.commands.outputs import missing_folders, remove_folders
from explorer.errors import ExplorerError
from explorer.samples.corpus import write_sample_corpus

Writer = Callable[[Path], tuple[Path, Path]]


def _writers() -> list[Writer]:
    writers: list[Writer] = [write_sample_corpus]
    try:
        from explorer.samples.interactions import write_sample_interactions
    except ModuleNotFoundError as exc:  # the interaction sample is optional for this command
        if exc.name != "explorer.samples.interactions":
            raise
    else:
        writers.append(write_sample_interactions)
    from explorer.graph.samples import SAMPLES, write_sample_graph

    writers += [lambda out, name=name: write_sample_graph(name, out) for name in SAMPLES]  # edges + labels each
    from explorer.samples.documents import write_sample_documents
    from explorer.samples.sentences import write_sample_sentences

    writers += [lambda out: (write_sample_documents(out),), lambda out: (write_sample_sentences(out),)]  # documents
    return writers


def write_samples(out: Path) -> list[Path]:
    """Write every sample into ``out`` (created if needed); refuse to overwrite; return the paths."""
    from explorer.resources import disk_space

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ExplorerError(f"{out}: exists and is not a directory")
    existing = [name for name in SAMPLE_NAMES if (out / name).exists()]
    if existing:  # known before generating anything (the check after writing stays, for new samples)
        raise ExplorerError(f"{out}: already holds {', '.join(existing)}; refusing to overwrite (choose another --out)")
    created = missing_folders(out)  # removed again when anything fails
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / f".sample-tmp-{uuid.uuid4().hex}"
    try:
        tmp.mkdir()
    except BaseException:
        remove_folders(created)
        raise
    done = False
    try:
        with disk_space(out, SAMPLE_BYTES):
            written = [path for write in _writers() for path in write(tmp)]
        targets = [out / path.name for path in written]
        existing = [t.name for t in targets if t.exists()]
        if existing:
            raise ExplorerError(f"{out}: already holds {', '.join(existing)}; refusing to overwrite (choose another --out)")
        for path, target in zip(written, targets, strict=True):
            os.replace(path, target)
        done = True
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if not done:
            remove_folders(created)
    return targets


SAMPLE_BYTES = 8 << 20  # about what the samples take on disk (for the disk-full message)
SAMPLE_NAMES = ("sample_corpus.txt", "sample_labels.tsv", "sample_interactions.csv", "sample_items.csv")


def run(args: argparse.Namespace) -> int:
    for path in write_samples(Path(args.out)):
        print(path)
    return 0
