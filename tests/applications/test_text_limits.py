"""The texts of an application (reason, study plan, the unit's opinion, a justified exception) have a maximum
length: the form and the services refuse a longer one and nothing is saved."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from medtalent.applications import services
from medtalent.applications.enums import ApplicationState as S
from medtalent.applications.models import Application
from medtalent.core.errors import ApplicationError
from medtalent.core.limits import TEXT_LONG, TEXT_MEDIUM
from tests.applications.conftest import snapshot
from tests.factories import ApplicationFactory


def test_a_1_mb_study_plan_is_refused_at_its_field_and_nothing_is_saved(world, login):
    application = ApplicationFactory(person=world.person, round=world.round)
    before = snapshot()

    response = login(world.user("owner")).post(
        reverse("applications:edit", args=[application.pk]),
        {"requested_duration_unit": "month", "plan_content": "冠脉介入" * 250_000, "action": "save"},
    )

    assert response.status_code == 400
    # Django's message, in the page's language (Chinese first): the limit and the length typed.
    assert response.context["form"].errors == {
        "plan_content": ["确保该变量包含不超过 5000 字符 (目前字符数 1000000)。"]
    }
    assert 'maxlength="5000"' in str(response.context["form"]["plan_content"])
    assert snapshot() == before


@pytest.mark.parametrize("field", ["reason", "plan_purpose", "plan_content", "plan_goals"])
def test_the_update_service_refuses_a_text_over_the_limit(world, field):
    application = ApplicationFactory(person=world.person, round=world.round)
    before = snapshot()

    with pytest.raises(ApplicationError) as error:
        services.application_update(
            actor=world.user("owner"),
            application=application,
            data={"requested_department": "心内科", field: "字" * (TEXT_LONG + 1)},
        )

    assert (error.value.field, error.value.extra) == (field, {"max_length": TEXT_LONG, "length": TEXT_LONG + 1})
    assert snapshot() == before


def test_a_study_plan_at_the_limit_is_saved(world):
    application = ApplicationFactory(person=world.person, round=world.round)

    services.application_update(actor=world.user("owner"), application=application, data={"plan_goals": "标" * 5000})

    assert Application.objects.get(pk=application.pk).plan_goals == "标" * TEXT_LONG


def test_an_opinion_over_the_limit_is_refused_and_no_application_is_decided(world):
    applications = ApplicationFactory.create_batch(2, person=world.person, state=S.SUBMITTED, round=world.round)
    before = snapshot()

    with pytest.raises(ApplicationError) as error, translation.override("en"):
        services.applications_decide(
            actor=world.user("unit_admin"), applications=applications, to=S.RETURNED, opinion="改" * (TEXT_MEDIUM + 1)
        )

    assert (error.value.field, error.value.message) == (
        "opinion",
        "“Unit opinion” is too long: at most 2,000 characters, this has 2,001.",
    )
    assert snapshot() == before


def test_an_exception_note_over_the_limit_is_refused(world):
    application = ApplicationFactory(person=world.person, round=world.round)
    world.programme.equivalent_level_allowed = True
    world.programme.save(update_fields=["equivalent_level_allowed"])
    before = snapshot()

    with pytest.raises(ApplicationError) as error:
        services.application_record_exception(
            actor=world.user("unit_admin"), application=application, note="同" * (TEXT_MEDIUM + 1)
        )

    assert error.value.field == "exception_note"
    assert snapshot() == before
