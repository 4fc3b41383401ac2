"""Class boundaries, table-driven: every entry point that touches a run x every role -> allowed or refused.

The world: class A (teacher, students Ann and Cy), class B (teacher, student Dan), a workspace in no class
(Zed), another one that published to the open gallery (Opal), and the bundled samples' workspace. Runs:

    ann-private     Ann's own run, not published
    ann-published   Ann's run, published in class A's gallery by the teacher
    dan-published   Dan's run, published by Dan himself from the Runs page (class B's gallery)
    opal-open       Opal's run in the open gallery
    sample-run      a bundled sample's run (every workspace sees it)

Roles (the columns): owner (Ann), classmate (Cy), student of another class (Dan), teacher of the class,
teacher of another class, no class (Zed). A new page or kind is covered by adding a row to ``ROWS`` (a
function ``(world, role, target) -> allowed``) or ``PAGES``; every refusal counts as a hostile case
(bench/results_hostile.md).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer import jobs
from explorer.cli import main
from explorer.commands.jobs import fingerprint
from explorer.errors import ExplorerError
from explorer.i18n import t
from explorer.jobs import classes, visibility, workspaces
from explorer.markup import WORD_JOINER, md
from tests.hostile.cases import RUNS

pytestmark = pytest.mark.slow  # the hostile-input suite: a table of roles x entry points, AppTests among them

ROOT = Path(__file__).resolve().parents[2]
ROLES = ("owner", "classmate", "other_student", "teacher", "other_teacher", "no_class")
TARGETS = ("ann-private", "ann-published", "dan-published", "opal-open", "sample-run")

# who may see what (may_see, the run picker, projection jobs): the rule of explorer/jobs/visibility.py
SEES = {
    "owner": {"ann-private", "ann-published", "sample-run"},
    "classmate": {"ann-published", "sample-run"},
    "other_student": {"dan-published", "sample-run"},
    "teacher": {"ann-private", "ann-published", "sample-run"},
    "other_teacher": {"dan-published", "sample-run"},
    "no_class": {"opal-open", "sample-run"},
}
# what a gallery listing shows (Gallery page, the Runs page's gallery): the class's gallery; outside a
# class the open gallery with the samples
GALLERY = {role: (seen - {"ann-private", "sample-run"}) | ({"sample-run"} if role == "no_class" else set())
           for role, seen in SEES.items()}
# the Runs page: the workspace's own runs (with their names) and the gallery it sees
RUNS_PAGE = {role: GALLERY[role] | ({"ann-private", "ann-published"} if role == "owner" else set()) for role in ROLES}


@dataclass
class World:
    home: Path
    roles: dict[str, str]  # role -> workspace token
    teacher_tokens: dict[str, str]  # role -> teacher token (teachers only)
    targets: dict[str, Path]  # target -> the run folder a viewer would open
    ann_job: str


def _plant(token: str, name: str) -> Path:
    run = workspaces.runs_dir(token) / workspaces.new_run_id()
    shutil.copytree(RUNS / "sg", run)
    config = json.loads((run / "config.json").read_text(encoding="utf-8"))
    config["name"] = name
    (run / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return run


def build_world(home: Path) -> World:
    os.environ["EXPLORER_HOME"] = str(home)
    a, b = classes.create_class("A"), classes.create_class("B")
    ann, cy, dan = classes.join(a.code, "Ann"), classes.join(a.code, "Cy"), classes.join(b.code, "Dan")
    zed, opal, samples = workspaces.new_token(), workspaces.new_token(), workspaces.new_token()
    (home / "samples").mkdir(exist_ok=True)
    (home / "samples" / "state.json").write_text(json.dumps({"workspace": samples}), encoding="utf-8")
    private = _plant(ann.workspace, "ann-private")
    published = _plant(ann.workspace, "ann-published")
    classes.publish(a.teacher_token, ann.workspace, published.name, "by the teacher")
    dans = _plant(dan.workspace, "dan-published")
    workspaces.publish(dan.workspace, dans.name)  # the student's own button on the Runs page
    opals = _plant(opal, "opal-open")
    workspaces.publish(opal, opals.name)
    sample = _plant(samples, "sample-run")
    workspaces.publish(samples, sample.name)
    gallery = workspaces.gallery_dir()
    corpus = home / "ann.txt"
    corpus.write_text("a b c\n", encoding="utf-8")
    job = jobs.submit({"kind": "skipgram", "name": "ann's", "data": {"corpus": str(corpus)}}, ann.workspace)
    return World(home,
                 {"owner": ann.workspace, "classmate": cy.workspace, "other_student": dan.workspace,
                  "teacher": a.teacher_ws, "other_teacher": b.teacher_ws, "no_class": zed},
                 {"teacher": a.teacher_token, "other_teacher": b.teacher_token},
                 {"ann-private": private, "ann-published": gallery / published.name,
                  "dan-published": gallery / dans.name, "opal-open": gallery / opals.name,
                  "sample-run": gallery / sample.name}, job)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    old = os.environ.get("EXPLORER_HOME")
    try:
        return build_world(tmp_path_factory.mktemp("classworld"))
    finally:
        if old is not None:
            os.environ["EXPLORER_HOME"] = old


@pytest.fixture
def in_world(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("EXPLORER_HOME", str(world.home))
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    return world


# --------------------------------------------------------------------------- rows: functions


def _may_see(w: World, role: str, target: str) -> bool:
    return visibility.may_see(w.roles[role], w.targets[target])


def _listed(w: World, role: str, target: str) -> bool:
    return w.targets[target].resolve() in {v.path for v in visibility.visible_runs(w.roles[role])}


def _projection_job(w: World, role: str, target: str) -> bool:
    try:
        job = jobs.submit_projection(str(w.targets[target]), "pca", 2, {"seed": 3}, w.roles[role])
    except ExplorerError as exc:
        assert exc.code == "run_not_allowed" and w.roles[role] not in str(exc), exc
        return False
    assert jobs.get(job, w.roles[role]) is not None
    return True


def _projection_by_relative_path(w: World, role: str, target: str) -> bool:
    """The same run named through ``..`` from the workspace's own runs folder."""
    sneaky = workspaces.runs_dir(w.roles[role]) / ".." / ".." / ".." / os.path.relpath(w.targets[target], w.home)
    try:
        jobs.submit_projection(str(sneaky), "pca", 2, {"seed": 4}, w.roles[role])
    except ExplorerError:
        return False
    return True


