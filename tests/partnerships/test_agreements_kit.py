"""The agreements list and the pairings list in the back office's table kit (core/tables.py): filters by name (a
hospital through the organisation search, a city, a state), sorting, the Excel export equal to the page, the batch
action that starts the agreements of the ticked pairings (all or nothing, only rows of the user's own list), and
the same number of queries for 1 and 3 rows, full page and HTMX fragment."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.partnerships import services
from medtalent.partnerships.models import Agreement, AgreementClause, Pairing
from tests.helpers import kit_export_rows, kit_page_rows
from tests.helpers import rows as db_rows
from tests.partnerships.conftest import SUPPORTED_CODE, SUPPORTING_CODE, make_user, user_for

pytestmark = pytest.mark.django_db

URL = "/agreements/"
LIST_URL = "/pairings/"


def names(response) -> list[tuple[str, str]]:
    return [(p.supporting.code, p.supported.code) for p in response.context["rows"]]


def state():
    return db_rows(Agreement, AgreementClause)


# ---- the agreements list ------------------------------------------------------------------------------------


def test_a_hospital_is_found_by_its_name_on_either_side(client, commission):
    client.force_login(commission)

    by_supported = client.get(URL, {"hospital": "景宁县人民医院"})
    by_supporting = client.get(URL, {"hospital": "浙江大学医学院附属第一医院", "city": "331100"})

    assert names(by_supported) == [(SUPPORTING_CODE, SUPPORTED_CODE), ("zj-h-331100-2", SUPPORTED_CODE)]
    assert names(by_supporting) == [(SUPPORTING_CODE, SUPPORTED_CODE)]


def test_the_filters_offer_names_not_codes(client, commission):
    client.force_login(commission)

    html = client.get(URL).content.decode()

    filters = html.split('id="kit-filters"', 1)[1].split("</form>", 1)[0]
    assert '<option value="331100">丽水市</option>' in filters
    assert '<option value="none">尚无协议</option>' in filters
    assert 'name="hospital"' in filters


def test_sorting_by_the_supported_hospital_keeps_the_filters(client, supporting_admin):
    client.force_login(supporting_admin)

    response = client.get(URL, {"state": "none", "sort": "-supported"})

    supported = [p.supported.name_zh for p in response.context["rows"]]
    assert supported == sorted(supported, reverse=True)
    assert len(supported) == 3
    html = response.content.decode()
    assert 'aria-sort="descending"' in html
    assert 'href="/agreements/?state=none&amp;sort=supported"' in html


def test_rows_keep_their_pairing_id_and_the_start_button(client, supported_admin, pairing):
    client.force_login(supported_admin)

    html = client.get(URL).content.decode()

    assert f'data-pairing-id="{pairing.pk}"' in html
    assert f'action="{reverse("partnerships:agreement_create", kwargs={"pairing_pk": pairing.pk})}"' in html
    # One programme: no programme column.
    assert 'data-label="项目"' not in html


def test_the_export_is_the_page_with_the_same_filters(client, commission, pairing):
    services.agreement_create_from_template(actor=commission, pairing=pairing)
    client.force_login(commission)
    query = {"city": "331100", "sort": "supported"}

    page = client.get(URL, query)
    export = client.get(URL, {**query, "export": "xlsx"})

    sheet = kit_export_rows(export)
    assert sheet[0] == ["支援医院", "受援医院", "县", "城市", "协议", "协议期限"]
    shown = kit_page_rows(page.content.decode())
    # The checkbox column is not exported; every other cell is the page's text.
    assert sheet[1:] == [row[1:] for row in shown]
    assert len(sheet) == 16
    drafted = next(row for row in sheet if row[1] == "景宁县人民医院" and row[0] == "浙江大学医学院附属第一医院")
    assert drafted[4:] == ["第1版 草稿", "2014-01-01 – 2016-12-31"]


def test_the_batch_starts_the_ticked_agreements(client, supporting_admin):
    mine = list(Pairing.objects.filter(supporting__code=SUPPORTING_CODE).order_by("pk"))
    client.force_login(supporting_admin)

    response = client.post(
        URL, {"action": "start", "ids": [p.pk for p in mine[:2]], "query": "state=none"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "已按范本为 2 对支援关系创建协议草稿。" in response.content.decode()
    assert sorted(Agreement.objects.values_list("pairing_id", "version", "state")) == [
        (mine[0].pk, 1, "draft"),
        (mine[1].pk, 1, "draft"),
    ]
    # The list comes back with its filter: the pairing left without agreement only.
    assert [p.pk for p in response.context["rows"]] == [mine[2].pk]


def test_a_batch_with_a_pairing_that_has_an_agreement_changes_nothing(client, commission, supporting_admin, pairing):
    services.agreement_create_from_template(actor=commission, pairing=pairing)
    others = list(Pairing.objects.filter(supporting__code=SUPPORTING_CODE).exclude(pk=pairing.pk))
    client.force_login(supporting_admin)
    before = state()

    response = client.post(
        URL, {"action": "start", "ids": [others[0].pk, pairing.pk, others[1].pk]}, HTTP_HX_REQUEST="true"
    )

    assert "该对口支援关系已有协议，请创建新版本。" in response.content.decode()
    assert state() == before


def test_a_batch_with_a_pairing_outside_the_users_list_changes_nothing(client, supported_admin, pairing):
    foreign = Pairing.objects.filter(supporting__code=SUPPORTING_CODE).exclude(supported__code=SUPPORTED_CODE).first()
    client.force_login(supported_admin)
    before = state()

    response = client.post(URL, {"action": "start", "ids": [pairing.pk, foreign.pk]}, HTTP_HX_REQUEST="true")

    assert "勾选的记录中有已不在此列表中的记录，未做任何更改；请刷新后重试。" in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("name", ["applicant", "reviewer"])
@pytest.mark.parametrize("method", ["get", "export", "post"])
def test_the_list_is_refused_to_other_roles(client, pairing, name, method):
    client.force_login(user_for(name))
    before = state()

    if method == "post":
        response = client.post(URL, {"action": "start", "ids": [pairing.pk]})
    else:
        response = client.get(URL, {"export": "xlsx"} if method == "export" else {})

    assert response.status_code == 403
    assert state() == before


# 浙大口腔医院 holds one pairing, 浙大一院 three: the same number of queries, page, fragment and export alike.
ONE_AND_THREE = [("zju-stomatology-hospital", 1), (SUPPORTING_CODE, 3)]


@pytest.mark.parametrize(("hospital", "count"), ONE_AND_THREE)
@pytest.mark.parametrize(
    ("headers", "params", "queries"),
    [
        # session, user, roles, the filters' programmes and cities, count, rows, agreements, unread notices
        ({}, {}, 9),
        # … the fragment draws no header
        ({"HTTP_HX_REQUEST": "true"}, {}, 8),
        # … the export: no header, no page count, every row
        ({}, {"export": "xlsx"}, 7),
    ],
    ids=["page", "fragment", "export"],
)
def test_the_agreements_list_costs_the_same_for_1_and_3_rows(
    client, commission, django_assert_num_queries, hospital, count, headers, params, queries
):
    for pairing in Pairing.objects.filter(supporting__code=hospital)[:1]:
        services.agreement_create_from_template(actor=commission, pairing=pairing)
    client.force_login(make_user(Role.UNIT_ADMIN, hospital))

    with django_assert_num_queries(queries):
        response = client.get(URL, params, **headers)

    assert response.status_code == 200
    if not params:
        assert len(response.context["rows"]) == count


# ---- the pairings list (commission) ----------------------------------------------------------------------------


def test_the_pairings_list_filters_by_city_and_county_name_and_exports_the_page(client, commission):
    client.force_login(commission)
    query = {"city": "331100", "county": "331127", "sort": "supporting"}

    page = client.get(LIST_URL, query)
    export = client.get(LIST_URL, {**query, "export": "xlsx"})

    filters = page.content.decode().split('id="kit-filters"', 1)[1].split("</form>", 1)[0]
    assert '<option value="331127" selected>景宁畲族自治县</option>' in filters
    sheet = kit_export_rows(export)
    assert sheet[0] == ["支援医院", "受援医院", "县", "城市", "出处", "支援期限", "协议"]
    # The last column (the hospital's pages) is a link, not data: not exported.
    assert sheet[1:] == [row[:-1] for row in kit_page_rows(page.content.decode())]
    assert [row[1] for row in sheet[1:]] == ["景宁县人民医院 · zj-h-331127-1"]


def test_the_pairings_list_keeps_the_programme_in_the_export_link(client, commission):
    client.force_login(commission)

    html = client.get(LIST_URL, {"programme": "zj-pairing-2014", "city": "330100"}).content.decode()

    assert 'href="/pairings/?programme=zj-pairing-2014&amp;city=330100&amp;export=xlsx"' in html
    assert '<input type="hidden" form="kit-filters" name="programme" value="zj-pairing-2014">' in html


# 东阳市 (330783): one pairing; 富阳区 (330111): three.
@pytest.mark.parametrize(("county", "count"), [("330783", 1), ("330111", 3)])
@pytest.mark.parametrize(
    ("headers", "params", "queries"),
    [
        # session, user, roles, programme, the filters' cities and counties, count, rows, agreements, notices
        ({}, {}, 10),
        ({"HTTP_HX_REQUEST": "true"}, {}, 9),
        ({}, {"export": "xlsx"}, 8),
    ],
    ids=["page", "fragment", "export"],
)
def test_the_pairings_list_costs_the_same_for_1_and_3_rows(
    client, commission, django_assert_num_queries, county, count, headers, params, queries
):
    client.force_login(commission)

    with django_assert_num_queries(queries):
        response = client.get(LIST_URL, {"county": county, **params}, **headers)

    assert response.status_code == 200
    if params:
        assert len(kit_export_rows(response)) == count + 1
    else:
        assert len(response.context["rows"]) == count
