"""With the real application machine: a unit's decision tells the applicant and the commission (not the unit
administrator who decided), and the notice links to the application."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from medtalent.accounts.enums import Role
from medtalent.applications.enums import ApplicationState as S
from medtalent.applications.workflow import APPLICATION
from medtalent.core.workflow import transition
from medtalent.notifications.models import Notice
from tests.factories import (
    ApplicationFactory,
    CommissionFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    RoundFactory,
    code,
)
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    commission = CommissionFactory(region=code("region", "350000"))
    unit = OrganisationFactory(region=code("region", "350102"))
    today = timezone.localdate()
    round_ = RoundFactory(
        programme=ProgrammeFactory(owner=commission),
        application_opens=today - dt.timedelta(days=5),
        application_closes=today + dt.timedelta(days=30),
    )
    applicant = make_user(Role.APPLICANT, email="applicant@example.org")
    return ApplicationFactory(person=PersonFactory(user=applicant, employer=unit), round=round_, state=S.SUBMITTED)


def test_a_recommendation_tells_the_applicant_and_the_commission_with_a_link(
    client, application, django_capture_on_commit_callbacks
):
    unit_admin = make_user(Role.UNIT_ADMIN, application.unit, email="unit@example.org")
    make_user(Role.UNIT_ADMIN, application.unit, email="colleague@example.org")  # not an audience of this move
    commission_admin = make_user(Role.COMMISSION_ADMIN, application.round.programme.owner, email="wjw@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        transition(APPLICATION, application, to=S.RECOMMENDED, actor=unit_admin, note="同意推荐")

    notices = {n.recipient_id: n for n in Notice.objects.all()}
    assert set(notices) == {application.person.user_id, commission_admin.pk}
    assert sorted(m.to[0] for m in mail.outbox) == ["applicant@example.org", "wjw@example.org"]
    notice = notices[application.person.user_id]
    assert (notice.kind, notice.link, notice.note, notice.actor) == (
        "application.recommended",
        f"/applications/{application.pk}/",
        "同意推荐",
        unit_admin,
    )
    client.force_login(application.person.user)
    response = client.get(reverse("notifications:open", args=[notice.pk]))
    assert response.url == reverse("applications:detail", args=[application.pk])
    assert client.get(response.url).status_code == 200
    assert "单位已推荐" in mail.outbox[0].body or "Recommended by the unit" in mail.outbox[0].body


def test_the_kinds_of_the_machines_are_listed_with_readable_names(client):
    user = make_user()
    client.force_login(user)

    settings = client.get(reverse("notifications:settings")).context["kind_settings"]

    labels = {s.kind: s.label for s in settings}
    assert labels["application.recommended"] == "申请：单位已推荐" or labels["application.recommended"].endswith(
        "单位已推荐"
    )
    assert all(s.email for s in settings)
