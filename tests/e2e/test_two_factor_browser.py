"""On a phone: a user turns two-factor authentication on (reading the key from the page and computing the code as
an authenticator app would), keeps the recovery codes, logs out, and logs in again with the password and a code.
The e2e server runs with DEBUG on, so two-factor authentication is offered, not required. Screenshots in
test-output/screenshots/."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.e2e.conftest import create_user, shot

pytestmark = pytest.mark.browser

USERNAME = "two-factor-user"
PASSWORD = "medtalent-demo"


def code_for(secret: str, *, steps_ahead: int = 0) -> str:
    totp = TOTP(b32decode(secret + "=" * (-len(secret) % 8)), step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def log_in(page, server_url: str, next_path: str = "/me/") -> None:
    page.goto(f"{server_url}/accounts/login/?next={next_path}")
    page.fill("input[name=username]", USERNAME)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.stack button[type=submit]").click()


def test_two_factor_set_up_then_log_in_with_a_code(server_url, phone_page):
    create_user(USERNAME, PASSWORD)
    page = phone_page

    log_in(page, server_url)
    expect(page).to_have_url(re.compile(r"/me/$"))
    page.goto(f"{server_url}/me/security/")
    page.locator(".two-factor a.button.primary").click()
    expect(page).to_have_url(re.compile(r"/me/security/two-factor/enrol/$"))
    expect(page.locator("img.qr")).to_be_visible()
    assert page.locator("img.qr").get_attribute("src").startswith("data:image/svg+xml")
    shot(page, "two-factor-enrol-phone")
    secret = page.locator("code.secret").get_attribute("data-secret")
    page.fill("input[name=code]", code_for(secret))
    page.locator(".two-factor form button[type=submit]").click()

    codes = page.locator("ul.recovery-codes li")
    expect(codes).to_have_count(10)
    shot(page, "two-factor-recovery-codes-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390

    page.locator("header form.inline-form").evaluate("form => form.submit()")
    expect(page.locator("a[href^='/accounts/login/']").first).to_be_attached()

    log_in(page, server_url)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/\?next=%2Fme%2F$"))
    shot(page, "two-factor-verify-phone")
    page.fill("input[name=code]", code_for(secret, steps_ahead=1))  # the enrolment used the current code
    page.locator(".two-factor form.stack button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me/$"))
