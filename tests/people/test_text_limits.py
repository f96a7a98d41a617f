"""A CV (and every free text of the profile) has a maximum length: the form, the autosave and the service refuse
a longer one and nothing is saved."""

import pytest

from medtalent.core.errors import ApplicationError
from medtalent.core.limits import TEXT_LONG, TEXT_NOTE
from medtalent.core.models import AuditEvent
from medtalent.people import services
from medtalent.people.views import DRAFT_KEY
from tests.helpers import LOGIN_TRAIL
from tests.people.conftest import english_client
from tests.people.test_profile import AUTOSAVE, PROFILE, form_data, snapshot

pytestmark = pytest.mark.django_db

MEGABYTE_CV = "临床工作经历：主治医师。" * 83_334  # 1,000,008 characters


def test_a_1_mb_cv_is_refused_on_the_profile_form_and_nothing_is_saved(world):
    before = (snapshot(world.person), AuditEvent.objects.exclude(action__in=LOGIN_TRAIL).count())

    response = english_client(world.person_user).post(
        PROFILE, form_data(world.person, cv_text=MEGABYTE_CV, native_place="浙江温州")
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "cv_text": ["Ensure this value has at most 5000 characters (it has 1000008)."]
    }
    assert 'maxlength="5000"' in str(response.context["form"]["cv_text"])
    assert (snapshot(world.person), AuditEvent.objects.exclude(action__in=LOGIN_TRAIL).count()) == before


def test_autosave_of_a_1_mb_cv_saves_the_other_fields_and_keeps_the_cv_out_of_the_session(world):
    client = english_client(world.person_user)

    response = client.post(
        AUTOSAVE, form_data(world.person, cv_text=MEGABYTE_CV, native_place="浙江温州"), headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert "Ensure this value has at most 5000 characters (it has 1000008)." in html
    world.person.refresh_from_db()
    assert (world.person.native_place, world.person.cv_text) == ("浙江温州", "")
    assert DRAFT_KEY not in client.session


def test_a_cv_at_the_limit_is_saved(world):
    cv = "经" * TEXT_LONG

    response = english_client(world.person_user).post(PROFILE, form_data(world.person, cv_text=cv))

    assert response.status_code == 302
    world.person.refresh_from_db()
    assert world.person.cv_text == cv


@pytest.mark.parametrize(
    ("field", "limit", "label"),
    [("cv_text", TEXT_LONG, "CV"), ("teaching_note", TEXT_NOTE, "Teaching experience (details)")],
)
def test_the_profile_service_refuses_a_text_over_its_limit(world, field, limit, label):
    before = (snapshot(world.person), AuditEvent.objects.exclude(action__in=LOGIN_TRAIL).count())

    with pytest.raises(ApplicationError) as error:
        services.person_update(
            actor=world.person_user, person=world.person, data={"native_place": "浙江温州", field: "字" * (limit + 1)}
        )

    assert (error.value.field, error.value.message) == (
        field,
        f"“{label}” is too long: at most {limit:,} characters, this has {limit + 1:,}.",
    )
    assert (snapshot(world.person), AuditEvent.objects.exclude(action__in=LOGIN_TRAIL).count()) == before


def test_the_incident_confirmation_refuses_a_note_over_its_limit(world):
    before = (snapshot(world.person), AuditEvent.objects.exclude(action__in=LOGIN_TRAIL).count())

    with pytest.raises(ApplicationError) as error:
        services.person_confirm_incident(
            actor=world.unit_admin, person=world.person, confirmed=True, note="查" * (TEXT_NOTE + 1)
        )

    assert error.value.field == "note"
    assert (snapshot(world.person), AuditEvent.objects.exclude(action__in=LOGIN_TRAIL).count()) == before
