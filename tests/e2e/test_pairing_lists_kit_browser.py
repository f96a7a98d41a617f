"""The pairing-support and stint lists in the table kit, in a browser at 1366×900 and on a 390×844 phone: each list
draws its filters and its table (cards on the phone) without a horizontal scroll of the page; a filter by name
redraws the list in place (HTMX) and keeps the address."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shot
from tests.e2e.test_applications_browser import log_in

pytestmark = pytest.mark.browser

LISTS = [
    ("commission", "/agreements/?city=331100", "agreements"),
    ("commission", "/pairings/?city=331100", "pairings"),
    ("unit-zju1", "/unit/stints/?show=all", "stint-roster"),
    ("alliance", "/alliance/stints/", "stint-inbound"),
    ("commission", "/pairings/years/?year=2015", "annual-overview"),
]


def no_page_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert width <= 1


@pytest.mark.parametrize(("user", "path", "name"), LISTS, ids=[n for _u, _p, n in LISTS])
@pytest.mark.parametrize("size", ["page", "phone_page"])
def test_each_list_is_drawn_on_a_desktop_and_a_phone(server_url, request, user, path, name, size):
    page = request.getfixturevalue(size)
    page.set_default_timeout(60_000)
    log_in(page, server_url, user, path)
    expect(page.locator("#kit-filters")).to_be_visible()
    expect(page.locator("#kit-results table.kit-table")).to_be_attached()
    no_page_scroll(page)
    shot(page, f"kit-{name}-{'phone' if size == 'phone_page' else 'desktop'}")
    if size == "page":  # the desktop page records the console's errors
        assert page.console_errors == []


def test_the_agreements_list_filters_a_hospital_by_name_in_place(server_url, page):
    page.set_default_timeout(60_000)
    log_in(page, server_url, "commission", "/agreements/")
    page.evaluate("() => { window.__stayed = true; }")
    page.fill("input[name=hospital]", "景宁县人民医院")
    expect(page).to_have_url(re.compile(r"hospital="))
    rows = page.locator("#kit-results tr[data-pairing-id]")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("景宁县人民医院")
    assert page.evaluate("() => window.__stayed === true")
