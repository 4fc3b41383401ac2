"""Data page, documents part: upload documents (or use the bundled sample), choose the columns, and see
the count, the detected layout, empties and duplicates (reported, never dropped), the language, the length
histogram, the label balance and a few documents."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import streamlit as st

from explorer.documents.display import document_lengths, length_bins
from explorer.documents.reader import ROLES, read_documents
from explorer.errors import ExplorerError
from explorer.kinds import data_inputs, training_kind
from explorer.text.tokenizer import detect_lang
from explorer.train_form import kind_of_slot
from pages._class_ui import shared_datasets_ui
from pages._data_ui import chosen_data, flag, remember, save_checked, show_problem, uploader
from pages._safe_ui import md
from pages._widgets import tr, workspace

INPUT = data_inputs()["documents"]
SHOWN = 5  # documents shown on the page


@st.cache_data(max_entries=8, show_spinner=False)
def documents_preview(path: str, name: str, columns: tuple) -> dict:
    """What the page shows of a documents file, as plain values."""
    docs = read_documents(Path(path), name, **{f"{role}_column": col for role, col in columns})
    lang = detect_lang([t for t in docs.texts[:2000] if t])
    return {"n": len(docs), "format": docs.format, "layout": docs.layout, "encoding": docs.encoding,
            "columns": docs.columns, "available": docs.available, "empty": docs.empty[:1000],
            "n_empty": len(docs.empty), "duplicates": docs.duplicates[:1000], "n_duplicates": len(docs.duplicates),
            # named by id: the file's row (or line) number when there is no id column, so a skipped blank row does
            # not shift the numbers the page says
            "empty_ids": [docs.ids[i] for i in docs.empty[:20]],
            "duplicate_ids": [(docs.ids[a], docs.ids[b]) for a, b in docs.duplicates[:20]],
            "n_blank": docs.n_blank, "tokens": _word_count(docs.texts), "lang": lang, "lengths": document_lengths(docs.texts, lang), "labels": Counter(lab for lab in docs.labels if lab).most_common(30),
            "first": [(i, ti, lab, te[:300]) for i, ti, lab, te in
                      zip(docs.ids[:SHOWN], docs.titles[:SHOWN], docs.labels[:SHOWN], docs.display_texts[:SHOWN], strict=True)]}


def _word_count(texts: list[str], sample: int = 2_000) -> int:
    """About how many words the documents hold, as the Doc2Vec tokenizer cuts them (the first ``sample`` non-empty
    documents counted, the rest estimated from them): the Train form starts short documents on more epochs."""
    from explorer.training.doc2vec import tokenize

    filled = [t for t in texts if t]
    if not filled:
        return 0
    _, tokens = tokenize(filled[:sample])
    return round(sum(map(len, tokens)) * len(filled) / min(len(filled), sample))


def _source_ui() -> None:
    gen = st.session_state.get("upload_gen_documents", 0)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        upload = uploader(tr("data_documents.upload"), INPUT.upload_types, f"upload_documents_{gen}")
        if st.session_state.get("data_documents_error"):
            show_problem(*st.session_state["data_documents_error"])
    if right.button(tr("data.use_sample"), key="sample_documents", icon=":material/inventory_2:"):
        remember("documents", training_kind(kind_of_slot(INPUT.slot)).sample_data())
        st.session_state["data_documents_error"] = None
        st.rerun()
    if upload is not None:
        path = ""
        try:
            path = save_checked(upload, INPUT.upload_types)
            documents_preview(str(path), upload.name, ())
            remember("documents", {"path": str(path), "name": upload.name, "sample": False})
            st.session_state["data_documents_error"] = None
        except ExplorerError as exc:
            st.session_state["data_documents_error"] = (exc, {str(path): upload.name} if path else {})
        st.session_state["upload_gen_documents"] = gen + 1
        st.rerun()


def _columns_ui(data: dict, prev: dict) -> bool:
    """Column choices for tables and JSON lines (kept in the data's dict); True when one changed."""
    if not prev["available"]:
        return False
    changed = False
    cols = st.columns(len(ROLES))
    none = "—"
    for col, role in zip(cols, ROLES, strict=True):
        options = ([] if role == "text" else [none]) + list(prev["available"])
        current = prev["columns"].get(role) or none
        chosen = col.selectbox(tr(f"data_documents.col_{role}"), options,
                               index=options.index(current) if current in options else 0,
                               key=f"documents_col_{role}")
        value = "" if chosen == none else chosen  # "": no such column (the reader guesses only for None)
        if value != (prev["columns"].get(role) or ""):
            data[f"{role}_column"] = value
            changed = True
    return changed


def documents_preview_ui(data: dict) -> None:
    columns = tuple((role, data[f"{role}_column"]) for role in ROLES if data.get(f"{role}_column") is not None)
    try:
        prev = documents_preview(data["path"], data["name"], columns)
    except ExplorerError as exc:
        show_problem(exc, {data["path"]: data["name"]})
        flag(data, exc, {data["path"]: data["name"]})
        return
    flag(data, None)
    if prev["tokens"]:  # what the Train form's starting values follow (short documents: more epochs)
        data.update(vocab_tokens=prev["tokens"], documents_n=max(prev["n"] - prev["n_empty"], 1))
    if _columns_ui(data, prev):
        st.rerun()
    m = st.columns(4)
    m[0].metric(tr("data_documents.count"), f"{prev['n']:,}")
    m[1].metric(tr("data_documents.empty"), f"{prev['n_empty']:,}")
    m[2].metric(tr("data_documents.duplicates"), f"{prev['n_duplicates']:,}")
    m[3].metric(tr("data.detected_lang"), tr(f"data.lang_{prev['lang']}"))
    how = tr(f"data_documents.layout_{prev['layout']}") if prev["layout"] else prev["format"].upper()
    st.caption(tr("data_documents.how", how=how, encoding=prev["encoding"])
               + (" · " + tr("data_documents.blank", n=prev["n_blank"]) if prev.get("n_blank") else ""))
    if prev["n_empty"] or prev["n_duplicates"]:
        st.warning(tr("data_documents.kept", empty=md(", ".join(prev["empty_ids"])) or "–",
                      dup=md(", ".join(f"{a}={b}" for a, b in prev["duplicate_ids"])) or "–"),
                   icon=":material/info:")
    unit = "chars" if prev["lang"] == "zh" else "words"  # Chinese has no spaces between words: characters
    bins, counts = length_bins(prev["lengths"])
    st.markdown(f"**{tr(f'data_documents.lengths_{unit}')}**")
    st.bar_chart(pd.DataFrame({tr("data_documents." + unit): bins, tr("data_documents.n_docs"): counts}),
                 x=tr("data_documents." + unit), y=tr("data_documents.n_docs"), sort=False)
    if prev["labels"]:
        st.markdown(f"**{tr('data_documents.labels')}**")
        st.dataframe(pd.DataFrame(prev["labels"], columns=[tr("data_documents.col_label"),
                                                           tr("data_documents.n_docs")]), hide_index=True)
    st.markdown(f"**{tr('data_documents.first')}**")
    st.dataframe(pd.DataFrame(prev["first"], columns=[tr(f"data_documents.col_{r}") for r in
                                                      ("id", "title", "label", "text")]), hide_index=True)


def documents_data_ui() -> None:
    """The whole documents section of the Data page."""
    _source_ui()
    if (shared := shared_datasets_ui("documents", workspace())) is not None:
        st.session_state["data_documents"] = shared
    data = chosen_data("documents")
    if not data:
        st.info(tr("data_documents.none"))
        return
    st.subheader(tr("data.current", name=md(data["name"])) + (f" · {tr('data.sample')}" if data.get("sample") else ""),
                 anchor=False)
    documents_preview_ui(data)
    remember("documents", data)
    st.session_state["train_kind"] = kind_of_slot(INPUT.slot)
    st.page_link("pages/train.py", label=tr("data.next"), icon=":material/model_training:")
