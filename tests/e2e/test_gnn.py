"""A graph neural network trained from the UI in a real headless Chromium: choose the bundled karate club on the
Data page, pick "Graph nodes (GCN / GAT)" on Train, train a GCN, follow the job, open the run in Explore, search a
member and embed a new member linked to two others."""

from __future__ import annotations

import re
import secrets

import pytest

from tests.support.browser import button, idle, nav, no_exceptions, shot

CHART = '[data-testid="stPlotlyChart"]'

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(300)]


def test_train_a_gcn_from_the_ui_and_open_it_in_explore(server, page) -> None:
    page.set_viewport_size({"width": 1400, "height": 1600})
    page.goto(f"{server.url}/data?ws={secrets.token_urlsafe(16)}")
    page.get_by_role("heading", name="Data").first.wait_for(timeout=120_000)
    page.get_by_role("radio", name="Graph (node vectors)").click()
    button(page, "Use this graph").click()  # the karate club, with its two factions as labels
    page.get_by_text("Nodes").first.wait_for(timeout=60_000)
    idle(page)
    no_exceptions(page)

    nav(page, "Train")
    model = "Graph nodes (GCN / GAT)"  # an option of the model choice (a segmented control)
    page.get_by_role("radio", name=model).or_(page.get_by_role("button", name=model)).first.click()
    page.get_by_label("Labels used for training").first.wait_for(timeout=60_000)
    idle(page)
    assert page.get_by_text("Data: karate_edges.tsv").count() == 1
    page.locator('[data-testid="stFormSubmitButton"] button').click()
    page.get_by_text(re.compile(r"Finished in [0-9.]+ s")).wait_for(timeout=180_000)
    idle(page)
    no_exceptions(page)
    shot(page, "train-gnn")

    button(page, "Open in Explore").click()
    page.locator(f"{CHART} .main-svg").first.wait_for(timeout=60_000)
    idle(page)
    shot(page, "explore-gnn")
    search = page.get_by_label(re.compile(r"^Search")).first
    search.fill("33")  # the club's instructor, a hub of his faction
    search.press("Enter")
    page.get_by_text(re.compile(r"nearest neighbours of\s*33")).first.wait_for(timeout=60_000)
    idle(page)
    no_exceptions(page)
    shot(page, "explore-gnn-search")

    # the inductive step: a node that was not in training, linked to members 0 and 33, placed by the encoder
    page.get_by_text("Embed a new node").scroll_into_view_if_needed()
    picker = page.get_by_label("Linked to")  # the multiselect's input
    for linked, node in enumerate(("0", "33"), start=1):
        picker.click()
        picker.fill(node)
        page.get_by_role("option", name=node, exact=True).click()
        # the choice's rerun has drawn its answer (an idle page alone could be the one before that rerun began, and
        # the next node typed into a picker the rerun redraws)
        page.get_by_text(f"The 10 nodes nearest to a new node linked to {linked} node(s)").wait_for(timeout=60_000)
        idle(page)
    page.keyboard.press("Escape")  # close the picker's list
    idle(page)
    no_exceptions(page)
    shot(page, "explore-gnn-new-node")
