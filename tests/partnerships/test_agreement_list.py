"""The agreements list (/agreements/), the agreement column of the pairings list, and the term of a draft
agreement (service, form on the agreement page, permissions on every role)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from medtalent.partnerships import selectors, services
from medtalent.partnerships.enums import AgreementState
from medtalent.partnerships.models import Pairing
from medtalent.partnerships.views import agreement_years
from tests.partnerships.conftest import (
    ROLE_MAKERS,
    SUPPORTED_CODE,
    SUPPORTING_CODE,
    db_state,
    make_user,
    user_for,
)

pytestmark = pytest.mark.django_db

S = AgreementState
URL = "/agreements/"
ALL_PAIRINGS = 165


def _rows(response):
    return [(p.supporting.code, p.supported.code) for p in response.context["rows"]]


def _count(response):
    """How many pairings the list holds (every page)."""
    return response.context["table"].paginator.count


def _choices(response, name):
    """The values a filter of the list offers (its empty choice left out)."""
    return [value for value, _label in response.context["filter"].form.fields[name].choices if value]


# The list: who sees what ---------------------------------------------------------------------------------------


def test_url_name():
    assert reverse("partnerships:agreements") == URL


def test_visitor_is_sent_to_login(client):
    before = db_state()
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"
    assert db_state() == before


@pytest.mark.parametrize("role", [None, Role.APPLICANT, Role.REVIEWER])
def test_other_roles_are_refused(client, role):
    client.force_login(make_user(role))
    before = db_state()
    assert client.get(URL).status_code == 403
    assert db_state() == before


def test_host_coordinator_of_a_party_is_refused(client):
    client.force_login(make_user(Role.HOST_COORDINATOR, SUPPORTING_CODE))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("name", ["unit_unrelated", "commission_fujian"])
def test_administrators_outside_the_network_see_nothing(client, name):
    client.force_login(user_for(name))
    response = client.get(URL)
    assert response.status_code == 200
    assert _count(response) == 0
    assert response.context["rows"] == []


def test_supported_admin_sees_only_its_own_pairings(client, supported_admin, pairing, commission):
    other = Pairing.objects.get(supporting__code=SUPPORTING_CODE, supported__name_zh="三门县人民医院")
    services.agreement_create_from_template(actor=commission, pairing=other)
    client.force_login(supported_admin)
    response = client.get(URL)
    assert response.status_code == 200
    assert _rows(response) == [(SUPPORTING_CODE, SUPPORTED_CODE), ("zj-h-331100-2", SUPPORTED_CODE)]
    assert [p.current_agreement for p in response.context["rows"]] == [None, None]
    assert [p.may_start_agreement for p in response.context["rows"]] == [True, True]
    html = response.content.decode()
    assert reverse("partnerships:agreement_create", kwargs={"pairing_pk": pairing.pk}) in html
    assert reverse("partnerships:agreement_create", kwargs={"pairing_pk": other.pk}) not in html


def test_supporting_admin_sees_its_three_pairings(client, supporting_admin):
    client.force_login(supporting_admin)
    response = client.get(URL)
    assert _rows(response) == [
        (SUPPORTING_CODE, SUPPORTED_CODE),
        (SUPPORTING_CODE, "zj-h-331022-1"),
        (SUPPORTING_CODE, "zj-h-330206-1"),
    ]


def test_commission_sees_the_programme_paginated(client, commission):
    client.force_login(commission)
    response = client.get(URL)
    assert _count(response) == ALL_PAIRINGS
    assert len(response.context["rows"]) == 50
    assert response.context["table"].paginator.num_pages == 4
    assert len(client.get(URL, {"page": 4}).context["rows"]) == ALL_PAIRINGS - 150
    # One programme (zj-pairing-2014): nothing to choose, no programme filter.
    assert "programme" not in response.context["filter"].form.fields
    assert len(_choices(response, "city")) == 11


def test_current_agreement_and_state_filters(client, commission, supporting_admin, supported_admin, pairing):
    agreement = services.agreement_create_from_template(actor=commission, pairing=pairing)
    client.force_login(commission)
    assert _count(client.get(URL, {"state": "none"})) == ALL_PAIRINGS - 1
    response = client.get(URL, {"state": S.DRAFT})
    assert _rows(response) == [(SUPPORTING_CODE, SUPPORTED_CODE)]
    row = response.context["rows"][0]
    assert (row.current_agreement.pk, row.open_agreement, row.may_start_agreement) == (agreement.pk, None, False)
    html = response.content.decode()
    assert reverse("partnerships:agreement", kwargs={"pk": agreement.pk}) in html
    assert _count(client.get(URL, {"state": S.APPROVED})) == 0

    services.agreement_approve(actor=supporting_admin, agreement=agreement)
    services.agreement_approve(actor=supported_admin, agreement=agreement)
    second = services.agreement_new_version(actor=commission, agreement=agreement)
    # The approved version is the current one; the new draft is shown beside it.
    response = client.get(URL, {"state": S.APPROVED})
    row = response.context["rows"][0]
    assert (row.current_agreement.pk, row.open_agreement.pk) == (agreement.pk, second.pk)
    assert _count(client.get(URL, {"state": S.DRAFT})) == 0
    assert reverse("partnerships:agreement", kwargs={"pk": second.pk}) in response.content.decode()


def test_city_and_programme_filters(client, commission):
    client.force_login(commission)
    # 丽水市: 9 relationships of its list (Annex 2) and 6 provincial ones (Annex 1) in its counties.
    assert _count(client.get(URL, {"city": "331100"})) == 15
    assert _count(client.get(URL, {"programme": "zj-pairing-2014"})) == ALL_PAIRINGS
    # With one programme an old link's programme is ignored; a state the list does not offer is an error beside
    # its field, and the other filters apply.
    unknown = client.get(URL, {"programme": "nope", "city": "331100"})
    assert (_count(unknown), list(unknown.context["filter"].errors)) == (15, [])
    nonsense = client.get(URL, {"state": "nonsense"})
    assert (_count(nonsense), list(nonsense.context["filter"].errors)) == (ALL_PAIRINGS, ["state"])


def test_selector_scope_matches_the_permission(commission, supported_admin, supporting_admin):
    assert selectors.agreement_list_pairings(user=commission).count() == ALL_PAIRINGS
    assert selectors.agreement_list_pairings(user=supported_admin).count() == 2
    assert selectors.agreement_list_pairings(user=supporting_admin).count() == 3
    for pairing in selectors.agreement_list_pairings(user=supported_admin):
        assert supported_admin.has_perm("partnerships.add_agreement", pairing) is True
    assert selectors.agreement_list_pairings(user=user_for("commission_fujian")).count() == 0
    assert selectors.agreement_list_pairings(user=user_for("unit_unrelated")).count() == 0


# One hospital with one pairing (浙大口腔医院), one with three (浙大一院): the same number of queries.
ONE_AND_THREE = [("zju-stomatology-hospital", 1), (SUPPORTING_CODE, 3)]


@pytest.mark.parametrize(("hospital", "rows"), ONE_AND_THREE)
def test_unit_list_query_count_does_not_grow(client, commission, django_assert_num_queries, hospital, rows):
    for pairing in Pairing.objects.filter(supporting__code=hospital):
        services.agreement_create_from_template(actor=commission, pairing=pairing)
    client.force_login(make_user(Role.UNIT_ADMIN, hospital))
    # session, user, roles, count, rows, agreements, programmes, cities
    with django_assert_num_queries(9):  # … and the header's unread notices
        response = client.get(URL)
    assert len(response.context["rows"]) == rows
    assert all(p.current_agreement is not None for p in response.context["rows"])


# 舟山市 (its list and its counties) holds 9 pairings; 1 or 3 of them with a draft: the same number of queries.
@pytest.mark.parametrize(("drafts", "rows"), [(1, 1), (3, 3)])
def test_commission_list_query_count_does_not_grow(client, commission, django_assert_num_queries, drafts, rows):
    for pairing in Pairing.objects.filter(supported__region__code__startswith="3309").order_by("sort", "id")[:drafts]:
        services.agreement_create_from_template(actor=commission, pairing=pairing)
    client.force_login(commission)
    # session, user, roles, managed programmes (scope), count, rows, agreements, programmes, cities
    with django_assert_num_queries(10):  # … and the header's unread notices
        response = client.get(URL, {"city": "330900", "state": S.DRAFT})
    assert len(response.context["rows"]) == rows


# The agreement column of the pairings list (commission) --------------------------------------------------------


def test_pairings_list_shows_agreement_or_start_button(client, commission, pairing):
    agreement = services.agreement_create_from_template(actor=commission, pairing=pairing)
    client.force_login(commission)
    response = client.get(reverse("partnerships:list"), {"supporting": SUPPORTING_CODE})
    rows = response.context["rows"]
    assert [(p.supported.code, p.current_agreement and p.current_agreement.pk) for p in rows] == [
        (SUPPORTED_CODE, agreement.pk),
        ("zj-h-331022-1", None),
        ("zj-h-330206-1", None),
    ]
    assert [p.may_start_agreement for p in rows] == [False, True, True]
    html = response.content.decode()
    assert reverse("partnerships:agreement", kwargs={"pk": agreement.pk}) in html
    assert reverse("partnerships:agreement_create", kwargs={"pairing_pk": rows[1].pk}) in html
    assert reverse("partnerships:agreement_create", kwargs={"pairing_pk": pairing.pk}) not in html
    assert reverse("partnerships:network") in html


# The term of a draft agreement: the service --------------------------------------------------------------------


@pytest.fixture
def agreement(pairing, commission):
    return services.agreement_create_from_template(actor=commission, pairing=pairing)


def test_set_term_changes_a_draft_and_audits_both_dates(agreement, supported_admin):
    services.agreement_set_term(
        actor=supported_admin, agreement=agreement, starts_on=dt.date(2015, 3, 1), ends_on=dt.date(2018, 2, 28)
    )
    agreement.refresh_from_db()
    assert (agreement.starts_on, agreement.ends_on) == (dt.date(2015, 3, 1), dt.date(2018, 2, 28))
    event = AuditEvent.objects.get(action="agreement.set_term", object_id=str(agreement.pk))
    assert (event.actor_id, event.object_type) == (supported_admin.pk, "partnerships.agreement")
    assert event.data == {
        "old": {"starts_on": "2014-01-01", "ends_on": "2016-12-31"},
        "new": {"starts_on": "2015-03-01", "ends_on": "2018-02-28"},
    }


def test_set_term_accepts_a_one_day_term(agreement, commission):
    services.agreement_set_term(
        actor=commission, agreement=agreement, starts_on=dt.date(2015, 1, 1), ends_on=dt.date(2015, 1, 1)
    )
    agreement.refresh_from_db()
    assert (agreement.starts_on, agreement.ends_on) == (dt.date(2015, 1, 1), dt.date(2015, 1, 1))


def test_set_term_unchanged_writes_nothing(agreement, commission):
    before = db_state(agreement)
    services.agreement_set_term(
        actor=commission, agreement=agreement, starts_on=dt.date(2014, 1, 1), ends_on=dt.date(2016, 12, 31)
    )
    assert db_state(agreement) == before


def test_set_term_refuses_an_end_before_the_start(agreement, commission):
    before = db_state(agreement)
    with pytest.raises(ApplicationError) as error:
        services.agreement_set_term(
            actor=commission, agreement=agreement, starts_on=dt.date(2015, 1, 2), ends_on=dt.date(2015, 1, 1)
        )
    assert (error.value.field, error.value.message) == ("ends_on", "协议期限的结束日期不能早于开始日期。")
    assert db_state(agreement) == before


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field"),
    [(None, dt.date(2016, 1, 1), "starts_on"), (dt.date(2015, 1, 1), None, "ends_on")],
)
def test_set_term_needs_both_dates(agreement, commission, starts_on, ends_on, field):
    before = db_state(agreement)
    with pytest.raises(ApplicationError) as error:
        services.agreement_set_term(actor=commission, agreement=agreement, starts_on=starts_on, ends_on=ends_on)
    assert error.value.field == field
    assert db_state(agreement) == before


def test_set_term_only_on_a_draft(agreement, supporting_admin, supported_admin):
    services.agreement_approve(actor=supporting_admin, agreement=agreement)
    before = db_state(agreement)
    with pytest.raises(ApplicationError) as error:
        services.agreement_set_term(
            actor=supported_admin, agreement=agreement, starts_on=dt.date(2015, 1, 1), ends_on=dt.date(2017, 1, 1)
        )
    assert error.value.field == "state"
    assert db_state(agreement) == before


@pytest.mark.parametrize("name", ["applicant", "reviewer", "unit_unrelated", "commission_fujian"])
def test_set_term_refused_outside_the_pairing(agreement, name):
    before = db_state(agreement)
    with pytest.raises(PermissionDenied):
        services.agreement_set_term(
            actor=user_for(name), agreement=agreement, starts_on=dt.date(2015, 1, 1), ends_on=dt.date(2017, 1, 1)
        )
    assert db_state(agreement) == before


def test_supported_admin_cannot_change_another_pairings_agreement(commission, supported_admin):
    other = Pairing.objects.get(supporting__code=SUPPORTING_CODE, supported__name_zh="三门县人民医院")
    foreign = services.agreement_create_from_template(actor=commission, pairing=other)
    before = db_state(foreign)
    with pytest.raises(PermissionDenied):
        services.agreement_set_term(
            actor=supported_admin, agreement=foreign, starts_on=dt.date(2015, 1, 1), ends_on=dt.date(2017, 1, 1)
        )
    assert db_state(foreign) == before


# The term form on the agreement page ---------------------------------------------------------------------------

TERM = {"starts_on": "2015-01-01", "ends_on": "2017-12-31"}
ALLOWED = ["unit_supporting", "unit_supported", "commission_zhejiang"]
DENIED = ["applicant", "reviewer", "unit_unrelated", "commission_fujian"]


def _term_url(agreement):
    return reverse("partnerships:agreement_term", kwargs={"pk": agreement.pk})


def test_term_url():
    assert reverse("partnerships:agreement_term", kwargs={"pk": 7}) == "/agreements/7/term/"


@pytest.mark.parametrize("name", ALLOWED)
def test_term_view_saves_for_allowed_roles(client, agreement, name):
    client.force_login(user_for(name))
    response = client.post(_term_url(agreement), TERM)
    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:agreement", kwargs={"pk": agreement.pk})
    agreement.refresh_from_db()
    assert (agreement.starts_on, agreement.ends_on) == (dt.date(2015, 1, 1), dt.date(2017, 12, 31))
    assert AuditEvent.objects.filter(action="agreement.set_term", object_id=str(agreement.pk)).count() == 1


@pytest.mark.parametrize("name", DENIED)
def test_term_view_refused(client, agreement, name):
    client.force_login(user_for(name))
    before = db_state(agreement)
    assert client.post(_term_url(agreement), TERM).status_code == 404  # outside the user's scope: not found
    assert db_state(agreement) == before


def test_term_view_sends_visitors_to_login(client, agreement):
    before = db_state(agreement)
    response = client.post(_term_url(agreement), TERM)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert db_state(agreement) == before


def test_term_view_shows_the_error_next_to_the_field(client, agreement, supported_admin):
    client.force_login(supported_admin)
    before = db_state(agreement)
    response = client.post(_term_url(agreement), {"starts_on": "2016-01-01", "ends_on": "2015-12-31"})
    assert response.status_code == 200
    assert response.context["term_form"].errors == {"ends_on": ["协议期限的结束日期不能早于开始日期。"]}
    html = response.content.decode()
    start = html.index('id="errors-ends_on"')
    assert "协议期限的结束日期不能早于开始日期。" in html[start : start + 200]
    assert 'value="2016-01-01"' in html  # what the clerk typed stays in the form
    assert db_state(agreement) == before


def test_term_view_refuses_a_malformed_date(client, agreement, supported_admin):
    client.force_login(supported_admin)
    before = db_state(agreement)
    response = client.post(_term_url(agreement), {"starts_on": "not a date", "ends_on": ""})
    assert response.status_code == 200
    assert set(response.context["term_form"].errors) == {"starts_on", "ends_on"}
    assert db_state(agreement) == before


def test_term_view_on_an_approved_agreement_says_why(client, agreement, supporting_admin, supported_admin):
    services.agreement_approve(actor=supporting_admin, agreement=agreement)
    services.agreement_approve(actor=supported_admin, agreement=agreement)
    client.force_login(supported_admin)
    before = db_state(agreement)
    response = client.post(_term_url(agreement), TERM)
    assert response.status_code == 200
    assert response.context["term_form"].non_field_errors() == ["只有草稿状态的协议可以修改。"]
    assert db_state(agreement) == before


def test_term_form_shown_only_on_an_editable_draft(client, agreement, supporting_admin, supported_admin):
    client.force_login(supported_admin)
    url = reverse("partnerships:agreement", kwargs={"pk": agreement.pk})
    html = client.get(url).content.decode()
    assert 'id="agreement-term-form"' in html
    assert 'value="2014-01-01"' in html
    services.agreement_approve(actor=supporting_admin, agreement=agreement)
    assert 'id="agreement-term-form"' not in client.get(url).content.decode()


# Years of the agreement and the dispatched staff ---------------------------------------------------------------


def test_agreement_page_links_every_year_of_the_term_and_the_dispatched_staff(client, agreement, commission):
    client.force_login(commission)
    response = client.get(reverse("partnerships:agreement", kwargs={"pk": agreement.pk}))
    assert response.context["years"] == [2014, 2015, 2016]
    html = response.content.decode()
    for year in (2014, 2015, 2016):
        url = reverse("annual:year", kwargs={"pairing_pk": agreement.pairing_id, "year": year})
        assert f'<a class="agreement-year" href="{url}">{year}</a>' in html
    stints = reverse("stints:pairing", kwargs={"pairing_pk": agreement.pairing_id})
    assert f'id="agreement-stints-link" href="{stints}"' in html


def test_agreement_years_follow_the_term(agreement, commission):
    services.agreement_set_term(
        actor=commission, agreement=agreement, starts_on=dt.date(2015, 7, 1), ends_on=dt.date(2018, 6, 30)
    )
    agreement.refresh_from_db()
    assert agreement_years(agreement) == [2015, 2016, 2017, 2018]


def test_every_role_is_covered():
    assert set(ROLE_MAKERS) == {*ALLOWED, *DENIED, "visitor"}
