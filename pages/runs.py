"""Runs: the workspace's runs; compare two; rename, delete, download, upload, publish; import and export."""

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from explorer import figures
from explorer.analysis import compare, projection
from explorer.analysis.neighbors import normalize_rows
from explorer.errors import ExplorerError
from explorer.figures import Colouring, Highlight, charts
from explorer.jobs import workspaces
from explorer.runs import Run, formats, manage, zip_run
from pages._safe_ui import md
from pages._widgets import run_at, run_choices, show_error, tr, workspace

SUMMARY_KEYS = ("dim", "window", "epochs", "negatives", "min_count", "loss", "lr", "format")
IMPORTS = ("auto", *formats.FORMATS)
VECTOR_TYPES = ["txt", "vec", "bin", "tsv", "npy"]
META_TYPES = ["tsv", "csv", "txt"]
HIGHLIGHTED = 8  # most changed words labelled on the aligned charts


# --------------------------------------------------------------------------- helpers


def created(run: Run) -> str:
    try:
        return dt.datetime.fromisoformat(run.config.get("created", "")).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return "–"


def settings(run: Run) -> str:
    hyper = run.hyper
    return ", ".join(f"{k}={hyper[k]}" for k in SUMMARY_KEYS if isinstance(hyper.get(k), (int, float, str)))


def in_gallery(run_id: str) -> bool:
    return (workspaces.gallery_dir() / run_id).is_dir()


def flash(message: str) -> None:
    """A success message shown once after the rerun that follows an action."""
    st.session_state["runs_flash"] = message


# --------------------------------------------------------------------------- your runs


def shown(value: object, spec: str) -> str:
    """A number for the table, "–" when the run does not record it (Streamlit would print "None")."""
    return "–" if value is None else format(value, spec)


def runs_table_ui(runs: list[Run]) -> None:
    rows = []
    for run in runs:
        m = manage.key_metrics(run)
        rows.append({
            tr("runs.col_name"): run.name, tr("runs.col_kind"): tr(f"common.kind_{run.kind}"),
            tr("runs.col_created"): created(run),
            tr("runs.col_size"): shown(manage.run_size(run.path) / 2**20, ".2f"),
            tr("runs.col_n"): shown(m["n"], ","), tr("runs.col_dim"): shown(m["dim"], "d"),
            tr("runs.col_loss"): shown(m["loss"], ".4f"), tr("runs.col_seconds"): shown(m["seconds"], ".1f"),
            tr("runs.col_hr"): shown(m["hr10"], ".3f"), tr("runs.col_hr_pop"): shown(m["pop_hr10"], ".3f"),
            tr("runs.col_config"): settings(run), tr("runs.col_gallery"): in_gallery(run.run_id),
            tr("runs.col_id"): run.run_id,
        })
    frame = pd.DataFrame(rows)
    if (frame[tr("runs.col_hr")] == "–").all():
        frame = frame.drop(columns=[tr("runs.col_hr"), tr("runs.col_hr_pop")])
    st.dataframe(frame, hide_index=True, column_config={
        tr("runs.col_hr"): st.column_config.TextColumn(help=tr("runs.table_help")),
        tr("runs.col_hr_pop"): st.column_config.TextColumn(help=tr("runs.table_help")),
    })


def export_ui(run: Run) -> None:
    st.subheader(tr("runs.export"), anchor=False)
    names = {f: tr(f"runs.fmt_{f}") for f in manage.EXPORTS}  # labels fixed now (AppTest re-formats later)
    fmt = st.selectbox(tr("runs.export_fmt"), list(names), format_func=names.__getitem__, key="runs_export_fmt")
    name, mime = manage.export_file_name(run, fmt)
    st.download_button(tr("runs.export_btn"), data=lambda: manage.export_bytes(run, fmt), file_name=name,
                       mime=mime, on_click="ignore", icon=":material/download:", help=tr("runs.export_help"),
                       key="runs_export")