def _gallery_listing(w: World, role: str, target: str) -> bool:
    return w.targets[target].resolve() in {Path(e.path).resolve() for e in visibility.gallery_entries(w.roles[role])}


ROWS: dict[str, tuple[Callable[[World, str, str], bool], dict[str, set[str]]]] = {
    "may_see": (_may_see, SEES),
    "visible_runs (run picker, compare, lesson player)": (_listed, SEES),
    "submit_projection (job API)": (_projection_job, SEES),
    "submit_projection through ..": (_projection_by_relative_path, SEES),
    "gallery_entries (Gallery page, Runs page gallery)": (_gallery_listing, GALLERY),
}
CELLS = [(row, role, target) for row in ROWS for role in ROLES for target in TARGETS]


@pytest.mark.parametrize(("row", "role", "target"), CELLS, ids=[f"{r.split()[0]}-{o}-{t}" for r, o, t in CELLS])
def test_entry_point_by_role(in_world: World, row: str, role: str, target: str) -> None:
    check, expected = ROWS[row]
    assert check(in_world, role, target) == (target in expected[role]), (row, role, target)


# --------------------------------------------------------------------------- rows: the command line

@pytest.mark.parametrize("role", ROLES)
def test_cli_status_of_the_owners_job(in_world: World, role: str, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture) -> None:
    """``status`` of Ann's job: her own command line and her teacher read it; nobody else, and the teacher
    never sees her token."""
    monkeypatch.setenv("EXPLORER_WORKSPACE", in_world.roles[role])
    code = main(["status", in_world.ann_job])
    out, err = capsys.readouterr()
    allowed = role in ("owner", "teacher")
    assert code == (0 if allowed else 2), err
    if allowed:
        assert json.loads(out)["workspace"] == fingerprint(in_world.roles["owner"])
        if role == "teacher":
            assert in_world.roles["owner"] not in out
    else:
        assert out == "" and err.startswith("error: ") and len(err.splitlines()) == 1


MODERATION = [(role, target) for role in ROLES for target in ("ann-published", "dan-published")]


@pytest.mark.parametrize(("role", "target"), MODERATION, ids=[f"{r}-{t}" for r, t in MODERATION])
def test_cli_withdraw_by_role(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
                              role: str, target: str) -> None:
    """Only the teacher of the class whose gallery shows the run withdraws it, whoever published it; a
    student's workspace token is no teacher token."""
    w = build_world(tmp_path / "home")
    monkeypatch.setenv("EXPLORER_HOME", str(w.home))
    token = w.teacher_tokens.get(role, w.roles[role])
    run_id = w.targets[target].name
    code = main(["class", "withdraw", run_id, "--teacher", token])
    out, err = capsys.readouterr()
    allowed = (role, target) in (("teacher", "ann-published"), ("other_teacher", "dan-published"))
    assert code == (0 if allowed else 2), err
    assert w.targets[target].is_dir() != allowed  # withdrawn from the gallery, or untouched
    if not allowed:
        assert err.startswith("error: ") and len(err.splitlines()) == 1 and "Traceback" not in err


