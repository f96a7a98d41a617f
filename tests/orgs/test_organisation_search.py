"""One organisation search everywhere (issue 11): 浙大一院, an abbreviation recorded as an alias, finds
浙江大学医学院附属第一医院 in the profile's employer search, the registration's unit search, the alliance's
directory (page and API), the secretariat's member search, the administration's searches and the audit filter."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.alliance.models import Membership
from medtalent.core.services import audit_log
from medtalent.orgs.enums import AliasKind
from medtalent.orgs.models import Organisation, OrganisationAlias
from medtalent.orgs.selectors import organisation_match_q, organisations_search
from tests.factories import CommissionFactory, OrganisationFactory, UserFactory, code
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

ZJU1 = "zju-first-hospital"
ALLIANCE = "bri-medical-talent-alliance"


@pytest.fixture
def zju1():
    return Organisation.objects.get(code=ZJU1)


def _codes(qs) -> list[str]:
    return [o.code for o in qs]


@pytest.mark.parametrize(
    "q",
    [
        "浙大一院",
        "浙江大学医学院附属第一医院",
        "附属第一医院 浙江大学",
        "First Affiliated Zhejiang",
        "zju-first-hospital",
    ],
)
def test_the_search_finds_an_organisation_by_any_name_alias_or_code(zju1, q):
    assert ZJU1 in _codes(Organisation.objects.filter(organisation_match_q(q)))


def test_every_word_must_match_and_a_latin_word_matches_at_a_word_start(zju1):
    assert _codes(Organisation.objects.filter(organisation_match_q("浙大一院 Mayo"))) == []
    assert ZJU1 not in _codes(Organisation.objects.filter(organisation_match_q("irst")))


def test_several_matching_aliases_give_one_row(zju1):
    OrganisationAlias.objects.create(organisation=zju1, name="浙大一院（庆春院区）", kind=AliasKind.HISTORICAL)
    assert _codes(organisations_search(q="浙大一院")).count(ZJU1) == 1


def test_the_search_of_related_rows_goes_through_their_organisation(zju1):
    alliance = Organisation.objects.get(code=ALLIANCE)
    membership = Membership.objects.create(alliance=alliance, organisation=zju1)
    found = Membership.objects.filter(organisation_match_q("浙大一院", field="organisation"))
    assert list(found) == [membership]


@pytest.mark.parametrize("count", [1, 3])
def test_the_search_costs_one_query_whatever_it_finds(django_assert_num_queries, count):
    for n in range(count):
        org = OrganisationFactory(name_zh=f"查询计数医院{n}")
        OrganisationAlias.objects.create(organisation=org, name=f"计数简称{n}", kind=AliasKind.ABBREVIATION)
    with django_assert_num_queries(1):
        found = list(Organisation.objects.filter(organisation_match_q("计数简称")))
    assert len(found) == count


# ---- Each place ------------------------------------------------------------------------------------------------


def test_the_profile_employer_search_finds_the_abbreviation(client, zju1):
    client.force_login(UserFactory())
    response = client.get(reverse("people:employer_options"), {"employer_q": "浙大一院"})
    assert response.status_code == 200
    assert zju1 in response.context["organisations"]


def test_the_registration_unit_search_finds_the_abbreviation(client, zju1):
    response = client.get(reverse("registration:unit_options"), {"unit_q": "浙大一院"})
    assert response.status_code == 200
    assert f'value="{zju1.pk}"' in response.content.decode()


def test_the_alliance_directory_and_its_api_find_the_abbreviation(client, zju1):
    alliance = Organisation.objects.get(code=ALLIANCE)
    Membership.objects.create(alliance=alliance, organisation=zju1)
    response = client.get(reverse("alliance:directory"), {"q": "浙大一院"})
    assert [m.organisation.code for m in response.context["rows"]] == [ZJU1]
    api = client.get("/api/v1/alliance/members", {"q": "浙大一院"})
    assert api.status_code == 200
    assert [r["organisation"]["code"] for r in api.json()["results"]] == [ZJU1]


def test_the_secretariat_member_search_finds_the_abbreviation(client, zju1):
    client.force_login(make_user(Role.ALLIANCE_SECRETARIAT, ALLIANCE))
    response = client.get(reverse("alliance:member_add"), {"find": "浙大一院"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert f'value="{ZJU1}"' in html
    assert html.count("<option") == 1


def test_the_administration_searches_find_the_abbreviation(client, zju1):
    alliance = Organisation.objects.get(code=ALLIANCE)
    membership = Membership.objects.create(alliance=alliance, organisation=zju1)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    organisations = client.get(reverse("admin:orgs_organisation_changelist"), {"q": "浙大一院"})
    assert list(organisations.context["cl"].result_list) == [zju1]
    memberships = client.get(reverse("admin:alliance_membership_changelist"), {"q": "浙大一院"})
    assert list(memberships.context["cl"].result_list) == [membership]


def test_the_audit_filter_takes_an_organisation_name(client, zju1):
    other = OrganisationFactory(region=code("region", "330102"))
    about_zju1 = audit_log(actor=None, action="test.org", obj=zju1)
    audit_log(actor=None, action="test.org", obj=other)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(make_user(Role.AUDITOR, CommissionFactory(region=code("region", "330000"))))
    response = client.get(reverse("audit:events"), {"organisation": "浙大一院"})
    assert [row.record.pk for row in response.context["table"].paginated_rows] == [about_zju1.pk]
    assert "Organisation #" in response.content.decode()