def manage_ui(runs: list[Run]) -> None:
    st.subheader(tr("runs.manage"), anchor=False)
    by_id = {r.run_id: r for r in runs}
    run_id = st.selectbox(tr("runs.pick"), list(by_id), format_func=lambda i: f"{by_id[i].name} · {i}",
                          key="runs_manage")
    run = by_id[run_id]
    token = workspace()
    left, right = st.columns(2)
    with left.form("runs_rename", border=False):
        new_name = st.text_input(tr("runs.rename"), value=run.name, max_chars=manage.MAX_NAME_CHARS)
        if st.form_submit_button(tr("runs.rename_btn"), icon=":material/edit:"):
            try:
                flash(tr("runs.renamed", name=md(manage.rename_run(run.path, new_name))))
                st.rerun()
            except ExplorerError as exc:
                show_error(exc)
    with right:
        st.download_button(tr("runs.download_zip"), data=lambda: zip_run(run.path),
                           file_name=f"{run.run_id}.zip", mime="application/zip", on_click="ignore",
                           icon=":material/folder_zip:", help=tr("runs.download_help"), key="runs_zip")
        if in_gallery(run_id):
            if st.button(tr("runs.unpublish"), icon=":material/public_off:", key="runs_unpublish"):
                try:
                    workspaces.unpublish(token, run_id)
                    flash(tr("runs.unpublished"))
                    st.rerun()
                except ExplorerError as exc:
                    show_error(exc)
        elif st.button(tr("runs.publish"), icon=":material/public:", help=tr("runs.publish_help"), key="runs_publish"):
            workspaces.publish(token, run_id)
            flash(tr("runs.published"))
            st.rerun()
        delete_ui(run)
    export_ui(run)


def delete_ui(run: Run) -> None:
    """Delete with a confirmation step (own workspace only: the path comes from the token)."""
    if st.session_state.get("runs_confirm_delete") != run.run_id:
        if st.button(tr("runs.delete"), icon=":material/delete:", key="runs_delete"):
            st.session_state["runs_confirm_delete"] = run.run_id
            st.rerun()
        return
    st.warning(tr("runs.delete_confirm", name=md(run.name)), icon=":material/warning:")
    yes, no = st.columns(2)
    if yes.button(tr("runs.delete_yes"), type="primary", key="runs_delete_yes"):
        st.session_state.pop("runs_confirm_delete", None)
        try:
            workspaces.delete_run(workspace(), run.run_id)
            flash(tr("runs.deleted", name=md(run.name)))
        except ExplorerError as exc:
            show_error(exc)
            return
        st.rerun()
    if no.button(tr("runs.delete_no"), key="runs_delete_no"):
        st.session_state.pop("runs_confirm_delete", None)
        st.rerun()


def gallery_ui() -> None:
    st.subheader(tr("runs.gallery_title"), anchor=False)
    runs = workspaces.gallery_runs()
    if not runs:
        st.caption(tr("runs.gallery_none"))
        return
    st.dataframe(pd.DataFrame([{tr("runs.col_name"): r.name, tr("runs.col_kind"): tr(f"common.kind_{r.kind}"),
                                tr("runs.col_created"): created(r), tr("runs.col_id"): r.run_id} for r in runs]),
                 hide_index=True)


def list_section() -> None:
    runs = workspaces.list_runs(workspace())
    if not runs:
        st.info(tr("runs.none"), icon=":material/folder_open:")
        st.page_link("pages/train.py", label=tr("common.go_train"), icon=":material/model_training:")
    else:
        runs_table_ui(runs)
        manage_ui(runs)
    gallery_ui()


# --------------------------------------------------------------------------- compare


@st.cache_data(max_entries=16, show_spinner=False)
def overlap(path_a: str, stamp_a: float, path_b: str, stamp_b: float, k: int, max_words: int) -> dict:
    run_a, run_b = run_at(Path(path_a)), run_at(Path(path_b))
    shared, _, _ = compare.shared_rows(run_a, run_b)
    frame = compare.neighbor_overlap(run_a, run_b, k=k, max_words=max_words)
    return {"frame": frame, "k": frame.attrs.get("k", k), "n_shared": len(shared),
            "n_a": len(run_a.tokens), "n_b": len(run_b.tokens)}


@st.cache_data(max_entries=8, show_spinner=False)
def aligned(path_a: str, stamp_a: float, path_b: str, stamp_b: float, words: tuple[str, ...]) -> dict:
    """B rotated onto A on all shared words (unit vectors), then one PCA of both; coordinates of ``words``."""
    run_a, run_b = run_at(Path(path_a)), run_at(Path(path_b))
    shared, rows_a, rows_b = compare.shared_rows(run_a, run_b)
    a = normalize_rows(np.asarray(run_a.vectors)[rows_a])
    b = compare.procrustes_align(a, normalize_rows(np.asarray(run_b.vectors)[rows_b]))
    residual = float(np.linalg.norm(b - a) / max(np.linalg.norm(a), 1e-12))
    position = {w: i for i, w in enumerate(shared)}
    pick = np.asarray([position[w] for w in words], dtype=np.int64)
    coords = projection.project(np.vstack([a[pick], b[pick]]), "pca", 2)
    return {"a": coords[: len(pick)], "b": coords[len(pick):], "residual": residual}


def shared_count(path_a: str, path_b: str) -> int:
    return len(compare.shared_rows(run_at(Path(path_a)), run_at(Path(path_b)))[0])


