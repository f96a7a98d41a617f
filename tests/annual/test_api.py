"""GET /api/v1/pairings/{id}/years/{year} and POST …/reviews/{kind}: every role, errors in the JSON format."""

import json
from unittest import mock

import pytest

from medtalent.annual import services
from medtalent.annual.enums import ReviewKind, TargetKind
from medtalent.annual.models import AnnualReview
from tests.annual.conftest import OPEN_DAY, full_scores, snapshot

pytestmark = pytest.mark.django_db

K = ReviewKind
YEAR = 2015
API_QUERIES = 11  # session, user, pairing, roles, term, targets, reviews, scores, dimensions, calendar, focus


def _get_url(pairing, year=YEAR):
    return f"/api/v1/pairings/{pairing.pk}/years/{year}"


def _post_url(pairing, kind, year=YEAR):
    return f"/api/v1/pairings/{pairing.pk}/years/{year}/reviews/{kind}"


def _payload(dimensions, submit=False, score=8, conclusion=""):
    return {
        "summary": "全年派驻12人次",
        "problems": "人才流失",
        "plan": "继续",
        "conclusion": conclusion,
        "scores": [{"dimension": d.code, "score": score, "comment": f"评语{d.code}"} for d in dimensions],
        "submit": submit,
    }


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_visitor_gets_401(client, pairing, dimensions):
    before = snapshot()
    for response in (client.get(_get_url(pairing)), _post(client, _post_url(pairing, "self_supported"), {})):
        assert response.status_code == 401
        assert response.json() == {"errors": [{"field": "auth", "message": "Please log in."}]}
    assert snapshot() == before


def test_outsiders_get_404(client, pairing, dimensions, outsider):
    """Outside the caller's pairings a pairing is not found, exactly as one that does not exist."""
    client.force_login(outsider)
    before = snapshot()
    response = client.get(_get_url(pairing))
    assert response.status_code == 404
    missing = client.get(_get_url(pairing).replace(f"/pairings/{pairing.pk}/", "/pairings/999999/"))
    assert (missing.status_code, missing.json()) == (404, response.json())
    for kind in K:
        response = _post(client, _post_url(pairing, kind), _payload(dimensions, submit=True))
        assert response.status_code == 404
        assert response.json()["errors"][0]["field"] == "path"
    assert snapshot() == before


@pytest.mark.parametrize(
    ("kind", "others"),
    [
        (K.SELF_SUPPORTING, ["supported_admin", "commission"]),
        (K.SELF_SUPPORTED, ["supporting_admin", "commission"]),
        (K.EVALUATION, ["supporting_admin", "supported_admin"]),
    ],
)
def test_only_the_filer_posts_a_review(request, client, pairing, dimensions, kind, others):
    for who in others:
        client.force_login(request.getfixturevalue(who))
        before = snapshot()
        response = _post(client, _post_url(pairing, kind), _payload(dimensions))
        assert response.status_code == 403
        assert response.json() == {"errors": [{"field": "request", "message": "You may not file this review."}]}
        assert snapshot() == before


def test_get_the_pairing_year(client, pairing, supporting_admin, supported_admin, commission, dimensions):
    target = services.target_create(
        actor=supporting_admin, pairing=pairing, year=YEAR, kind=TargetKind.TEAM, title="重症团队"
    )
    services.target_set_status(actor=supporting_admin, target=target, status="in_progress", evidence="已组建")
    services.review_file(
        actor=supported_admin,
        pairing=pairing,
        year=YEAR,
        kind=K.SELF_SUPPORTED,
        summary="总结",
        scores=full_scores(dimensions),
        submit=True,
        today=OPEN_DAY,
    )
    services.review_save(actor=supporting_admin, pairing=pairing, year=YEAR, kind=K.SELF_SUPPORTING, summary="草稿")
    client.force_login(commission)
    data = client.get(_get_url(pairing)).json()
    assert data["pairing"] == {
        "id": pairing.pk,
        "supporting": {
            "code": pairing.supporting.code,
            "name_zh": "浙江大学医学院附属第一医院",
            "name_en": pairing.supporting.name_en,
        },
        "supported": {
            "code": pairing.supported.code,
            "name_zh": "景宁县人民医院",
            "name_en": pairing.supported.name_en,
        },
        "programme": "zj-pairing-2014",
    }
    assert (data["year"], data["years"], data["locked"]) == (2015, [2014, 2015, 2016], False)
    assert data["windows"] == {"self_assessment_from": "2015-12-01", "evaluation_from": "2015-10-01"}
    assert data["targets"] == [
        {
            "id": target.pk,
            "kind": "team",
            "title": "重症团队",
            "description": "",
            "specialty": None,
            "from_key_work": False,
            "status": "in_progress",
            "evidence": "已组建",
            "has_evidence_file": False,
        }
    ]
    # The commission sees the submitted self-assessment, not the supporting hospital's draft.
    assert [r["kind"] for r in data["reviews"]] == ["self_supported"]
    review = data["reviews"][0]
    assert (review["state"], review["summary"], len(review["scores"])) == ("submitted", "总结", 7)
    assert review["scores"][0] == {
        "dimension": "organisation",
        "name_zh": "组织管理",
        "name_en": "Organisation and management",
        "max_score": 10,
        "score": 8.0,
        "comment": "评语organisation",
    }
    client.force_login(supporting_admin)
    assert sorted(r["kind"] for r in client.get(_get_url(pairing)).json()["reviews"]) == [
        "self_supported",
        "self_supporting",
    ]


