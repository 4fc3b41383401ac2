"""Figure builders, tested as data (the JSON the browser receives) and the UI string tables."""

from __future__ import annotations

import base64
import json

import numpy as np
import plotly.io as pio
import pytest

from explorer import figures
from explorer.figures import Colouring, Highlight, embedding_scatter
from explorer.i18n import LANGUAGES, normalize_lang, placeholders, t, table, table_names


def _decode(value: object) -> list:
    """Plotly writes NumPy arrays as base64 typed arrays; decode them for the assertions."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).tolist()
    return list(value)


def _spec(fig: object) -> dict:
    return json.loads(pio.to_json(fig, validate=False))


COORDS = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [5.0, 5.0]], dtype=np.float32)
LABELS = ["猫", "dog", "cat", "banana"]


def test_scatter_2d_is_webgl_with_row_ids_and_hover_labels() -> None:
    spec = _spec(embedding_scatter(COORDS, LABELS))
    (trace,) = spec["data"]
    assert trace["type"] == "scattergl"
    assert _decode(trace["customdata"]) == [0, 1, 2, 3]
    assert trace["hovertext"] == LABELS
    assert _decode(trace["x"]) == [0.0, 1.0, 0.0, 5.0]
    assert trace["x"]["dtype"] == "f4"  # float32 on the wire, not float64
    assert "Noto Sans CJK SC" in spec["layout"]["font"]["family"]


def test_scatter_categories_one_trace_each_unlabelled_beneath_last_in_the_legend_and_grey() -> None:
    colouring = Colouring("category", ["animal", "animal", "animal", ""], title="label")
    spec = _spec(embedding_scatter(COORDS, LABELS, colouring=colouring))
    names = [tr["name"] for tr in spec["data"]]
    assert names == ["—", "animal"]  # drawn first: grey points never hide a labelled one
    ranks = {tr["name"]: tr["legendrank"] for tr in spec["data"]}
    assert ranks["animal"] < ranks["—"]  # ... and listed last in the legend
    assert _decode(spec["data"][1]["customdata"]) == [0, 1, 2]
    assert spec["data"][0]["marker"]["color"] == figures.OTHER_COLOUR
    assert spec["layout"]["legend"]["title"]["text"] == "label"
    assert spec["data"][1]["hovertemplate"].startswith("%{hovertext}<br>label: %{fullData.name}")


def test_scatter_numbers_use_a_colour_scale() -> None:
    spec = _spec(embedding_scatter(COORDS, LABELS, colouring=Colouring("number", [1, 2, 3, 4], "log count")))
    (trace,) = spec["data"]
    assert _decode(trace["marker"]["color"]) == [1.0, 2.0, 3.0, 4.0]
    assert trace["marker"]["colorbar"]["title"]["text"] == "log count"
    assert trace["marker"]["colorbar"]["title"]["side"] == "right"  # along the bar, clear of the toolbar
    assert "log count: %{marker.color" in trace["hovertemplate"]  # the hover shows the value, not the name


def test_highlight_draws_lines_from_query_to_each_neighbour_and_labels_them() -> None:
    fig = embedding_scatter(COORDS, LABELS, highlight=Highlight(queries=[2], neighbors=[1, 0]))
    spec = _spec(fig)
    lines = [tr for tr in spec["data"] if tr.get("mode") == "lines"]
    assert len(lines) == 1
    xs = _decode(lines[0]["x"])
    ys = _decode(lines[0]["y"])
    # query (0,1) -> neighbour (1,0), gap, query -> neighbour (0,0), gap
    assert xs[:2] == [0.0, 1.0] and ys[:2] == [1.0, 0.0] and np.isnan(xs[2])
    assert xs[3:5] == [0.0, 0.0] and ys[3:5] == [1.0, 0.0]
    # every label is an annotation (Plotly's top layer) and the emphasised markers are WebGL, drawn after
    # the base points: nothing the base points draw can cover them (WebGL sits above SVG traces)
    notes = {n["text"]: n for n in spec["layout"]["annotations"]}
    assert set(notes) == {"cat", "dog", "猫"} and not any(n["showarrow"] for n in notes.values())
    assert notes["cat"]["yanchor"] == "bottom" and notes["cat"]["font"]["size"] == 14
    marked = [tr for tr in spec["data"] if tr.get("mode") == "markers"]
    assert [tr["type"] for tr in marked[-2:]] == ["scattergl", "scattergl"]
    assert _decode(marked[-1]["customdata"]) == [2] and spec["data"].index(marked[-1]) == len(spec["data"]) - 1
    # the base points fade when something is highlighted
    assert spec["data"][0]["marker"]["opacity"] < 0.5


def test_scatter_3d_uses_scatter3d_and_scene_axes() -> None:
    coords = np.c_[COORDS, np.arange(4, dtype=np.float32)]
    spec = _spec(embedding_scatter(coords, LABELS, highlight=Highlight(queries=[0], neighbors=[3])))
    assert {tr["type"] for tr in spec["data"]} == {"scatter3d"}
    assert "scene" in spec["layout"]


def test_scatter_draws_only_the_given_rows() -> None:
    spec = _spec(embedding_scatter(COORDS, LABELS, rows=np.array([1, 3])))
    assert _decode(spec["data"][0]["customdata"]) == [1, 3]
    assert spec["data"][0]["hovertext"] == ["dog", "banana"]


def test_scatter_rejects_mismatched_inputs() -> None:
    with pytest.raises(ValueError, match="labels"):
        embedding_scatter(COORDS, LABELS[:2])
    with pytest.raises(ValueError, match="columns"):
        embedding_scatter(np.zeros((4, 4)), LABELS)


def test_sample_rows_keeps_all_under_the_limit_and_the_requested_rows_above() -> None:
    assert figures.sample_rows(10, limit=20).tolist() == list(range(10))
    rows = figures.sample_rows(1000, limit=100, seed=1, keep=[999, 5])
    assert 100 <= len(rows) <= 102 and {5, 999} <= set(rows.tolist())
    assert np.all(np.diff(rows) > 0)
    np.testing.assert_array_equal(rows, figures.sample_rows(1000, limit=100, seed=1, keep=[999, 5]))


def test_20k_point_figure_stays_small() -> None:
    rng = np.random.default_rng(0)
    coords = rng.normal(size=(20_000, 2))
    labels = [f"w{i}" for i in range(20_000)]
    colouring = Colouring("category", [f"c{i % 12}" for i in range(20_000)], "label")
    size = len(pio.to_json(embedding_scatter(coords, labels, colouring=colouring), validate=False))
    # x, y float32 + int32 ids as base64 (~16 bytes/point) plus hover labels (~9 bytes/point)
    assert size < 700_000, size


def test_loss_and_popularity_curves() -> None:
    spec = _spec(figures.loss_curve([3.0, 2.0, 1.5], x_title="epoch", y_title="loss"))
    assert _decode(spec["data"][0]["y"]) == [3.0, 2.0, 1.5]
    assert spec["layout"]["xaxis"]["title"]["text"] == "epoch"
    spec = _spec(figures.popularity_curve([1, 10, 3]))
    assert _decode(spec["data"][0]["y"]) == [10, 3, 1]
    assert spec["layout"]["yaxis"]["type"] == "log"


def test_word_arrows_draws_one_arrow_per_word() -> None:
    fig = figures.word_arrows(np.array([[1.0, 0.0], [0.0, 2.0]]), ["猫", "狗"], background=np.zeros((5, 2)))
    spec = _spec(fig)
    assert len(spec["layout"]["annotations"]) == 2
    assert [tr.get("text") for tr in spec["data"] if tr.get("text")] == [["猫"], ["狗"]]


# --------------------------------------------------------------------------- UI strings


def test_t_looks_up_and_formats() -> None:
    assert t("common.language", "en") == "Language"
    assert t("common.language", "zh") == "语言"
    assert t("common.n_points", "zh", n=5).startswith("5")
    with pytest.raises(KeyError, match="common.nope"):
        t("common.nope", "en")
    with pytest.raises(KeyError, match="no i18n table"):
        t("nosuchpage.x", "en")


def test_normalize_lang() -> None:
    assert normalize_lang("zh-CN") == "zh" and normalize_lang("中文") == "zh"
    assert normalize_lang(None) == "en" and normalize_lang("fr") == "en"
    assert set(LANGUAGES) == {"en", "zh"}


@pytest.mark.parametrize("name", table_names())
def test_every_table_is_complete_in_both_languages(name: str) -> None:
    strings = table(name)
    assert strings, name
    for key, pair in strings.items():
        assert isinstance(pair, tuple) and len(pair) == 2, (name, key)
        en, zh = pair
        assert en.strip() and zh.strip(), (name, key)
        assert placeholders(en) == placeholders(zh), (name, key)


def test_neighbour_labels_of_close_points_take_different_sides() -> None:
    from explorer.figures.maps import place_labels

    # six neighbours in a tight clump: the labels must not all sit on the same side
    pts = np.array([[400.0, 300.0 + 3 * i] for i in range(6)])
    places = place_labels(pts, [f"word{i}" for i in range(6)], bounds_px=(0.0, 0.0, 800.0, 600.0))
    assert len(set(places)) >= 4
    # a label at the right edge goes left, inside the chart
    assert place_labels(np.array([[795.0, 300.0]]), ["edge"], bounds_px=(0.0, 0.0, 800.0, 600.0)) != ["middle right"]
    # neighbours in a clump far smaller than their labels: the labels fan out around it, with leaders
    coords = np.array([[0.0, 0.0]] + [[0.01 * i, 0.0] for i in range(1, 6)] + [[10.0, 10.0]], np.float32)
    spec = _spec(embedding_scatter(coords, [f"word{i}" for i in range(7)],
                                   highlight=Highlight(queries=[0], neighbors=[1, 2, 3, 4, 5])))
    notes = [n for n in spec["layout"]["annotations"] if n["showarrow"]]
    assert sorted(n["text"] for n in notes) == [f"word{i}" for i in range(1, 6)]
    ends = {(round(n["ax"]), round(n["ay"])) for n in notes}
    assert len(ends) == 5
    assert [n["text"] for n in spec["layout"]["annotations"] if not n["showarrow"]] == ["word0"]  # the query
    # spread-out neighbours keep plain labels beside their points (no leaders)
    spec = _spec(embedding_scatter(COORDS, LABELS, highlight=Highlight(queries=[2], neighbors=[1, 0, 3])))
    assert len(spec["layout"]["annotations"]) == 4 and not any(n["showarrow"] for n in spec["layout"]["annotations"])


def test_maps_docstrings() -> None:
    import doctest

    from explorer.figures import maps

    assert doctest.testmod(maps).failed == 0


def test_validation_curves_keep_the_legend_below_the_axis() -> None:
    from explorer.figures import charts

    spec = _spec(charts.curves([1, 2, 3], {"HR@10 · sampled (1 + 99 negatives)": [0.1, 0.2, 0.3],
                                           "NDCG@10 · full ranking": [0.05, None, 0.1]}, dashed=["NDCG@10 · full ranking"]))
    legend = spec["layout"]["legend"]
    assert legend["yanchor"] == "top" and legend["y"] < 0  # below the plot: never over the lines