def stamp(run: Run) -> float:
    return (run.path / "config.json").stat().st_mtime


def html_button(fig: object, name: str, which: str, key: str) -> None:
    st.download_button(tr("runs.html", which=which), data=lambda: charts.figure_html(fig, name),
                       file_name=f"{name}.html", mime="text/html", on_click="ignore", icon=":material/html:", key=key)


def aligned_ui(run_a: Run, run_b: Run, frame: pd.DataFrame) -> None:
    st.subheader(tr("runs.aligned_title"), anchor=False)
    dim_a, dim_b = int(run_a.vectors.shape[1]), int(run_b.vectors.shape[1])
    if dim_a != dim_b:
        st.info(tr("runs.dims_differ", a=dim_a, b=dim_b), icon=":material/info:")
        return
    words = tuple(sorted(frame["word"], key=lambda w: run_a.index[w]))  # the compared words, in A's order
    try:
        result = aligned(str(run_a.path), stamp(run_a), str(run_b.path), stamp(run_b), words)
    except ExplorerError as exc:
        st.error(md(str(exc)), icon=":material/warning:")
        return
    st.caption(tr("runs.aligned_caption", residual=result["residual"]))
    changed = set(frame["word"].head(HIGHLIGHTED))
    rows = [i for i, w in enumerate(words) if w in changed]
    colouring = Colouring("category", [run_a.labels.get(w, "") for w in words], tr("runs.colour_label")) \
        if run_a.labels else None
    left, right = st.columns(2)
    for col, key, run, coords in ((left, "a", run_a, result["a"]), (right, "b", run_b, result["b"])):
        fig = figures.embedding_scatter(coords, list(words), colouring=colouring,
                                        highlight=Highlight(queries=rows, lines=False),
                                        title=f"{tr(f'runs.run_{key}')}: {run.name}", height=480,
                                        uirevision=f"cmp-{key}")
        col.plotly_chart(fig, key=f"cmp_chart_{key}")
        with col:
            html_button(fig, f"aligned-{key}-{run.run_id}", tr(f"runs.run_{key}"), f"cmp_html_{key}")
    st.caption(tr("runs.png_caption"))


def compare_section() -> None:
    choices = run_choices(("skipgram", "imported", "useritem"))
    if len(choices) < 2:
        st.info(tr("runs.compare_need"), icon=":material/info:")
        return
    labels = {c.path: c.label for c in choices}
    words_of = {c.path: c.kind != "useritem" for c in choices}  # word runs compare with word runs
    c1, c2 = st.columns(2)
    word_runs = [i for i, c in enumerate(choices) if words_of[c.path]]
    first = word_runs[0] if len(word_runs) >= 2 else 0  # start with two word runs when there are two
    path_a = c1.selectbox(tr("runs.run_a"), list(labels), format_func=labels.__getitem__, index=first, key="cmp_a")
    partner = next((i for i, c in enumerate(choices) if c.path != path_a and words_of[c.path] == words_of[path_a]),
                   next(i for i, c in enumerate(choices) if c.path != path_a))
    path_b = c2.selectbox(tr("runs.run_b"), list(labels), format_func=labels.__getitem__, index=partner, key="cmp_b")
    if path_a == path_b:
        st.warning(tr("runs.same_run"), icon=":material/warning:")
        return
    if shared_count(path_a, path_b) < 3:
        st.warning(tr("runs.no_shared"), icon=":material/warning:")
        return
    c3, c4 = st.columns(2)
    k = c3.slider(tr("runs.k"), 1, 50, 10, key="cmp_k", help=tr("runs.k_help"))
    max_words = c4.select_slider(tr("runs.max_words"), [100, 500, 1000, 2000, 5000], value=1000, key="cmp_words")
    run_a, run_b = run_at(Path(path_a)), run_at(Path(path_b))
    try:
        with st.spinner(tr("runs.comparing")):
            result = overlap(path_a, stamp(run_a), path_b, stamp(run_b), k, max_words)
    except ExplorerError as exc:
        st.error(md(str(exc)), icon=":material/warning:")
        return
    frame, k = result["frame"], result["k"]
    st.caption(tr("runs.shared", n=result["n_shared"], a=result["n_a"], b=result["n_b"], m=len(frame)))
    m1, m2 = st.columns(2)
    m1.metric(tr("runs.mean_jaccard", k=k), f"{frame['jaccard'].mean():.3f}")
    m1.caption(tr("runs.mean_jaccard_help"))
    m2.metric(tr("runs.identical"), f"{(frame['jaccard'] == 1.0).mean():.0%}")
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**{tr('runs.changed_title')}**")
        st.dataframe(frame.head(200).rename(columns={
            "word": tr("runs.col_word"), "jaccard": tr("runs.col_jaccard"), "neighbors_a": tr("runs.col_nn_a"),
            "neighbors_b": tr("runs.col_nn_b")}).round(3), hide_index=True, height=320)
    right.plotly_chart(charts.histogram(frame["jaccard"], x_title=tr("runs.hist_x"),
                                                  y_title=tr("runs.hist_y")), key="cmp_hist")
    aligned_ui(run_a, run_b, frame)


