"""The analysis pages (Clusters, Evaluate, Runs) under Streamlit's AppTest.

Each page is opened through app.py (as a browser would) with no run, with a small Skip-gram run
whose vectors hold three planted clusters, and with a small user-item run whose metrics.json has
the layout training writes. Assertions are on what the page shows. No worker is started.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer.jobs import workspaces
from explorer.runs import load_run
from tests.support.page_runs import planted_vectors, workspace_with
from tests.support.runs import new_run_path, words_run

pytestmark = pytest.mark.slow  # AppTests of the whole app: seconds each

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60

@pytest.fixture(autouse=True)
def _no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    st.cache_data.clear()
    st.cache_resource.clear()


def app(page: str, ws: str | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if ws:
        at.query_params["ws"] = ws
    at.run()
    if lang:
        at.button_group(key="lang").set_value(lang).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = []
    for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(parts)


def zip_of(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


# --------------------------------------------------------------------------- Runs


def test_runs_page_without_runs_says_what_to_do() -> None:
    at = app("pages/runs.py")
    assert "Your workspace has no runs yet" in texts(at)


def test_runs_page_lists_runs_with_key_metrics() -> None:
    token, _ = workspace_with("skipgram", "useritem")
    at = app("pages/runs.py", ws=token)
    table = at.dataframe[0].value
    assert sorted(table["name"]) == ["planted", "recsys"]
    row = table.set_index("name").loc["recsys"]
    assert (row["HR@10 (full)"], row["HR@10 popularity"]) == ("0.345", "0.123")
    sg = table.set_index("name").loc["planted"]
    assert (sg["vectors"], sg["dim"], sg["final loss"], sg["HR@10 (full)"]) == ("24", "6", "1.2500", "–")
    assert "dim=6" in sg["settings"]


def test_runs_page_renames_publishes_and_deletes_with_confirmation() -> None:
    token, made = workspace_with("skipgram")
    run_dir = made["skipgram"]
    at = app("pages/runs.py", ws=token)
    at.text_input[0].input("猫狗 model")
    at.button[0].click().run()  # the rename form's submit button
    assert load_run(run_dir).name == "猫狗 model"
    assert "Renamed to “猫狗 model”" in texts(at)

    at.button(key="runs_publish").click().run()
    assert (workspaces.gallery_dir() / run_dir.name).is_dir()
    assert "Published" in texts(at)
    assert at.dataframe[1].value["name"].tolist() == ["猫狗 model"]  # the gallery table

    at.button(key="runs_delete").click().run()
    assert "Delete “猫狗 model” for good?" in texts(at)
    at.button(key="runs_delete_no").click().run()
    assert run_dir.is_dir()
    at.button(key="runs_delete").click().run()
    at.button(key="runs_delete_yes").click().run()
    assert not at.exception
    assert not run_dir.exists()
    assert "Deleted" in texts(at) and "no runs yet" in texts(at)


def test_runs_page_uploads_a_run_zip_and_refuses_a_bad_one_beside_the_control() -> None:
    source, made = workspace_with("skipgram")
    files = {f.name: f.read_bytes() for f in made["skipgram"].iterdir() if f.is_file()}
    token = workspaces.new_token()
    at = app("pages/runs.py", ws=token)
    at.button_group(key="runs_section").set_value("import").run()
    zip_uploader = "Run zip downloaded from this page"
    next(u for u in at.file_uploader if u.label == zip_uploader).upload("run.zip", zip_of(files)).run()
    assert not at.exception
    assert "Added “planted” to your workspace" in texts(at)
    (run,) = workspaces.list_runs(token)
    assert run.tokens[:2] == ["cat", "dog"] and run.run_id != made["skipgram"].name

    next(u for u in at.file_uploader if u.label == zip_uploader).upload(
        "evil.zip", zip_of({**files, "../escape.txt": b"x"})).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and errors[0].startswith("evil.zip: zip: refusing member '../escape.txt'")
    assert len(workspaces.list_runs(token)) == 1


def test_runs_page_in_chinese() -> None:
    token, _ = workspace_with("skipgram")
    at = app("pages/runs.py", ws=token, lang="zh")
    assert "运行" in texts(at) and "运行记录" not in texts(at)  # one word for a run (explorer/i18n/_glossary.py)
    assert "名称" in at.dataframe[0].value.columns


# --------------------------------------------------------------------------- Clusters


def test_clusters_page_without_runs() -> None:
    at = app("pages/clusters.py")
    assert "No trained model yet" in texts(at)


def test_clusters_page_recovers_planted_clusters_and_saves_them_for_explore() -> None:
    token, made = workspace_with("skipgram")
    at = app("pages/clusters.py", ws=token)
    at.slider(key="cl_k").set_value(3).run()
    assert not at.exception
    shown = texts(at)
    assert "Clustered in the original vectors (6 dimensions)" in shown
    assert "NMI vs labels 1.000" in shown and "ARI vs labels 1.000" in shown
    members = at.dataframe[0].value
    assert sorted(members["size"]) == [8, 8, 8]
    assert sorted(members["most common label"]) == ["animals", "fruit", "vehicles"]
    assert all(len(m.split(" · ")) == 8 for m in members["members"])
    at.button(key="cl_save").click().run()
    from explorer.runs import saved_clusterings

    (saved,) = saved_clusterings.load_clusterings(made["skipgram"])
    assert saved.name == "kmeans-k3-seed0-vectors" and saved.n_clusters == 3
    assert "kmeans-k3-seed0-vectors" in texts(at)


def test_clusters_page_k_sweep_and_dbscan_and_pca_space() -> None:
    token, _ = workspace_with("skipgram")
    at = app("pages/clusters.py", ws=token)
    at.button(key="cl_sweep_run").click().run()
    assert not at.exception
    assert "Highest silhouette at k = 3" in texts(at)
    assert at.get("plotly_chart")
    at.button_group(key="cl_method").set_value("dbscan").run()
    assert not at.exception and "DBSCAN used eps" in texts(at)
    at.button_group(key="cl_method").set_value("hdbscan").run()
    assert not at.exception and "clusters found" in texts(at)
    space = next(s for s in at.selectbox if s.key.startswith("cl_space_"))
    space.set_value("pca2").run()
    assert not at.exception and "Clustered in the 2D PCA projection" in texts(at)


def test_clusters_page_offers_a_tsne_projection_that_explore_cached() -> None:
    from explorer.analysis import projection

    token, made = workspace_with("skipgram")
    vectors, _, _ = planted_vectors()
    cache = made["skipgram"] / "cache"
    cache.mkdir(exist_ok=True)
    np.save(cache / f"{projection.params_key('tsne', 2, 0, {'perplexity': 5})}.npy", vectors[:, :2].copy())
    at = app("pages/clusters.py", ws=token)
    space = next(s for s in at.selectbox if s.key.startswith("cl_space_"))
    assert space.options == ["the original vectors (6 dimensions)", "the 2D PCA projection",
                             "the t-SNE 2D projection shown in Explore"]
    space.set_value("tsne2")
    at.slider(key="cl_k").set_value(3).run()
    assert not at.exception
    assert "Clustered in the t-SNE 2D projection shown in Explore" in texts(at)
    assert "NMI vs labels 1.000" in texts(at)  # the planted centres stay apart in their first two coordinates


def test_clusters_page_user_item_run_in_chinese() -> None:
    token, _ = workspace_with("useritem")
    at = app("pages/clusters.py", ws=token, lang="zh")
    assert "聚类" in texts(at) and "对于用户–物品模型" in texts(at)
    at.slider(key="cl_k").set_value(2).run()
    assert not at.exception
    assert sum(at.dataframe[0].value["大小"]) == 6


# --------------------------------------------------------------------------- Evaluate


def test_evaluate_page_without_runs() -> None:
    at = app("pages/evaluate.py")
    assert "No trained model yet" in texts(at)


def expected_spearman(pairs: list[tuple[str, str, float]]) -> float:
    from scipy import stats

    vectors, tokens, _ = planted_vectors()
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    row = {t: i for i, t in enumerate(tokens)}
    sims = [float(unit[row[a]] @ unit[row[b]]) for a, b, _ in pairs]
    return float(stats.spearmanr([s for *_, s in pairs], sims).statistic)


def test_evaluate_word_similarity_upload_shows_spearman_and_coverage() -> None:
    token, _ = workspace_with("skipgram")
    at = app("pages/evaluate.py", ws=token)
    pairs = [("cat", "dog", 9.0), ("cat", "car", 1.0), ("apple", "pear", 8.5), ("bus", "banana", 0.5),
             ("猫", "狗", 9.5), ("horse", "grape", 2.0)]
    body = "word1,word2,score\n" + "".join(f"{a},{b},{s}\n" for a, b, s in pairs) + "cat,unicorn,7\n"
    at.file_uploader[0].upload("wordsim.csv", body.encode("utf-8")).run()
    assert not at.exception
    shown = texts(at)
    assert f"Spearman ρ {expected_spearman(pairs):.3f}" in shown
    assert "coverage 85.7%" in shown and "6 of 7 found" in shown
    assert len(at.dataframe[0].value) == 6
    # a file without scores: one clear message beside the control, naming the file
    at.file_uploader[0].upload("broken.csv", b"cat,dog\nbus,car\n").run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and errors[0].startswith("broken.csv:")


def test_evaluate_analogies_per_section_and_odd_one_out() -> None:
    token, made = workspace_with("skipgram")
    at = app("pages/evaluate.py", ws=token)
    questions = ": animals\ncat dog horse cow\n猫 狗 马 sheep\n: unknown\nfoo bar baz qux\n"
    at.file_uploader[1].upload("questions-words.txt", questions.encode("utf-8")).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert table["section"].tolist() == ["animals", "unknown"]
    assert table["answered"].tolist() == [2, 0] and table["questions"].tolist() == [2, 1]
    # the expected answers by 3CosAdd computed here, independently of explorer.analysis.metrics
    vectors, tokens, _ = planted_vectors()
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    row = {t: i for i, t in enumerate(tokens)}
    correct, answers = 0, []
    for a, b, c, d in (("cat", "dog", "horse", "cow"), ("猫", "狗", "马", "sheep")):
        scores = unit @ (unit[row[b]] - unit[row[a]] + unit[row[c]])
        scores[[row[a], row[b], row[c]]] = -np.inf
        answers.append(tokens[int(np.argmax(scores))])
        correct += answers[-1] == d
    assert table["correct"].tolist()[0] == correct
    assert "coverage 66.7%" in texts(at)
    # every question listed with the model's answer, written as Explore writes analogies (x - y + z)
    listed = at.dataframe[1].value
    assert listed["question (x − y + z)"].tolist() == ["dog − cat + horse", "狗 − 猫 + 马", "bar − foo + baz"]
    assert listed["model's answer"].tolist()[:2] == answers and "not in the vocabulary" in listed["model's answer"][2]
    assert listed["expected"].tolist() == ["cow", "sheep", "qux"]
    # odd one out: the default questions come from the run's categories; planted clusters answer all
    assert "accuracy 100.0%" in texts(at)
    odd = at.dataframe[2].value
    assert len(odd) == 5 and odd["right"].tolist() == [True] * 5


def test_evaluate_user_item_run_shows_ranking_beside_popularity() -> None:
    token, _ = workspace_with("useritem")
    at = app("pages/evaluate.py", ws=token)
    shown = texts(at)
    assert "HR@10 · model 0.345" in shown and "popularity: 0.123" in shown
    assert "MRR · model 0.150" in shown
    assert "every item the user has not interacted with" in shown
    assert "leave-latest-out" in shown
    assert len(at.get("plotly_chart")) == 3  # bars, validation curves, loss
    at.button_group(key="eval_protocol").set_value("sampled").run()
    assert "HR@10 · model 0.600" in texts(at) and "99 items sampled" in texts(at)
    at.number_input(key="eval_k").set_value(5).run()  # this tiny run kept no log: a message, no traceback
    assert not at.exception
    assert [e.value for e in at.error] and "interactions.npz" in at.error[0].value


def test_evaluate_in_chinese() -> None:
    token, _ = workspace_with("useritem")
    at = app("pages/evaluate.py", ws=token, lang="zh")
    assert "留出交互上的排序质量" in texts(at) and "热门基线：0.123" in texts(at)


def test_runs_page_compares_a_run_with_its_rotation() -> None:
    """B = A rotated: every word keeps its neighbours (Jaccard 1) and Procrustes undoes the rotation."""
    token, made = workspace_with("skipgram")
    vectors, tokens, labels = planted_vectors()
    q, _ = np.linalg.qr(np.random.default_rng(5).normal(size=(6, 6)))
    words_run(new_run_path(token), tokens, vectors @ q, labels=labels, name="rotated")
    at = app("pages/runs.py", ws=token)
    at.button_group(key="runs_section").set_value("compare").run()
    assert not at.exception
    shown = texts(at)
    assert "24 shared tokens" in shown
    assert "mean Jaccard@10 1.000" in shown and "words with identical neighbours 100%" in shown
    assert "Residual after alignment: 0.000" in shown
    assert len(at.dataframe[0].value) == 24
    assert len(at.get("plotly_chart")) == 3  # histogram + two aligned projections
    at.selectbox(key="cmp_b").set_value(at.selectbox(key="cmp_a").value).run()
    assert "Pick two different runs" in texts(at)


def test_runs_page_compare_opens_on_two_word_runs_not_on_a_newer_graph() -> None:
    from tests.support.runs import graph_run

    token, made = workspace_with("skipgram")
    vectors, tokens, labels = planted_vectors()
    words_run(new_run_path(token), tokens, vectors * 2.0, labels=labels, name="scaled")
    graph_run(new_run_path(token), ["a", "b", "c"], np.eye(3, 4, dtype=np.float32), name="friends")  # the newest
    at = app("pages/runs.py", ws=token)
    at.button_group(key="runs_section").set_value("compare").run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "24 shared tokens" in shown  # the two word runs, side by side
    graph = next(c for c in at.selectbox(key="cmp_a").options if "friends" in c)
    at.selectbox(key="cmp_b").select(graph).run()  # a graph beside a corpus: refused with the reason
    assert "graph nodes" in texts(at)


def test_runs_page_compare_needs_two_runs() -> None:
    token, _ = workspace_with("skipgram")
    at = app("pages/runs.py", ws=token)
    at.button_group(key="runs_section").set_value("compare").run()
    assert "Comparing needs two runs" in texts(at)


def test_runs_page_imports_word2vec_text_and_refuses_a_ragged_file() -> None:
    token = workspaces.new_token()
    at = app("pages/runs.py", ws=token)
    at.button_group(key="runs_section").set_value("import").run()
    good = "3 2\ncat 1.0 0.0\ndog 0.9 0.1\n香蕉 0.0 1.0\n".encode()
    at.file_uploader(key="runs_import_vectors").upload("vectors.txt", good)
    at.text_input(key="runs_import_name").input("my vectors")
    next(b for b in at.button if b.label == "Import").click().run()
    assert not at.exception
    assert "Imported “my vectors”: 3 vectors of size 2." in texts(at)
    (run,) = workspaces.list_runs(token)
    assert run.kind == "imported" and run.tokens == ["cat", "dog", "香蕉"] and run.name == "my vectors"

    at.file_uploader(key="runs_import_vectors").upload("ragged.txt", b"2 2\ncat 1.0 0.0\ndog 0.9\n")
    next(b for b in at.button if b.label == "Import").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and errors[0].startswith("ragged.txt") and "line 3" in errors[0]
    assert len(workspaces.list_runs(token)) == 1


def test_runs_page_offers_zip_and_export_downloads() -> None:
    token, _ = workspace_with("skipgram")
    at = app("pages/runs.py", ws=token)
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download as zip", "Download export"]
    assert at.selectbox(key="runs_export_fmt").options == [
        "TensorFlow Embedding Projector (vectors.tsv + metadata.tsv, zipped)", "word2vec text (.txt)",
        "word2vec binary (.bin)"]
