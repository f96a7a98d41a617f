"""The workspace (`/me/`): a to-do list per role, built by the workflow apps' providers, each item with its age and
a link; what the page showed before (roles, a commission's programmes) is kept. Per role, the page costs the same
number of queries with 1 and 3 items, and someone outside the scope sees none of them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from medtalent.accounts.enums import Role
from medtalent.annual.enums import ReviewKind, ReviewState
from medtalent.annual.models import AnnualReview
from medtalent.applications.enums import ApplicationState
from medtalent.catalog.enums import ProgrammeStatus, ProgrammeType
from medtalent.partnerships.enums import AgreementState
from medtalent.partnerships.models import Agreement, AgreementTemplate, Pairing
from medtalent.stints.enums import StintKind, StintState
from medtalent.stints.models import Stint
from medtalent.workspace.selectors import todo_for_user
from medtalent.workspace.templatetags.workspace import age
from tests.factories import (
    ApplicationFactory,
    CommissionFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    RoundFactory,
)
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
YEAR = dt.timedelta(days=365)


def open_round():
    today = TODAY()
    return RoundFactory(
        application_opens=today - dt.timedelta(days=5), application_closes=today + dt.timedelta(days=30)
    )


def pairings(n: int, *, supported=None, programme=None) -> list[Pairing]:
    """n pairings running this year (no calendar: the windows are always open) of one pairing-support programme."""
    programme = programme or ProgrammeFactory(programme_type=ProgrammeType.PAIRING_SUPPORT)
    supported = supported or OrganisationFactory()
    return [
        Pairing.objects.create(
            programme=programme,
            supporting=OrganisationFactory(),
            supported=supported,
            starts_on=TODAY() - YEAR,
            ends_on=TODAY() + YEAR,
            sort=i,
        )
        for i in range(n)
    ]


# Each scenario makes `n` items of one kind for a user of one role: (user, the kind, an outsider of that role).


def unit_applications(n):
    unit = OrganisationFactory()
    round_ = open_round()
    for _ in range(n):
        ApplicationFactory(
            person=PersonFactory(employer=unit),
            round=round_,
            state=ApplicationState.SUBMITTED,
            submitted_at=timezone.now() - dt.timedelta(days=3),
        )
    return make_user(Role.UNIT_ADMIN, unit), "applications.decide", make_user(Role.UNIT_ADMIN, OrganisationFactory())


def applicant_drafts(n):
    user = make_user(Role.APPLICANT)
    person = PersonFactory(user=user)
    for _ in range(n):
        ApplicationFactory(person=person, round=open_round())
    return user, "applications.draft", make_user(Role.APPLICANT)


def unit_agreements(n):
    hospital = OrganisationFactory()
    template, _ = AgreementTemplate.objects.get_or_create(code="test-template", defaults={"name": "测试协议模板"})
    for pairing in pairings(n, supported=hospital):
        other_side = make_user(Role.UNIT_ADMIN, pairing.supporting)
        Agreement.objects.create(
            pairing=pairing,
            template=template,
            state=AgreementState.AWAITING_APPROVAL,
            starts_on=pairing.starts_on,
            ends_on=pairing.ends_on,
            approved_by_supporting=other_side,
            approved_by_supporting_at=timezone.now() - dt.timedelta(days=2),
        )
    # The supporting side approved already: nothing waits for it.
    return (
        make_user(Role.UNIT_ADMIN, hospital),
        "partnerships.approve",
        make_user(Role.UNIT_ADMIN, OrganisationFactory()),
    )


def unit_self_assessments(n):
    hospital = OrganisationFactory()
    pairings(n, supported=hospital)
    return (
        make_user(Role.UNIT_ADMIN, hospital),
        "annual.self_assessment",
        make_user(Role.UNIT_ADMIN, OrganisationFactory()),
    )


def unit_arrivals(n):
    host = OrganisationFactory()
    for _ in range(n):
        person = PersonFactory()
        Stint.objects.create(
            kind=StintKind.UPWARD,
            state=StintState.PLANNED,
            person=person,
            home=person.employer,
            host=host,
            starts_on=TODAY() - dt.timedelta(days=2),
            ends_on=TODAY() + dt.timedelta(days=60),
        )
    return make_user(Role.UNIT_ADMIN, host), "stints.confirm_arrival", make_user(Role.UNIT_ADMIN, OrganisationFactory())


def commission_evaluations(n):
    commission = CommissionFactory(region=None)  # its own programmes only: each scenario its own commission
    programme = ProgrammeFactory(programme_type=ProgrammeType.PAIRING_SUPPORT, owner=commission)
    for pairing in pairings(n, programme=programme):
        AnnualReview.objects.create(
            pairing=pairing,
            year=TODAY().year,
            kind=ReviewKind.SELF_SUPPORTED,
            state=ReviewState.SUBMITTED,
            submitted_at=timezone.now(),
        )
    other = make_user(Role.COMMISSION_ADMIN, CommissionFactory(region=None))
    return make_user(Role.COMMISSION_ADMIN, commission), "annual.evaluation", other


def commission_drafts(n):
    commission = CommissionFactory(region=None)
    for _ in range(n):
        ProgrammeFactory(owner=commission, status=ProgrammeStatus.DRAFT)
    other = make_user(Role.COMMISSION_ADMIN, CommissionFactory(region=None))
    return make_user(Role.COMMISSION_ADMIN, commission), "catalog.publish", other


SCENARIOS = {
    "unit_applications": unit_applications,
    "applicant_drafts": applicant_drafts,
    "unit_agreements": unit_agreements,
    "unit_self_assessments": unit_self_assessments,
    "unit_arrivals": unit_arrivals,
    "commission_evaluations": commission_evaluations,
    "commission_drafts": commission_drafts,
}


def page_queries(client, user) -> tuple[int, object]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("workspace:home"))
    assert response.status_code == 200
    return len(queries), response


def items_of(response, kind: str) -> list:
    return [item for group in response.context["todo"] if group.kind == kind for item in group.items]


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_each_role_sees_its_items_for_the_same_number_of_queries(client, scenario, django_assert_num_queries):
    one_user, kind, _ = SCENARIOS[scenario](1)
    three_user, _, _ = SCENARIOS[scenario](3)

    one, one_page = page_queries(client, one_user)
    three, three_page = page_queries(client, three_user)

    assert len(items_of(one_page, kind)) == 1
    assert len(items_of(three_page, kind)) == 3
    assert one == three
    with django_assert_num_queries(three):  # the figure, named: see the providers' docstrings
        client.get(reverse("workspace:home"))


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_someone_outside_the_scope_sees_nothing(client, scenario):
    _, kind, outsider = SCENARIOS[scenario](2)
    client.force_login(outsider)

    response = client.get(reverse("workspace:home"))

    assert response.context["todo"] == []
    assert "todo-group" not in response.content.decode()


def test_an_item_shows_its_age_and_links_to_its_object(client):
    user, _, _ = unit_applications(1)
    client.force_login(user)

    response = client.get(reverse("workspace:home"))

    (item,) = items_of(response, "applications.decide")
    html = response.content.decode()
    assert f'href="{item.url}"' in html
    with translation.override("zh-hans"):  # the page's language
        assert f"{age(item.since)}</span>" in html  # "3 日"
    assert client.get(item.url).status_code == 200


def test_the_workspace_keeps_the_roles_and_the_managed_programmes(client):
    programme = ProgrammeFactory(status=ProgrammeStatus.PUBLISHED)
    user = make_user(Role.COMMISSION_ADMIN, programme.owner)
    client.force_login(user)

    response = client.get(reverse("workspace:home"))

    assert [r.role for r in response.context["roles"]] == [Role.COMMISSION_ADMIN]
    assert [p.code for p in response.context["managed_programmes"]] == [programme.code]


def test_nothing_waiting_says_so(client):
    client.force_login(make_user(Role.REVIEWER))

    response = client.get(reverse("workspace:home"))

    assert response.context["todo"] == []
    assert 'class="empty"' in response.content.decode()


def test_the_workspace_needs_a_login(client):
    response = client.get(reverse("workspace:home"))

    assert response.status_code == 302
    assert todo_for_user(user=None) == []
