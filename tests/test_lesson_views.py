"""Lesson step 4's five maps on a small run: the neighbourhoods are cut to what the run's number of words allows
(a class's novel of 82 words showed "t-SNE, perplexity 50: failed", the projection's own refusal)."""

from __future__ import annotations

from explorer.lesson.quality import VIEWS, views


def test_a_large_run_gets_every_view_as_designed() -> None:
    assert views(20_000) == VIEWS


def test_a_small_run_gets_neighbourhoods_the_projections_accept() -> None:
    for n in (4, 10, 16, 51, 82, 151, 152):
        shown = views(n)
        assert shown[0] == ("pca", ())
        for _method, params in shown:
            for name, value in params:
                if name == "perplexity":  # explorer.analysis.projection: 0 < perplexity <= (n - 1) / 3
                    assert 0 < value <= (n - 1) / 3, (n, shown)
                if name == "n_neighbors":  # 2 <= n_neighbors <= n - 1
                    assert 2 <= value <= n - 1, (n, shown)
        assert len(set(shown)) == len(shown), shown  # a view the cut made equal to another is shown once
    assert ("tsne", (("perplexity", 27),)) in views(82)
    assert ("tsne", (("perplexity", 50),)) not in views(82)
    assert [m for m, _ in views(3)] == ["pca", "umap"]  # t-SNE needs 4 points
