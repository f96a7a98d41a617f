"""The back office kit in a browser, at 1366×900 and on a 390×844 phone: the side menu (folded behind the menu
button on a phone), a header that keeps the language switch on its line in both languages, breadcrumbs, and the
table kit on the unit's applications: sort, filter by name, tick rows and decide on them, export to Excel."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import run_in_server, shot
from tests.e2e.test_applications_browser import fits_the_screen, log_in

pytestmark = pytest.mark.browser

UNIT = "unit-zjph"  # 浙江省人民医院: its applicants are this test's own
NAMES = ["甲测试", "乙测试", "丙测试"]


def seed_applications() -> None:
    """Three submitted applications of 浙江省人民医院's staff in the demo round, made in the server's database."""
    code = f"""
from django.utils import timezone
from medtalent.applications.models import Application
from medtalent.catalog.models import Round
from medtalent.orgs.models import Organisation
from medtalent.people.models import Person
unit = Organisation.objects.get(code="zj-peoples-hospital")
round_ = Round.objects.get(code="wz-bysh-demo-open")
for n, name in enumerate({NAMES!r}):
    person, _ = Person.objects.get_or_create(name=name, employer=unit)
    Application.objects.get_or_create(
        person=person, round=round_,
        defaults=dict(unit=unit, state="submitted", submitted_at=timezone.now() - timezone.timedelta(days=n)),
    )
"""
    run_in_server(code)


def header_on_one_line(page) -> None:
    """The brand, the tools and the language switch share the header's single line, measured once the page's
    stylesheets and fonts have loaded (a URL change is seen before they have)."""
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    boxes = page.evaluate(
        """() => ['.brand', '.header-tools', '.lang-switch'].map(s => {
            const r = document.querySelector(s).getBoundingClientRect(); return [Math.round(r.top), Math.round(r.bottom)]; })"""
    )
    header = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
    assert header < 70, boxes
    assert boxes[2][0] >= boxes[1][0]
    assert boxes[2][1] <= boxes[1][1]


def test_the_side_menu_and_the_table_kit_on_a_desk(server_url, page):
    seed_applications()
    log_in(page, server_url, UNIT, "/unit/applications/")

    menu = page.locator("#sidenav")
    expect(menu).to_be_visible()
    expect(menu.locator('a[aria-current="page"]')).to_have_text("本单位申请")
    expect(page.locator(".breadcrumbs")).to_contain_text("工作台")
    header_on_one_line(page)
    expect(page.locator("#kit-results .result-count")).to_have_text("共 3 条")
    shot(page, "kit-unit-applications-desktop")

    # Sort by name: the header says so, the rows follow.
    page.locator("th a.kit-sort", has_text="姓名").click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("姓名")
    names = page.locator("td[data-label='姓名'] a")
    expect(names).to_have_text(sorted(NAMES))

    # A filter by name narrows the rows (and keeps the order in the address).
    page.fill("#id_q", "乙")
    expect(names).to_have_text(["乙测试"])
    expect(page).to_have_url(
        f"{server_url}/unit/applications/?q=%E4%B9%99&state=&round=&category=&sort=name&per_page=50"
    )
    page.fill("#id_q", "")
    expect(names).to_have_count(3)

    # The export is the list with its filters.
    with page.expect_download() as download:
        page.locator(".kit-export").click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == sorted(NAMES)

    # Tick two rows, recommend them with an opinion: the message says so and the rows are no longer tickable.
    page.locator(".kit-pick").nth(0).check()
    page.locator(".kit-pick").nth(1).check()
    expect(page.locator(".kit-picked")).to_have_text("已勾选 2 行")
    page.select_option("select[name=action]", "recommended")
    expect(page.locator("select[name=action] option")).to_have_text(["请选择…", "推荐", "退回申请人", "不予推荐"])
    page.fill("#id_bulk_opinion", "同意推荐")
    page.locator(".kit-batch button[type=submit]").click()
    expect(page.locator("#messages .message.success")).to_have_text("2 份申请：单位已推荐。")
    expect(page.locator(".kit-pick")).to_have_count(1)
    shot(page, "kit-unit-applications-after-batch-desktop")

    # In English too, the header keeps one line.
    page.locator(".lang-switch button[value=en]").click()
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_text("Applications of my unit")
    header_on_one_line(page)
    shot(page, "kit-unit-applications-desktop-en")


def test_the_menu_folds_and_rows_become_cards_on_a_phone(server_url, phone_page):
    page = phone_page
    seed_applications()
    log_in(page, server_url, UNIT, "/unit/applications/")

    menu = page.locator("#sidenav")
    expect(menu).to_be_hidden()
    header_on_one_line(page)
    button = page.locator(".menu-button")
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    shot(page, "kit-menu-open-phone")
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()

    # Each row is a card: its cells are labelled, nothing is wider than the phone.
    first = page.locator("#kit-results tbody tr").first
    label = first.locator("td[data-label='姓名']").evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"姓名"'
    shot(page, "kit-unit-applications-phone")
    fits_the_screen(page)

    page.locator(".lang-switch button[value=en]").click()
    page.wait_for_load_state("load")
    header_on_one_line(page)
    fits_the_screen(page)
    shot(page, "kit-unit-applications-phone-en")