# --------------------------------------------------------------------------- rows: pages (AppTest)

TIMEOUT = 90


def _app(page: str, w: World, role: str, **params: str) -> AppTest:
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if role in w.teacher_tokens:
        at.query_params["teacher"] = w.teacher_tokens[role]
    else:
        at.query_params["ws"] = w.roles[role]
    for key, value in params.items():
        at.query_params[key] = value
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> str:
    """Everything a page shows as text: elements, tables, select box options."""
    parts = []
    for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "error", "success", "text"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [e.value.to_string() for e in at.dataframe]
    parts += [" | ".join(map(str, e.options)) for e in at.selectbox]
    return "\n".join(parts)


PAGES = {
    "pages/runs.py": RUNS_PAGE,  # own runs, the gallery it sees (downloads and exports only of own runs)
    "pages/gallery.py": GALLERY,
    "pages/explore.py": SEES,  # the run picker (also Clusters, Evaluate, Compare, the lesson player)
}
PAGE_CELLS = [(page, role) for page in PAGES for role in ROLES]


@pytest.mark.parametrize(("page", "role"), PAGE_CELLS, ids=[f"{Path(p).stem}-{r}" for p, r in PAGE_CELLS])
def test_page_by_role(in_world: World, page: str, role: str) -> None:
    at = _app(page, in_world, role)
    text = shown(at)
    seen = {t for t in TARGETS if t in text}
    assert seen == PAGES[page][role], (page, role, seen)
    if page == "pages/runs.py":  # rename / download / publish act only on the workspace's own runs
        manage = [s for s in at.selectbox if s.key == "runs_manage"]
        owned = {p.name for p in workspaces.runs_dir(in_world.roles[role]).iterdir()}
        assert all(str(o).rsplit(" · ", 1)[-1] in owned for s in manage for o in s.options)


@pytest.mark.parametrize("role", ROLES)
def test_a_link_to_the_owners_private_run(in_world: World, role: str) -> None:
    """``?run=<id>`` of Ann's unpublished run opens for Ann and her teacher; everyone else is refused."""
    at = _app("pages/explore.py", in_world, role, run=in_world.targets["ann-private"].name)
    refused = t("classroom.run_refused", "en") in shown(at)
    assert refused == (role not in ("owner", "teacher")), role


# --------------------------------------------------------------------------- moderation in the pages


def test_teacher_withdraws_a_self_published_run_from_the_runs_page(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    w = build_world(tmp_path / "home")
    monkeypatch.setenv("EXPLORER_HOME", str(w.home))
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    at = _app("pages/runs.py", w, "other_teacher")  # Dan (class B) published his run himself
    pick = at.selectbox(key="runs_moderate")
    assert [str(o).rsplit(" · ", 1)[-1] for o in pick.options] == [w.targets["dan-published"].name]
    at.button(key="runs_withdraw").click().run()
    assert not at.exception, at.exception
    assert not w.targets["dan-published"].exists()
    assert visibility.gallery_entries(w.roles["other_student"]) == []
    other = _app("pages/runs.py", w, "teacher")  # class A's teacher: its own gallery only
    assert [str(o).rsplit(" · ", 1)[-1] for o in other.selectbox(key="runs_moderate").options] == \
        [w.targets["ann-published"].name]
    student = _app("pages/runs.py", w, "classmate")  # a student moderates nothing
    assert not [s for s in student.selectbox if s.key == "runs_moderate"]


def test_dashboard_marks_and_withdraws_a_self_published_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    w = build_world(tmp_path / "home")
    monkeypatch.setenv("EXPLORER_HOME", str(w.home))
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["teacher"] = w.teacher_tokens["other_teacher"]
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/teacher.py").run()
    runs = at.dataframe[1].value
    published = dict(zip(runs["Run"], runs["In gallery"], strict=True))
    assert published == {"dan-published": "✓"}  # published by the student, shown to the teacher
    at.button(key="t_withdraw").click().run()
    assert not at.exception, at.exception
    assert not w.targets["dan-published"].exists()
    assert list(at.dataframe[1].value["In gallery"]) == [""]


# --------------------------------------------------------------------------- names are text, never links

# GitHub-flavoured Markdown's literal autolinks (mdast-util-gfm-autolink-literal), applied to text after
# escapes are resolved: what a Markdown element's text must never contain
_GFM_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.IGNORECASE)
_GFM_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")
_UNESCAPE = re.compile(r"\\(.)")

