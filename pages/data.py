"""Data: upload a text corpus or an interaction log (or pick a bundled sample) and preview it."""

from pathlib import Path

import streamlit as st

from explorer import figures, train_form
from explorer.configs import CorpusConfig
from explorer.errors import ExplorerError
from explorer.kinds import SkipGramConfig, data_inputs, load_runner, training_kind
from explorer.recsys.interactions import (
    ROLES,
    metadata_mismatch,
    popularity,
    read_columns,
    read_interactions,
    read_item_metadata,
)
from explorer.text.corpus import load_corpus
from explorer.text.preview import chinese_lines
from explorer.text.readers import preview_text, read_labels
from explorer.text.tokenizer import detect_lang, tokenize_lines
from pages._class_ui import shared_datasets_ui
from pages._data_text import phrases_ui, pipeline_preview_ui, pipeline_ui, preview_segmenter
from pages._data_ui import chosen_data, flag, item_columns_ui, remember, save_checked, show_problem, uploader, url_kind
from pages._safe_ui import md, md_code
from pages._widgets import choice_ui, error_message, tr, workspace

AUTO_VOCAB_BYTES = 5 << 20  # count the vocabulary at once below this size; on request above
INPUTS = data_inputs()  # the Data page's inputs, declared by the kinds that read them
ITEM_TYPES = INPUTS["log"].extra_types["items"]


# --------------------------------------------------------------------------- cached reading


@st.cache_data(max_entries=8, show_spinner=False)
def text_preview(path: str, name: str, text_column: str | None, lang: str, stopwords: bool,
                 segmenter: str = "jieba") -> dict:
    raw = preview_text(Path(path), text_column, name=name)  # a bounded slice, never the whole upload
    detected = detect_lang(raw.lines[:2000]) if lang == "auto" else lang
    return {"lines": raw.lines[:8], "encoding": raw.encoding, "lang": detected, "n_lines": raw.n_lines,
            "n_dropped": raw.n_dropped, "complete": raw.complete, "zh_lines": chinese_lines(raw.lines),
            "tokens": tokenize_lines(raw.lines[:5], detected, remove_stopwords=stopwords, segmenter=segmenter)}


@st.cache_data(max_entries=8, show_spinner=False)
def vocab_sizes(path: str, name: str, text_column: str | None, lang: str, stopwords: bool,
                pipeline: tuple = ()) -> dict:
    """Distinct words and total tokens; the tokenized corpus is cached for training too."""
    cfg = CorpusConfig(lang=lang, text_column=text_column, remove_stopwords=stopwords, **dict(pipeline))
    corpus = load_corpus(Path(path), cfg, name=name)
    return {"counts": corpus.counts.copy(), "n_tokens": corpus.n_tokens}


@st.cache_data(max_entries=8, show_spinner=False)
def log_columns(path: str) -> list[str]:
    return read_columns(Path(path))


@st.cache_data(max_entries=8, show_spinner=False)
def log_summary(path: str, columns: tuple, min_rating: float | None) -> dict:
    inter = read_interactions(Path(path), dict(columns), min_rating)
    return {"n_users": inter.n_users, "n_items": inter.n_items, "n": len(inter), "density": inter.density,
            "popularity": popularity(inter), "columns": inter.columns, "item_ids": inter.item_ids[:50_000]}


# --------------------------------------------------------------------------- widgets


def check_upload(kind: str, path: Path, name: str) -> None:
    """Read the saved file once so that a bad file is refused beside the upload control."""
    if kind == "text":
        text_preview(str(path), name, None, "auto", False)
    else:
        log_columns(str(path))


def source_ui(kind: str, types: tuple[str, ...], sample: dict) -> None:
    """Upload control + "use the sample" button; problems shown right below the control."""
    err_key, gen = f"data_{kind}_error", st.session_state.get(f"upload_gen_{kind}", 0)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        upload = uploader(tr(f"data.upload_{kind}"), types, f"upload_{kind}_{gen}")
        if st.session_state.get(err_key):
            show_problem(*st.session_state[err_key])
    if right.button(tr("data.use_sample"), key=f"sample_{kind}", icon=":material/inventory_2:"):
        remember(kind, dict(sample))
        st.session_state[err_key] = None
        st.rerun()
    if upload is not None:
        path = ""
        try:  # bytes go to disk at once; the uploader is then reset so they are not held in memory
            path = save_checked(upload, types)
            check_upload(kind, path, upload.name)
            remember(kind, {"path": str(path), "name": upload.name, "sample": False})
            st.session_state[err_key] = None
        except ExplorerError as exc:
            st.session_state[err_key] = (exc, {str(path): upload.name} if path else {})
        st.session_state[f"upload_gen_{kind}"] = gen + 1
        st.rerun()


