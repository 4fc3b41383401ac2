"""Bring your own data in a real browser: upload MovieLens 1M look-alike files as they are
(``ratings.dat`` + ``movies.dat``, Latin-1, ``::``), with no renaming and no column mapping; a
reload keeps the Data choice (it is in the URL); train; the recommendations name titles.

Screenshots: tests/artifacts/byod-*.png (look at them).
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.support import log_lookalikes as lookalikes
from tests.support.browser import button, idle, no_exceptions, open_page, shot

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(420)]
UPLOAD = '[data-testid="stFileUploaderDropzoneInput"]'


def test_upload_movielens_as_downloaded_train_and_see_titles(server, page, tmp_path: Path) -> None:
    ratings, movies, truth = lookalikes.movielens_1m(tmp_path)
    titles = {t for t, _ in truth.values()}
    token = secrets.token_urlsafe(16)
    page.set_viewport_size({"width": 1400, "height": 1600})
    page.goto(f"{server.url}/data?ws={token}")
    page.get_by_text("What kind of data?").wait_for(timeout=60_000)
    page.get_by_role("radio", name="Interaction log (recommender)").click()
    page.get_by_text(re.compile("^Upload an interaction log")).wait_for()
    idle(page)

    # a refused type is said beside the control, in words (not only in a tooltip)
    bad = tmp_path / "photo.png"
    bad.write_bytes(b"\x89PNG\r\n")
    page.locator(UPLOAD).first.set_input_files(str(bad))
    page.get_by_text(re.compile(r"Files of type \.png are not accepted")).wait_for()
    idle(page)  # the run that said so has ended: the next file is not set on an uploader about to be redrawn

    page.locator(UPLOAD).first.set_input_files(str(ratings))
    page.get_by_text("Current data: ratings.dat").wait_for(timeout=60_000)
    idle(page)
    for attempt in range(3):  # a file set while Streamlit replaces the uploader in a rerun can be dropped: set it again
        page.locator(UPLOAD).nth(1).set_input_files(str(movies))
        try:
            page.get_by_text("Title column").wait_for(timeout=30_000)
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            idle(page)
    idle(page)
    no_exceptions(page)
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    shot(page, "byod-data")

    # a reload keeps the data choice (?data= in the URL)
    assert "data=log-" in page.url
    page.reload()
    page.get_by_text("Current data: ratings.dat").wait_for(timeout=60_000)
    page.get_by_text("Title column").wait_for()
    idle(page)
    shot(page, "byod-data-reload")

    open_page(page, "Train")
    page.get_by_text("Data: ratings.dat").wait_for()
    page.locator('[data-testid="stFormSubmitButton"] button').click()
    page.get_by_text(re.compile(r"Finished in [0-9.]+ s")).wait_for(timeout=300_000)
    idle(page)
    no_exceptions(page)
    button(page, "Open in Explore").click()
    page.get_by_text("Recommendations for a user").wait_for(timeout=60_000)
    page.locator('[data-testid="stTable"]').filter(has_text="because you liked").wait_for(timeout=60_000)
    idle(page)
    shot(page, "byod-explore")
    tables = page.locator('[data-testid="stTable"]')
    shown = " ".join(tables.nth(i).inner_text() for i in range(tables.count()))
    named = [t for t in titles if t in shown]
    assert len(named) >= 2, shown  # recommendations and "because you liked" name titles, not ids
    no_exceptions(page)
