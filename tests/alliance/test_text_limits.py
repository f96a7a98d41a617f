"""The alliance's free texts (a membership's notes, an event's description) have a maximum length: the API
answers 422 naming the field, the services refuse, nothing is saved."""

import json

import pytest
from django.utils import translation

from medtalent.alliance import services
from medtalent.alliance.enums import EventKind, MembershipKind
from medtalent.alliance.models import Membership
from medtalent.alliance.services import EventInput
from medtalent.core.errors import ApplicationError
from medtalent.core.limits import TEXT_LONG, TEXT_MEDIUM
from tests.alliance.conftest import ALLIANCE, PARTNER, snapshot

pytestmark = pytest.mark.django_db


def test_the_api_refuses_a_description_over_its_limit_naming_the_field(secretariat_client):
    before = snapshot()
    payload = {
        "kind": "conference",
        "name_zh": "年会",
        "countries": ["HU"],
        "organisers": [ALLIANCE],
        "description_en": "w" * (TEXT_LONG + 1),
    }

    response = secretariat_client.post("/api/v1/alliance/events", json.dumps(payload), content_type="application/json")

    assert response.status_code == 422
    assert response.json() == {
        "errors": [{"field": "description_en", "message": "String should have at most 5000 characters"}]
    }
    assert snapshot() == before


def test_the_event_service_refuses_a_description_over_its_limit(alliance, secretariat):
    before = snapshot()
    data = EventInput(kind=EventKind.CONFERENCE, name_zh="年会", description_zh="述" * (TEXT_LONG + 1))

    with pytest.raises(ApplicationError) as error, translation.override("en"):
        services.event_create(actor=secretariat, alliance=alliance, data=data)

    assert (error.value.field, error.value.message) == (
        "description_zh",
        "“Description (Chinese)” is too long: at most 5,000 characters, this has 5,001.",
    )
    assert snapshot() == before


def test_the_membership_service_refuses_a_note_over_its_limit(alliance, secretariat):
    membership = Membership.objects.get(alliance=alliance, organisation__code=PARTNER)
    before = snapshot()

    with pytest.raises(ApplicationError) as error:
        services.membership_update(
            actor=secretariat,
            membership=membership,
            kind=MembershipKind.PARTNER,
            joined_on=membership.joined_on,
            note_en="n" * (TEXT_MEDIUM + 1),
        )

    assert error.value.field == "note_en"
    assert snapshot() == before
