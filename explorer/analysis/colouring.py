"""What the points of a map can be coloured by, and the values of each colouring.

A colouring is named by a plain string (so pages can keep it in the URL and key caches by it):

* ``"type"``: item or user (user-item runs drawn with their users);
* ``"label"``: the run's ground-truth category per token (``labels.tsv``);
* ``"meta:<column>"``: an item metadata column with few distinct values (the first genre of
  ``A|B|C`` lists, :func:`explorer.recsys.interactions.first_genre`); ``"meta:genre"`` (the
  category column) comes first and stands in for ``"label"``, which holds the same first genres;
* ``"frequency"`` / ``"popularity"`` / ``"degree"``: log10(1 + count) of each token / item / graph node
  (a graph run's ``vocab.tsv`` counts degrees; runs of documents have none);
* ``"saved:<name>"``: a clustering saved on the Clusters page;
* ``"cluster"``: K-Means with ``n_clusters`` clusters on the vectors (seed 0);
* ``"none"``.

Values come back as ``(kind, values)`` for :class:`explorer.figures.Colouring`: ``"category"`` with
one string per point ("" = none), or ``"number"`` with a float per point (NaN = none). Points are
the run's rows, then, when ``users``, one per user.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

import numpy as np

from explorer.recsys.interactions import first_genre
from explorer.runs import Run, saved_clusterings

MAX_CATEGORIES = 60  # metadata columns with more distinct values are not offered as colours
GENRE = "genre"  # items.tsv's category column (explorer.recsys.interactions.item_columns_for_run)
Values = tuple[str, Union[list[str], np.ndarray]]


def metadata_columns(run: Run) -> list[str]:
    """Item metadata columns with 2..:data:`MAX_CATEGORIES` distinct (first-genre) values."""
    if not run.capabilities.users:
        return []
    header, rows = run.item_table
    out = []
    for i, name in enumerate(header[1:], start=1):
        distinct = {first_genre(r[i]) if len(r) > i else "" for r in rows}
        if 1 < len(distinct) <= MAX_CATEGORIES:
            out.append(name)
    return out


def colour_options(run: Run, users: bool, store: Optional[Path] = None) -> list[str]:
    """The colourings that make sense for ``run`` (with its users drawn when ``users``).

    ``store``: where the viewer keeps clusterings of a run it does not own (default: the run itself;
    see :func:`explorer.jobs.workspaces.derived_dir`)."""
    options: list[str] = []
    meta = metadata_columns(run)
    if users:
        options.append("type")
    if GENRE in meta:  # "colour by genre", first for items alone: items of several genres take their first one
        options.append(f"meta:{GENRE}")
    if run.labels and GENRE not in meta:  # a user-item run's labels.tsv is the same first genre
        options.append("label")
    options += [f"meta:{name}" for name in meta if name != GENRE]
    if not run.capabilities.documents:  # documents have no counts
        options.append("popularity" if run.capabilities.users else "degree" if run.capabilities.graph else "frequency")
    options += [f"saved:{c.name}" for c in saved_clusterings.load_clusterings(store or run.path)]
    return options + ["cluster", "none"]


def colour_values(run: Run, colour: str, n_clusters: int = 8, users: bool = False,
                  store: Optional[Path] = None) -> Optional[Values]:
    """``(kind, values)`` of the colouring ``colour`` (see the module docstring), or None for none."""
    n_items = len(run.tokens)
    n_users = len(run.user_ids) if users else 0
    blank = [""] * n_users
    if colour == "type":
        return "category", ["item"] * n_items + ["user"] * n_users
    if colour == "label":
        return "category", [run.labels.get(t, "") for t in run.tokens] + blank
    if colour.startswith("meta:"):
        header, rows = run.item_table
        if colour[5:] not in header[1:]:
            return None
        i = header.index(colour[5:])
        return "category", [first_genre(r[i]) if len(r) > i else "" for r in rows] + blank
    if colour in ("frequency", "popularity", "degree"):
        return "number", np.r_[np.log10(np.asarray(run.counts, dtype=np.float64) + 1), np.full(n_users, np.nan)]
    if colour.startswith("saved:"):
        found = saved_clusterings.load_labels(store or run.path, colour[6:])
        return "category", [f"{int(c)}" if c >= 0 else "" for c in found] + blank
    if colour == "cluster":
        from explorer.analysis import clusters

        found = clusters.cluster(np.asarray(run.vectors, dtype=np.float32), "kmeans", k=n_clusters, seed=0)
        return "category", [f"{int(c)}" if c >= 0 else "" for c in found.labels] + blank
    return None
