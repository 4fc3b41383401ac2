"""Runs page, "Import / upload": vectors trained elsewhere, and run zips downloaded from the Runs page."""

from pathlib import Path

import streamlit as st

from explorer.errors import ExplorerError
from explorer.i18n import error_text
from explorer.jobs import workspaces
from explorer.runs import formats, manage
from pages._runs_list_ui import flash
from pages._safe_ui import md
from pages._widgets import lang, run_at, tr, uploader_note, workspace

IMPORTS = ("auto", *formats.FORMATS)



VECTOR_TYPES = ["txt", "vec", "bin", "tsv", "npy"]



META_TYPES = ["tsv", "csv", "txt"]



def upload_zip_ui() -> None:
    st.subheader(tr("runs.upload_zip_title"), anchor=False)
    gen = st.session_state.get("runs_zip_gen", 0)
    mb = workspaces.max_upload_bytes() // 2**20
    upload = st.file_uploader(tr("runs.upload_zip"), type=["zip"], key=f"runs_zip_upload_{gen}",
                              help=tr("runs.upload_zip_help", mb=mb))
    uploader_note()
    if st.session_state.get("runs_zip_error"):
        st.error(md(st.session_state["runs_zip_error"]), icon=":material/warning:")
    if upload is None:
        return
    path: Path | None = None
    try:  # bytes go to disk at once; the uploader is reset so that they are not kept in memory
        path = workspaces.save_upload(upload.getvalue(), ".zip")
        out = workspaces.run_path(workspace(), workspaces.new_run_id())
        run = run_at(manage.unpack_run_zip(path, out, workspaces.max_upload_bytes()))
        flash(tr("runs.uploaded", name=md(run.name)))
        st.session_state["runs_zip_error"] = ""
    except ExplorerError as exc:
        st.session_state["runs_zip_error"] = upload_error(upload.name, path, exc, lang())
    st.session_state["runs_zip_gen"] = gen + 1
    st.rerun()



def upload_error(name: str, stored: Path | None, exc: ExplorerError, lang_: str) -> str:
    """A refused upload's one line in the UI's language (plain text): the stored copy's name replaced by the user's
    file name, which the line starts with."""
    text = error_text(exc, lang_)
    if stored is not None:
        text = text.replace(str(stored), name).replace(stored.name, name)
    return text if text.startswith(name) else f"{name}: {text}"


def import_vectors_ui() -> None:
    """Vectors trained elsewhere become a new run (kind "imported"); problems appear under the form."""
    st.subheader(tr("runs.import_title"), anchor=False)
    names = {f: tr(f"runs.imp_{f}") for f in IMPORTS}
    with st.form("runs_import", clear_on_submit=True):
        fmt = st.selectbox(tr("runs.import_fmt"), list(names), format_func=names.__getitem__, key="runs_import_fmt")
        vectors = st.file_uploader(tr("runs.vectors_file"), type=VECTOR_TYPES, key="runs_import_vectors")
        meta = st.file_uploader(tr("runs.meta_file"), type=META_TYPES, key="runs_import_meta",
                                help=tr("runs.meta_help"))
        uploader_note()
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
        message = error_text(exc, lang())  # in the UI's language; escaped where it is shown
        for stored, original in shown.items():
            message = message.replace(stored, original)
        st.session_state["runs_import_error"] = message
    st.rerun()



def import_section() -> None:
    import_vectors_ui()
    upload_zip_ui()
