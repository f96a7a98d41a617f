"""A person with an account keeps their own profile: their unit's import fills what is empty and only proposes the
rest; the person accepts or rejects each proposal. A row whose person is not the unit's gets one refusal that says
nothing about where the number is."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from medtalent.accounts.enums import Role
from medtalent.applications.imports import ROW_ID_NUMBER_UNAVAILABLE
from medtalent.catalog.models import Category
from medtalent.core.models import AuditEvent
from medtalent.people import services
from medtalent.people.enums import ProposalState
from medtalent.people.models import Person, ProfileChangeProposal
from tests.applications.test_imports import ImportWorld, code_pk, good_row, make_xlsx, run_import
from tests.factories import (
    CommissionFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
    RoleFactory,
    RoundFactory,
    UserFactory,
    code,
)
from tests.helpers import rows

pytestmark = pytest.mark.django_db

ID = "身份证号"


@pytest.fixture
def iw(db) -> ImportWorld:
    """As in test_imports: a hospital with its administrator, another hospital, an open round with categories."""
    today = timezone.localdate()
    unit = OrganisationFactory(name_zh="导入测试医院", region=code("region", "330106"))
    other_unit = OrganisationFactory(name_zh="另一家医院", region=code("region", "330102"))
    programme = ProgrammeFactory(owner=CommissionFactory(region=code("region", "330000")))
    round_ = RoundFactory(
        programme=programme,
        application_opens=today - dt.timedelta(days=3),
        application_closes=today + dt.timedelta(days=20),
    )
    category = Category.objects.create(programme=programme, code="import-test-leader", name_zh="领军人才")
    admin = RoleFactory(role=Role.UNIT_ADMIN, organisation=unit).user
    return ImportWorld(unit=unit, other_unit=other_unit, round=round_, category=category, admin=admin)


def english_client(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def keeper(iw, **fields) -> Person:
    """A colleague of the unit who has an account and keeps their own profile (born as good_row(2) says)."""
    values = {
        "user": RoleFactory(role=Role.APPLICANT).user,
        "employer": iw.unit,
        "name": "旧名字",
        "id_number": good_row(2)[ID],
        "birth_date": dt.date(1985, 3, 17),
        "health_status": "良好",
        **fields,
    }
    return PersonFactory(**values)


def stored(person: Person) -> dict:
    p = Person.objects.get(pk=person.pk)
    return {
        "name": p.name,
        "education": p.education_id,
        "residency_completed": p.residency_completed,
        "phone": p.phone,
        "health_status": p.health_status,
        "admin_years": p.admin_years,
        "teaching_experience": p.teaching_experience,
        "sex": p.sex_id,
        "native_place": p.native_place,
        "department": p.department,
        "email": p.email,
    }


def test_an_import_never_overwrites_what_a_person_keeping_their_profile_entered(iw):
    person = keeper(iw)

    job = run_import(iw, make_xlsx([good_row(1), good_row(2)]))

    assert (job.state, job.created_count) == ("done", 2)
    # What they had entered stays; what was empty is filled from the file.
    assert stored(person) == {
        "name": "旧名字",
        "education": code_pk("education", "21"),
        "residency_completed": False,
        "phone": "13812345678",
        "health_status": "良好",
        "admin_years": 0,
        "teaching_experience": False,
        "sex": code_pk("sex", "1"),
        "native_place": "浙江杭州",
        "department": "心血管内科",
        "email": "doctor2@example.cn",
    }
    proposals = {
        p.field: p.proposed_value
        for p in ProfileChangeProposal.objects.filter(person=person, state=ProposalState.PENDING, import_job_id=job.pk)
    }
    assert proposals == {
        "name": "导入测试2",
        "education": str(code_pk("education", "14")),
        "residency_completed": "1",
        "phone": "13900000000",
        "health_status": "健康",
        "admin_years": "2",
        "teaching_experience": "1",
    }
    assert ProfileChangeProposal.objects.filter(proposed_by=iw.admin).count() == 7
    audit = AuditEvent.objects.get(action="person.proposals_made")
    assert (audit.object_id, audit.data) == (
        str(person.pk),
        {"fields": sorted(proposals), "import_job": job.pk},
    )
    assert AuditEvent.objects.get(action="applications.import").data["changes_proposed"] == 7


def test_the_job_page_says_how_many_changes_were_proposed(iw):
    keeper(iw)
    job = run_import(iw, make_xlsx([good_row(2)]))

    html = english_client(iw.admin).get(reverse("imports:job", args=[job.pk])).content.decode()

    assert "7 changes proposed to people who keep their own profile: each person accepts or rejects them." in html


def test_a_profile_without_an_account_is_the_units_and_is_updated(iw):
    person = keeper(iw, user=None)

    run_import(iw, make_xlsx([good_row(2)]))

    assert (stored(person)["name"], stored(person)["phone"], ProfileChangeProposal.objects.count()) == (
        "导入测试2",
        "13900000000",
        0,
    )


def test_the_person_sees_accepts_one_and_rejects_the_rest(iw):
    person = keeper(iw)
    run_import(iw, make_xlsx([good_row(2)]))
    client = english_client(person.user)

    page = client.get(reverse("people:profile")).content.decode()
    assert "Changes proposed to your profile" in page
    assert "138****5678" in page  # the phone masked, now
    assert "139****0000" in page  # and proposed
    assert "13900000000" not in page

    name = ProfileChangeProposal.objects.get(person=person, field="name")
    response = client.post(reverse("people:proposals_decide"), {"proposal": name.pk, "decision": "accept"})
    assert response.status_code == 302
    assert stored(person)["name"] == "导入测试2"
    name.refresh_from_db()
    assert (name.state, name.decided_at is not None) == (ProposalState.ACCEPTED, True)

    before = stored(person)
    client.post(reverse("people:proposals_decide"), {"decision": "reject"})
    assert stored(person) == before
    assert ProfileChangeProposal.objects.filter(person=person, state=ProposalState.REJECTED).count() == 6
    assert list(
        AuditEvent.objects.filter(action__startswith="person.proposals_")
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["person.proposals_made", "person.proposals_accept", "person.proposals_reject"]


def test_accepting_a_code_a_date_and_a_number_writes_their_values(iw):
    person = keeper(iw)
    run_import(iw, make_xlsx([good_row(2)]))
    ids = list(
        ProfileChangeProposal.objects.filter(
            person=person, field__in=["education", "admin_years", "phone"]
        ).values_list("pk", flat=True)
    )

    fields = services.proposals_decide(actor=person.user, person=person, proposal_ids=ids, accept=True)

    assert fields == ["admin_years", "education", "phone"]
    now = stored(person)
    assert (now["education"], now["admin_years"], now["phone"]) == (code_pk("education", "14"), 2, "13900000000")


@pytest.mark.parametrize("who", ["unit_admin", "stranger"])
def test_only_the_person_decides_and_a_refusal_changes_nothing(iw, who):
    person = keeper(iw)
    run_import(iw, make_xlsx([good_row(2)]))
    actor = iw.admin if who == "unit_admin" else UserFactory()
    before = rows(Person, ProfileChangeProposal, AuditEvent)

    with pytest.raises(PermissionDenied):
        services.proposals_decide(actor=actor, person=person, proposal_ids=None, accept=True)

    assert rows(Person, ProfileChangeProposal, AuditEvent) == before


def test_a_row_of_another_units_person_gets_the_same_words_as_a_profile_without_employer(iw):
    """Whether the number is held at another unit (with an account or without) or by a profile without an employer,
    the unit reads the same sentence: it cannot tell these apart, and the sentence names no unit and no person."""
    PersonFactory(employer=iw.other_unit, id_number=good_row(1)[ID])
    PersonFactory(employer=iw.other_unit, user=UserFactory(), id_number=good_row(2)[ID])
    PersonFactory(employer=None, id_number=good_row(3)[ID])

    with translation.override("en"):
        job = run_import(iw, make_xlsx([good_row(1), good_row(2), good_row(3)]))

    messages = [p["message"] for p in job.errors]
    assert messages == [str(ROW_ID_NUMBER_UNAVAILABLE)] * 3
    assert messages[0] == "This row cannot be imported for your unit (ID number not available)."
