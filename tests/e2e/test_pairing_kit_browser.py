"""Pairing support in a browser after issue 11, at 1366×900 and on a 390×844 phone: the agreement of
浙大一院 → 三门县人民医院, approved for 2014–2016 and renewed for 2026–2028, keeps its place in the yearly
overview; every change on an agreement and a yearly target ends with a success message; the yearly page's
counter follows a target's status without a reload; the charts put the years on a real time axis, keep their
labels apart and carry a data table."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import run_in_server, shot
from tests.e2e.test_applications_browser import log_in

pytestmark = pytest.mark.browser

SUPPORTING = "浙江大学医学院附属第一医院"
SUPPORTED = "三门县人民医院"
RENEWED_YEARS = ["2014", "2015", "2016", "2026", "2027", "2028"]

# Run once in the test server's database (idempotent): the pairing's agreement, version 1 (2014–2016)
# superseded by version 2 (2026–2028), approved; the county hospital's indicators of 2016 and 2026.
SETUP = f"""
import datetime as dt
from medtalent.indicators.models import IndicatorValue
from medtalent.partnerships.models import Agreement, AgreementClause, AgreementTemplate, Pairing
pairing = Pairing.objects.get(supporting__name_zh={SUPPORTING!r}, supported__name_zh={SUPPORTED!r})
if not Agreement.objects.filter(pairing=pairing).exists():
    template = AgreementTemplate.objects.get(code="zj-pairing-2014-annex3")
    first = Agreement.objects.create(pairing=pairing, template=template, version=1, state="superseded",
        starts_on=dt.date(2014, 1, 1), ends_on=dt.date(2016, 12, 31))
    second = Agreement.objects.create(pairing=pairing, template=template, version=2, state="approved",
        starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2028, 12, 31), previous=first)
    for agreement in (first, second):
        AgreementClause.objects.bulk_create(
            AgreementClause(agreement=agreement, template_clause=c, section=c.section, text_zh=c.text_zh, sort=c.sort)
            for c in template.clauses.all()
        )
for year, value in ((2016, "80.5"), (2026, "88.0")):
    IndicatorValue.objects.get_or_create(organisation=pairing.supported, year=year, kind="in_county_visit_rate",
        defaults={{"value": value}})
