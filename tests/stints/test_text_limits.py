"""A stint's texts (note, the host's schedule) have a maximum length: the API answers 422 naming the field, the
services refuse, nothing is saved."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from medtalent.core.errors import ApplicationError
from medtalent.core.limits import TEXT_MEDIUM
from medtalent.stints import services
from medtalent.stints.enums import StintRole, StintState
from tests.stints.conftest import make_dispatch, set_state, state

pytestmark = pytest.mark.django_db


def test_the_api_refuses_a_note_over_its_limit_naming_the_field(client, pairing, doctor, users):
    client.force_login(users["commission"])
    before = state()
    body = {
        "kind": "dispatch",
        "pairing": pairing.pk,
        "person": doctor.pk,
        "starts_on": "2025-09-01",
        "ends_on": "2026-02-28",
        "note": "备" * (TEXT_MEDIUM + 1),
    }

    response = client.post("/api/v1/stints", data=json.dumps(body), content_type="application/json")

    assert response.status_code == 422
    assert response.json() == {"errors": [{"field": "note", "message": "String should have at most 2000 characters"}]}
    assert state() == before


def test_the_services_refuse_a_note_over_its_limit(pairing, doctor, users):
    before = state()

    with pytest.raises(ApplicationError) as error, translation.override("en"):
        make_dispatch(pairing=pairing, person=doctor, actor=users["commission"], note="备" * (TEXT_MEDIUM + 1))

    assert (error.value.field, error.value.message) == (
        "note",
        "“Note” is too long: at most 2,000 characters, this has 2,001.",
    )
    assert state() == before


def test_the_schedule_over_its_limit_is_refused(dispatch, users):
    before = state(dispatch)

    with pytest.raises(ApplicationError) as error:
        services.stint_schedule(
            actor=users["supported_admin"],
            stint=dispatch,
            host_department="普外科",
            role=StintRole.CLINICAL,
            schedule="门" * (TEXT_MEDIUM + 1),
            mentor="",
        )

    assert error.value.field == "schedule"
    assert state(dispatch) == before


def test_a_transition_note_over_its_limit_is_refused(dispatch, users):
    set_state(dispatch, StintState.ACTIVE)
    before = state(dispatch)

    with pytest.raises(ApplicationError) as error:
        services.stint_transition(
            actor=users["commission"], stint=dispatch, to=StintState.CANCELLED, note="因" * (TEXT_MEDIUM + 1)
        )

    assert error.value.field == "note"
    assert state(dispatch) == before
