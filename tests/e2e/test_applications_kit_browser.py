"""Issue 11, in a browser at 1366×900 and on a 390×844 phone: the intended host institution on the application form;
an autosave still saves after the user logged out and in again in another tab; the unit administrator sees the
applicant's documents on the application; the profile's red banner follows the form (gone once the ID number is
corrected) and the person's name is labelled 姓名."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, run_in_server, shot
from tests.e2e.test_applications_browser import PASSWORD, fits_the_screen, log_in, saved_text

pytestmark = pytest.mark.browser

# A user of its own per test (the demo applicant belongs to the other browser tests), employed by 浙大一院 (whose
# administrator is the demo account unit-zju1), with both consents, a CV and a draft for the open demo round.
SETUP = """
import datetime as dt
from django.core.files.base import ContentFile
from medtalent.accounts.enums import Role
from medtalent.accounts.services import role_assign, user_get_or_create
from medtalent.applications.models import Application
from medtalent.catalog.models import Round
from medtalent.codes.idnumber import check_character
from medtalent.codes.models import Code
from medtalent.orgs.selectors import organisation_resolve
from medtalent.people.models import Consent, Document, Person
from medtalent.people.selectors import current_privacy_notice

username, sequence = {username!r}, {sequence!r}
user, _ = user_get_or_create(actor=None, username=username, display_name=username, password={password!r})
role_assign(actor=None, user=user, role=Role.APPLICANT)
employer = organisation_resolve(name="浙江大学医学院附属第一医院")
birth = dt.date.today() - dt.timedelta(days=51 * 365 + 60)
first17 = f"{{employer.region.code}}{{birth:%Y%m%d}}{{sequence}}"
person = Person.objects.create(
    user=user, name="测试医生" + sequence, employer=employer, birth_date=birth,
    sex=Code.objects.get(table__slug="sex", code="1"), id_number=first17 + check_character(first17),
    phone="13912345678",
)
for kind in ("general", "sensitive"):
    Consent.objects.create(person=person, notice=current_privacy_notice(kind=kind))
Document.objects.create(
    person=person, kind="cv", file=ContentFile(b"%PDF-1.4\\n%%EOF\\n", name="cv.pdf"), original_name="个人简历.pdf",
    content_type="application/pdf", size=15,
)
round_ = Round.objects.get(code="wz-bysh-demo-open")
category = round_.programme.categories.order_by("sort", "id").first()
application = Application.objects.create(person=person, round=round_, category=category, unit=employer)
print(application.pk, person.id_number)
"""


def make_applicant(username: str, sequence: str) -> tuple[int, str]:
    """The applicant's draft application and their ID number."""
    printed = run_in_server(SETUP.format(username=username, sequence=sequence, password=PASSWORD))
    pk, id_number = printed.split()[-2:]
    return int(pk), id_number


def log_out_and_in_elsewhere(context, server_url: str, username: str) -> None:
    request = context.request

    def token() -> str:
        return next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")

    before = token()
    referer = {"Referer": f"{server_url}/accounts/login/"}
    out = request.post(
        f"{server_url}/accounts/logout/", form={"csrfmiddlewaretoken": before}, headers=referer, max_redirects=0
    )
    assert out.status == 302
    request.get(f"{server_url}/accounts/login/")
    response = request.post(
        f"{server_url}/accounts/login/",
        form={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token(), "next": "/"},
        headers=referer,
        max_redirects=0,
    )
    assert response.status == 302
    assert token() != before