LINKY_NAMES = ["www.evil.example", "https://127.0.0.1:9/x", "mail me@evil.example", "WWW.EVIL.EXAMPLE/a",
               "ftp http://a.b", "<https://a.b>", "[x](https://a.b)", "a@b.co"]


@pytest.mark.parametrize("name", LINKY_NAMES)
def test_md_defeats_autolinks(name: str) -> None:
    text = _UNESCAPE.sub(r"\1", md(name))  # as the Markdown parser resolves escapes
    assert not _GFM_URL.search(text) and not _GFM_EMAIL.search(text), text
    assert text.replace(WORD_JOINER, "") == name  # the same characters, as they read


def _markdown_bodies(at: AppTest) -> list[str]:
    out = []
    for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        out += [str(e.value) for e in getattr(at, kind)]
    out += [str(b.label) for b in at.button]
    return out


@pytest.mark.parametrize("page", ["pages/gallery.py", "pages/runs.py", "pages/explore.py"])
def test_a_display_name_with_an_address_is_no_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   page: str) -> None:
    """A classmate named ``www.evil.example https://127.0.0.1:9/x``: the gallery caption, the sidebar and the
    picker show the characters; no Markdown element carries an autolink, a link or ``<a``."""
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    monkeypatch.setenv("EXPLORER_HOME", str(tmp_path))
    info = classes.create_class("www.class.example")
    name = "www.evil.example https://127.0.0.1:9/x"
    evil = classes.join(info.code, name)
    me = classes.join(info.code, "Me")
    run = _plant(evil.workspace, "http://run.example")
    workspaces.publish(evil.workspace, run.name)
    for who in (evil.workspace, me.workspace):
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
        at.query_params["ws"] = who
        at.session_state["lang"] = "en"
        at.run()
        at.switch_page(page).run()
        assert not at.exception, at.exception
        if page == "pages/gallery.py":  # the author line: the name as text (st.text: no Markdown at all)
            assert any(name in str(e.value) for e in at.text)
        for body in _markdown_bodies(at):
            text = _UNESCAPE.sub(r"\1", body)
            assert not _GFM_URL.search(text) and not _GFM_EMAIL.search(text), body
            assert "<a" not in text.lower() and "](" not in text, body


def _sidebar_line(workspace: str) -> None:
    from pages._class_ui import class_sidebar_ui

    class_sidebar_ui(workspace)


def test_the_class_line_shows_names_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sidebar's "Class: … · <name>" line is plain text (``st.text``), whatever the names hold."""
    info = classes.create_class("https://class.example")
    evil = classes.join(info.code, "www.e.example [x](https://a.b) :red[x]")
    at = AppTest.from_function(_sidebar_line, args=(evil.workspace,), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.text] == ["Class: https://class.example · www.e.example [x](https://a.b) :red[x]"]
    assert _markdown_bodies(at) == []


def test_a_removed_students_own_publication_leaves_the_gallery(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Out of the class, the owner hash of a run a student published himself maps to no class: it must not
    fall into the open gallery that every workspace outside a class sees."""
    from explorer.jobs import class_admin

    w = build_world(tmp_path / "home")
    monkeypatch.setenv("EXPLORER_HOME", str(w.home))
    class_admin.remove_student(w.teacher_tokens["other_teacher"], w.roles["other_student"])
    assert not w.targets["dan-published"].exists()
    assert not visibility.may_see(w.roles["no_class"], w.targets["dan-published"])
    assert {Path(e.path).name for e in visibility.gallery_entries(w.roles["no_class"])} == \
        {w.targets["opal-open"].name, w.targets["sample-run"].name}


@pytest.mark.parametrize("role", ROLES)
def test_a_gallery_folder_without_a_publisher_is_shown_to_nobody(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 role: str) -> None:
    """A run copied into ``gallery/`` by hand (no owner record, no class row): not the open gallery's."""
    w = build_world(tmp_path / "home")
    monkeypatch.setenv("EXPLORER_HOME", str(w.home))
    planted = workspaces.gallery_dir() / workspaces.new_run_id()
    shutil.copytree(RUNS / "sg", planted)
    ws = w.roles[role]
    assert not visibility.may_see(ws, planted)
    assert planted not in {v.path for v in visibility.visible_runs(ws)}
    with pytest.raises(ExplorerError):
        jobs.submit_projection(str(planted), "pca", 2, {}, ws)
