"""Evaluate and Runs → Compare with runs of documents, in English and Chinese (AppTest)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from explorer.documents import evaluation
from explorer.jobs import workspaces
from tests.support.pages import app, no_worker, texts  # noqa: F401
from tests.support.runs import documents_run, encoder_run

pytestmark = pytest.mark.slow  # AppTest: seconds per test

LABELS = [lab for lab in ("sport", "food", "music") for _ in range(10)]
TEXTS = [f"document number {i} about {lab}" for i, lab in enumerate(LABELS)]


def planted(seed: int = 0, dim: int = 8) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = np.eye(3, dim, dtype=np.float32) * 3
    return np.concatenate([centres[k] + 0.1 * rng.standard_normal((10, dim)) for k in range(3)]).astype(np.float32)


def doc_runs(ws: str, labels: bool = True, second: bool = False) -> list[Path]:
    paths = [documents_run(workspaces.run_path(ws, workspaces.new_run_id()), TEXTS, planted(0),
                           ids=[f"d{i}" for i in range(30)], labels=LABELS if labels else None, name="doc2vec docs")]
    if second:
        paths.append(encoder_run(workspaces.run_path(ws, workspaces.new_run_id()), TEXTS, planted(1, 12),
                                 ids=[f"d{i}" for i in range(30)], labels=LABELS, name="e5 docs"))
    return paths


@pytest.mark.parametrize("lang, words", [
    ("en", ("Label prediction", "Accuracy · Vectors", "TF-IDF baseline", "Clusters against labels", "NMI")),
    ("zh", ("标签预测", "准确率 · 向量", "基线", "聚类与标签的比较", "NMI")),
])
def test_evaluate_predicts_labels_beside_the_baseline(lang, words):
    ws = workspaces.new_token()
    doc_runs(ws)
    at = app("pages/evaluate.py", ws, lang)
    shown = texts(at)
    for word in words:
        assert word in shown, (word, shown)
    metrics = {m.label: m.value for m in at.metric}
    vectors = next(v for k, v in metrics.items() if k.endswith(words[1].split(" · ")[1]) and k.startswith(words[1][:2]))
    assert vectors.startswith("1.000")  # planted labels: the vectors are exact
    assert metrics["NMI"] == "1.000"
    assert at.get("plotly_chart")
    at.number_input(key="doc_eval_folds").set_value(3).run()
    assert not at.exception
    assert ("3 stratified folds" if lang == "en" else "3 折分层") in texts(at)


@pytest.mark.parametrize("lang, said", [("en", "have no labels"), ("zh", "没有标签")])
def test_evaluate_without_labels_says_so_and_offers_the_pairs(lang, said):
    ws = workspaces.new_token()
    doc_runs(ws, labels=False)
    at = app("pages/evaluate.py", ws, lang)
    shown = texts(at)
    assert said in shown and not any(m.label.startswith(("NMI", "Accuracy", "准确率")) for m in at.metric)
    assert ("Document pairs rated by people" if lang == "en" else "人工打分的文档对") in shown


def _pairs(tmp_path: Path, text: str, name: str) -> tuple[str, str]:
    path = tmp_path / "stored-upload.bin"
    path.write_text(text, encoding="utf-8")
    return str(path), name


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_rated_pairs_give_pearson_and_spearman(tmp_path, lang):
    ws = workspaces.new_token()
    doc_runs(ws)
    at = app(None, ws, lang)
    saved = _pairs(tmp_path, "id_a,id_b,score\nd0,d1,9\nd0,d15,1\nd10,d11,8\nd2,d25,2\nd3,nope,5\n", "ratings.csv")
    at.session_state["doc_eval_pairs"] = saved
    at.switch_page("pages/evaluate.py").run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    want = evaluation.pair_correlation(planted(0), [f"d{i}" for i in range(30)], evaluation.read_doc_pairs(Path(saved[0])))
    assert metrics["Spearman ρ"] == f"{want['spearman']:.3f}" and metrics["Pearson r"] == f"{want['pearson']:.3f}"
    assert want["pearson"] > 0.9  # same-label pairs rated high, cross-label pairs low
    assert ("4 of 5 pairs" if lang == "en" else "5 对中有 4 对") in texts(at)


@pytest.mark.parametrize("lang, text, said", [
    ("en", "d0,d1\n", "ratings.csv: line 1 has 2 fields, expected 3"),
    ("zh", "d0,d1\n", "ratings.csv：第 1 行有 2 个字段"),
    ("en", "d0,d1,1\nd0,d2,high\n", "ratings.csv: line 2: the score 'high' is not a number"),
    ("zh", "a,b,1\nc,d,2\n", "ratings.csv：2 对中只有 0 对"),
    ("en", "d0,d1,1\nd0,d2,1\n", "ratings.csv: every score is the same"),
])
def test_a_bad_pairs_file_is_one_line_naming_it(tmp_path, lang, text, said):
    ws = workspaces.new_token()
    doc_runs(ws)
    at = app(None, ws, lang)
    at.session_state["doc_eval_pairs"] = _pairs(tmp_path, text, "ratings.csv")
    at.switch_page("pages/evaluate.py").run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and said in errors[0] and "stored-upload" not in errors[0], errors


def compare_page(ws: str, lang: str):
    """Runs → Compare two, chosen before the page opens as the teacher's dashboard does (the section control's
    labels are translated by a function, which AppTest calls outside the page, in English)."""
    at = app(None, ws, lang)
    at.session_state["runs_section"] = "compare"
    at.switch_page("pages/runs.py").run()
    return at


@pytest.mark.parametrize("lang, words", [
    ("en", ("30 documents in both runs, matched by id", "Documents whose neighbourhoods differ most", "document")),
    ("zh", ("两个模型共有 30 篇文档", "近邻差别最大的文档", "文档")),
])
def test_runs_compare_two_runs_of_the_same_documents(lang, words):
    """Doc2Vec-like and E5-like runs of the same 30 documents (different sizes, rows matched by id)."""
    ws = workspaces.new_token()
    doc_runs(ws, second=True)
    at = compare_page(ws, lang)
    assert not at.exception, at.exception
    shown = texts(at)
    assert words[0] in shown and words[1] in shown, shown
    table = at.dataframe[0].value
    assert words[2] in table.columns and len(table) == 30
    assert any(cell.startswith("d") and "document number" in cell for cell in table.iloc[:, 0])
    # the planted labels hold in both runs: most neighbours among the 10 nearest are shared
    assert float(next(m.value for m in at.metric if "Jaccard@10" in m.label)) > 0.3
    dims = ("vector sizes (8 vs 12)", "vector sizes (12 vs 8)") if lang == "en" else ("（8 与 12）", "（12 与 8）")
    assert any(d in texts(at) for d in dims)


@pytest.mark.parametrize("lang, said", [("en", "Run A holds documents and run B holds words"),
                                        ("zh", "模型 A 的行是文档，模型 B 的行是词")])
def test_runs_compare_refuses_documents_against_words(lang, said):
    from tests.support.runs import new_run_path, words_run

    ws = workspaces.new_token()
    doc_runs(ws)
    words_run(new_run_path(ws), [f"d{i}" for i in range(30)], planted(2), name="words")  # same ids, other rows
    at = compare_page(ws, lang)
    options = at.selectbox(key="cmp_a").options
    at.selectbox(key="cmp_a").select_index(next(i for i, o in enumerate(options) if "doc2vec docs" in o)).run()
    assert not at.exception, at.exception
    at.selectbox(key="cmp_b").select_index(next(i for i, o in enumerate(options) if "words" in o)).run()
    assert not at.exception, at.exception
    assert said in texts(at), texts(at)
    assert not at.dataframe


def test_runs_import_a_projector_export_of_documents_as_documents(tmp_path):
    """Runs → Import: the Projector files of a run of documents come back as a run of documents."""
    import io
    import zipfile

    from explorer.runs import load_run, manage

    ws = workspaces.new_token()
    source = load_run(doc_runs(workspaces.new_token())[0])
    with zipfile.ZipFile(io.BytesIO(manage.export_bytes(source, "projector"))) as zf:
        vectors, metadata = zf.read("vectors.tsv"), zf.read("metadata.tsv")
    at = app(None, ws)
    at.session_state["runs_section"] = "import"
    at.switch_page("pages/runs.py").run()
    at.file_uploader(key="runs_import_vectors").upload("vectors.tsv", vectors)
    at.file_uploader(key="runs_import_meta").upload("metadata.tsv", metadata)
    at.text_input(key="runs_import_name").input("docs again")
    next(b for b in at.button if b.label == "Import").click().run()
    assert not at.exception, at.exception
    assert "Imported “docs again”: 30 vectors of size 8." in texts(at)
    at.switch_page("pages/evaluate.py").run()
    assert not at.exception, at.exception
    assert "Label prediction" in texts(at)  # opened as documents, with their labels
    for page in ("pages/explore.py", "pages/clusters.py"):  # the other tools open it as documents too
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
