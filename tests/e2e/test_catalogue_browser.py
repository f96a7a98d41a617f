"""A visitor finds the Grenoble urology supervisors, then reads the same page in English."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shot

pytestmark = pytest.mark.browser


def test_visitor_searches_filters_opens_grenoble_and_switches_to_english(server_url, page):
    page.goto(server_url + "/")
    expect(page.locator("h1")).to_have_text("培训与交流项目")
    expect(page.locator(".result-count")).to_contain_text("8")
    shot(page, "01-catalogue-zh")

    page.fill("#id_q", "泌尿")
    expect(page.locator(".result-count")).to_contain_text("4")
    expect(page).to_have_url(re.compile(r"q=%E6%B3%8C%E5%B0%BF"))
    page.select_option("select[name=country]", "FR")
    expect(page.locator(".result-count")).to_contain_text("1")
    expect(page).to_have_url(re.compile(r"country=FR"))
    shot(page, "02-search-urology-france")

    page.locator(".card h2 a").first.click()
    expect(page).to_have_url(re.compile(r"/programmes/zj-fr-grenoble/$"))
    urology_row = page.locator("tr", has_text="泌尿")
    expect(urology_row.first).to_contain_text("Pr Rambeaud")
    expect(urology_row.first).to_contain_text("Pr Long")
    shot(page, "03-grenoble-zh")

    page.locator(".lang-switch button[value=en]").click()
    expect(page).to_have_url(re.compile(r"/programmes/zj-fr-grenoble/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h2", has_text="Rounds and offerings")).to_be_visible()
    expect(page.locator("tr", has_text="Urology").first).to_contain_text("Pr Rambeaud")
    shot(page, "04-grenoble-en")
    assert page.console_errors == []


def test_catalogue_fits_a_phone_screen(server_url, phone_page):
    phone_page.goto(server_url + "/?q=urology")
    expect(phone_page.locator(".result-count")).to_contain_text("4")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    shot(phone_page, "05-catalogue-phone")
