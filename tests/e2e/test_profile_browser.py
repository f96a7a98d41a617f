"""On a phone: the applicant fills the profile, sees an ID number error on the field, gets the date of birth
from the ID number, reveals the masked number, survives an expired session without losing what was typed,
and uploads a photo (a PDF as photo is refused), then deletes it. Screenshots in test-output/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import create_user, shot
from tests.people.conftest import PDF_BYTES, make_id, png_bytes

# A fresh account: the demo applicant belongs to the application walkthrough running on the same server.
PROFILE_USER = "applicant-profile"

pytestmark = pytest.mark.browser

ID_NUMBER = make_id(prefix="330302", birth="19880615", sequence="123")


def log_in(page, server_url, next_url="/me/profile/"):
    page.goto(f"{server_url}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", PROFILE_USER)
    page.fill("input[name=password]", "medtalent-demo")
    page.locator("form.stack button[type=submit]").click()


def log_in_in_background(page, server_url):
    request = page.context.request
    request.get(f"{server_url}/accounts/login/")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = request.post(
        f"{server_url}/accounts/login/",
        form={"username": PROFILE_USER, "password": "medtalent-demo", "csrfmiddlewaretoken": token, "next": "/"},
        headers={"Referer": f"{server_url}/accounts/login/"},
        max_redirects=0,
    )
    assert response.status == 302


def test_applicant_fills_the_profile_on_a_phone(server_url, phone_page, tmp_path):
    create_user(PROFILE_USER)
    page = phone_page
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    log_in(page, server_url)
    expect(page).to_have_url(re.compile(r"/me/profile/$"))
    expect(page.locator("#section-basic")).to_be_visible()

    # The ID number waits for the separate consent to the sensitive data (issue 10): given on its own page.
    expect(page.locator("#id_id_number")).to_be_disabled()
    page.goto(f"{server_url}/me/consent/sensitive/?next=/me/profile/")
    page.check("input[name=agree]")
    page.locator("form button[type=submit]").last.click()
    page.goto(f"{server_url}/me/profile/")
    expect(page.locator("#id_id_number")).to_be_enabled()

    # One column: the name and sex fields sit one under the other.
    name_box = page.locator("#field-name").bounding_box()
    sex_box = page.locator("#field-sex").bounding_box()
    assert name_box["x"] == sex_box["x"]
    assert sex_box["y"] > name_box["y"]

    # A wrong check digit: the message appears next to the field, the typed value stays.
    wrong = ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")
    page.fill("#id_name", "张医生")
    page.fill("#id_id_number", wrong)
    page.locator("#id_id_number").dispatch_event("change")
    expect(page.locator("#errors-id_number .error")).to_be_visible()
    expect(page.locator("#id_id_number")).to_have_value(wrong)
    shot(page, "people-01-profile-id-error-phone")

    # The right number: the error goes, the date of birth and sex come from the number.
    page.fill("#id_id_number", ID_NUMBER)
    page.locator("#id_id_number").dispatch_event("change")
    expect(page.locator("#errors-id_number .error")).to_have_count(0)
    expect(page.locator("#id_birth_date")).to_have_value("1988-06-15")
    expect(page.locator("#autosave-status")).to_contain_text(re.compile(r"\d\d:\d\d"))

    # After a reload the number is masked; "show" reveals it.
    page.reload()
    masked = ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:]
    expect(page.locator("#field-id_number .masked-value")).to_have_text(masked)
    assert ID_NUMBER not in page.content()
    page.locator("#field-id_number .reveal-button").click()
    expect(page.locator("#field-id_number .masked-value")).to_have_text(ID_NUMBER)

    # The session expires: the change is not saved, the page says so and keeps the text.
    page.context.clear_cookies(name="sessionid")
    page.fill("#id_native_place", "浙江温州")
    page.locator("#id_native_place").dispatch_event("change")
    expect(page.locator("#autosave-status .autosave-expired")).to_be_visible()
    expect(page.locator("#id_native_place")).to_have_value("浙江温州")
    shot(page, "people-02-session-expired-phone")

    # Log in again elsewhere (as another tab would: same cookies, the CSRF token changes); the next change
    # saves everything typed. Through the context's request API: closing a second tab can hang Chromium.
    log_in_in_background(page, server_url)
    page.fill("#id_department", "心血管内科")
    page.locator("#id_department").dispatch_event("change")
    expect(page.locator("#autosave-status .autosave-expired")).to_have_count(0)
    expect(page.locator("#autosave-status")).to_contain_text(re.compile(r"\d\d:\d\d"))
    page.reload()
    expect(page.locator("#id_native_place")).to_have_value("浙江温州")
    expect(page.locator("#id_department")).to_have_value("心血管内科")

    # A real PNG is stored and shown; a PDF as photo is refused. Each upload starts from a freshly loaded
    # page: an upload's answer replaces the file input, and a busy machine could hand the next file to the
    # discarded one.
    photo = tmp_path / "me.png"
    photo.write_bytes(png_bytes((60, 80)))
    page.reload()
    page.wait_for_load_state("networkidle")
    page.select_option("#id_doc-kind", "photo")
    page.wait_for_load_state("networkidle")
    page.set_input_files("#id_doc-file", str(photo))
    expect(page.locator("#documents img.photo-thumb")).to_be_visible()
    page.wait_for_function("() => document.querySelector('#documents img.photo-thumb').naturalWidth === 60")
    expect(page.locator("#errors-doc-file .error")).to_have_count(0)
    fake = tmp_path / "photo.png"
    fake.write_bytes(PDF_BYTES)
    page.reload()
    page.wait_for_load_state("networkidle")
    page.select_option("#id_doc-kind", "photo")
    page.wait_for_load_state("networkidle")
    page.set_input_files("#id_doc-file", str(fake))
    expect(page.locator("#errors-doc-file .error")).to_be_visible()
    expect(page.locator("#documents img.photo-thumb")).to_have_count(1)
    shot(page, "people-03-profile-phone")

    # Deleting the photo removes it (and its file: the e2e server stores uploads in the private folder).
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#documents .link-danger").click()
    expect(page.locator("#documents img.photo-thumb")).to_have_count(0)
    # The 401 of the autosave while logged out is expected; nothing else may go wrong.
    assert [e for e in console_errors if "401 (Unauthorized)" not in e] == []