@pytest.mark.parametrize(("size", "viewport", "sequence"), [("desktop", DESKTOP, "301"), ("phone", PHONE, "303")])
def test_the_intended_host_and_a_re_login_in_another_tab(server_url, new_context, size, viewport, sequence):
    pk, _id_number = make_applicant(f"kit-apply-{size}", sequence)
    options = {"viewport": viewport, **({"is_mobile": True, "has_touch": True} if size == "phone" else {})}
    context = new_context(size, **options)
    form_tab = context.new_page()
    edit = f"/applications/{pk}/edit/"
    log_in(form_tab, server_url, f"kit-apply-{size}", edit)

    # The round offers no choice of hosts: the form asks for the intended one (拟申请研修单位), saved as typed.
    expect(form_tab.locator("label[for=id_intended_host]")).to_be_visible()
    with form_tab.expect_response(lambda r: r.url.endswith("/autosave/") and saved_text(r, "intended_host")) as saved:
        form_tab.fill("#id_intended_host", "温州医科大学附属第一医院")
    assert saved.value.status == 200
    expect(form_tab.locator("#autosave-status .autosave-ok")).to_be_visible()
    if size == "phone":
        fits_the_screen(form_tab)
    shot(form_tab, f"applications-kit-01-intended-host-{size}")

    # Another tab logs out and in again: the session and the CSRF token change under the form. Through the
    # context's request API, which shares the tabs' cookies (closing a second tab can hang Chromium).
    log_out_and_in_elsewhere(context, server_url, f"kit-apply-{size}")

    reason = "重新登录后继续填写：提高介入诊疗水平。"
    with form_tab.expect_response(
        lambda r: r.url.endswith("/autosave/") and saved_text(r, "reason") == reason
    ) as saved:
        form_tab.fill("#id_reason", reason)
    assert saved.value.status == 200
    expect(form_tab.locator("#autosave-status .autosave-ok")).to_be_visible()
    shot(form_tab, f"applications-kit-02-saved-after-relogin-{size}")
    form_tab.reload()
    expect(form_tab.locator("#id_reason")).to_have_value(reason)
    expect(form_tab.locator("#id_intended_host")).to_have_value("温州医科大学附属第一医院")
    expect(form_tab.locator("label[for=id_intended_host]")).to_contain_text("拟申请研修单位")


@pytest.mark.parametrize(("size", "viewport", "sequence"), [("desktop", DESKTOP, "305"), ("phone", PHONE, "307")])
def test_the_unit_sees_the_applicants_documents_on_the_application(server_url, new_context, size, viewport, sequence):
    pk, _id_number = make_applicant(f"kit-docs-{size}", sequence)
    options = {"viewport": viewport, **({"is_mobile": True, "has_touch": True} if size == "phone" else {})}
    page = new_context(size, **options).new_page()
    detail = f"/applications/{pk}/"
    log_in(page, server_url, "unit-zju1", detail)

    documents = page.locator("#documents")
    expect(documents).to_contain_text("个人简历.pdf")
    with page.expect_download() as download:
        documents.locator("a", has_text="个人简历.pdf").click()
    assert download.value.suggested_filename == "个人简历.pdf"
    expect(documents.locator("a[href^='/people/']")).to_be_visible()
    documents.scroll_into_view_if_needed()
    if size == "phone":
        fits_the_screen(page)
    shot(page, f"applications-kit-03-documents-{size}")


@pytest.mark.parametrize(("size", "viewport", "sequence"), [("desktop", DESKTOP, "309"), ("phone", PHONE, "311")])
def test_the_profile_banner_follows_the_form(server_url, new_context, size, viewport, sequence):
    _pk, id_number = make_applicant(f"kit-profile-{size}", sequence)
    wrong = id_number[:17] + ("0" if id_number[17] != "0" else "1")
    options = {"viewport": viewport, **({"is_mobile": True, "has_touch": True} if size == "phone" else {})}
    page = new_context(size, **options).new_page()
    log_in(page, server_url, f"kit-profile-{size}", "/me/profile/")
    banner = page.locator("#profile-problems .notice.error")

    with page.expect_response(lambda r: r.url.endswith("/me/profile/autosave/")):
        page.fill("#id_id_number", wrong)
        page.locator("#id_id_number").dispatch_event("change")
    expect(banner).to_be_visible()
    expect(page.locator("#errors-id_number .error")).to_be_visible()
    page.reload()
    expect(banner).to_be_visible()
    expect(page.locator("#errors-id_number .error")).to_be_visible()
    shot(page, f"profile-kit-01-wrong-id-{size}")

    with page.expect_response(lambda r: r.url.endswith("/me/profile/autosave/")):
        page.fill("#id_id_number", id_number)
        page.locator("#id_id_number").dispatch_event("change")
    expect(banner).to_have_count(0)
    expect(page.locator("#errors-id_number .error")).to_have_count(0)
    page.reload()
    expect(banner).to_have_count(0)
    if size == "phone":
        fits_the_screen(page)
    shot(page, f"profile-kit-02-corrected-{size}")
    expect(page.locator("label[for=id_name]")).to_contain_text("姓名")
