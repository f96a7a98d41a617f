"""A unit imports its staff with draft applications (Excel); the person gets an account (by the unit's invitation,
or by claiming the profile) and really sees, completes and submits the imported draft."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from medtalent.accounts.enums import Role
from medtalent.applications import imports
from medtalent.applications.enums import ApplicationState
from medtalent.applications.models import Application
from medtalent.catalog.models import Category
from medtalent.people.models import Person
from medtalent.registration.models import AccountRequest
from tests.applications.conftest import COMPLETE_FORM
from tests.applications.test_imports import good_row, make_xlsx, upload
from tests.factories import CommissionFactory, OrganisationFactory, ProgrammeFactory, RoleFactory, RoundFactory, code
from tests.registration.conftest import PASSWORD, link_token

pytestmark = pytest.mark.usefixtures("english_browser")


@pytest.fixture
def imported(db):
    """A hospital's import of one applicant into an open round: (the unit's administrator, the person, the draft)."""
    today = timezone.localdate()
    unit = OrganisationFactory(name_zh="导入测试医院", region=code("region", "330106"))
    programme = ProgrammeFactory(owner=CommissionFactory(region=code("region", "330000")))
    round_ = RoundFactory(
        programme=programme,
        application_opens=today - dt.timedelta(days=3),
        application_closes=today + dt.timedelta(days=20),
    )
    category = Category.objects.create(programme=programme, code="registration-test", name_zh="青年人才")
    admin = RoleFactory(role=Role.UNIT_ADMIN, organisation=unit).user
    job = imports.import_job_create(
        actor=admin, unit=unit, round_=round_, category=category, upload=upload(make_xlsx([good_row(1)]))
    )
    imports.import_job_run(job_id=job.pk)
    application = Application.objects.select_related("person").get()
    assert (application.state, application.person.user_id) == (ApplicationState.DRAFT, None)
    return admin, application.person, application


def log_in(client, username: str) -> None:
    client.logout()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def see_and_submit(client, application: Application) -> None:
    """The person's own pages: the list shows the draft, the form opens, the submission goes through (after the
    privacy notice, which the first submission asks for)."""
    mine = client.get(reverse("applications:mine"))
    assert reverse("applications:edit", args=[application.pk]) in mine.content.decode()
    assert client.get(reverse("applications:edit", args=[application.pk])).status_code == 200
    submit = reverse("applications:submit", args=[application.pk])
    for _ in range(3):
        response = client.post(submit, COMPLETE_FORM)
        location = response.get("Location", "")
        if not location.startswith(reverse("people:consent")):
            break
        client.post(location, {"agree": "on", "next": reverse("applications:edit", args=[application.pk])})
    assert (response.status_code, response["Location"]) == (302, reverse("applications:detail", args=[application.pk]))
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_an_invited_person_submits_the_imported_draft(imported, client, django_capture_on_commit_callbacks):
    admin, person, application = imported
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registration:invite", args=[person.pk]), {"email": ""})
    token = link_token(mail.outbox[-1])
    client.logout()

    client.post(
        reverse("registration:accept", args=[token]),
        {"username": "importeddoc", "password1": PASSWORD, "password2": PASSWORD},
    )
    person.refresh_from_db()
    assert person.user.username == "importeddoc"  # the imported profile now has its person's account
    log_in(client, "importeddoc")

    see_and_submit(client, application)


def test_a_person_who_claims_submits_the_imported_draft(imported, client):
    admin, person, application = imported
    row = good_row(1)
    client.post(
        reverse("registration:register"),
        {
            "name": row["姓名"],
            "email": "claimer@example.cn",
            "unit": str(person.employer_id),
            "username": "claimer",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    log_in(client, "claimer")
    assert (
        reverse("applications:edit", args=[application.pk])
        not in client.get(reverse("applications:mine")).content.decode()
    )
    claimed = client.post(
        reverse("registration:claim"),
        {"id_number": row["身份证号"], "birth_date": row["出生日期"].date().isoformat()},
    )
    assert claimed.status_code == 302
    client.force_login(admin)
    client.post(
        reverse("registration:decide", args=[AccountRequest.objects.get(kind="claim").pk]), {"decision": "confirm"}
    )
    log_in(client, "claimer")

    assert Person.objects.get(pk=person.pk).user.username == "claimer"
    see_and_submit(client, application)
