"""The text pipeline's flags through the generated ``train skipgram`` parser: --arch, --normalize,
--phrases, --segmenter; defaults keep today's commands training Skip-gram on unchanged words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.runs import load_run

FAST = ["--dim", "12", "--epochs", "2", "--min-count", "2", "--workers", "1"]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    lines = [f"the cats were running to new york on day {i}" for i in range(40)]
    lines += [f"dogs are walking in new york near park {i}" for i in range(40)]
    path = tmp_path / "c.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _config(run: Path) -> dict:
    return json.loads((run / "config.json").read_text(encoding="utf-8"))["config"]


def test_defaults_are_skipgram_on_unchanged_words(tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["train", "skipgram", "--corpus", str(corpus), "--out", str(tmp_path / "r"), *FAST]) == 0
    config = _config(tmp_path / "r")
    assert config["arch"] == "skipgram"
    cc = config["corpus_config"]
    assert (cc["normalize"], cc["phrases"], cc["segmenter"]) == ("none", 0, "jieba")
    assert "running" in load_run(tmp_path / "r").index


def test_cbow_stems_and_phrases_from_the_flags(tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "r"
    assert main(["train", "skipgram", "--corpus", str(corpus), "--out", str(out), *FAST, "--arch", "cbow",
                 "--normalize", "stem", "--phrases", "1", "--phrase-min-count", "3", "--phrase-threshold", "5",
                 "--segmenter", "thulac"]) == 0
    config = _config(out)
    assert config["arch"] == "cbow"
    assert config["corpus_config"].items() >= {"normalize": "stem", "phrases": 1, "phrase_min_count": 3,
                                                "phrase_threshold": 5.0, "segmenter": "thulac"}.items()
    run = load_run(out)
    # stemmed first ("running" -> "run"), then joined ("were run" -> "were_run"; every pair of these
    # template lines is a phrase, so left-to-right joining decides which)
    assert {"were_run", "new_york", "the_cat", "dog_are"} <= set(run.index) and "running" not in run.index
    capsys.readouterr()
    assert main(["neighbors", str(out), "New York", "-k", "2"]) == 0  # the query becomes the run's token
    assert len(capsys.readouterr().out.strip().splitlines()) == 2


@pytest.mark.parametrize("flags,word", [(["--arch", "glove"], "arch"), (["--normalize", "porter"], "normalize"),
                                        (["--phrases", "3"], "phrases"), (["--segmenter", "pkuseg"], "segmenter")])
def test_bad_values_are_exit_2_naming_the_flag(flags: list[str], word: str, tmp_path: Path, corpus: Path,
                                               capsys: pytest.CaptureFixture) -> None:
    try:
        code = main(["train", "skipgram", "--corpus", str(corpus), "--out", str(tmp_path / "r"), *FAST, *flags])
    except SystemExit as exc:  # argparse refuses a value outside the declared choices
        code = exc.code
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith("error: ") and word in err[0]
