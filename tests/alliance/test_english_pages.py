"""The alliance's pages in English carry no Chinese (issue 11): lists are joined with commas, a district with no
English name is shown by its city, a note written only in Chinese is not shown, and text in another language is
marked with its `lang`."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from medtalent.alliance.models import Committee, Event, Membership
from medtalent.alliance.templatetags.alliance_tags import name_list, region_name
from medtalent.codes.models import Code
from medtalent.orgs.models import Organisation

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
ALLIANCE = "bri-medical-talent-alliance"


class _ChineseText(HTMLParser):
    """The visible text holding Chinese characters outside an element marked with another language."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, (dict(attrs).get("lang") or "").lower()))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if any(tag in ("script", "style") for tag, _ in self.stack):
            return
        marked = any(lang and not lang.startswith("en") for _, lang in self.stack[1:])
        if CJK.search(data) and not marked:
            self.found.append(data.strip())


def chinese_in(html: str) -> list[str]:
    parser = _ChineseText()
    parser.feed(html)
    return parser.found


@pytest.fixture
def en_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _urls() -> list[str]:
    return (
        [reverse("alliance:directory"), reverse("alliance:events")]
        + [reverse("alliance:event", args=[e.code]) for e in Event.objects.order_by("code")]
        + [reverse("alliance:committee", args=[c.code]) for c in Committee.objects.order_by("code")]
    )


def test_no_public_alliance_page_in_english_shows_chinese(en_client):
    zju1 = Organisation.objects.get(code="zju-first-hospital")  # in 上城区, which has no English name
    Membership.objects.create(alliance=Organisation.objects.get(code=ALLIANCE), organisation=zju1, note_zh="仅中文备注")
    found = {url: chinese_in(en_client.get(url).content.decode()) for url in _urls()}
    assert {url: text for url, text in found.items() if text} == {}


def test_the_directory_names_a_district_by_its_city_in_english(en_client):
    zju1 = Organisation.objects.get(code="zju-first-hospital")
    Membership.objects.create(alliance=Organisation.objects.get(code=ALLIANCE), organisation=zju1, note_en="Founder")
    html = en_client.get(reverse("alliance:directory"), {"q": "浙大一院"}).content.decode()
    assert "<dd>China · Hangzhou</dd>" in html
    assert "<dd>Founder</dd>" in html


def test_the_directory_in_chinese_keeps_the_district_and_the_chinese_note(client):
    zju1 = Organisation.objects.get(code="zju-first-hospital")
    Membership.objects.create(alliance=Organisation.objects.get(code=ALLIANCE), organisation=zju1, note_zh="仅中文备注")
    html = client.get(reverse("alliance:directory"), {"q": "浙大一院"}).content.decode()
    assert "<dd>中国 · 上城区</dd>" in html
    assert "<dd>仅中文备注</dd>" in html


def test_names_are_listed_with_the_separator_of_the_language():
    countries = list(Code.objects.filter(table__slug="country", code__in=["AT", "IT"]).order_by("code"))
    with translation.override("en"):
        assert name_list(countries) == "Austria, Italy"
    with translation.override("zh-hans"):
        assert name_list(countries) == "奥地利、意大利"


def test_a_region_name_in_english_falls_back_to_the_nearest_named_region():
    district = Code.objects.select_related("parent").get(table__slug="region", code="330102")
    with translation.override("en"):
        assert region_name(district) == "Hangzhou"
        assert region_name(None) == ""
    with translation.override("zh-hans"):
        assert region_name(district) == "上城区"


def test_an_event_page_in_english_lists_its_organisers_with_commas(en_client):
    html = en_client.get(reverse("alliance:event", args=["2019-09-delegation-italy-austria"])).content.decode()
    assert "<dd>Austria, Italy</dd>" in html
    assert "、" not in html
