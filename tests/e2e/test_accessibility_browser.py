"""Accessibility (issue 11; GB/T 37668 asks it of public-service sites): every page a browser test visits is
checked with axe-core against WCAG 2.0/2.1 A and AA by the fixtures of conftest.py. Here each role opens the
pages the issue names, at 1366×900 and on a 390×844 phone, so they are checked even when no other test visits
them; and the check itself is shown to catch a violation, also on a page left at once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, checked_context, finish_context
from tests.e2e.test_applications_browser import log_in

pytestmark = pytest.mark.browser

SIZES = ["page", "phone_page"]

# Who sees which page: (account or None for a visitor, the pages). The first page is where the log-in leads.
ROLE_PAGES = {
    "visitor": (None, ["/", "/?q=nurse", "/programmes/zj-fr-grenoble/", "/alliance/", "/accounts/login/"]),
    "applicant": ("applicant", ["/me/", "/me/profile/"]),
    "unit": ("unit-zju1", ["/me/", "/unit/applications/", "/agreements/"]),
    "commission": ("commission", ["/me/", "/agreements/", "/pairings/checks/", "/pairings/years/", "/alliance/"]),
    "alliance": ("alliance", ["/me/", "/alliance/", "/alliance/manage/"]),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ROLE_PAGES)
def test_the_pages_of_each_role_have_no_wcag_violation(server_url, request, role, size):
    page = request.getfixturevalue(size)
    account, paths = ROLE_PAGES[role]
    if account:
        log_in(page, server_url, account, paths[0])
    for path in paths[bool(account) :]:
        response = page.goto(server_url + path)
        assert (path, response.status) == (path, 200)
        expect(page.locator("h1").first).to_be_visible()
    # The checks themselves run in the fixtures (on load, after HTMX swaps, at the end): here, that each page had one.
    expected = [f"{path} (on load)" for path in ([f"/accounts/login/?next={paths[0]}"] if account else []) + paths]
    for _wait in range(50):  # the last result may still be on its way to Python
        if len(page.context.axe.checked) >= len(expected):
            break
        page.wait_for_timeout(100)
    assert page.context.axe.checked == expected


BROKEN_PAGE = (
    "<!doctype html><p style='color: #bbb'>Faint text</p><p><img src='data:,'></p>"
    "<a id='away' href='/accounts/login/'>Log in</a>"
)


def test_the_check_fails_a_test_on_a_violation_even_on_a_page_left_at_once(browser, server_url):
    context = checked_context(browser, "self-test", viewport=DESKTOP, locale="en")
    page = context.new_page()
    page.route("**/axe-self-test/*", lambda route: route.fulfill(content_type="text/html", body=BROKEN_PAGE))
    # Left at once by a click (the page's own navigation) and by `goto` (the browser's).
    page.goto(f"{server_url}/axe-self-test/?left=by-a-click")
    page.locator("#away").click()
    expect(page).to_have_url(f"{server_url}/accounts/login/")
    page.goto(f"{server_url}/axe-self-test/?left=by-goto")
    page.goto(f"{server_url}/accounts/login/")
    with pytest.raises(pytest.fail.Exception) as failure:
        finish_context(context)
    found = sorted({(path, rule) for path, rule, _targets in context.axe.violations})
    assert found == [
        (f"/axe-self-test/?left={how}", rule)
        for how in ("by-a-click", "by-goto")
        for rule in ("color-contrast", "document-title", "html-has-lang", "image-alt")
    ]
    message = str(failure.value)
    assert message.startswith("axe-core found WCAG 2 A/AA violations in the self-test browser (4):\n")
    entry = message[message.index("- image-alt") :].splitlines()
    assert entry[0].startswith("- image-alt [critical] Images must have alternative text (https://")
    assert entry[1] == "    elements: img"
    assert next(line for line in entry if "pages:" in line) == (
        "    pages: /axe-self-test/?left=by-a-click (on load), /axe-self-test/?left=by-goto (on load)"
    )
