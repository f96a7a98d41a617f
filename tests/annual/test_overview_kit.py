"""The yearly overview in the back office's table kit: the year's select stays (an unknown year is an error beside
it), a hospital found by name, the Excel export equal to the page, and the same queries for 1 and 3 rows as a
page, an HTMX fragment and an export."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.annual import services
from medtalent.annual.enums import ReviewKind, TargetKind
from medtalent.partnerships.models import Pairing
from tests.annual.conftest import make_user, org, snapshot
from tests.helpers import kit_export_rows, kit_page_rows

pytestmark = pytest.mark.django_db

URL = "/pairings/years/"


def test_url():
    assert reverse("annual:overview") == URL


def test_the_export_is_the_page_with_the_same_year_and_hospital(client, pairing, supporting_admin):
    services.target_create(actor=supporting_admin, pairing=pairing, year=2015, kind=TargetKind.TEAM, title="团队")
    services.review_save(
        actor=supporting_admin, pairing=pairing, year=2015, kind=ReviewKind.SELF_SUPPORTING, summary="草稿"
    )
    client.force_login(supporting_admin)
    query = {"year": "2015", "hospital": "景宁县人民医院"}

    page = client.get(URL, query)
    export = client.get(URL, {**query, "export": "xlsx"})

    sheet = kit_export_rows(export)
    assert sheet[0][:3] == ["Supporting hospital", "Supported hospital", "County"]
    # The last column of the page (the button that opens the year) is not exported.
    assert sheet[1:] == [row[:-1] for row in kit_page_rows(page.content.decode())]
    assert sheet[1][3:] == ["Draft", "Not submitted", "Not submitted", "—", "0 / 1"]
    html = page.content.decode()
    assert f'href="{reverse("annual:year", args=[pairing.pk, 2015])}"' in html


def test_a_unit_admin_gets_no_city_filter_but_keeps_the_years(client, supported_admin):
    client.force_login(supported_admin)

    response = client.get(URL, {"year": "2015"})

    fields = response.context["filter"].form.fields
    assert list(fields) == ["year", "hospital"]
    assert [v for v, _ in fields["year"].choices] == ["2014", "2015", "2016"]


def test_a_refused_export_changes_nothing(client):
    client.force_login(make_user(Role.APPLICANT))
    before = snapshot()

    assert client.get(URL, {"export": "xlsx"}).status_code == 403
    assert snapshot() == before


# 武警杭州医院 supports one hospital, 浙大一院 three.
@pytest.mark.parametrize(("hospital", "rows"), [("武警杭州医院", 1), ("浙江大学医学院附属第一医院", 3)])
@pytest.mark.parametrize(
    ("headers", "params", "queries"),
    [
        # session, user, programme, roles, scope exists, years, count, rows, unread notices
        ({}, {}, 9),
        # … the fragment draws no header
        ({"HTTP_HX_REQUEST": "true"}, {}, 8),
        # … the export: no header, its rows without a page count
        ({}, {"export": "xlsx"}, 7),
    ],
    ids=["page", "fragment", "export"],
)
def test_the_overview_costs_the_same_for_1_and_3_rows(
    client, django_assert_num_queries, hospital, rows, headers, params, queries
):
    user = make_user(Role.UNIT_ADMIN, org(hospital))
    for pairing in Pairing.objects.filter(supporting=org(hospital)):
        services.target_create(actor=user, pairing=pairing, year=2015, kind=TargetKind.TEAM, title="团队")
    client.force_login(user)

    with django_assert_num_queries(queries):
        response = client.get(URL, {"year": "2015", **params}, **headers)

    if params:
        assert len(kit_export_rows(response)) == rows + 1
    else:
        assert len(response.context["rows"]) == rows
