"""The catalogue page, the programme page and the host page."""

import pytest
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.catalog.enums import ProgrammeStatus
from tests.factories import OfferingFactory, ProgrammeFactory, QuotaFactory, RoleFactory

pytestmark = pytest.mark.django_db

# Catalogue page for a visitor: count, page of programmes, countries, quotas, hosts, and the two filter
# choice lists. It does not grow with the number of programmes shown.
CATALOGUE_QUERIES = 7


def make_programmes(n: int) -> None:
    for _ in range(n):
        programme = ProgrammeFactory(countries=["ZZ", "YY"])
        QuotaFactory(programme=programme)
        OfferingFactory(round__programme=programme)
        OfferingFactory(round__programme=programme)


@pytest.mark.parametrize("rows", [1, 3])
def test_catalogue_query_count_does_not_grow_with_rows(client, django_assert_num_queries, rows):
    make_programmes(rows)
    with django_assert_num_queries(CATALOGUE_QUERIES):
        response = client.get(reverse("catalog:home"), {"country": "ZZ"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_catalogue_htmx_fragment_query_count(client, django_assert_num_queries, rows):
    make_programmes(rows)
    with django_assert_num_queries(CATALOGUE_QUERIES - 2):
        response = client.get(reverse("catalog:home"), {"country": "ZZ"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.content.decode().count('<li class="card">') == rows


def test_catalogue_lists_seed_programmes_in_chinese_by_default(client):
    response = client.get(reverse("catalog:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 8
    assert "法国格勒诺布尔教学医院" in html or "格勒诺布尔" in html
    assert 'lang="zh-Hans"' in html


def test_catalogue_htmx_request_gets_only_the_results_fragment(client):
    response = client.get(reverse("catalog:home"), {"q": "泌尿"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html
    assert html.count('<li class="card">') == 4


def test_catalogue_ignores_an_unknown_filter_value_instead_of_failing(client):
    response = client.get(reverse("catalog:home"), {"duration": "forever", "q": "Grenoble"})
    assert response.status_code == 200
    assert [r.programme.code for r in response.context["rows"]] == ["zj-fr-grenoble"]


def test_catalogue_keeps_filters_in_the_pager_links(client):
    for _ in range(21):
        ProgrammeFactory(countries=["ZZ"])
    response = client.get(reverse("catalog:home"), {"country": "ZZ"})
    assert response.context["page"].paginator.num_pages == 2
    assert "country=ZZ&amp;page=2" in response.content.decode()


def test_catalogue_in_english_after_switching_language(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("catalog:home"))
    html = response.content.decode()
    assert 'lang="en"' in html
    assert "Grenoble Alpes University Hospital" in html or "CHU Grenoble Alpes" in html


def test_programme_page_shows_grenoble_departments_and_supervisors(client):
    response = client.get(reverse("catalog:programme", args=["zj-fr-grenoble"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "泌尿科" in html or "泌尿" in html
    assert response.context["programme"].code == "zj-fr-grenoble"


def test_host_page_lists_departments_with_supervisors(client):
    response = client.get(reverse("catalog:host", args=["chu-grenoble"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pr Rambeaud" in html
    assert "Pr Long" in html
    assert "zj-fr-grenoble" in html


def test_programme_page_of_a_draft_is_404_for_visitors_and_shown_to_its_commission(client):
    programme = ProgrammeFactory(status=ProgrammeStatus.DRAFT)
    url = reverse("catalog:programme", args=[programme.code])
    assert client.get(url).status_code == 404
    admin = RoleFactory(role=Role.COMMISSION_ADMIN, organisation=programme.owner).user
    client.force_login(admin)
    assert client.get(url).status_code == 200


def test_unknown_programme_is_404(client):
    assert client.get(reverse("catalog:programme", args=["no-such-programme"])).status_code == 404


def test_pages_send_a_content_security_policy_without_inline_scripts(client):
    response = client.get(reverse("catalog:home"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    html = response.content.decode()
    assert "<script>" not in html
    assert " style=" not in html
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html


def test_workspace_requires_login_and_lists_managed_programmes(client):
    url = reverse("workspace:home")
    assert client.get(url).status_code == 302
    programme = ProgrammeFactory(status=ProgrammeStatus.DRAFT)
    admin = RoleFactory(role=Role.COMMISSION_ADMIN, organisation=programme.owner).user
    client.force_login(admin)
    response = client.get(url)
    assert response.status_code == 200
    assert [p.code for p in response.context["managed_programmes"]] == [programme.code]


def test_pages_stay_chinese_for_an_english_browser_until_the_user_switches(client):
    response = client.get(reverse("catalog:home"), headers={"accept-language": "en-US,en;q=0.9"})
    assert 'lang="zh-Hans"' in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("catalog:home"), headers={"accept-language": "zh-CN"})
    assert 'lang="en"' in response.content.decode()
