"""Issue 11, in a browser at 1366×900 and on a 390×844 phone: one organisation search everywhere (浙大一院 finds
浙江大学医学院附属第一医院 in the secretariat's member search, its list and the public directory), the secretariat's
list in the table kit (filter, sort, export, batch removal), the audit trail's filters by name and its export, the
unit's staff accounts as a kit list (cards on a phone), and the alliance's English pages without Chinese."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, shot
from tests.e2e.test_applications_browser import PASSWORD, fits_the_screen

pytestmark = pytest.mark.browser
SIZES = [("desktop", DESKTOP), ("phone", PHONE)]
CJK = re.compile(r"[\u3400-\u9fff]")


def _context(new_context, size, viewport, **extra):
    options = {"viewport": viewport, **({"is_mobile": True, "has_touch": True} if size == "phone" else {}), **extra}
    return new_context(size, **options)


def log_in(page, server_url: str, username: str, next_path: str) -> None:
    page.goto(f"{server_url}/accounts/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(next_path.split("?")[0])))


@pytest.mark.parametrize(("size", "viewport"), SIZES)
def test_the_secretariat_finds_an_abbreviation_adds_lists_and_removes(server_url, new_context, size, viewport):
    page = _context(new_context, size, viewport).new_page()
    log_in(page, server_url, "alliance", "/alliance/manage/members/add/")
    # The member search: 浙大一院 is an abbreviation (an alias), found like any name.
    page.fill("#id_find", "浙大一院")
    # The list narrows (HTMX) to the one institution.
    expect(page.locator("#id_organisation option")).to_have_count(1)
    option = page.locator("#id_organisation option", has_text="浙江大学医学院附属第一医院")
    expect(option).to_have_count(1)
    page.select_option("#id_organisation", option.get_attribute("value"))
    shot(page, f"alliance-kit-member-search-{size}")
    page.locator(".save-bar button[type=submit]").click()
    expect(page.locator("#messages .message.success")).to_contain_text("浙江大学医学院附属第一医院")

    # The public directory finds it by its abbreviation too.
    page.goto(f"{server_url}/alliance/?q=浙大一院")
    expect(page.locator("#results .card h2")).to_have_text(["浙江大学医学院附属第一医院"])

    # The secretariat's list: search, filter by kind (names), sort, export with the filters, batch removal.
    page.goto(f"{server_url}/alliance/manage/members/")
    rows = page.locator("#kit-results tbody tr")
    page.fill("#id_q", "浙大一院")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("浙江大学医学院附属第一医院")
    page.select_option("#id_kind", "member")
    expect(page).to_have_url(re.compile(r"kind=member"))
    export = page.locator("a.kit-export")
    assert "export=xlsx" in export.get_attribute("href")
    assert "q=%E6%B5%99%E5%A4%A7%E4%B8%80%E9%99%A2" in export.get_attribute("href")
    with page.expect_download() as download:
        export.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    if size == "phone":
        fits_the_screen(page)
        label = rows.first.locator("td[data-label]").nth(1).get_attribute("data-label")
        assert label == "机构"
    shot(page, f"alliance-kit-members-filtered-{size}")

    rows.first.locator("input.kit-pick").check()
    page.select_option(".kit-batch select[name=action]", "remove")
    page.locator(".kit-batch button[type=submit]").click()
    expect(page.locator("#messages .message.success")).to_contain_text("1")
    expect(page.locator("#kit-results tbody tr.kit-empty")).to_have_count(1)
    shot(page, f"alliance-kit-members-removed-{size}")

    # Sorting by name, with no filter: the header link orders the rows and says so.
    page.goto(f"{server_url}/alliance/manage/members/")
    page.locator("th a.kit-sort", has_text="机构").click()
    expect(page.locator("th[aria-sort]")).to_have_count(1)
    shot(page, f"alliance-kit-members-sorted-{size}")


@pytest.mark.parametrize(("size", "viewport"), SIZES)
def test_the_auditor_filters_by_names_and_exports(server_url, new_context, size, viewport):
    page = _context(new_context, size, viewport).new_page()
    log_in(page, server_url, "auditor", "/audit/")
    options = page.locator("#id_object_type option")
    expect(options.filter(has_text="机构").first).to_be_attached()
    assert "orgs.organisation" not in page.locator("#id_object_type").inner_text()
    page.fill("#id_organisation", "浙大一院")
    expect(page).to_have_url(re.compile(r"organisation="))
    export = page.locator("a.kit-export")
    if export.count():
        assert "organisation=" in export.get_attribute("href")
    if size == "phone":
        fits_the_screen(page)
    shot(page, f"audit-kit-filters-{size}")


@pytest.mark.parametrize(("size", "viewport"), SIZES)
def test_the_unit_staff_accounts_list(server_url, new_context, size, viewport):
    page = _context(new_context, size, viewport).new_page()
    log_in(page, server_url, "unit-zju1", "/unit/accounts/")
    unit = page.locator("#id_unit option", has_text="浙江大学医学院附属第一医院")
    expect(unit).to_have_count(1)
    page.select_option("#id_unit", unit.get_attribute("value"))
    expect(page).to_have_url(re.compile(r"unit="))
    expect(page.locator("#kit-results")).to_be_visible()
    if size == "phone":
        fits_the_screen(page)
    shot(page, f"registration-kit-staff-{size}")


@pytest.mark.parametrize(("size", "viewport"), SIZES)
def test_the_alliance_in_english_shows_no_chinese(server_url, new_context, size, viewport):
    context = _context(new_context, size, viewport)
    context.add_cookies([{"name": "django_language", "value": "en", "url": server_url}])
    page = context.new_page()
    page.goto(f"{server_url}/alliance/events/2019-09-delegation-italy-austria/")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Austria, Italy")
    assert not CJK.search(page.locator("main").inner_text())
    shot(page, f"alliance-english-event-{size}")
    page.goto(f"{server_url}/alliance/")
    text = page.locator("main").inner_text()
    assert not CJK.search(text.replace("日中医学協会", ""))
    if size == "phone":
        fits_the_screen(page)
    shot(page, f"alliance-english-directory-{size}")
