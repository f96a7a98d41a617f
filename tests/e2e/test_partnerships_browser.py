"""Pairing support in a browser: the provincial commission opens a city's pairing network and the counties
with no pairing, starts the agreement of 浙大一院 → 景宁县人民医院 and sets that year's key work; the county
hospital's administrator files its 2015 self-assessment and enters its indicators on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import run_in_server, shot
from tests.e2e.test_applications_browser import fits_the_screen, log_in

pytestmark = pytest.mark.browser

SUPPORTING = "浙江大学医学院附属第一医院"
SUPPORTED = "景宁县人民医院"
SUPPORTED_CODE = "zj-h-331127-1"


def server_value(expression: str) -> str:
    """A value read from the test server's database (what the page saved, not what it shows)."""
    return run_in_server(f"print({expression})").strip().splitlines()[-1]


def test_commission_opens_the_network_starts_an_agreement_and_sets_the_year_targets(server_url, page):
    # 1. Wenzhou's pairing network: the graph is drawn, and 龙港市 (a county-level city since 2019) has no pairing.
    log_in(page, server_url, "commission", "/agreements/")
    page.goto(f"{server_url}/pairings/network/?programme=zj-pairing-2014&city=330300")
    expect(page.locator("#pairing-network-chart[data-rendered='1']")).to_be_attached(timeout=15_000)
    expect(page.locator("#pairing-network-chart canvas").first).to_be_visible()
    expect(page.locator("#counties-without-pairing li[data-region='330383']")).to_contain_text("龙港市")
    expect(page.locator("#network-table tr[data-pairing-id]").first).to_be_visible()
    shot(page, "pairing-network-wenzhou")

    # 2. Another city from the select: 丽水 (景宁 is one of its counties) is covered everywhere.
    page.select_option("#network-city", "331100")
    page.locator("#network-filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"city=331100"))
    expect(page.locator("#pairing-network-chart[data-rendered='1']")).to_be_attached(timeout=15_000)
    expect(page.locator("#counties-without-pairing li.none")).to_have_count(1)
    expect(page.locator("#network-table")).to_contain_text(SUPPORTED)

    # 3. The agreements of 丽水: start the one of 浙大一院 → 景宁 from the template.
    page.goto(f"{server_url}/agreements/?programme=zj-pairing-2014&city=331100")
    row = page.locator("#kit-results tr[data-pairing-id]", has_text=SUPPORTED).filter(has_text=SUPPORTING)
    expect(row).to_have_count(1)
    row.locator("form.agreement-start button").click()
    expect(page).to_have_url(re.compile(r"/agreements/\d+/$"))
    expect(page.locator("#agreement-term-form")).to_be_visible()
    expect(page.locator("#agreement-years a.agreement-year")).to_have_text(["2014", "2015", "2016"])
    shot(page, "pairing-agreement-draft")

    # 4. Its 2015 targets: the province's key work of the year (2015: ICU, pathology, endoscopy, blood purification).
    page.locator("#agreement-years a.agreement-year", has_text="2015").click()
    expect(page).to_have_url(re.compile(r"/years/2015/$"))
    page.locator("form[action$='/years/2015/targets/from-focus/'] button").click()
    expect(page.locator(".annual-target", has_text="血液净化技术")).to_have_count(1)
    expect(page.locator(".annual-target", has_text="重症医学科")).to_have_count(1)
    pairing = (
        f"__import__('medtalent.partnerships.models', fromlist=['Pairing']).Pairing.objects.get("
        f"supporting__name_zh='{SUPPORTING}', supported__name_zh='{SUPPORTED}')"
    )
    assert server_value(f"{pairing}.targets.filter(year=2015).count()") == "9"
    shot(page, "pairing-year-2015-targets")
    assert page.console_errors == []


def test_supported_hospital_files_its_self_assessment_and_indicators_on_a_phone(server_url, phone_page):
    page = phone_page
    # 1. From the yearly overview of its pairings to the self-assessment of 2015 (open since 1 December 2015).
    log_in(page, server_url, "unit-jingning", "/agreements/")
    page.goto(f"{server_url}/pairings/years/?programme=zj-pairing-2014&year=2015")
    row = page.locator("tr", has_text=SUPPORTING)
    expect(row).to_have_count(1)
    row.locator("td.annual-open a").click()
    expect(page).to_have_url(re.compile(r"/years/2015/$"))
    page.locator("a[href$='/years/2015/reviews/self_supported/']").last.click()
    expect(page).to_have_url(re.compile(r"/reviews/self_supported/$"))
    fits_the_screen(page)

    # 2. Submitting without scores is refused, with the problem at each score; nothing is submitted.
    page.fill("#id_summary", "派驻医师开展腹腔镜手术教学，ICU建立规范。")
    page.locator("button[name=action][value=submit]").click()
    expect(page.locator(".annual-score-row.has-error").first).to_be_visible()
    shot(page, "pairing-self-assessment-errors-phone")

    # 3. Scores on the seven dimensions, then submitted: the page turns read-only.
    scores = page.locator(".annual-score-row input[name^='score_']")
    expect(scores).to_have_count(7)
    for index in range(7):
        scores.nth(index).fill(str(7 + index % 3))
    page.fill("#id_problems", "病理科人员不足。")
    page.locator("button[name=action][value=submit]").click()
    expect(page.locator(".annual-review-form")).to_have_count(0)
    review = (
        "__import__('medtalent.annual.models', fromlist=['AnnualReview']).AnnualReview.objects.get("
        f"pairing__supporting__name_zh='{SUPPORTING}', pairing__supported__name_zh='{SUPPORTED}', year=2015,"
        " kind='self_supported')"
    )
    assert server_value(f"{review}.state") == "submitted"
    assert server_value(f"sorted(float(s.score) for s in {review}.scores.all())") == str(
        sorted(float(7 + i % 3) for i in range(7))
    )
    shot(page, "pairing-self-assessment-submitted-phone")

    # 4. Its indicators for 2015: saved, then drawn as a trend with the 90 % target.
    page.goto(f"{server_url}/hospitals/{SUPPORTED_CODE}/indicators/")
    page.fill("#id_value_2015_in_county_visit_rate", "86.5")
    page.fill("#id_value_2015_referral_out_rate", "13.5")
    page.locator("#entry button[type=submit]").click()
    expect(page.locator("#id_value_2015_in_county_visit_rate")).to_have_value("86.5")
    expect(page.locator("[data-indicator-chart] canvas").first).to_be_visible()
    value = (
        "__import__('medtalent.indicators.models', fromlist=['IndicatorValue']).IndicatorValue.objects.get("
        f"organisation__code='{SUPPORTED_CODE}', year=2015, kind='in_county_visit_rate').value"
    )
    assert server_value(value) == "86.50"
    shot(page, "pairing-indicators-phone")