# --------------------------------------------------------------------------- import / upload


def upload_zip_ui() -> None:
    st.subheader(tr("runs.upload_zip_title"), anchor=False)
    gen = st.session_state.get("runs_zip_gen", 0)
    mb = workspaces.max_upload_bytes() // 2**20
    upload = st.file_uploader(tr("runs.upload_zip"), type=["zip"], key=f"runs_zip_upload_{gen}",
                              help=tr("runs.upload_zip_help", mb=mb))
    if st.session_state.get("runs_zip_error"):
        st.error(md(st.session_state["runs_zip_error"]), icon=":material/warning:")
    if upload is None:
        return
    try:  # bytes go to disk at once; the uploader is reset so that they are not kept in memory
        path = workspaces.save_upload(upload.getvalue(), ".zip")
        out = workspaces.run_path(workspace(), workspaces.new_run_id())
        run = run_at(manage.unpack_run_zip(path, out, workspaces.max_upload_bytes()))
        flash(tr("runs.uploaded", name=md(run.name)))
        st.session_state["runs_zip_error"] = ""
    except ExplorerError as exc:
        st.session_state["runs_zip_error"] = f"{upload.name}: {exc}"
    st.session_state["runs_zip_gen"] = gen + 1
    st.rerun()


def import_vectors_ui() -> None:
    """Vectors trained elsewhere become a new run (kind "imported"); problems appear under the form."""
    st.subheader(tr("runs.import_title"), anchor=False)
    names = {f: tr(f"runs.imp_{f}") for f in IMPORTS}
    with st.form("runs_import", clear_on_submit=True):
        fmt = st.selectbox(tr("runs.import_fmt"), list(names), format_func=names.__getitem__, key="runs_import_fmt")
        vectors = st.file_uploader(tr("runs.vectors_file"), type=VECTOR_TYPES, key="runs_import_vectors")
        meta = st.file_uploader(tr("runs.meta_file"), type=META_TYPES, key="runs_import_meta",
                                help=tr("runs.meta_help"))
        name = st.text_input(tr("runs.import_name"), max_chars=manage.MAX_NAME_CHARS, key="runs_import_name")
        pressed = st.form_submit_button(tr("runs.import_btn"), type="primary", icon=":material/upload:")
    if st.session_state.get("runs_import_error"):
        st.error(md(st.session_state["runs_import_error"]), icon=":material/warning:")
    if not pressed:
        return
    if vectors is None:
        st.session_state["runs_import_error"] = tr("runs.import_need_file")
        st.rerun()
    shown = {}  # stored path -> the name the user knows, for error messages
    try:
        path = workspaces.save_upload(vectors.getvalue(), Path(vectors.name).suffix)
        shown[str(path)] = vectors.name
        meta_path = None
        if meta is not None:
            meta_path = workspaces.save_upload(meta.getvalue(), Path(meta.name).suffix)
            shown[str(meta_path)] = meta.name
        title = manage.clean_name(name.strip() or vectors.name[: manage.MAX_NAME_CHARS])
        out = workspaces.run_path(workspace(), workspaces.new_run_id())
        formats.import_run(path, out, fmt, meta_path)
        manage.rename_run(out, title)
        run = run_at(out)
        flash(tr("runs.imported", name=md(title), n=len(run.tokens), dim=int(run.vectors.shape[1])))
        st.session_state["runs_import_error"] = ""
    except ExplorerError as exc:
        message = str(exc)
        for stored, original in shown.items():
            message = message.replace(stored, original)
        st.session_state["runs_import_error"] = message
    st.rerun()


def import_section() -> None:
    import_vectors_ui()
    upload_zip_ui()


# --------------------------------------------------------------------------- page

st.title(tr("runs.title"), anchor=False)
st.caption(tr("runs.intro"))
if message := st.session_state.pop("runs_flash", None):
    st.success(message, icon=":material/check_circle:")
section = st.segmented_control(tr("runs.section"), ["list", "compare", "import"], default="list", required=True,
                               format_func=lambda s: tr(f"runs.sec_{s}"), key="runs_section")
{"list": list_section, "compare": compare_section, "import": import_section}[section or "list"]()
