"""Evaluate page, word runs: word-pair similarity, analogies and odd-one-out on the user's files or the examples."""

from pathlib import Path

import pandas as pd
import streamlit as st

from explorer.analysis import eval_examples, metrics
from explorer.errors import ExplorerError
from explorer.figures import charts
from explorer.i18n import value_text
from explorer.runs import Run
from explorer.samples import eval_sets
from pages._data_ui import save_checked, uploader
from pages._safe_ui import md
from pages._widgets import lang, run_at, show_error, tr

LOW_COVERAGE = 0.5  # below this share of a file's questions in the vocabulary, a score needs a warning
MAX_DETAILS = 2000  # analogy questions listed one by one


@st.cache_data(max_entries=32, show_spinner=False)
def similarity_result(run_path: str, stamp_: str, upload: str) -> dict:
    return metrics.word_similarity(run_at(Path(run_path)), Path(upload))



@st.cache_data(max_entries=32, show_spinner=False)
def analogy_result(run_path: str, stamp_: str, upload: str) -> dict:
    return metrics.analogy_accuracy(run_at(Path(run_path)), Path(upload))



@st.cache_data(max_entries=32, show_spinner=False)
def odd_result(run_path: str, stamp_: str, questions: tuple[tuple[str, ...], ...]) -> dict:
    return metrics.odd_one_out(run_at(Path(run_path)), [list(q) for q in questions])



def html_download(fig: object, name: str, key: str) -> None:
    st.download_button(tr("evaluate.html"), data=lambda: charts.figure_html(fig, name),
                       file_name=f"{name}.html", mime="text/html", on_click="ignore", icon=":material/html:", key=key)
    st.caption(tr("evaluate.png_caption"))



def upload_ui(label: str, types: list[str], key: str) -> tuple[str, str] | None:
    """A file uploader whose bytes go to disk at once; returns (saved path, file name) or None.

    Session state keeps only the path and name; a refused file shows its error right below the control.
    """
    gen = st.session_state.get(f"{key}_gen", 0)
    upload = uploader(label, tuple(types), f"{key}_{gen}")
    if upload is not None:
        try:
            path = save_checked(upload, tuple(types))
            st.session_state[key] = (str(path), upload.name)
            st.session_state[f"{key}_error"] = None
        except ExplorerError as exc:
            st.session_state[f"{key}_error"] = exc
        st.session_state[f"{key}_gen"] = gen + 1
        st.rerun()
    if st.session_state.get(f"{key}_error"):
        show_error(st.session_state[f"{key}_error"])
        return None
    saved = st.session_state.get(key)
    if saved:
        st.caption(f":material/description: {md(saved[1])}")
    return saved



def file_error(exc: ExplorerError, saved: tuple[str, str]) -> None:
    """An error about an uploaded file, naming the file as the user called it (not its stored name)."""
    path, name = saved
    show_error(exc, files={path: name})



def pct(value: object) -> str:
    return "–" if value is None else f"{value:.1%}"



def coverage_metric(col: st.delta_generator.DeltaGenerator, res: dict) -> None:
    col.metric(tr("evaluate.coverage"), pct(res["coverage"]) if res["n_total"] else "–")
    col.caption(tr("evaluate.found", found=res["n_found"], total=res["n_total"]) + " · " + tr("evaluate.coverage_help"))


def low_coverage_ui(res: dict) -> None:
    """A score from fewer than half of a file's pairs or questions must not stand alone."""
    if res["n_total"] and res["coverage"] < LOW_COVERAGE:
        st.warning(tr("evaluate.low_coverage", found=res["n_found"], total=res["n_total"], share=pct(res["coverage"])),
                   icon=":material/warning:")



def example_pairs_ui(run: Run) -> None:
    """A small word-pairs file built from the run's category labels (only when the run has them)."""
    text = eval_examples.example_pairs(run.labels, run.tokens) if run.labels else ""
    if text:
        st.download_button(tr("evaluate.example_pairs"), data=text.encode("utf-8"), file_name="example-pairs.txt",
                           mime="text/plain", on_click="ignore", icon=":material/description:",
                           key="eval_example_pairs", help=tr("evaluate.example_caption"))



def has_chinese(run: Run) -> bool:
    return any(eval_examples.script(t) == "zh" for t in run.tokens[:5000])


def bundled_set_ui(run: Run, key: str, path: Path, name: str) -> None:
    """A button that takes a bundled public Chinese set instead of an upload (only for runs with Chinese words)."""
    if not has_chinese(run):
        return
    if st.button(tr(f"evaluate.use_{key}"), key=f"{key}_bundled", icon=":material/inventory_2:",
                 help=tr(f"evaluate.use_{key}_help")):
        st.session_state[key] = (str(path), name)
        st.session_state[f"{key}_error"] = None
        st.rerun()


