"""Cluster names from class-based TF-IDF: planted topics give back the planted words (English and Chinese)."""

from __future__ import annotations

import numpy as np

from explorer.analysis.cluster_terms import class_tfidf, cluster_name, cluster_terms, label_points

TOPICS = {
    0: ["football", "goal", "referee"],
    1: ["oven", "flour", "bread"],
    2: ["guitar", "concert", "melody"],
}
FILLER = ["today", "people", "really", "thing", "time", "good", "week", "place"]


def planted(seed: int = 0, per_topic: int = 30) -> tuple[list[str], list[int]]:
    """Documents of 3 topics: two planted words of their topic among common filler words (shared by all)."""
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for topic, words in TOPICS.items():
        for _ in range(per_topic):
            chosen = list(rng.choice(words, 2, replace=False)) + list(rng.choice(FILLER, 5))
            rng.shuffle(chosen)
            texts.append("The " + " and the ".join(chosen) + ".")
            labels.append(topic)
    return texts, labels


def test_planted_topics_are_named_by_their_planted_words() -> None:
    texts, labels = planted()
    names = cluster_terms(texts, labels, top=3)
    assert {c: sorted(ws) for c, ws in names.items()} == {c: sorted(ws) for c, ws in TOPICS.items()}


def test_chinese_documents_are_cut_by_jieba() -> None:
    topics = {0: ["足球比赛", "进球"], 1: ["面包", "烤箱"]}
    texts, labels = [], []
    for c, (a, b) in topics.items():
        for i in range(10):
            texts.append(f"今天我们{'在家' if i % 2 else '一起'}看了{a}，大家都说{b}很好。")
            labels.append(c)
    names = cluster_terms(texts, labels, top=2)
    assert set(names[0]) <= {"足球", "比赛", "进球", "足球比赛"} and "进球" in names[0]
    assert set(names[1]) == {"面包", "烤箱"}
    assert "我们" not in " ".join(names[0] + names[1])  # stopwords never name a cluster


def test_noise_gets_no_name_and_a_one_document_word_does_not_name_a_cluster() -> None:
    tokens = [["cat", "purr"], ["cat", "milk"], ["cat", "zebra"], ["dog", "bark"], ["dog", "bone"], ["cat", "mouse"]]
    weights = class_tfidf(tokens, [0, 0, 0, 1, 1, -1], top=2)
    assert set(weights) == {0, 1}
    assert [w for w, _ in weights[0]] == ["cat"]  # purr, milk, zebra: one document each
    assert weights[1][0][0] == "dog"  # in both of a two-document cluster (a word of one of two counts too)
    assert weights[0][0][1] > 0


def test_a_cluster_whose_documents_share_no_word_is_still_named() -> None:
    # four short weather sentences, no word in two of them: the cluster gets its best one-document words
    # rather than no name at all (it was left blank on the map and in the list)
    tokens = [["rain", "umbrella"], ["sunny", "warm"], ["typhoon", "coast"], ["snow", "north"],
              ["bread", "oven"], ["bread", "flour"]]
    weights = class_tfidf(tokens, [0, 0, 0, 0, 1, 1], top=3)
    assert len(weights[0]) == 3 and all(w in {t for ts in tokens[:4] for t in ts} for w, _ in weights[0])
    assert [w for w, _ in weights[1]][0] == "bread"


def test_common_words_weigh_less_than_distinctive_ones() -> None:
    tokens = [["the_word", "alpha"], ["the_word", "alpha"], ["the_word", "beta"], ["the_word", "beta"]]
    weights = dict(class_tfidf(tokens, [0, 0, 1, 1], top=2)[0])
    assert weights["alpha"] > weights["the_word"]


def test_name_and_label_points() -> None:
    assert cluster_name(["a", "b", "c"]) == "a · b · c"
    coords = np.array([[0, 0], [2, 0], [10, 10], [12, 10], [100, 100]], float)
    points = label_points(coords, [0, 0, 1, 1, -1])
    assert set(points) == {0, 1}
    assert points[0].tolist() == [1.0, 0.0] and points[1].tolist() == [11.0, 10.0]


def test_names_on_the_map_never_pile_up() -> None:
    import plotly.graph_objects as go

    from explorer.figures import cluster_labels

    rng = np.random.default_rng(0)
    coords = np.concatenate([rng.normal(0, 0.01, (20, 2)) + [i * 0.001, 0] for i in range(8)] + [[[-5, -5]], [[5, 5]]])
    groups = [str(i) for i in range(8) for _ in range(20)] + ["8", "9"]
    fig = go.Figure([go.Scattergl(x=coords[:, 0], y=coords[:, 1], name=str(i)) for i in range(10)])
    written = cluster_labels(fig, coords, groups, {str(i): f"term{i} · word{i}" for i in range(10)})
    shifts = sorted(a.yshift for a in fig.layout.annotations if abs(a.x) < 1)
    assert written == len(fig.layout.annotations) < 10  # eight names at one place: only those that fit
    assert len(shifts) == len(set(shifts)) == 5  # stacked 22 px apart, never on top of each other
    assert [a.text for a in fig.layout.annotations][:1] == ["term0 · word0"]  # biggest (then first) cluster first


def test_a_chinese_word_names_a_cluster_before_a_single_character() -> None:
    tokens = [["好", "面包", "烤"], ["好", "面包", "烤"], ["雨", "天气"], ["雨", "天气"]]
    weights = class_tfidf(tokens, [0, 0, 1, 1], top=2)
    assert [w for w, _ in weights[0]] == ["面包", "好"] and [w for w, _ in weights[1]] == ["天气", "雨"]
