"""Every operation of the OpenAPI schema declares how it authenticates: every write accepts a personal access token
and a session with the CSRF token and nothing else; a read without authentication only if it is public."""

from __future__ import annotations

import pytest

from medtalent.api.api import api

WRITES = {"post", "put", "patch", "delete"}
TOKEN = {"PersonalAccessToken": []}
SESSION = {"SessionCookie": []}
# The reads anybody may make (the empty requirement {}: authentication optional).
PUBLIC = {
    ("get", "/api/v1/programmes"),
    ("get", "/api/v1/programmes/{code}"),
    ("get", "/api/v1/organisations"),
    ("get", "/api/v1/code-tables"),
    ("get", "/api/v1/code-tables/{standard}"),
    ("get", "/api/v1/alliance/members"),
    ("get", "/api/v1/alliance/events"),
    ("get", "/api/v1/alliance/events/{code}"),
}


@pytest.fixture(scope="module")
def schema():
    return api.get_openapi_schema()


def operations(schema):
    for path, items in schema["paths"].items():
        for method, operation in items.items():
            yield method, path, operation


def test_the_security_schemes_are_a_bearer_token_and_a_session_with_csrf(schema):
    schemes = schema["components"]["securitySchemes"]
    assert sorted(schemes) == ["PersonalAccessToken", "SessionCookie"]
    assert (schemes["PersonalAccessToken"]["type"], schemes["PersonalAccessToken"]["scheme"]) == ("http", "bearer")
    session = schemes["SessionCookie"]
    assert (session["type"], session["in"], session["name"], session["x-csrf-header"]) == (
        "apiKey",
        "cookie",
        "sessionid",
        "X-CSRFToken",
    )


def test_every_write_takes_a_token_or_a_session_with_csrf_and_never_nobody(schema):
    writes = {(m, p): op.get("security") for m, p, op in operations(schema) if m in WRITES}
    assert len(writes) == 8  # a new write is checked here too: update the count when one is added
    wrong = {key: security for key, security in writes.items() if security != [TOKEN, SESSION]}
    assert wrong == {}


def test_every_operation_declares_security_and_only_public_reads_allow_nobody(schema):
    undeclared = [(m, p) for m, p, op in operations(schema) if not op.get("security")]
    optional = {(m, p) for m, p, op in operations(schema) if {} in op.get("security", [])}
    assert (undeclared, optional) == ([], PUBLIC)
    for method, path, operation in operations(schema):
        expected = [TOKEN, SESSION, {}] if (method, path) in PUBLIC else [TOKEN, SESSION]
        assert (method, path, operation["security"]) == (method, path, expected)


def test_the_schema_served_is_the_one_checked(client, schema):
    served = client.get("/api/v1/openapi.json").json()
    assert [(m, p, op["security"]) for m, p, op in operations(served)] == [
        (m, p, op["security"]) for m, p, op in operations(schema)
    ]
    assert served["components"]["securitySchemes"] == schema["components"]["securitySchemes"]
