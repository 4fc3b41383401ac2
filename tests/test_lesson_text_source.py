"""Lesson steps 1 and 7 start from the chosen run's own text: the upload a real training run read is found again
from what the run writes (its corpus's sha256 and name), never from a path named by the run's config."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from explorer.jobs import workspaces
from explorer.kinds import spec_from_dict
from explorer.runs.directory import load_run
from explorer.text.corpus import load_corpus
from explorer.text.vocab import build_vocab
from explorer.training.word_run import save_word_run
from pages._lesson_ui import run_text_source

NOVEL = "Alice was beginning to get very tired of sitting by her sister on the bank\n" * 40


def trained_on(upload: Path, out: Path, shown_name: str) -> Path:
    """A run written by the Skip-gram runner's own writer, for a spec as the Train page submits it."""
    spec = spec_from_dict({"kind": "skipgram", "name": "novel run",
                           "data": {"corpus": str(upload), "corpus_name": shown_name},
                           "config": {"dim": 4, "min_count": 1}})
    corpus = load_corpus(upload, spec.corpus_config, name=shown_name)
    vocab, _ = build_vocab(corpus, 1)
    out.mkdir()
    save_word_run(out, spec, spec.config, spec.corpus_config, corpus, vocab,
                  np.ones((len(vocab.tokens), 4), np.float32), None)
    return out


def test_a_trained_runs_own_upload_is_found_by_the_hash_it_records(tmp_path: Path) -> None:
    upload = workspaces.save_upload(NOVEL.encode("utf-8"), ".txt")
    run = load_run(trained_on(upload, tmp_path / "run", "Alice+小明"))
    assert "corpus" not in run.config["data"]  # what real runs write: the file's hash and its name, no path
    found = run_text_source(run)
    assert found == {"path": str(upload.resolve()), "name": "Alice+小明"}


def test_a_run_whose_upload_is_gone_or_whose_hash_is_not_hex_has_no_text(tmp_path: Path) -> None:
    upload = workspaces.save_upload(NOVEL.encode("utf-8"), ".txt")
    run = load_run(trained_on(upload, tmp_path / "run", "alice.txt"))
    upload.unlink()
    assert run_text_source(run) is None
    assert workspaces.upload_by_sha256("../" + "0" * 61) is None
    assert workspaces.upload_by_sha256(None) is None
