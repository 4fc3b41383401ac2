"""Bring your own data, in the app: real-world log formats uploaded as they are, title/category
columns guessed and changeable, refusals said beside the control in the UI's language, the data
choice kept in the URL across a reload, and Train refusing data the Data page flagged."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explorer import jobs
from explorer.jobs import workspaces
from tests.support import log_lookalikes as lookalikes
from tests.support.page_runs import tiny_useritem_run, workspace_with
from tests.support.pages import ROOT, TIMEOUT, app, no_worker, set_lang, texts  # noqa: F401  (no_worker: autouse)
from tests.support.runs import new_run_path

pytestmark = pytest.mark.slow  # AppTests of the whole app: seconds each

def _log_page(ws: str, lang: str = "en") -> AppTest:
    at = app("pages/data.py", ws=ws)
    at.button_group(key="data_kind_en").set_value("log").run()
    if lang != "en":  # (AppTest sets a segmented control reliably in the first language only)
        set_lang(at, lang)
    return at


def _upload(at: AppTest, index: int, path: Path) -> None:
    at.get("file_uploader")[index].upload(path.name, path.read_bytes()).run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("fmt", ["recbole", "ml-100k"])
def test_recbole_and_movielens_files_upload_as_they_are_and_train_with_titles(tmp_path: Path, fmt: str) -> None:
    log, items, _ = lookalikes.FORMATS[fmt](tmp_path)
    ws = workspaces.new_token()
    at = _log_page(ws)
    _upload(at, 0, log)
    assert not at.error, [e.value for e in at.error]
    mapping = {s.label: s.value for s in at.selectbox}
    assert (mapping["user"], mapping["item"]) == (("user_id", "item_id") if fmt == "recbole" else ("1", "2"))
    _upload(at, 1, items)
    assert not at.error, [e.value for e in at.error]
    boxes = {s.label: s.value for s in at.selectbox}
    expected = ("movie_title", "class") if fmt == "recbole" else ("title", "genre")
    assert (boxes["Title column"], boxes["Category (genre) column"]) == expected
    next(s for s in at.selectbox if s.label == "Title column").set_value(expected[0]).run()  # shown, changeable
    at.switch_page("pages/train.py").run()
    assert at.button_group(key="train_kind_en").value == "useritem"
    at.number_input(key="UserItemConfig_epochs").set_value(1)
    at.button[-1].click()
    at.run()
    (job,) = jobs.list_jobs(ws)
    assert job.spec["data"]["title_col"] == expected[0] and job.spec["data"]["category_col"] == expected[1]
    assert job.spec["data"]["items_name"] == items.name


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_refused_file_type_is_said_beside_the_control_in_the_ui_language(lang: str) -> None:
    at = _log_page(workspaces.new_token(), lang)
    at.get("file_uploader")[0].upload("photo.png", b"\x89PNG....").run()
    assert not at.exception
    (error,) = [e.value for e in at.error]
    assert ".png" in error and ".inter" in error
    assert ("不接受" in error) if lang == "zh" else ("not accepted" in error)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_log_errors_are_translated_and_never_name_a_flag(tmp_path: Path, lang: str) -> None:
    at = _log_page(workspaces.new_token(), lang)
    at.get("file_uploader")[0].upload("who.csv", b"who,what\na,b\nc,d\n").run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert errors.startswith("who.csv") and "--" not in errors
    assert ("找不到用户列" in errors) if lang == "zh" else ("Choose it in the column mapping" in errors)


def test_a_reload_keeps_the_data_choice_and_train_refuses_flagged_data(tmp_path: Path) -> None:
    log, _, _ = lookalikes.movielens_1m(tmp_path)
    ws = workspaces.new_token()
    at = _log_page(ws)
    _upload(at, 0, log)
    key = at.query_params["data"]
    key = key[0] if isinstance(key, list) else key
    assert key.startswith("log-")
    # a reload: a new session with only the URL
    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    again.query_params["ws"], again.query_params["data"] = ws, key
    again.run()
    again.switch_page("pages/data.py").run()
    assert not again.exception
    assert "Current data: ratings.dat" in texts(again)
    again.switch_page("pages/train.py").run()
    assert again.button_group(key="train_kind_en").value == "useritem"
    assert "Data: ratings.dat" in texts(again) and "bundled sample" not in texts(again)
    # a wrong mapping on the Data page: Train refuses it, with the reason, in both languages
    again.switch_page("pages/data.py").run()
    next(n for n in again.number_input if n.label == "Keep ratings ≥").set_value(10.0).run()  # no rows left
    assert "no rows have a rating of at least 10" in " ".join(e.value for e in again.error)
    again.switch_page("pages/train.py").run()
    refusal = " ".join(e.value for e in again.error)
    assert "cannot be trained on" in refusal and "ratings.dat" in refusal and "at least 10" in refusal
    assert not any(b.label == "Train" for b in again.button)
    set_lang(again, "zh")
    assert "无法用于训练" in " ".join(e.value for e in again.error)
    assert jobs.list_jobs(ws) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_score_from_under_half_of_a_file_is_not_left_alone(lang: str) -> None:
    token, _ = workspace_with("skipgram")
    at = app("pages/evaluate.py", ws=token)
    body = "word1,word2,score\ncat,dog,9\ncat,car,1\napple,pear,8\n" + "".join(
        f"unknown{i},other{i},5\n" for i in range(9))  # 3 of 12 pairs in the vocabulary
    at.file_uploader[0].upload("wordsim.csv", body.encode("utf-8")).run()
    if lang == "zh":
        set_lang(at, "zh")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert ("12 个中只有 3 个在词表中" in warnings) if lang == "zh" else ("Only 3 of 12 are in the vocabulary" in warnings)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_explore_colours_by_genre_and_finds_items_by_any_genre_and_by_title(lang: str) -> None:
    import json

    ws = workspaces.new_token()
    tiny_useritem_run(new_run_path(ws))  # i4 is "Drama|Comedy"
    at = app("pages/explore.py", ws=ws, lang=lang)
    genre = "genre (the first of several)" if lang == "en" else "类型（有多个时取第一个）"
    assert at.selectbox(key=f"ex_colour_useritem_False_{lang}").options[0] == genre  # the default colouring
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["legend"]["title"]["text"] == genre
    by_name = {t["name"]: t.get("hovertext") for t in spec["data"] if t.get("name")}
    assert "Item Four" in by_name["Drama" if lang == "en" else "剧情"]  # first genre colours (a known genre translated)
    if lang != "en":  # (AppTest cannot rerun translated select boxes after a language switch; the search is en)
        return
    search = at.text_input(key=f"ex_search_{lang}")
    search.set_value("comedy").run()  # any genre, case-insensitive: Item Two (Comedy) and Item Four (Drama|Comedy)
    assert not at.exception
    listed = at.table[0].value.iloc[:, 0].tolist()
    assert set(listed) == {"Item Two", "Item Four"}
    assert "2 items of the genre" in texts(at)
    search.set_value("Item Three").run()  # a title
    assert not at.exception and "Item Three" in texts(at)
