"""Data page, text pipeline: segmenter, word forms and phrases (controls and previews).

Helpers ``*_ui()`` draw widgets and return choices; the work is done by :mod:`explorer.text.preview`,
:mod:`explorer.text.normalize` and :mod:`explorer.text.phrases`. Tokens are shown as text (tables and
code blocks), never as Markdown.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from explorer.configs import CorpusConfig, field_spec
from explorer.errors import ExplorerError
from explorer.text.preview import corpus_phrases, normalization_rows, segmentations
from explorer.text.tokenizer import segmenter_ready
from pages._widgets import choice_ui, show_error, tr


def pipeline_ui(data: dict) -> dict:
    """Segmenter, word forms, phrases; kept in ``data`` under their CorpusConfig names (the Train
    page's spec takes them from there). Returns the CorpusConfig fields chosen."""
    default = CorpusConfig()
    c1, c2, c3 = st.columns(3)
    segmenter = choice_ui(c1.selectbox, tr("data_text.segmenter"), list(field_spec(CorpusConfig, "segmenter").choices),
                          "data_segmenter", lambda v: tr(f"data_text.segmenter_{v}"),
                          help=tr("data_text.segmenter_help"))
    normalize = choice_ui(c2.selectbox, tr("data_text.normalize"), list(field_spec(CorpusConfig, "normalize").choices),
                          "data_normalize", lambda v: tr(f"data_text.normalize_{v}"),
                          help=tr("data_text.normalize_help"))
    phrases = choice_ui(c3.selectbox, tr("data_text.phrases"), [0, 1, 2], "data_phrases",
                        lambda v: tr(f"data_text.phrases_{v}"), help=tr("data_text.phrases_help"))
    chosen = {"segmenter": segmenter, "normalize": normalize, "phrases": int(phrases),
              "phrase_min_count": default.phrase_min_count, "phrase_threshold": default.phrase_threshold}
    if phrases:
        p1, p2 = st.columns(2)
        chosen["phrase_min_count"] = int(p1.number_input(
            tr("data_text.phrase_min_count"), 1, 1_000_000, int(st.session_state.get("data_phrase_min_count",
                                                                                     default.phrase_min_count)),
            help=tr("data_text.phrase_min_count_help", default=default.phrase_min_count)))
        chosen["phrase_threshold"] = float(p2.number_input(
            tr("data_text.phrase_threshold"), 0.1, 1e9, float(st.session_state.get("data_phrase_threshold",
                                                                                  default.phrase_threshold)),
            step=10.0, help=tr("data_text.phrase_threshold_help", default=default.phrase_threshold)))
        st.session_state["data_phrase_min_count"] = chosen["phrase_min_count"]
        st.session_state["data_phrase_threshold"] = chosen["phrase_threshold"]
    data.update(chosen)  # the Train page reads CorpusConfig fields from the Data page's dict by name
    return chosen


def preview_segmenter(pipeline: dict) -> str:
    """The segmenter the word-by-word preview can use now: THULAC once loaded, jieba until then."""
    return pipeline["segmenter"] if segmenter_ready(pipeline["segmenter"]) else "jieba"


@st.cache_data(max_entries=16, show_spinner=False)
def _segmentations(lines: tuple[str, ...]) -> dict[str, list[list[str]]]:
    return segmentations(list(lines))


def _wait_for_thulac_ui() -> None:
    """Poll until THULAC has loaded in the background, then rerun the page (the page never waits)."""

    @st.fragment(run_every=0.5)
    def poll() -> None:
        if segmenter_ready("thulac"):
            st.rerun()
        st.caption(tr("data_text.thulac_loading"))

    poll()


def pipeline_preview_ui(prev: dict, pipeline: dict) -> None:
    """Word forms before → after, and jieba's and THULAC's cuts of the same lines side by side."""
    if pipeline["normalize"] != "none":
        rows = normalization_rows(prev["tokens"], pipeline["normalize"])
        latin = [r for r in rows if any("a" <= ch <= "z" or "A" <= ch <= "Z" for ch in r[0])]
        st.markdown(f"**{tr('data_text.forms')}**")
        if latin:
            changed = sum(a != b for a, b in latin)
            st.caption(tr("data_text.n_changed", n=changed, total=len(latin)))
            table = pd.DataFrame(latin, columns=[tr("data_text.col_before"), tr("data_text.col_after")])
            st.dataframe(table, hide_index=True, height=min(35 * len(latin) + 38, 260), key="forms_table")
        else:
            st.caption(tr("data_text.no_english"))
    if prev["lang"] != "zh":
        return
    if pipeline["segmenter"] == "thulac" and not segmenter_ready("thulac"):
        st.caption(tr("data_text.preview_with_jieba"))
    st.markdown(f"**{tr('data_text.side_by_side')}**")
    if not prev.get("zh_lines"):
        st.caption(tr("data_text.no_chinese"))
        return
    if not segmenter_ready("thulac"):
        _wait_for_thulac_ui()
        return
    cuts = _segmentations(tuple(prev["zh_lines"]))
    left, right = st.columns(2)
    for col, seg in ((left, "jieba"), (right, "thulac")):
        col.caption(tr(f"data_text.segmenter_{seg}"))
        col.code("\n".join(" | ".join(tokens) for tokens in cuts[seg]), language=None, wrap_lines=True)


@st.cache_data(max_entries=8, show_spinner=False)
def _phrase_table(path: str, name: str, text_column: str | None, lang: str, stopwords: bool,
                  pipeline: tuple) -> tuple[int, list[dict]]:
    cfg = CorpusConfig(lang=lang, text_column=text_column, remove_stopwords=stopwords, **dict(pipeline))
    return corpus_phrases(Path(path), cfg, name=name)


def phrases_ui(data: dict, text_column: str | None, lang: str, stopwords: bool, pipeline: dict) -> None:
    """The detected phrases with their scores (after the vocabulary was counted)."""
    if not pipeline["phrases"]:
        return
    try:
        n, rows = _phrase_table(data["path"], data["name"], text_column, lang, stopwords, tuple(sorted(pipeline.items())))
    except ExplorerError as exc:
        show_error(exc)
        return
    st.markdown(f"**{tr('data_text.phrases_found', n=n)}**")
    if n > len(rows):
        st.caption(tr("data_text.best_phrases", k=len(rows)))
    if not rows:
        st.caption(tr("data_text.no_phrases"))
        return
    names = {"phrase": tr("data_text.col_phrase"), "score": tr("data_text.col_score"),
             "count": tr("data_text.col_count"), "pass": tr("data_text.col_pass")}
    st.dataframe(pd.DataFrame(rows).rename(columns=names), hide_index=True, height=260, key="phrases_table")
