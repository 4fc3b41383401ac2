"""explorer.figures.charts: charts tested as data (the figure's JSON), not as pictures."""

from __future__ import annotations

import json

import numpy as np

from explorer.figures import charts as fa


def data(fig) -> dict:
    return json.loads(fig.to_json())


def values(trace: dict, axis: str) -> list:
    """Trace values whether plotly stored them as a list or as a base64 typed array."""
    raw = trace[axis]
    if isinstance(raw, dict):  # {"dtype": ..., "bdata": ...}
        import base64

        return np.frombuffer(base64.b64decode(raw["bdata"]), dtype=np.dtype(raw["dtype"])).tolist()
    return list(raw)


def test_k_sweep_has_silhouette_on_the_left_and_inertia_on_the_right() -> None:
    fig = data(fa.k_sweep_chart([2, 3, 4], [0.5, 0.7, 0.4], [30.0, 12.0, 9.0], chosen=3,
                                silhouette_title="轮廓系数", inertia_title="惯性"))
    sil, inertia = fig["data"]
    assert values(sil, "x") == [2, 3, 4] and values(sil, "y") == [0.5, 0.7, 0.4] and sil["name"] == "轮廓系数"
    assert values(inertia, "y") == [30.0, 12.0, 9.0] and inertia["yaxis"] == "y2"
    assert fig["layout"]["yaxis2"]["overlaying"] == "y"
    assert fig["layout"]["shapes"][0]["x0"] == 3  # the chosen k
    assert "Noto Sans CJK SC" in fig["layout"]["font"]["family"]


def test_curves_leave_gaps_for_missing_values_and_dash_baselines() -> None:
    fig = data(fa.curves([1, 2, 3], {"model": [0.1, None, 0.3], "baseline": [0.2, 0.2, 0.2]}, dashed=["baseline"]))
    model, baseline = fig["data"]
    y = values(model, "y")
    assert y[0] == 0.1 and (y[1] is None or np.isnan(y[1])) and y[2] == 0.3
    assert baseline["line"]["dash"] == "dash" and model["line"]["dash"] == "solid"


def test_grouped_bars_and_histogram_counts() -> None:
    fig = data(fa.grouped_bars(["HR@10", "MRR"], {"model": [0.4, 0.2], "popularity": [0.1, None]}))
    assert [t["name"] for t in fig["data"]] == ["model", "popularity"] and fig["layout"]["barmode"] == "group"
    assert fig["data"][1]["text"] == ["0.100", ""]
    hist = data(fa.histogram([0.0, 0.05, 0.5, 1.0, 1.0], bins=2))
    assert values(hist["data"][0], "y") == [2, 3]  # [0, 0.5) and [0.5, 1]


def test_standalone_html_embeds_plotly_and_needs_no_network() -> None:
    html = fa.figure_html(fa.histogram([0.5]), title="k <sweep>")
    assert "<title>k &lt;sweep&gt;</title>" in html
    import re

    assert not re.search(r"<script[^>]*src=", html) and "Plotly.newPlot" in html  # no script fetched from a CDN
    assert len(html) > 1_000_000  # plotly.js itself is inside