def test_get_year_outside_the_term_is_404(client, pairing, commission):
    client.force_login(commission)
    response = client.get(_get_url(pairing, 2017))
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "path"


def test_post_saves_a_draft_then_submits(client, pairing, supported_admin, dimensions):
    client.force_login(supported_admin)
    response = _post(client, _post_url(pairing, "self_supported"), _payload(dimensions))
    assert response.status_code == 200
    data = response.json()
    assert (data["kind"], data["state"], data["summary"], data["submitted_at"]) == (
        "self_supported",
        "draft",
        "全年派驻12人次",
        None,
    )
    assert [s["score"] for s in data["scores"]] == [8.0] * 7
    with mock.patch("medtalent.annual.workflow.timezone.localdate", return_value=OPEN_DAY):
        response = _post(client, _post_url(pairing, "self_supported"), _payload(dimensions, submit=True, score=9.5))
    assert response.status_code == 200
    assert response.json()["state"] == "submitted"
    review = AnnualReview.objects.get(pairing=pairing, year=YEAR, kind=K.SELF_SUPPORTED)
    assert (review.state, review.submitted_by_id) == ("submitted", supported_admin.pk)
    assert {str(s) for s in review.scores.values_list("score", flat=True)} == {"9.5"}


def test_post_before_the_window_saves_nothing(client, pairing, commission, dimensions):
    client.force_login(commission)
    before = snapshot()
    with mock.patch("medtalent.annual.workflow.timezone.localdate", return_value=OPEN_DAY.replace(month=9)):
        response = _post(client, _post_url(pairing, "evaluation"), _payload(dimensions, submit=True, conclusion="good"))
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"field": "state", "message": "The annual evaluation of 2015 can be submitted from Oct. 1, 2015."}]
    }
    assert snapshot() == before


@pytest.mark.parametrize(
    ("scores", "field", "message"),
    [
        ([{"dimension": "organisation", "score": 11}], "scores.organisation", "must be from 0 to 10"),
        ([{"dimension": "nope", "score": 1}], "scores.nope", "The programme has no such evaluation dimension."),
        (
            [{"dimension": "organisation", "score": 1}, {"dimension": "organisation", "score": 2}],
            "scores.organisation",
            "Each dimension may be scored once.",
        ),
    ],
)
def test_post_bad_scores_are_400(client, pairing, supported_admin, scores, field, message):
    client.force_login(supported_admin)
    before = snapshot()
    response = _post(client, _post_url(pairing, "self_supported"), {"scores": scores})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == field
    assert message in error["message"]
    assert snapshot() == before


def test_post_malformed_input_is_422(client, pairing, supported_admin):
    client.force_login(supported_admin)
    before = snapshot()
    assert _post(client, _post_url(pairing, "nonsense"), {}).status_code == 422
    response = _post(client, _post_url(pairing, "self_supported"), {"scores": [{"score": 1}]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "scores.0.dimension"
    assert snapshot() == before


def test_post_year_outside_the_term_is_400(client, pairing, supported_admin):
    client.force_login(supported_admin)
    before = snapshot()
    response = _post(client, _post_url(pairing, "self_supported", year=2017), {})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "year"
    assert snapshot() == before


def test_post_unknown_pairing_is_404(client, supported_admin):
    client.force_login(supported_admin)
    assert _post(client, "/api/v1/pairings/999999/years/2015/reviews/self_supported", {}).status_code == 404


@pytest.mark.parametrize("targets", [1, 3])
def test_get_query_count_for_1_and_3_targets(
    client, pairing, supported_admin, dimensions, django_assert_num_queries, targets
):
    for n in range(targets):
        services.target_create(
            actor=supported_admin, pairing=pairing, year=YEAR, kind=TargetKind.KEY_TECHNIQUE, title=f"技术{n}"
        )
    services.review_save(
        actor=supported_admin, pairing=pairing, year=YEAR, kind=K.SELF_SUPPORTED, scores=full_scores(dimensions)
    )
    client.force_login(supported_admin)
    with django_assert_num_queries(API_QUERIES):
        data = client.get(_get_url(pairing)).json()
    assert len(data["targets"]) == targets
    assert len(data["reviews"][0]["scores"]) == 7
