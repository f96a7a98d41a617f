"""Issue 11, the public catalogue: a visitor finds the nurses' programmes in either language, reads "not stated
in the policy" where a document gives no figure, reads English pages without Chinese, and reads the Grenoble
table on a phone as cards. At 1366×900 and 390×844; axe-core checks every page (conftest.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shot

pytestmark = pytest.mark.browser

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")

# Elements sticking out of the viewport on the right, outside a scrolling table wrapper (a table head hidden
# for screen readers only, as the phone's cards have it, is clipped and shows nothing).
OVERFLOWING = """() => [...document.querySelectorAll('main *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => !e.closest('thead') || getComputedStyle(e.closest('thead')).position !== 'absolute')
  .filter(e => !e.closest('.table-wrap') || getComputedStyle(e.closest('.table-wrap')).overflowX === 'visible')
  .map(e => e.tagName.toLowerCase() + '.' + e.className + ': ' + e.textContent.trim().slice(0, 40))"""


def to_english(page, server_url: str, path: str = "/") -> None:
    page.goto(server_url + path)
    page.locator(".lang-switch button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def search(page, term: str, count: int) -> None:
    page.fill("#id_q", term)
    expect(page.locator(".result-count")).to_contain_text(f"{count} programme")
    expect(page.locator(".card")).to_have_count(count)


def card_codes(page) -> set[str]:
    return set(page.locator(".card .code").all_inner_texts())


def test_visitor_finds_nurse_programmes_in_both_languages(server_url, page):
    page.goto(server_url + "/")
    page.fill("#id_q", "护士")
    expect(page.locator(".card")).to_have_count(3)
    assert card_codes(page) == {"zj-uk-clinical", "zj-us-iuhealth", "zj-fr-grenoble"}
    expect(page).to_have_url(re.compile(r"q=%E6%8A%A4%E5%A3%AB"))
    shot(page, "kit-catalogue-01-search-nurse-zh")

    page.locator(".lang-switch button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    search(page, "nurse", 3)
    assert card_codes(page) == {"zj-uk-clinical", "zj-us-iuhealth", "zj-fr-grenoble"}
    uk = page.locator(".card", has_text="UK clinical fellowship")
    expect(uk).to_contain_text("Doctor: about 40; Nurse: about 10")
    expect(uk).to_contain_text("75,000–85,000 yuan per person")
    search(page, "nurse London", 1)
    shot(page, "kit-catalogue-02-search-nurse-en")
    assert page.console_errors == []


def test_guangxi_says_not_stated_and_grenoble_costs_in_yuan(server_url, page):
    to_english(page, server_url)
    search(page, "Guangxi", 1)
    card = page.locator(".card").first
    expect(card.locator("div", has=page.locator("dt", has_text="Cost"))).to_contain_text("not stated in the policy")
    expect(card.locator("div", has=page.locator("dt", has_text="Quota"))).to_contain_text("not stated in the policy")
    shot(page, "kit-catalogue-03-guangxi-not-stated-en")

    page.goto(server_url + "/programmes/zj-fr-grenoble/")
    expect(page.locator("dd", has_text="60,000–75,000 yuan per person")).to_be_visible()
    expect(page.locator("p.meta", has_text="Places per host or department: not stated in the policy")).to_have_count(2)
    expect(page.locator("table.offerings th", has_text="Capacity")).to_have_count(0)
    urology = page.locator("tr", has_text="Urology").first
    expect(urology).to_contain_text("Pr Descotes (President of the French Association of Urology)")
    assert CJK.findall(page.locator("main").inner_text()) == []
    shot(page, "kit-catalogue-04-grenoble-en-desktop")

    page.locator(".lang-switch button[value=zh-hans]").click()
    expect(page.locator("dd", has_text="6–7.5 万元/人")).to_be_visible()
    expect(page.locator("tr", has_text="泌尿").first).to_contain_text("法国泌尿协会会长")
    assert page.console_errors == []


def test_grenoble_table_reads_as_cards_on_a_phone(server_url, phone_page):
    page = phone_page
    to_english(page, server_url, "/programmes/zj-fr-grenoble/")
    table = page.locator("table.offerings").first
    table.scroll_into_view_if_needed()
    # No sideways scrolling: neither the page nor the table is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate(OVERFLOWING) == []
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    expect(table.locator("thead")).to_have_css("position", "absolute")
    # Each row is a card; each value gets the width of the card, not one character per line.
    row = table.locator("tbody tr", has_text="Urology").first
    expect(row).to_have_css("display", "block")
    cell = row.locator("td[data-label='Department or specialty']")
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") == '"Department or specialty"'
    assert cell.evaluate("td => td.clientWidth - parseFloat(getComputedStyle(td).paddingLeft)") > 180
    assert cell.locator("a").evaluate("a => a.getClientRects().length") == 1  # "Urology" on one line
    assert row.bounding_box()["width"] > 300
    row.screenshot(path="test-output/screenshots/kit-catalogue-05-grenoble-row-phone.png")
    shot(page, "kit-catalogue-06-grenoble-en-phone")

    page.goto(server_url + "/hosts/chu-grenoble/")
    assert page.evaluate(OVERFLOWING) == []
    departments = page.locator("table.departments")
    assert departments.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    expect(page.locator("tr#dept-neurosciences")).to_contain_text("Pr Chabardes (neurosurgery)")
    shot(page, "kit-catalogue-07-grenoble-host-en-phone")


@pytest.mark.parametrize("size", ["page", "phone_page"])
def test_every_catalogue_page_in_english_has_no_chinese_and_fits(server_url, request, size):
    page = request.getfixturevalue(size)
    to_english(page, server_url)
    hrefs = "as => as.map(a => a.getAttribute('href'))"
    programmes = sorted(set(page.locator("a[href^='/programmes/']").evaluate_all(hrefs)))
    assert len(programmes) == 8
    hosts: set[str] = set()
    for path in programmes:
        page.goto(server_url + path)
        hosts |= {href.split("#")[0] for href in page.locator("main a[href^='/hosts/']").evaluate_all(hrefs)}
    assert len(hosts) == 11
    width = page.viewport_size["width"]
    problems = {}
    for path in ["/", *programmes, *sorted(hosts)]:
        page.goto(server_url + path)
        chinese = sorted(set(CJK.findall(page.locator("main").inner_text())))
        overflowing = page.evaluate(OVERFLOWING)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if chinese or overflowing or scroll_width > width:
            problems[path] = (chinese, overflowing[:3], scroll_width)
    assert problems == {}
    shot(page, f"kit-catalogue-08-last-host-en-{width}")