def similarity_ui(run: Run) -> None:
    st.markdown(tr("evaluate.sim_explain"))
    example_pairs_ui(run)
    bundled_set_ui(run, "eval_pairs", eval_sets.word_pairs_zh(), "COS960")
    saved = upload_ui(tr("evaluate.sim_upload"), ["txt", "csv", "tsv"], "eval_pairs")
    if saved is None:
        return
    try:
        res = similarity_result(str(run.path), run.stamp, saved[0])
    except ExplorerError as exc:
        file_error(exc, saved)
        return
    left, right = st.columns(2)
    left.metric(tr("evaluate.spearman"), "–" if res["spearman"] is None else f"{res['spearman']:.3f}")
    left.caption(tr("evaluate.spearman_help"))
    coverage_metric(right, res)
    low_coverage_ui(res)
    if res["spearman"] is None:
        st.warning(tr("evaluate.too_few"), icon=":material/warning:")
    if len(res["pairs"]):
        table = res["pairs"].rename(columns={"word1": tr("evaluate.col_word1"), "word2": tr("evaluate.col_word2"),
                                             "score": tr("evaluate.col_score"),
                                             "similarity": tr("evaluate.col_similarity")})
        st.dataframe(table.round(3), hide_index=True, height=260)



def analogy_ui(run: Run) -> None:
    st.markdown(tr("evaluate.analogy_explain"))
    bundled_set_ui(run, "eval_analogy", eval_sets.analogies_zh(), "CA8")
    saved = upload_ui(tr("evaluate.analogy_upload"), ["txt"], "eval_analogy")
    if saved is None:
        return
    try:
        res = analogy_result(str(run.path), run.stamp, saved[0])
    except ExplorerError as exc:
        file_error(exc, saved)
        return
    left, right = st.columns(2)
    left.metric(tr("evaluate.accuracy"), pct(res["accuracy"]))
    left.caption(tr("evaluate.accuracy_help"))
    coverage_metric(right, res)
    low_coverage_ui(res)
    rows = [{tr("evaluate.col_section"): value_text("section", s["section"], lang()), tr("evaluate.col_accuracy"): s["accuracy"],
             tr("evaluate.col_correct"): s["correct"], tr("evaluate.col_answered"): s["n_found"],
             tr("evaluate.col_total"): s["n_total"], tr("evaluate.col_coverage"): s["coverage"]}
            for s in res["sections"]]
    st.dataframe(pd.DataFrame(rows), hide_index=True, column_config={
        tr("evaluate.col_accuracy"): st.column_config.NumberColumn(format="percent"),
        tr("evaluate.col_coverage"): st.column_config.NumberColumn(format="percent")})
    analogy_details_ui(res.get("details") or [])


def analogy_details_ui(details: list[dict]) -> None:
    """Every question in Explore's form ``x − y + z``, what it expects and the model's answer."""
    questions = [{tr("evaluate.col_section"): value_text("section", d["section"], lang()), tr("evaluate.col_analogy"): f"{d['x']} − {d['y']} + {d['z']}",
                  tr("evaluate.col_right_answer"): d["expected"],
                  tr("evaluate.col_answer"): d["answer"] if d["answer"] is not None else tr("evaluate.not_in_vocab"),
                  tr("evaluate.col_ok"): d["correct"]} for d in details[:MAX_DETAILS]]
    st.dataframe(pd.DataFrame(questions), hide_index=True, height=300,
                 column_config={tr("evaluate.col_ok"): st.column_config.CheckboxColumn()})
    if len(details) > MAX_DETAILS:
        st.caption(tr("evaluate.details_shown", n=MAX_DETAILS))



def odd_ui(run: Run) -> None:
    st.markdown(tr("evaluate.odd_explain"))
    example = eval_examples.example_odd_one_out(run.labels, run.tokens, n=5) if run.labels else ""
    default = example or tr(f"evaluate.odd_default_{lang()}")
    text = st.text_area(tr("evaluate.odd_input"), value=default, key=f"eval_odd_{run.run_id}_{lang()}", height=140)
    questions = tuple(tuple(w for w in line.replace(",", " ").split()) for line in text.splitlines() if line.strip())
    if not questions:
        return
    try:
        res = odd_result(str(run.path), run.stamp, questions)
    except ExplorerError as exc:
        show_error(exc)
        return
    left, right = st.columns(2)
    left.metric(tr("evaluate.accuracy"), pct(res["accuracy"]))
    left.caption(tr("evaluate.odd_accuracy_help"))
    coverage_metric(right, res)
    low_coverage_ui(res)
    rows = [{tr("evaluate.col_question"): " ".join(d["words"]), tr("evaluate.col_expected"): d["answer"],
             tr("evaluate.col_picked"): d["predicted"], tr("evaluate.col_ok"): bool(d["correct"])}
            for d in res["details"]]
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True,
                     column_config={tr("evaluate.col_ok"): st.column_config.CheckboxColumn()})



def word_tests_ui(run: Run) -> None:
    tabs = st.tabs([tr("evaluate.tab_similarity"), tr("evaluate.tab_analogy"), tr("evaluate.tab_odd")])
    for tab, ui in zip(tabs, (similarity_ui, analogy_ui, odd_ui), strict=True):
        with tab:
            ui(run)
