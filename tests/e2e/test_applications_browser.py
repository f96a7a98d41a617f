"""On a phone: the demo applicant fills in the profile, sees why some Wenzhou categories are closed to them,
applies to an open one with a draft saved midway, submits, downloads the PDF form; the unit administrator
of 浙大一院 recommends the application."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import OUTPUT, shot

pytestmark = pytest.mark.browser

PASSWORD = "medtalent-demo"
ROUND = "wz-bysh-demo-open"


def log_in(page, server_url: str, username: str, next_path: str) -> None:
    page.goto(f"{server_url}/accounts/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + r"$"))


def choose(page, select: str, text: str) -> None:
    """Select the first option of `select` whose label contains `text`."""
    value = page.locator(f"{select} option", has_text=text).first.get_attribute("value")
    page.select_option(select, value)


def saved_text(response, field: str) -> str:
    """What an autosave request carried in `field`."""
    return parse_qs(response.request.post_data or "").get(field, [""])[0]


def fits_the_screen(page) -> None:
    """No sideways scrolling on a 390 px phone, measured once the page's stylesheets and fonts have loaded
    (a URL change is seen before they have, and a page laid out without its stylesheet is wider)."""
    page.wait_for_load_state("load")
    width = page.evaluate("document.fonts.ready.then(() => document.documentElement.scrollWidth)")
    wider = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > 390.5)
            .map(el => `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)} px)`)
            .slice(0, 10)"""
    )
    assert (width, wider) == (390, [])


