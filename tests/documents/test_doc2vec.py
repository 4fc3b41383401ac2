"""Doc2Vec known answers: PV-DBOW (and PV-DM) separate the planted topics of a synthetic corpus; an inferred
vector of a training document finds that document's trained vector first; word training comes out when
asked; the run opens as rows of documents; ``search`` and ``infer`` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import normalized_mutual_info_score

from explorer.cli import main
from explorer.documents import read_docs_tsv
from explorer.documents.search import cosine_top_k, search
from explorer.errors import ExplorerError
from explorer.kinds import spec_from_dict
from explorer.kinds.doc2vec import Doc2VecConfig
from explorer.lesson.sentences import documents_run_vectors
from explorer.progress import no_progress
from explorer.runs import load_run
from explorer.samples.documents import planted_documents, write_sample_documents
from explorer.training.doc2vec import InferenceModel, build_vocab, encode, tokenize, train_doc2vec, train_doc2vec_run
from tests.support.runs import documents_run


def _train(arch: str = "dbow", epochs: int = 20, **kw):  # type: ignore[no-untyped-def]
    texts, labels = planted_documents(n_topics=4, docs_per_topic=40, seed=3)
    _, toks = tokenize(texts, "en")
    words, counts = build_vocab(toks, 1)
    ids, offsets = encode(toks, {w: i for i, w in enumerate(words)})
    cfg = Doc2VecConfig(dim=32, epochs=epochs, workers=2, seed=1, arch=arch, min_count=1, **kw).validate()
    return texts, labels, words, counts, train_doc2vec(ids, offsets, counts, cfg), cfg


def _nmi(vectors: np.ndarray, labels: list[str]) -> float:
    x = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return normalized_mutual_info_score(labels, KMeans(4, n_init=10, random_state=0).fit_predict(x))


@pytest.mark.slow
@pytest.mark.parametrize("arch", ["dbow", "dm"])
def test_planted_topics_are_separated(arch: str) -> None:
    _, labels, _, _, result, _ = _train(arch)
    assert result.doc_vectors.shape == (160, 32) and result.doc_vectors.dtype == np.float32
    assert _nmi(result.doc_vectors, labels) >= 0.9
    assert result.loss_per_epoch[-1] < result.loss_per_epoch[0]


@pytest.mark.slow
@pytest.mark.parametrize("arch", ["dbow", "dm"])
def test_an_inferred_training_document_finds_itself(arch: str) -> None:
    texts, _, words, counts, result, cfg = _train(arch, epochs=50)  # inference runs as many epochs
    word_in = result.word_in if arch == "dm" else None
    model = InferenceModel({w: i for i, w in enumerate(words)}, counts, word_in, result.output, cfg, "en")
    before = result.output.copy()
    words_before = result.word_in.copy()
    found = sum(int(cosine_top_k(result.doc_vectors, model.infer(text), 1)[0][0] == i) for i, text in enumerate(texts))
    # gensim's sanity check (>= 90 %); PV-DM with gensim's wider start finds 98 %, with word2vec's 94 %
    assert found >= (0.95 if arch == "dm" else 0.9) * len(texts)
    assert np.array_equal(result.output, before) and np.array_equal(result.word_in, words_before)  # frozen
    assert np.array_equal(model.infer(texts[0]), model.infer(texts[0]))  # seeded
    assert not np.array_equal(model.infer(texts[0]), model.infer(texts[0], seed=7))


@pytest.mark.slow
def test_dbow_words_trains_word_vectors_that_group_by_topic() -> None:
    texts, _, words, _, result, _ = _train("dbow", dbow_words=True)
    assert result.word_vectors is not None
    plain = _train("dbow")[4]
    assert plain.word_vectors is None
    # a word's nearest word comes from its own topic: words of one topic co-occur in the same documents
    topic_of = {}
    for k in range(4):
        for text in texts[k::4]:
            for w in text.split():
                topic_of.setdefault(w, set()).add(k)
    pure = [i for i, w in enumerate(words) if len(topic_of[w]) == 1 and sum(w in t.split() for t in texts) >= 20]
    x = result.word_vectors / np.linalg.norm(result.word_vectors, axis=1, keepdims=True)
    same = 0
    for i in pure:
        s = x[pure] @ x[i]
        s[pure.index(i)] = -2
        same += topic_of[words[pure[int(np.argmax(s))]]] == topic_of[words[i]]
    assert len(pure) > 50 and same >= 0.9 * len(pure)


@pytest.fixture(scope="module")
def doc_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("d2v")
    data = write_sample_documents(base)
    spec = spec_from_dict({"kind": "doc2vec", "name": "docs", "data": {"documents": str(data)},
                           "config": {"dim": 24, "epochs": 15, "workers": 2, "frames": 4}})
    return train_doc2vec_run(spec, base / "run", no_progress)


@pytest.mark.slow
def test_the_run_opens_as_rows_of_documents(doc_run: Path) -> None:
    run = load_run(doc_run)
    docs = read_docs_tsv(doc_run)
    assert run.capabilities.documents and run.vectors.shape == (200, 24) and len(docs) == 200
    assert run.tokens[:2] == ["d1", "d2"] and run.labels["d2"] == "topic1"
    assert run.display_labels[0].startswith(docs.titles[0] + " — " + docs.texts[0][:20])
    assert _nmi(np.asarray(run.vectors), docs.labels) >= 0.9
    frames = np.load(doc_run / "frames.npy")
    assert frames.shape[0] >= 2 and frames.shape[2] == 24
    cfg = json.loads((doc_run / "config.json").read_text())
    assert cfg["data"]["n_documents"] == 200 and cfg["data"]["columns"]["label"] == "label"


@pytest.mark.slow
def test_search_and_infer_on_the_command_line(doc_run: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = read_docs_tsv(doc_run)
    query = docs.texts[4]
    assert main(["search", str(doc_run), query, "-k", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    rank, score, doc_id, text = lines[0].split("\t")
    assert rank == "1" and doc_id == "d5" and text == query[:80] and -1 <= float(score) <= 1
    assert [float(line.split("\t")[1]) for line in lines] == sorted((float(x.split("\t")[1]) for x in lines),
                                                                    reverse=True)
    hits = search(doc_run, query, k=10)
    assert sum(docs.labels[h.row] == docs.labels[4] for h in hits) >= 9  # the neighbours share the topic
    assert main(["infer", str(doc_run), " ".join(docs.texts[7].split()[:3])]) == 0
    vector = json.loads(capsys.readouterr().out)
    assert len(vector) == 24 and all(isinstance(v, float) for v in vector)
    assert main(["search", str(doc_run), "x", "-k", "0"]) == 2
    assert "error:" in capsys.readouterr().err


def test_a_query_without_a_known_word_is_one_line_not_arbitrary_results(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the inferred vector of unknown words is the seeded starting point: it ranked documents with confident
    # scores (0.21, 0.16, …) that meant nothing
    run = documents_run(tmp_path / "run", ["a b", "b a b", "a a"], np.eye(3, 4, dtype=np.float32), words=("a", "b"))
    assert main(["search", str(run), "xyzzy qqq", "-k", "2"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: none of the words of 'xyzzy qqq'") and err.count("\n") == 1
    assert main(["infer", str(run), "xyzzy"]) == 2
    assert "vocabulary" in capsys.readouterr().err
    assert main(["search", str(run), "xyzzy a", "-k", "2"]) == 0  # one known word is enough
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert not np.any(documents_run_vectors(run, ["xyzzy"])) and np.any(documents_run_vectors(run, ["a"]))


def test_search_refuses_a_run_without_documents(tmp_path: Path) -> None:
    assert cosine_top_k(np.array([[1.0, 0], [0, 1.0], [0, 0]]), np.array([0.0, 2.0]), 2)[0].tolist() == [1, 0]
    with pytest.raises(ExplorerError):
        search(tmp_path, "query", k=1)


def test_short_documents_get_more_epochs_from_what_the_data_page_counted() -> None:
    from explorer.kinds.doc2vec import KIND, Doc2VecConfig, suggested_epochs

    usual = Doc2VecConfig().epochs
    assert suggested_epochs(80) == usual and suggested_epochs(8) == 250 and suggested_epochs(0.5) == 300
    assert KIND.counted_preset({"vocab_tokens": 2_400, "documents_n": 300}) == {"epochs": 250}
    assert KIND.counted_preset({"vocab_tokens": 16_000, "documents_n": 200}) == {}  # the sample: the usual 40
    assert KIND.counted_preset({"vocab_tokens": 2_400}) == {} and KIND.counted_preset({}) == {}
