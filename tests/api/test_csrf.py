"""Every API write, sent cross-origin as text/plain with the session cookie of a user who may make it and no CSRF
token (what a hostile page can make a browser send): 403 and nothing changed. The same request with the CSRF token
succeeds, so the 403 is the CSRF check's. A personal access token needs no CSRF token (a browser never sends one
by itself)."""

from __future__ import annotations

import json

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from medtalent.api.api import api
from tests.api.conftest import ALLIANCE, SUPPORTED, bearer, snapshot, token_for
from tests.helpers import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HOSTILE = {"HTTP_ORIGIN": "https://evil.example", "HTTP_REFERER": "https://evil.example/page"}


@pytest.fixture
def writes(pairing, supporting_admin, supported_admin, secretariat, doctor):
    """Each write of the schema: (method, URL, body, a user who may make it, the status it answers)."""
    anybody = make_user()
    return {
        ("post", "/api/v1/pairings/{pairing_id}/years/{year}/reviews/{kind}"): (
            "post",
            f"/api/v1/pairings/{pairing.pk}/years/2015/reviews/self_supported",
            {"summary": "跨站请求", "plan": "x"},
            supported_admin,
            200,
        ),
        ("put", "/api/v1/hospitals/{code}/indicators"): (
            "put",
            f"/api/v1/hospitals/{SUPPORTED}/indicators",
            [{"year": 2015, "kind": "in_county_visit_rate", "value": 80, "note": "跨站"}],
            supported_admin,
            200,
        ),
        ("post", "/api/v1/stints"): (
            "post",
            "/api/v1/stints",
            {
                "kind": "dispatch",
                "pairing": pairing.pk,
                "person": doctor.pk,
                "starts_on": "2025-09-01",
                "ends_on": "2026-02-28",
                "host_department": "内科",
                "role": "vice_president",
            },
            supporting_admin,
            201,
        ),
        ("post", "/api/v1/alliance/events"): (
            "post",
            "/api/v1/alliance/events",
            {"alliance": ALLIANCE, "kind": "conference", "name_zh": "跨站会议", "name_en": "CSRF conference"},
            secretariat,
            201,
        ),
        ("post", "/api/v1/id-numbers/validate"): (
            "post",
            "/api/v1/id-numbers/validate",
            {"id_number": "11010519491231002X"},
            anybody,
            200,
        ),
        ("post", "/api/v1/eligibility"): (
            "post",
            "/api/v1/eligibility",
            {
                "category": "gx-excellent-young",
                "as_of": "2025-06-30",
                "person": {
                    "birth_date": "1980-07-01",
                    "education": "21",
                    "title": "233",
                    "residency_completed": False,
                    "admin_years": 0,
                    "teaching_experience": False,
                    "employer_level": "3",
                    "serious_incident": False,
                    "designations": [],
                },
            },
            anybody,
            200,
        ),
        ("post", "/api/v1/funding/split"): (
            "post",
            "/api/v1/funding/split",
            {"category": "wz-bysh", "year": 2025, "amount": "75000.00"},
            anybody,
            200,
        ),
        ("post", "/api/v1/deadlines"): (
            "post",
            "/api/v1/deadlines",
            {"start": "2026-09-25", "amount": 15, "unit": "working_days"},
            anybody,
            200,
        ),
    }


def _send(client, method, url, body, **extra):
    extra.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
    return client.generic(method.upper(), url, json.dumps(body), content_type="text/plain", **extra)


def test_every_write_of_the_schema_is_checked_here(writes):
    schema = api.get_openapi_schema()
    in_schema = {
        (method, path) for path, items in schema["paths"].items() for method in items if method in ("post", "put")
    }
    assert set(writes) == in_schema


@pytest.mark.parametrize(
    "operation",
    [
        ("post", "/api/v1/pairings/{pairing_id}/years/{year}/reviews/{kind}"),
        ("put", "/api/v1/hospitals/{code}/indicators"),
        ("post", "/api/v1/stints"),
        ("post", "/api/v1/alliance/events"),
        ("post", "/api/v1/id-numbers/validate"),
        ("post", "/api/v1/eligibility"),
        ("post", "/api/v1/funding/split"),
        ("post", "/api/v1/deadlines"),
    ],
)
def test_a_cross_site_write_without_the_csrf_token_is_refused(writes, operation):
    method, url, body, user, ok = writes[operation]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    before = snapshot()
    response = _send(browser, method, url, body, **HOSTILE)
    assert (response.status_code, response.json()) == (
        403,
        {"errors": [{"field": "request", "message": "CSRF check failed: the request has no valid CSRF token."}]},
    )
    assert snapshot() == before
    # The same-site request with the token (cookie and header) goes through: the refusal was the CSRF check's.
    secret = _get_new_csrf_string()
    browser.cookies["csrftoken"] = secret
    response = _send(browser, method, url, body, HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == ok, response.content


def test_a_write_with_a_token_needs_no_csrf_token(writes):
    method, url, body, user, ok = writes[("put", "/api/v1/hospitals/{code}/indicators")]
    secret = token_for(user)
    response = _send(Client(enforce_csrf_checks=True), method, url, body, **HOSTILE, **bearer(secret))
    assert response.status_code == ok


def test_a_visitor_may_not_write(writes):
    for method, url, body, _user, _ok in writes.values():
        before = snapshot()
        response = _send(Client(enforce_csrf_checks=True), method, url, body)
        assert (response.status_code, response.json()) == (
            401,
            {"errors": [{"field": "auth", "message": "Please log in."}]},
        ), url
        assert snapshot() == before
