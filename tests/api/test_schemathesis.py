"""schemathesis over the whole OpenAPI schema, in-process (WSGI), with a personal access token of a commission
administrator of Zhejiang: no operation answers a server error (5xx), whatever valid input it is given.

Reproducible (derandomised) and bounded: EXAMPLES examples per operation."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from config.wsgi import application
from medtalent.accounts.enums import Role
from medtalent.api.api import api
from tests.api.conftest import COMMISSION, token_for
from tests.helpers import make_user

pytestmark = pytest.mark.django_db(transaction=False)

EXAMPLES = 25
OPERATIONS = sorted(
    (method.upper(), path) for path, items in api.get_openapi_schema()["paths"].items() for method in items
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django closes a database connection past its age when a request starts and ends; the WSGI application called
    directly (not through the test client, which does the same) would close the test's transaction on PostgreSQL."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def schema():
    return schemathesis.openapi.from_dict(api.get_openapi_schema())


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_server_error(schema, method, path):
    operation = schema[path][method]
    headers = {"Authorization": f"Bearer {token_for(make_user(Role.COMMISSION_ADMIN, COMMISSION))}"}

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case):
        response = case.call(app=application, headers=headers)
        statuses.add(response.status_code)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    statuses: set[int] = set()
    check()
    assert 401 not in statuses  # the token was taken: the operations ran, not only the authentication
