"""Issue 11: the catalogue's wording. English pages carry no Chinese (lists, costs, supervisors' notes,
aliases); a figure the policy does not give says so instead of "—" or nothing; the Grenoble table can turn
into cards on a phone (each cell names its column)."""

import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from medtalent.catalog.formatting import format_cost
from medtalent.catalog.models import Programme
from medtalent.catalog.templatetags.catalog_tags import shown_aliases
from medtalent.orgs.enums import AliasKind
from medtalent.orgs.models import Department, Organisation, OrganisationAlias
from tests.factories import OfferingFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
NOT_STATED_EN = "not stated in the policy"
NOT_STATED_ZH = "政策未说明"


def english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def main_html(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


# ---------------------------------------------------------------------------------------------- costs


def test_cost_in_english_is_in_whole_yuan():
    with translation.override("en"):
        assert format_cost(Decimal(60000), Decimal(75000)) == "60,000–75,000 yuan per person"
        assert format_cost(Decimal(80000), None) == "about 80,000 yuan per person"
        assert format_cost(Decimal(62000), Decimal(62000)) == "about 62,000 yuan per person"
        assert format_cost(None, None) == ""


def test_cost_in_chinese_stays_in_ten_thousand_yuan():
    with translation.override("zh-hans"):
        assert format_cost(Decimal(60000), Decimal(75000)) == "6–7.5 万元/人"
        assert format_cost(Decimal(80000), None) == "约 8 万元/人"


# ---------------------------------------------------------------------------------------------- lists


def render(source: str, **context) -> str:
    return Template("{% load catalog_tags %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "United Kingdom, France; a&lt;b"), ("zh-hans", "United Kingdom、France；a&lt;b")]
)
def test_lists_are_joined_the_way_each_language_writes_them(language, expected):
    with translation.override(language):
        html = render(
            "{{ places|join_list }}{% clause_separator %}{{ x }}", places=["United Kingdom", "France"], x="a<b"
        )
    assert html == expected


def test_join_list_escapes_each_item():
    with translation.override("en"):
        assert render("{{ items|join_list }}", items=["<b>", "A & B"]) == "&lt;b&gt;, A &amp; B"


def test_shown_aliases_leave_out_misspellings_and_chinese_in_english():
    org = Organisation.objects.get(code="chu-grenoble")
    OrganisationAlias.objects.create(organisation=org, name="CHU de Grnoble", kind=AliasKind.MISSPELLING)
    aliases = list(org.aliases.all())
    with translation.override("en"):
        assert sorted(a.name for a in shown_aliases(aliases)) == ["CHU Grenoble Alpes", "CHU de Grenoble", "CHUGA"]
    with translation.override("zh-hans"):
        assert sorted(a.name for a in shown_aliases(aliases)) == [
            "CHU Grenoble Alpes",
            "CHU de Grenoble",
            "CHUGA",
            "格勒诺布尔阿尔卑斯大学医院",
            "法国格勒诺布尔教学医院",
        ]


# ---------------------------------------------------------------------------------------------- supervisors


def test_supervisor_notes_are_in_english_on_english_pages_and_as_published_in_chinese():
    neuro = Department.objects.get(organisation__code="chu-grenoble", code="neurosciences")
    with translation.override("en"):
        assert neuro.supervisor_list == [
            "Pr Chabardes (neurosurgery)",
            "Pr Gay (neurosurgery)",
            "Pr Moro (neurology)",
            "Pr Polosan (psychiatry)",
        ]
    with translation.override("zh-hans"):
        assert neuro.supervisor_list == [
            "Pr Chabardes (神经外科)",
            "Pr Gay (神经外科)",
            "Pr Moro (神经内科)",
            "Pr Polosan (精神疾病科)",
        ]


def test_supervisors_without_an_english_version_show_as_published():
    department = Department.objects.get(organisation__code="chu-grenoble", code="pharmacy")
    assert department.supervisors_en == ""
    with translation.override("en"):
        assert department.supervisor_list == ["Pr Bedouch"]


def test_no_supervisor_shows_chinese_in_english():
    with translation.override("en"):
        chinese = [s for d in Department.objects.all() for s in d.supervisor_list if CJK.search(s)]
    assert chinese == []


# ---------------------------------------------------------------------------------------------- pages


def test_every_catalogue_programme_and_host_page_in_english_is_free_of_chinese(client):
    english(client)
    programmes = list(Programme.objects.filter(status="published").values_list("code", flat=True))
    hosts = set(
        Organisation.objects.filter(offerings__round__programme__code__in=programmes).values_list("code", flat=True)
    )
    urls = (
        [reverse("catalog:home")]
        + [reverse("catalog:programme", args=[c]) for c in programmes]
        + [reverse("catalog:host", args=[c]) for c in sorted(hosts)]
    )
    assert len(urls) == 1 + 8 + 11
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        chinese = sorted(set(CJK.findall(main_html(response))))
        if chinese:
            found[url] = "".join(chinese)
    assert found == {}


def test_guangxi_card_says_quota_and_cost_are_not_stated_in_english(client):
    english(client)
    response = client.get(reverse("catalog:home"), {"q": "gx-excellent-young"})
    html = main_html(response)
    assert [r.programme.code for r in response.context["rows"]] == ["gx-excellent-young"]
    assert re.findall(r"<dt>(Quota|Cost)</dt><dd><span class=\"muted\">([^<]*)</span>", html) == [
        ("Quota", NOT_STATED_EN),
        ("Cost", NOT_STATED_EN),
    ]


def test_guangxi_card_says_not_stated_in_chinese(client):
    # Needs the Chinese of "not stated in the policy" in the catalogue (`make translations`).
    response = client.get(reverse("catalog:home"), {"q": "gx-excellent-young"})
    assert main_html(response).count(NOT_STATED_ZH) == 2


def test_pairing_plan_card_claims_no_missing_quota_or_cost(client):
    english(client)
    response = client.get(reverse("catalog:home"), {"q": "zj-pairing-2014"})
    html = main_html(response)
    assert [r.programme.code for r in response.context["rows"]] == ["zj-pairing-2014"]
    assert NOT_STATED_EN not in html
    assert "<dt>Cost</dt>" not in html


def test_programme_page_cost_not_stated_for_guangxi_and_in_yuan_for_grenoble(client):
    english(client)
    guangxi = main_html(client.get(reverse("catalog:programme", args=["gx-excellent-young"])))
    assert f'<dt>Cost per person</dt><dd><span class="muted">{NOT_STATED_EN}</span>' in guangxi
    grenoble = main_html(client.get(reverse("catalog:programme", args=["zj-fr-grenoble"])))
    assert "<dt>Cost per person</dt><dd>60,000–75,000 yuan per person<br>" in grenoble
    assert "×10,000" not in grenoble


def test_grenoble_rounds_say_capacity_is_not_stated_instead_of_dashes(client):
    english(client)
    html = main_html(client.get(reverse("catalog:programme", args=["zj-fr-grenoble"])))
    assert html.count(f"Places per host or department: {NOT_STATED_EN}") == 2
    assert "—" not in html
    assert '<th scope="col">Capacity</th>' not in html


def test_a_stated_capacity_shows_and_a_missing_one_says_not_stated(client):
    english(client)
    stated = OfferingFactory(capacity=3)
    OfferingFactory(round=stated.round, capacity=None)
    html = main_html(client.get(reverse("catalog:programme", args=[stated.round.programme.code])))
    assert '<th scope="col">Capacity</th>' in html
    assert '<td data-label="Capacity">3</td>' in html
    assert f'<td data-label="Capacity"><span class="muted">{NOT_STATED_EN}</span></td>' in html
    assert "Places per host or department" not in html


def test_grenoble_table_cells_name_their_column_for_the_phone_layout(client):
    english(client)
    html = main_html(client.get(reverse("catalog:programme", args=["zj-fr-grenoble"])))
    assert html.count('<table class="offerings cards-on-phone">') == 2
    assert html.count('<td data-label="Department or specialty">') == 44
    assert html.count('<td data-label="Track">') == 44
    assert 'href="/static/css/catalog.css"' in response_head(client, "zj-fr-grenoble")


def response_head(client, code: str) -> str:
    html = client.get(reverse("catalog:programme", args=[code])).content.decode()
    return html[: html.index("</head>")]


def test_english_lists_use_commas_on_the_catalogue_and_chinese_lists_use_dunhao(client):
    zh = main_html(client.get(reverse("catalog:home"), {"q": "wz-bysh"}))
    assert "加拿大、德国" in zh
    english(client)
    en = main_html(client.get(reverse("catalog:home"), {"q": "wz-bysh"}))
    assert "Canada, Germany, Spain" in en
    uk = main_html(client.get(reverse("catalog:home"), {"q": "zj-uk-clinical"}))
    assert "Doctor: about 40; Nurse: about 10" in uk


def test_host_page_in_english_shows_english_notes_and_no_misspelt_alias(client):
    english(client)
    grenoble = main_html(client.get(reverse("catalog:host", args=["chu-grenoble"])))
    assert "<li>Pr Descotes (President of the French Association of Urology)</li>" in grenoble
    assert "Also known as: CHUGA; CHU Grenoble Alpes; CHU de Grenoble</p>" in grenoble
    imperial = main_html(client.get(reverse("catalog:host", args=["imperial-college-healthcare"])))
    assert "Imperial Collage" not in imperial


def test_programme_detail_query_count_unchanged_by_the_new_columns(client, django_assert_num_queries):
    programme = ProgrammeFactory()
    OfferingFactory(round__programme=programme, capacity=2)
    OfferingFactory(round__programme=programme)
    with django_assert_num_queries(PROGRAMME_QUERIES):
        response = client.get(reverse("catalog:programme", args=[programme.code]))
    assert response.status_code == 200


# The programme, countries, partners, specialties, quotas, rules, categories, rounds, offerings (no category:
# no query for the categories' rules).
PROGRAMME_QUERIES = 9
