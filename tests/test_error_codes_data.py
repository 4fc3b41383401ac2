"""Errors of the data, training and job layers carry a code, so the Chinese UI shows them in Chinese.

Covers explorer/recsys, explorer/text, explorer/graph, explorer/training and the user-facing job
modules (submission, workspaces, classes): every ``ExplorerError(...)`` there has a literal ``code``,
every code added for them has a fitting translation, and representative errors read in Chinese.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np
import pytest

from explorer.errors import ExplorerError
from explorer.graph.io import max_edges, read_graph
from explorer.i18n import error_tables, error_text, placeholders, table
from explorer.jobs.submission import submit_projection
from explorer.jobs.workspaces import check_token, cli_workspace, delete_run, max_upload_bytes, new_run_id, new_token
from explorer.kinds import TrainingSpec, UserItemConfig, UserItemData, spec_from_dict
from explorer.recsys.evaluation import test_metrics_at_k as metrics_at_k
from explorer.recsys.interactions import read_interactions
from explorer.recsys.recommend import recommend
from explorer.text.encoded import EncodedCorpus
from explorer.text.readers import read_user_words
from explorer.text.tokenizer import resolve_lang
from explorer.text.vocab import build_vocab, negative_distribution
from explorer.training.useritem import train_useritem_run

ROOT = Path(__file__).resolve().parents[1]
SCOPE = sorted(
    [*ROOT.glob("explorer/recsys/*.py"), *ROOT.glob("explorer/text/*.py"), *ROOT.glob("explorer/graph/*.py"),
     *ROOT.glob("explorer/training/*.py")]
    + [ROOT / "explorer" / "jobs" / name for name in ("submission.py", "workspaces.py", "classes.py")]
)
CJK = re.compile(r"[\u4e00-\u9fff]")

# the codes (and parameter-value keys) added for the modules above
ADDED = {
    "param_positive_int", "log_unparsable", "log_time_mixed", "log_unknown_role", "zip_member_unreadable",
    "user_words_empty", "vocab_too_small", "vocab_no_counts", "env_integer", "compiled_trainer_device",
    "corpus_missing", "interactions_missing", "train_diverged_useritem", "train_no_positive", "queue_unavailable",
    "run_not_allowed", "projection_params", "job_not_retryable", "workspace_invalid", "run_id_invalid",
    "run_not_in_workspace", "run_not_in_gallery", "run_other_publisher", "env_workspace", "workspace_file_empty",
    "class_code_exhausted", "class_share_kind",
}
VALUE_KEYS = {
    "separator=tab-separated", "separator=comma-separated", "separator=semicolon-separated",
    "separator=pipe-separated", "separator='::'-separated", "separator=space-separated",
    "state=queued", "state=running", "state=done", "state=failed", "state=cancelled",
}


def _entries() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for name in error_tables():
        for key, pair in table(name).items():
            out.setdefault(key, pair)
    return out


def _calls_without_code(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name != "ExplorerError":
            continue
        code = [kw.value for kw in node.keywords if kw.arg == "code"]
        if not code or not (isinstance(code[0], ast.Constant) and isinstance(code[0].value, str)):
            bad.append(node.lineno)
    return bad


def test_every_error_in_scope_has_a_literal_code() -> None:
    assert len(SCOPE) > 10
    missing = {p.relative_to(ROOT).as_posix(): lines for p in SCOPE if (lines := _calls_without_code(p))}
    assert missing == {}


@pytest.mark.parametrize("code", sorted(ADDED))
def test_added_codes_have_fitting_translations(code: str) -> None:
    entries = _entries()
    assert code in entries, code
    en, zh = entries[code]
    assert placeholders(en) == placeholders(zh), code
    assert CJK.search(zh), code
    assert not re.search(r"--[a-z]", en + zh), code


def test_added_value_keys_are_chinese() -> None:
    entries = _entries()
    for key in VALUE_KEYS:
        en, zh = entries[key]
        assert en == key.partition("=")[2] and CJK.search(zh), key


def _check(exc: ExplorerError, code: str) -> tuple[str, str]:
    assert exc.code == code, (exc.code, str(exc))
    en, zh = error_text(exc, "en"), error_text(exc, "zh")
    assert "{" not in en and "}" not in en, en
    assert CJK.search(zh) and zh != str(exc), zh
    assert "--" not in en + zh
    return en, zh


def _raises(func, *args, **kwargs) -> ExplorerError:
    with pytest.raises(ExplorerError) as info:
        func(*args, **kwargs)
    return info.value


def _corpus(tokens: list[str], counts: list[int]) -> EncodedCorpus:
    ids = np.repeat(np.arange(len(tokens), dtype=np.int32), counts)
    return EncodedCorpus(tokens=tokens, counts=np.asarray(counts, np.int64), ids=ids,
                         offsets=np.array([0, len(ids)], np.int64), lang="pretokenized", encoding="utf-8",
                         sha256="0" * 64, source="tiny.txt", n_lines=1)


def test_interaction_log_errors_read_in_chinese(tmp_path: Path) -> None:
    exc = _raises(read_interactions, tmp_path / "missing.csv")
    en, zh = _check(exc, "file_not_found")
    assert "missing.csv" in zh and "找不到" in zh

    log = tmp_path / "log.csv"
    log.write_text("user,item,timestamp\na,x,1\nb,y,soon\nc,z,3\n", encoding="utf-8")
    en, zh = _check(_raises(read_interactions, log), "log_time_mixed")
    assert "soon" in zh and "第 3 行" in zh and "timestamp" in zh

    log.write_text("user,item\na,x\nb,y\n", encoding="utf-8")
    en, zh = _check(_raises(read_interactions, log, {"owner": "user"}), "log_unknown_role")
    assert "owner" in zh and "列角色" in zh


def test_recommender_errors_read_in_chinese(tmp_path: Path) -> None:
    en, zh = _check(_raises(recommend, None, "u1", k=0), "param_min")
    assert en == "k must be at least 1, got 0" and zh == "k 最小为 1，当前为 0"
    en, zh = _check(_raises(metrics_at_k, tmp_path, 0), "param_positive_int")
    assert "正整数" in zh


def test_text_pipeline_errors_read_in_chinese(tmp_path: Path) -> None:
    en, zh = _check(_raises(build_vocab, _corpus(["a", "b", "c"], [3, 1, 1]), min_count=2), "vocab_too_small")
    assert "tiny.txt" in zh and "1 个" in zh and "2 次" in zh and "最低词频" in zh
    assert "minimum count" in en
    _check(_raises(negative_distribution, np.zeros(3)), "vocab_no_counts")

    words = tmp_path / "words.txt"
    words.write_text("# only a comment\n\n", encoding="utf-8")
    en, zh = _check(_raises(read_user_words, words), "user_words_empty")
    assert zh.startswith("words.txt：")

    en, zh = _check(_raises(resolve_lang, "fr", []), "param_choice")
    assert "fr" in zh and "pretokenized" in zh


def test_graph_errors_read_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("missing.edges", "missing.graphml"):
        en, zh = _check(_raises(read_graph, tmp_path / name), "file_not_found")
        assert name in zh
    monkeypatch.setenv("EXPLORER_MAX_GRAPH_EDGES", "lots")
    en, zh = _check(_raises(max_edges), "env_integer")
    assert zh == "EXPLORER_MAX_GRAPH_EDGES：不是整数。"


def test_workspace_and_job_errors_read_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    en, zh = _check(_raises(check_token, "not-a-token"), "workspace_invalid")
    assert "not-a-token" not in en + zh  # the token is never echoed
    token, run_id = new_token(), new_run_id()
    en, zh = _check(_raises(delete_run, token, run_id), "run_not_in_workspace")
    assert run_id in zh
    en, zh = _check(_raises(submit_projection, str(tmp_path / "elsewhere"), "pca", 2, {}, token), "run_not_allowed")
    assert "elsewhere" in zh and "作品展" in zh
    monkeypatch.setenv("EXPLORER_WORKSPACE", "nope")
    _check(_raises(cli_workspace), "env_workspace")
    monkeypatch.setenv("EXPLORER_MAX_UPLOAD_MB", "big")
    en, zh = _check(_raises(max_upload_bytes), "env_number")
    assert zh == "EXPLORER_MAX_UPLOAD_MB：不是数字。"


def test_training_keeps_the_code_when_it_names_the_users_file(tmp_path: Path) -> None:
    stored = tmp_path / "0123abcd.csv"  # an upload is stored under a hashed name
    stored.write_text("who,what\na,b\nc,d\n", encoding="utf-8")
    spec = {"kind": "useritem", "config": {}, "data": {"interactions": str(stored), "interactions_name": "mine.csv"}}
    exc = _raises(train_useritem_run, spec_from_dict(spec), tmp_path / "run")
    assert str(exc).startswith("mine.csv:") and str(stored) not in str(exc)
    en, zh = _check(exc, "log_no_column")
    assert zh.startswith("mine.csv：") and "用户列" in zh

    exc = _raises(train_useritem_run, TrainingSpec("useritem", UserItemData(interactions=""), UserItemConfig()),
                  tmp_path / "run2")
    _check(exc, "interactions_missing")