def test_applicant_applies_on_a_phone_and_the_unit_recommends(server_url, phone_page):
    page = phone_page
    # 51 on the round's reference day (its closing day, 60 days from now): leading talent (55) is open,
    # the clinical, innovation and teaching categories (50) are not, nor management (3 years of management).
    birth = timezone.localdate() - dt.timedelta(days=51 * 365 + 60)

    # 1. Profile
    log_in(page, server_url, "applicant", "/me/profile/")
    page.fill("#id_name", "张医生")
    choose(page, "#id_sex", "男")
    page.fill("#id_birth_date", birth.isoformat())
    choose(page, "#id_education", "大学本科毕业")
    choose(page, "#id_title", "主治医师")
    page.fill("#id_employer_q", "浙大一院")
    expect(page.locator("#id_employer option", has_text="浙江大学医学院附属第一医院").first).to_be_attached()
    choose(page, "#id_employer", "浙江大学医学院附属第一医院")
    page.fill("#id_phone", "13812345678")
    page.locator(".save-bar button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me/profile/$"))
    expect(page.locator(".messages")).to_be_visible()
    shot(page, "applications-01-profile-phone")

    # 2. The programme page offers the open demo round
    page.goto(f"{server_url}/programmes/wz-bysh/")
    page.locator(f'a[href="/applications/start/{ROUND}/"]').click()
    expect(page).to_have_url(re.compile(rf"/applications/start/{ROUND}/$"))

    # 3. The category chooser: closed categories say why, and cannot be chosen
    clinical = page.locator(".category-choice", has_text="临床骨干人才")
    expect(clinical).to_have_class(re.compile("is-closed"))
    expect(clinical.locator(".closed-reason")).to_contain_text("50")
    expect(clinical.locator("button[disabled]")).to_be_visible()
    management = page.locator(".category-choice", has_text="卫生健康管理人才")
    expect(management.locator(".closed-reason")).to_contain_text("3")
    leading = page.locator(".category-choice", has_text="医学领军人才")
    expect(leading).to_have_class(re.compile("is-open"))
    fits_the_screen(page)
    shot(page, "applications-02-categories-phone")
    leading.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/applications/\d+/edit/$"))

    # 4. The form, saved as it is typed; a reload keeps the text
    page.fill("#id_requested_duration", "2")
    page.fill("#id_requested_department", "心血管内科")
    reason = "提高复杂冠脉介入诊疗水平，带动学科发展。"
    with page.expect_response(lambda r: r.url.endswith("/autosave/") and saved_text(r, "reason") == reason):
        page.fill("#id_reason", reason)
    expect(page.locator("#autosave-status .autosave-ok")).to_be_visible()
    shot(page, "applications-03-draft-saved-phone")
    page.reload()
    expect(page.locator("#id_reason")).to_have_value("提高复杂冠脉介入诊疗水平，带动学科发展。")
    expect(page.locator("#id_requested_department")).to_have_value("心血管内科")
    page.fill("#id_plan_purpose", "学习国际前沿介入技术与团队管理。")
    page.fill("#id_plan_content", "临床观摩、专题讨论、联合攻关：复杂冠脉病变与结构性心脏病介入。")
    page.fill("#id_plan_goals", "回院后开展新技术两项，建立长期合作机制。")
    # The language and health conditions wait for the unit's check: pending, not a green tick
    expect(page.locator("#eligibility .eligibility-verdict.pending")).to_be_visible()
    expect(page.locator("#eligibility .eligibility-rule.pending")).to_have_count(2)
    fits_the_screen(page)
    shot(page, "applications-04-form-phone")

    # 5. Submit: the privacy notice first, then the separate consent to the sensitive data (issue 10), then to
    # the unit
    page.locator("button[value=submit]").click()
    expect(page).to_have_url(re.compile(r"/me/consent/\?"))
    page.wait_for_load_state("load")
    page.locator("form button[type=submit]", has_text=re.compile(".+")).last.click()
    expect(page).to_have_url(re.compile(r"/applications/\d+/edit/$"))
    expect(page.locator("#id_plan_goals")).to_have_value("回院后开展新技术两项，建立长期合作机制。")
    page.locator("button[value=submit]").click()
    expect(page).to_have_url(re.compile(r"/me/consent/sensitive/"))
    page.check("input[name=agree]")
    page.locator("form button[type=submit]", has_text=re.compile(".+")).last.click()
    expect(page).to_have_url(re.compile(r"/applications/\d+/edit/$"))
    page.locator("button[value=submit]").click()
    expect(page).to_have_url(re.compile(r"/applications/\d+/$"))
    expect(page.locator(".app-head .badge.state-submitted")).to_be_visible()
    detail_url = page.url
    shot(page, "applications-05-submitted-phone")

    # 6. The official form as a PDF
    with page.expect_download() as download_info:
        page.locator(".app-head a[href$='form.pdf']").click()
    pdf_path = OUTPUT / "applications-form.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")

    # 7. The unit administrator confirms the two conditions it checks, then recommends it
    page.locator("form[action$='/logout/'] button[type=submit]").click()
    log_in(page, server_url, "unit-zju1", detail_url.removeprefix(server_url))
    for remaining in (2, 1):
        expect(page.locator("#eligibility .confirm-rule button")).to_have_count(remaining)
        page.locator("#eligibility .confirm-rule button").first.click()
        expect(page.locator("#eligibility .confirm-rule button")).to_have_count(remaining - 1)
    expect(page.locator("#eligibility .eligibility-verdict.pass")).to_be_visible()
    expect(page.locator("#eligibility .eligibility-rule .badge.ok")).to_have_count(2)
    shot(page, "applications-06-unit-confirms-phone")
    page.goto(f"{server_url}/unit/applications/")
    row = page.locator("tr", has_text="张医生")
    expect(row.locator(".badge.state-submitted")).to_be_visible()
    shot(page, "applications-06-unit-list-phone")
    row.locator("input[name=ids]").check()
    page.select_option("select[name=action]", "recommended")
    page.fill("#id_bulk_opinion", "该同志业务能力突出，同意推荐。")
    page.locator(".kit-batch button[type=submit]").click()
    expect(page.locator("#messages .message.success")).to_be_visible()
    expect(page.locator("tr", has_text="张医生").locator(".badge.state-recommended")).to_be_visible()
    shot(page, "applications-07-recommended-phone")
    page.goto(detail_url)
    expect(page.locator(".app-head .badge.state-recommended")).to_be_visible()
    expect(page.locator("body")).to_contain_text("该同志业务能力突出，同意推荐。")
    shot(page, "applications-08-detail-unit-phone")
