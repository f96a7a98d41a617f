"""The audit trail's filters take names (issue 11): the kind of object is chosen by its name, an organisation is
found by any of its names or abbreviations, and the export holds what the page shows with the same filters."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from medtalent.accounts.enums import Role
from medtalent.core.services import audit_log
from medtalent.orgs.models import Organisation
from tests.factories import CommissionFactory, OrganisationFactory, code
from tests.helpers import make_user

pytestmark = pytest.mark.django_db
URL = reverse("audit:events")
EXPORT = reverse("audit:export")


@pytest.fixture
def auditor_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(make_user(Role.AUDITOR, CommissionFactory(region=code("region", "330000"))))
    return client


@pytest.fixture
def events():
    zju1 = Organisation.objects.get(code="zju-first-hospital")
    other = OrganisationFactory(name_zh="审计测试医院", region=code("region", "330102"))
    return {
        "zju1": audit_log(actor=None, action="test.filter", obj=zju1),
        "other": audit_log(actor=None, action="test.filter", obj=other),
    }


def _shown(response) -> list[int]:
    return [row.record.pk for row in response.context["table"].paginated_rows]


def test_the_object_type_is_chosen_by_its_name(auditor_client, events):
    response = auditor_client.get(URL, {"object_type": "orgs.organisation", "action": "test.filter"})
    choices = dict(response.context["filter"].form.fields["object_type"].choices)
    assert choices["orgs.organisation"] == "Organisation"
    assert choices["people.person"] == "Person"
    assert _shown(response) == [events["other"].pk, events["zju1"].pk]
    html = response.content.decode()
    assert '<option value="orgs.organisation" selected>Organisation</option>' in html
    assert f">Organisation #{events['zju1'].object_id}<" in html


def test_an_unknown_object_type_is_not_a_filter(auditor_client, events):
    response = auditor_client.get(URL, {"object_type": "zju-first-hospital", "action": "test.filter"})
    assert _shown(response) == [events["other"].pk, events["zju1"].pk]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("浙大一院", ["zju1"]),
        ("First Affiliated Hospital Zhejiang", ["zju1"]),
        ("审计测试", ["other"]),
        ("无此机构", []),
    ],
)
def test_the_organisation_filter_takes_a_name(auditor_client, events, name, expected):
    response = auditor_client.get(URL, {"organisation": name})
    assert _shown(response) == [events[key].pk for key in expected]


def test_the_export_holds_the_rows_the_page_shows_with_the_same_filters(auditor_client, events):
    filters = {"organisation": "浙大一院", "object_type": "orgs.organisation"}
    shown = _shown(auditor_client.get(URL, filters))
    sheet = load_workbook(io.BytesIO(auditor_client.get(EXPORT, filters).content)).active
    assert [row[0] for row in list(sheet.values)[1:]] == shown == [events["zju1"].pk]


@pytest.mark.parametrize("count", [1, 3])
def test_the_organisation_filter_costs_the_same_queries(auditor_client, django_assert_num_queries, count):
    zju1 = Organisation.objects.get(code="zju-first-hospital")
    for _ in range(count):
        audit_log(actor=None, action="test.count", obj=zju1)
    auditor_client.get(URL)
    # session, user, roles, the security middleware, the rows (and one more to know of a next page): never a COUNT
    with django_assert_num_queries(5):
        response = auditor_client.get(URL, {"organisation": "浙大一院"})
    assert len(response.context["rows"]) == count
