"""Plotly figure builders: arrays in, ``go.Figure`` out, never streamlit.

The face re-exports the embedding maps (:mod:`explorer.figures.maps`); analysis charts live in
:mod:`explorer.figures.charts`.
"""

from explorer.figures.maps import (  # noqa: F401
    FONT_FAMILY,
    HIGHLIGHT_COLOUR,
    MAX_POINTS,
    NEIGHBOR_COLOUR,
    OTHER_COLOUR,
    PALETTE,
    Colouring,
    Highlight,
    cluster_labels,
    embedding_scatter,
    lean,
    loss_curve,
    popularity_curve,
    sample_rows,
    style,
    word_arrows,
)
