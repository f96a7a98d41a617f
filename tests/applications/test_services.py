"""The application services beyond the transition table: submission checks, preferences, exceptions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from medtalent.applications import services
from medtalent.applications.enums import ApplicationState
from medtalent.applications.models import Application
from medtalent.catalog.models import Category, Programme
from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from tests.applications.conftest import open_round, snapshot
from tests.factories import ApplicationFactory, OfferingFactory, PersonFactory

S = ApplicationState
FILLED = {
    "requested_duration": 3,
    "reason": "提高介入诊疗水平",
    "plan_purpose": "学习先进技术",
    "plan_content": "冠脉介入",
    "plan_goals": "回院开展新技术",
}


def leading_talent_application(world, *, birth_date=dt.date(1969, 6, 30)):
    """An application to the Wenzhou leading-talent category of a round judged on 2025-06-30."""
    programme = Programme.objects.get(code="wz-bysh")
    round_ = open_round(programme=programme, reference_date=dt.date(2025, 6, 30))
    world.person.birth_date = birth_date
    world.person.save(update_fields=["birth_date"])
    category = Category.objects.get(code="wz-bysh-leading")
    # Within the category's 1–2 months.
    return ApplicationFactory(
        person=world.person, round=round_, category=category, **{**FILLED, "requested_duration": 2}
    )


def test_submit_by_someone_else_changes_nothing(world):
    application = ApplicationFactory(person=world.person, round=world.round, **FILLED)
    before = snapshot()

    with pytest.raises(PermissionDenied):
        services.application_submit(actor=world.user("other_applicant"), application=application)

    assert snapshot() == before
    assert Application.objects.get(pk=application.pk).eligibility_snapshot == {}


def test_submit_twice_is_refused_without_touching_the_snapshot(world):
    application = ApplicationFactory(person=world.person, round=world.round, state=S.SUBMITTED, **FILLED)
    before = snapshot()

    with pytest.raises(ApplicationError) as error:
        services.application_submit(actor=world.user("owner"), application=application)

    assert error.value.field == "state"
    assert snapshot() == before


def test_submit_an_incomplete_form_names_every_missing_field(world):
    application = ApplicationFactory(person=world.person, round=world.round, reason="想学")
    before = snapshot()

    with pytest.raises(ApplicationError) as error:
        services.application_submit(actor=world.user("owner"), application=application)

    assert error.value.field == "requested_duration"
    assert error.value.extra == {"missing": ["requested_duration", "plan_purpose", "plan_content", "plan_goals"]}
    assert snapshot() == before


def test_submit_outside_the_window_is_refused(world):
    world.round.application_closes = world.round.application_opens
    world.round.application_opens = world.round.application_opens - dt.timedelta(days=10)
    world.round.save()
    application = ApplicationFactory(person=world.person, round=world.round, **FILLED)

    with pytest.raises(ApplicationError) as error:
        services.application_submit(actor=world.user("owner"), application=application)

    assert error.value.field == "round"
    assert Application.objects.get(pk=application.pk).state == S.DRAFT


def test_submit_keeps_the_eligibility_snapshot(world):
    application = ApplicationFactory(person=world.person, round=world.round, **FILLED)

    services.application_submit(actor=world.user("owner"), application=application)

    stored = Application.objects.get(pk=application.pk)
    assert stored.state == S.SUBMITTED
    assert stored.eligibility_snapshot["eligible"] is True


def test_ineligible_application_cannot_be_submitted(world):
    application = leading_talent_application(world)
    before = snapshot()

    with pytest.raises(ApplicationError) as error:
        services.application_submit(actor=world.user("owner"), application=application)

    assert error.value.field == "eligibility"
    assert "56" in error.value.message
    assert snapshot() == before


def test_ineligible_application_goes_through_with_a_recorded_exception(world):
    application = leading_talent_application(world)
    Programme.objects.filter(code="wz-bysh").update(equivalent_level_allowed=True)
    services.application_record_exception(
        actor=world.user("unit_admin"), application=application, note="具有同等学术、技术水平"
    )

    services.application_submit(actor=world.user("owner"), application=application)

    stored = Application.objects.get(pk=application.pk)
    assert (stored.state, stored.exception_note, stored.exception_by_id) == (
        S.SUBMITTED,
        "具有同等学术、技术水平",
        world.user("unit_admin").pk,
    )
    assert stored.eligibility_snapshot["eligible"] is False
    actions = list(
        AuditEvent.objects.filter(object_id=str(application.pk), object_type="applications.application")
        .order_by("pk")
        .values_list("action", "note")
    )
    assert actions == [("application.exception", "具有同等学术、技术水平"), ("application.transition", "")]


def test_the_day_before_the_56th_birthday_the_leading_category_is_open(world):
    application = leading_talent_application(world, birth_date=dt.date(1969, 7, 1))

    services.application_submit(actor=world.user("owner"), application=application)

    assert Application.objects.get(pk=application.pk).state == S.SUBMITTED


def test_preferences_cannot_change_after_submission(world):
    offerings = OfferingFactory.create_batch(2, round=world.round)
    application = ApplicationFactory(person=world.person, round=world.round, state=S.SUBMITTED)
    before = snapshot()

    with pytest.raises(ApplicationError):
        services.application_set_preferences(actor=world.user("owner"), application=application, offerings=offerings)

    assert snapshot() == before


def test_preferences_are_kept_in_order(world):
    first, second = OfferingFactory.create_batch(2, round=world.round)
    application = ApplicationFactory(person=world.person, round=world.round)

    services.application_set_preferences(actor=world.user("owner"), application=application, offerings=[second, first])

    assert list(application.preferences.values_list("rank", "offering_id")) == [(1, second.pk), (2, first.pk)]


def test_returning_needs_an_opinion_and_changes_nothing_without_one(world):
    application = ApplicationFactory(person=world.person, round=world.round, state=S.SUBMITTED)
    before = snapshot()

    with pytest.raises(ApplicationError):
        services.applications_decide(
            actor=world.user("unit_admin"), applications=[application], to=S.RETURNED, opinion=" "
        )

    assert snapshot() == before


def test_bulk_decision_is_all_or_nothing(world):
    mine = ApplicationFactory(person=world.person, round=world.round, state=S.SUBMITTED)
    elsewhere = ApplicationFactory(
        person=PersonFactory(employer=world.other_unit), round=world.round, state=S.SUBMITTED
    )
    before = snapshot()

    with pytest.raises(PermissionDenied):
        services.applications_decide(
            actor=world.user("unit_admin"), applications=[mine, elsewhere], to=S.RECOMMENDED, opinion="同意"
        )

    assert snapshot() == before