def text_preview_ui(data: dict) -> None:
    c1, c2, c3 = st.columns(3)
    lang = choice_ui(c1.selectbox, tr("data.lang"), ["auto", "en", "zh", "pretokenized"], "data_lang",
                     lambda v: tr(f"data.lang_{v}"))
    column = c2.text_input(tr("data.text_column"), value=data.get("text_column") or "",
                           help=tr("data.text_column_help")).strip() or None
    stopwords = c3.checkbox(tr("data.stopwords"), value=bool(data.get("stopwords")))
    data.update(lang=lang, text_column=column, stopwords=stopwords)
    pipeline = pipeline_ui(data)
    try:
        prev = text_preview(data["path"], data["name"], column, lang, stopwords, preview_segmenter(pipeline))
    except ExplorerError as exc:
        show_problem(exc, {data["path"]: data["name"]})
        flag(data, exc, {data["path"]: data["name"]})
        return
    flag(data, None)
    m = st.columns(3)
    m[0].metric(tr("data.encoding"), prev["encoding"])
    m[1].metric(tr("data.detected_lang"), tr(f"data.lang_{prev['lang']}"))
    m[2].metric(tr("data.lines"), f"{prev['n_lines']:,}" if prev["complete"] else f"≈ {prev['n_lines']:,}", help=tr("data.dropped", n=prev["n_dropped"]))
    st.markdown(f"**{tr('data.first_lines')}**")
    st.code("\n".join(prev["lines"]), language=None, wrap_lines=True)
    st.markdown(f"**{tr('data.tokenization')}**")
    for tokens in prev["tokens"]:
        st.markdown(" ".join(md_code(tok) for tok in tokens) or "–")
    pipeline_preview_ui(prev, pipeline)
    min_count = st.number_input(tr("data.min_count"), 1, 1000, int(data.get("min_count", SkipGramConfig().min_count)),
                                help=tr("train.help_min_count", default=SkipGramConfig().min_count))
    data["min_count"] = int(min_count)
    labels_ui(data)
    big = Path(data["path"]).stat().st_size > AUTO_VOCAB_BYTES
    if big and not st.button(tr("data.count_vocab")):
        return
    try:
        with st.spinner(tr("data.tokenizing")):
            sizes = vocab_sizes(data["path"], data["name"], column, lang, stopwords, tuple(sorted(pipeline.items())))
    except ExplorerError as exc:
        show_problem(exc, {data["path"]: data["name"]})
        flag(data, exc, {data["path"]: data["name"]})
        return
    kept = int((sizes["counts"] >= min_count).sum())
    # the Train page refuses a too small vocabulary, and gives a small corpus more epochs
    data.update(vocab_kept=kept, vocab_min_count=int(min_count), vocab_tokens=int(sizes["n_tokens"]))
    message = tr("data.vocab", kept=kept, total=len(sizes["counts"]), tokens=sizes["n_tokens"], min_count=min_count)
    if kept < 2:
        st.error(f"{message} {tr('data.vocab_too_small')}", icon=":material/warning:")
    else:
        st.success(message)
    phrases_ui(data, column, lang, stopwords, pipeline)


def labels_ui(data: dict) -> None:
    """Optional word,label file: ground-truth categories to colour the explorer by."""
    upload = uploader(tr("data.upload_labels"), ("tsv", "csv", "txt"), "upload_labels")
    st.caption(tr("data.upload_labels_help"))
    if upload is not None:
        try:
            path = save_checked(upload, ("tsv", "csv", "txt"))
            data["labels"] = str(path)
            data["labels_name"] = upload.name
        except ExplorerError as exc:
            show_problem(exc)
    if data.get("labels"):
        try:
            labels = read_labels(Path(data["labels"]), name=data.get("labels_name"))
            st.caption(tr("data.labels_found", n=len(labels), k=len(set(labels.values()))))
        except ExplorerError as exc:
            show_problem(exc, {data["labels"]: data.get("labels_name") or ""})
            data["labels"] = None


