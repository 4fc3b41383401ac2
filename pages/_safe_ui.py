"""Showing user data as data in Streamlit: Markdown-escaped text and tables (see explorer.markup)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from explorer.markup import md, md_code

__all__ = ["md", "md_code", "safe_table"]


def safe_table(frame: pd.DataFrame, **kwargs: Any) -> None:
    """``st.table`` (which renders cells as Markdown) with every text cell escaped."""
    shown = frame.copy()
    for col in shown.columns:  # object or pandas' string dtype ("str" in pandas 3)
        if shown[col].dtype == object or pd.api.types.is_string_dtype(shown[col].dtype):
            shown[col] = shown[col].map(lambda v: md(v) if isinstance(v, str) else v).astype(object)
    st.table(shown, **kwargs)
