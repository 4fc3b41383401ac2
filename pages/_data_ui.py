"""Widgets shared by the Data and Train pages: the data choice kept in the URL, uploads checked
with a visible, translated reason, problems flagged for Train, item title/category columns."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import streamlit as st

from explorer.errors import ExplorerError
from explorer.jobs import data_choice, workspaces
from explorer.recsys.interactions import read_item_table
from explorer.text.decode import reads_as_text
from pages._widgets import error_message, show_error, tr, uploader_note


def chosen_data(kind: str) -> Optional[dict]:
    """The data chosen on the Data page for ``kind`` (``text``/``log``, kept in the session as
    ``data_<kind>``): from this session, else from the URL's ``?data=`` key (a reload), else None."""
    slot = f"data_{kind}"
    if st.session_state.get(slot):
        return st.session_state[slot]
    found = data_choice.load_choice(st.query_params.get("data"))
    if found is not None and found[0] == kind:
        st.session_state[slot] = found[1]
        return found[1]
    return None


def url_kind() -> Optional[str]:
    """The data kind named by the URL's ``?data=`` key, if it names a saved choice."""
    found = data_choice.load_choice(st.query_params.get("data"))
    return found[0] if found is not None else None


def remember(kind: str, data: dict) -> None:
    """Keep ``data`` in this session and its key in the URL (a reload finds it again)."""
    st.session_state[f"data_{kind}"] = data
    key = st.session_state["data_key"] = data_choice.save_choice(kind, data)
    if st.query_params.get("data") != key:
        st.query_params["data"] = key


def flag(data: dict, exc: Optional[ExplorerError], files: Optional[dict[str, str]] = None) -> None:
    """Record (or, with None, clear) the problem the Data page found, so that Train refuses the data."""
    if exc is None:
        data.pop("problem", None)
        return
    data["problem"] = {"code": exc.code, "params": {k: str(v) for k, v in exc.params.items()},
                       "message": str(exc), "files": files or {}}


def problem_text(data: dict) -> Optional[str]:
    """The flagged problem of ``data`` in the UI's language, or None."""
    found = data.get("problem")
    if not found:
        return None
    exc = ExplorerError(found.get("message", ""), code=found.get("code"), **(found.get("params") or {}))
    return error_message(exc, found.get("files"))


def show_problem(exc: BaseException, files: Optional[dict[str, str]] = None, where: Any = None) -> None:
    """An input problem, translated, right where it is called (beside its control)."""
    show_error(exc, where, files)


def save_checked(upload: Any, accepted: tuple[str, ...]) -> Path:
    """Save an uploaded file after checking its type against ``accepted`` (extensions without
    dots); the upload control accepts any file, so that a refusal is said beside it, in words."""
    suffix = Path(upload.name).suffix.lower()
    if suffix.lstrip(".") not in accepted and "txt" in accepted and reads_as_text(upload.getvalue(), suffix):
        suffix = ".txt"  # any suffix (.cor, .text, none) whose content reads as text is a text file
    if suffix.lstrip(".") not in accepted:
        raise ExplorerError(f"upload: file type {suffix or '–'!r} not accepted here", code="upload_type",
                            suffix=suffix or "–", accepted=", ".join(f".{a}" for a in accepted))
    return workspaces.save_upload(upload.getvalue(), suffix)


def uploader(label: str, accepted: tuple[str, ...], key: str) -> Any:
    """A file uploader that takes any file (the accepted types are named in ``label`` and in the
    help; :func:`save_checked` refuses others with a visible reason, not a tooltip). Streamlit does not let us translate its "Drag and drop" and "Browse
    files" texts; the label and the help are ours."""
    types = ", ".join(f".{a}" for a in accepted)
    upload = st.file_uploader(label, type=None, key=key,
                              help=tr("data.upload_help", mb=workspaces.max_upload_bytes() // 2**20, types=types))
    uploader_note()
    return upload


@st.cache_data(max_entries=8, show_spinner=False)
def _item_table(path: str) -> tuple[list[str], Optional[str], Optional[str]]:
    table = read_item_table(Path(path))
    return table.columns, table.title_col, table.category_col


def item_columns_ui(data: dict) -> tuple[Optional[str], Optional[str]]:
    """Title and category columns of the item metadata: guessed, shown, changeable."""
    columns, title, category = _item_table(data["items"])
    options: list[Optional[str]] = [None, *columns]
    c1, c2 = st.columns(2)
    picked = []
    for col, role, guess in ((c1, "title", title), (c2, "category", category)):
        current = data.get(f"{role}_col", guess)
        picked.append(col.selectbox(tr(f"data.{role}_col"), options, format_func=lambda v: v or "–",
                                    index=options.index(current) if current in options else 0,
                                    help=tr(f"data.{role}_col_help"), key=f"meta_{role}_{data['items'][-16:]}"))
    data.update(title_col=picked[0], category_col=picked[1])
    return picked[0], picked[1]