def log_preview_ui(data: dict) -> None:
    files = {data["path"]: data["name"]}
    try:
        columns = log_columns(data["path"])
    except ExplorerError as exc:
        show_problem(exc, files)
        flag(data, exc, files)
        return
    try:
        guessed = data.get("columns") or log_summary(data["path"], (), None)["columns"]
    except ExplorerError:
        guessed = {}
    st.markdown(f"**{tr('data.mapping')}**")
    cols = st.columns(len(ROLES) + 1)
    options = [None, *columns]
    mapping = {role: cols[i].selectbox(tr(f"data.role_{role}"), options, format_func=lambda v: v or "–",
                                       index=options.index(guessed.get(role)) if guessed.get(role) in options else 0,
                                       key=f"map_{role}_{data['path'][-12:]}")
               for i, role in enumerate(ROLES)}
    min_rating = cols[-1].number_input(tr("data.min_rating"), value=data.get("min_rating"), step=0.5,
                                       help=tr("train.help_min_rating"), placeholder="–")
    try:
        summary = log_summary(data["path"], tuple(sorted(mapping.items())), min_rating)
    except ExplorerError as exc:
        show_problem(exc, files)
        flag(data, exc, files)
        return
    flag(data, None)
    data.update(columns=summary["columns"], min_rating=min_rating)
    m = st.columns(4)
    m[0].metric(tr("data.users"), f"{summary['n_users']:,}")
    m[1].metric(tr("data.items"), f"{summary['n_items']:,}")
    m[2].metric(tr("data.interactions"), f"{summary['n']:,}")
    m[3].metric(tr("data.density"), f"{summary['density']:.2%}")
    st.plotly_chart(figures.popularity_curve(summary["popularity"], title=tr("data.popularity"),
                                             x_title=tr("data.item_rank"), y_title=tr("data.interactions")),
                    key="popularity")
    meta = uploader(tr("data.upload_items"), ITEM_TYPES, "upload_items")
    if meta is not None:
        try:
            saved = str(save_checked(meta, ITEM_TYPES))
            if data.get("items") != saved:  # another file: guess its title and category columns afresh
                data.update(items=saved, items_name=meta.name)
                data.pop("title_col", None)
                data.pop("category_col", None)
        except ExplorerError as exc:
            show_problem(exc)
    if data.get("items"):
        files[data["items"]] = data.get("items_name") or "items"
        try:
            title, category = item_columns_ui(data)
            meta = read_item_metadata(Path(data["items"]), summary["item_ids"], title, category)
            mismatch = metadata_mismatch(meta, data.get("items_name") or "items", summary["item_ids"][0])
            if mismatch is not None:  # every title would be empty: say so before training
                st.warning(error_message(mismatch, files), icon=":material/link_off:")
            st.dataframe(meta.head(20), height=220)
        except ExplorerError as exc:
            show_problem(exc, files)
            flag(data, exc, files)


# --------------------------------------------------------------------------- page

st.title(tr("data.title"), anchor=False)
st.caption(tr("data.intro"))
if "data_kind" not in st.session_state and url_kind() in INPUTS:  # a reload: the URL names the data
    st.session_state["data_kind"] = url_kind()
kind = choice_ui(st.segmented_control, tr("data.kind"), list(INPUTS), "data_kind",
                lambda k: tr(f"data.kind_{k}"), default=next(iter(INPUTS)), required=True)
if INPUTS[kind].page:  # an input with a section of its own (graphs: pages/_data_graph.py)
    load_runner(INPUTS[kind].page)()
    st.stop()
sample = training_kind(train_form.kind_of_slot(INPUTS[kind].slot)).sample_data()
source_ui(kind, INPUTS[kind].upload_types, sample)
if (shared := shared_datasets_ui(kind, workspace())) is not None:  # datasets the class's teacher shared
    st.session_state[f"data_{kind}"] = shared
data = chosen_data(kind)
if not data:
    st.info(tr("data.none"))
    st.stop()
st.subheader(tr("data.current", name=md(data["name"])) + (f" · {tr('data.sample')}" if data.get("sample") else ""),
             anchor=False)
if kind == "text":
    text_preview_ui(data)
else:
    log_preview_ui(data)
remember(kind, data)
st.session_state["train_kind"] = train_form.kind_of_slot(f"data_{kind}")  # Train opens on this data
st.page_link("pages/train.py", label=tr("data.next"), icon=":material/model_training:")
