"""The texts of a pairing's yearly work have a maximum length: the API answers 422 naming the field, the services
refuse (they no longer cut a long text silently) and nothing is saved."""

import json

import pytest

from medtalent.annual import services
from medtalent.annual.enums import ReviewKind, TargetKind
from medtalent.core.errors import ApplicationError
from medtalent.core.limits import TEXT_LONG, TEXT_MEDIUM, TEXT_NOTE
from tests.annual.conftest import snapshot

pytestmark = pytest.mark.django_db

YEAR = 2015


def _post(client, pairing, body):
    url = f"/api/v1/pairings/{pairing.pk}/years/{YEAR}/reviews/{ReviewKind.SELF_SUPPORTED}"
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(("field", "limit"), [("summary", TEXT_LONG), ("problems", TEXT_LONG), ("plan", TEXT_LONG)])
def test_the_api_refuses_a_review_text_over_its_limit_naming_the_field(client, pairing, supported_admin, field, limit):
    client.force_login(supported_admin)
    before = snapshot()

    response = _post(client, pairing, {"summary": "总结", field: "字" * (limit + 1)})

    assert response.status_code == 422
    assert response.json() == {
        "errors": [{"field": field, "message": f"String should have at most {limit} characters"}]
    }
    assert snapshot() == before


def test_the_api_refuses_a_score_comment_over_its_limit(client, pairing, supported_admin, dimensions):
    client.force_login(supported_admin)
    before = snapshot()

    response = _post(
        client, pairing, {"scores": [{"dimension": dimensions[0].code, "score": 8, "comment": "评" * (TEXT_NOTE + 1)}]}
    )

    assert response.status_code == 422
    assert response.json() == {
        "errors": [{"field": "scores.0.comment", "message": "String should have at most 1000 characters"}]
    }
    assert snapshot() == before


def test_a_review_text_at_the_limit_is_saved(client, pairing, supported_admin):
    client.force_login(supported_admin)

    response = _post(client, pairing, {"summary": "字" * TEXT_LONG})

    assert (response.status_code, response.json()["summary"]) == (200, "字" * TEXT_LONG)


def test_the_review_service_refuses_a_text_over_its_limit(pairing, supported_admin, dimensions):
    before = snapshot()

    with pytest.raises(ApplicationError) as error:
        services.review_save(
            actor=supported_admin,
            pairing=pairing,
            year=YEAR,
            kind=ReviewKind.SELF_SUPPORTED,
            summary="总结",
            plan="计" * (TEXT_LONG + 1),
        )

    assert (error.value.field, error.value.message) == (
        "plan",
        "“Plan for next year” is too long: at most 5,000 characters, this has 5,001.",
    )
    assert snapshot() == before


def test_a_score_comment_over_its_limit_is_refused_at_its_dimension(pairing, supported_admin, dimensions):
    dimension = dimensions[0]
    before = snapshot()

    with pytest.raises(ApplicationError) as error:
        services.review_save(
            actor=supported_admin,
            pairing=pairing,
            year=YEAR,
            kind=ReviewKind.SELF_SUPPORTED,
            scores={dimension.pk: ("8", "评" * (TEXT_NOTE + 1))},
        )

    assert error.value.field == f"comment_{dimension.pk}"
    assert snapshot() == before


def test_target_texts_over_their_limit_are_refused_not_cut(pairing, supporting_admin):
    before = snapshot()

    with pytest.raises(ApplicationError) as error:
        services.target_create(
            actor=supporting_admin,
            pairing=pairing,
            year=YEAR,
            kind=TargetKind.TEAM,
            title="重症团队",
            description="说" * (TEXT_MEDIUM + 1),
        )
    assert error.value.field == "description"
    assert snapshot() == before

    target = services.target_create(
        actor=supporting_admin, pairing=pairing, year=YEAR, kind=TargetKind.TEAM, title="重症团队"
    )
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        services.target_set_status(
            actor=supporting_admin, target=target, status="in_progress", evidence="证" * (TEXT_MEDIUM + 1)
        )
    assert error.value.field == "evidence"
    assert snapshot() == before