print(pairing.pk, Agreement.objects.get(pairing=pairing, version=2).pk, pairing.supported.code)
"""


@pytest.fixture(scope="module")
def renewed(server_url) -> tuple[int, int, str]:
    """(pairing pk, pk of the approved version 2, the county hospital's code)."""
    pairing, agreement, code = run_in_server(SETUP).strip().splitlines()[-1].split()
    return int(pairing), int(agreement), code


def status_message(page):
    """The success message in the page's live message area (base.html #messages, role="status")."""
    return page.locator("#messages[role=status] .message.success")


@pytest.mark.parametrize("size", ["page", "phone_page"])
def test_the_overview_offers_the_years_of_a_renewed_pairing(server_url, request, renewed, size):
    page = request.getfixturevalue(size)
    page.set_default_timeout(60_000)
    log_in(page, server_url, "commission", "/pairings/years/")
    options = page.locator("select[name=year] option")
    expect(options).to_have_text(RENEWED_YEARS)
    default = page.locator("select[name=year]").input_value()
    assert default in RENEWED_YEARS[3:]  # today (2026 or later) falls in or after the renewed term
    row = page.locator("tr", has_text=SUPPORTED)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(SUPPORTING)
    shot(page, f"pairing-overview-renewed-{'phone' if size == 'phone_page' else 'desktop'}")

    # The year's select is one of the list's filters: choosing a year redraws the list (HTMX) and the address.
    page.select_option("select[name=year]", "2028")
    expect(page).to_have_url(re.compile(r"year=2028"))
    expect(page.locator("tr", has_text=SUPPORTED)).to_have_count(1)
    page.locator("tr", has_text=SUPPORTED).locator("td.annual-open a").click()
    expect(page).to_have_url(re.compile(rf"/pairings/{renewed[0]}/years/2028/$"))
    expect(page.locator("nav.annual-years")).to_contain_text("2026")


def test_the_yearly_counter_and_message_follow_a_status_change_without_reload(server_url, page, phone_page, renewed):
    pairing = renewed[0]
    page.set_default_timeout(60_000)
    phone_page.set_default_timeout(60_000)
    log_in(page, server_url, "unit-zju1", f"/pairings/{pairing}/years/2027/")
    counter = page.locator("#targets-counter")
    # A target of the four ones: a full page post, ending with its message.
    slot = page.locator("form.annual-add").first
    slot.locator("input[name$='-title']").fill("建立胸痛中心")
    slot.locator("button[type=submit]").click()
    expect(status_message(page)).to_have_count(1)
    expect(counter).to_contain_text(re.compile(r"0\D+1"))

    # The status by HTMX: the row, the counter and the message change, the page stays (no reload).
    page.evaluate("() => { window.__stayed = true; }")
    target = page.locator(".annual-target").first
    target.locator("select[name$='-status']").select_option("achieved")
    target.locator("textarea[name$='-evidence']").fill("胸痛中心已通过省级认证")
    target.locator("form.annual-status-form button[type=submit]").click()
    expect(counter).to_contain_text(re.compile(r"1\D+1"))
    expect(status_message(page)).to_have_count(1)
    expect(page.locator(".annual-target").first.locator(".badge").first).to_have_class(re.compile("open"))
    assert page.evaluate("() => window.__stayed === true")
    shot(page, "pairing-year-counter-desktop")

    # On a phone: back to planned, the counter follows.
    log_in(phone_page, server_url, "unit-zju1", f"/pairings/{pairing}/years/2027/")
    phone_page.evaluate("() => { window.__stayed = true; }")
    target = phone_page.locator(".annual-target").first
    target.locator("select[name$='-status']").select_option("planned")
    target.locator("form.annual-status-form button[type=submit]").click()
    expect(phone_page.locator("#targets-counter")).to_contain_text(re.compile(r"0\D+1"))
    expect(status_message(phone_page)).to_have_count(1)
    assert phone_page.evaluate("() => window.__stayed === true")
    shot(phone_page, "pairing-year-counter-phone")


def test_every_agreement_change_ends_with_a_success_message(server_url, page, phone_page, renewed):
    _pairing, agreement, _code = renewed
    page.set_default_timeout(60_000)
    phone_page.set_default_timeout(60_000)
    log_in(page, server_url, "unit-zju1", f"/agreements/{agreement}/")
    # A new version of the approved agreement.
    page.locator("form[action$='/new-version/'] button").click()
    expect(page).not_to_have_url(re.compile(rf"/agreements/{agreement}/$"))
    expect(status_message(page)).to_have_count(1)
    draft = page.url
    # A clause added.
    page.fill("textarea[name=text_zh]", "双方每季度召开一次联席会议。")
    page.locator("form[action$='/clauses/'] button").click()
    expect(status_message(page)).to_have_count(1)
    expect(page.locator("table", has_text="双方每季度召开一次联席会议。")).to_have_count(1)
    # The term.
    page.fill("#id_ends_on", "2029-12-31")
    page.locator("#agreement-term-form button[type=submit]").click()
    expect(status_message(page)).to_have_count(1)
    shot(page, "pairing-agreement-message-desktop")

    # On a phone: this side approves, then reopens for changes; each says it is done.
    log_in(phone_page, server_url, "unit-zju1", "/me/")
    phone_page.goto(draft)
    phone_page.locator("form[action$='/approve/'] button").click()
    expect(status_message(phone_page)).to_have_count(1)
    shot(phone_page, "pairing-agreement-approved-phone")
    phone_page.locator("form[action$='/reopen/'] button").click()
    expect(status_message(phone_page)).to_have_count(1)
    expect(phone_page.locator("#agreement-term-form")).to_be_visible()


def _chart_option(page, selector: str, script: str):
    return page.evaluate(
        f"""() => {{ const chart = echarts.getInstanceByDom(document.querySelector({selector!r}));
                   return ({script})(chart); }}"""
    )


@pytest.mark.parametrize("size", ["page", "phone_page"])
def test_charts_use_a_time_axis_and_carry_a_data_table(server_url, request, renewed, size):
    page = request.getfixturevalue(size)
    suffix = "phone" if size == "phone_page" else "desktop"
    _pairing, _agreement, code = renewed
    page.set_default_timeout(60_000)
    log_in(page, server_url, "commission", "/me/")

    # The trend over the county (三门县 331022): 2016 and 2026 are ten years apart on the axis.
    page.goto(f"{server_url}/pairings/indicators/?programme=zj-pairing-2014&city=331000&county=331022")
    chart = "#in_county_visit_rate [data-indicator-chart]"
    expect(page.locator(f"{chart}[data-drawn]")).to_be_attached(timeout=15_000)
    assert _chart_option(page, chart, "c => c.getOption().xAxis[0].type") == "value"
    spans = _chart_option(
        page,
        chart,
        "c => [2016, 2017, 2026].map(y => c.convertToPixel({xAxisIndex: 0}, y))",
    )
    assert round((spans[2] - spans[0]) / (spans[1] - spans[0])) == 10
    table = page.locator("#trend-table-in_county_visit_rate")
    expect(table.locator("caption")).to_be_visible()
    expect(table.locator("tbody th")).to_have_text(["2016", "2026"])
    shot(page, f"pairing-indicator-trend-{suffix}")

    # The hospital's own chart, with its table.
    page.goto(f"{server_url}/hospitals/{code}/indicators/")
    chart = "[data-indicator-chart]"
    expect(page.locator(f"{chart}[data-drawn]")).to_be_attached(timeout=15_000)
    assert _chart_option(page, chart, "c => c.getOption().xAxis[0].type") == "value"
    expect(page.locator("table.indicator-table caption")).to_have_count(1)
    expect(page.locator("table.indicator-table tbody th")).to_contain_text(["2016", "2026"])

    # The city's network (台州): the county hospitals are named on hover only, overlapping labels hidden.
    page.goto(f"{server_url}/pairings/network/?programme=zj-pairing-2014&city=331000")
    expect(page.locator("#pairing-network-chart[data-rendered='1']")).to_be_attached(timeout=15_000)
    series = _chart_option(
        page,
        "#pairing-network-chart",
        """c => { const s = c.getOption().series[0];
                  return {hide: s.labelLayout.hideOverlap, emphasis: s.emphasis.label.show,
                          shown: s.data.filter(n => n.label.show).length,
                          supporting: s.data.filter(n => n.category === 0).length}; }""",
    )
    assert (series["hide"], series["emphasis"], series["shown"]) == (True, True, series["supporting"])
    expect(page.locator("#network-table caption")).to_be_attached()
    shot(page, f"pairing-network-labels-{suffix}")
