"""Existence oracles (issue 10, finding 3): an object the user may not see answers exactly as one that does not
exist (404, same body); 403 stays for what the user sees but may not use.

The pairing-support pages and API take a programme code. A draft programme of another province used to answer
403 while an unknown code answered 404, telling anybody signed in which draft programmes exist."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.catalog.enums import ProgrammeStatus, ProgrammeType
from medtalent.orgs.models import Organisation
from tests.factories import ProgrammeFactory
from tests.helpers import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MISSING = "no-such-programme"

PAGES = [
    pytest.param(lambda code: f"{reverse('partnerships:list')}?programme={code}", id="pairings-page"),
    pytest.param(lambda code: f"{reverse('partnerships:checks')}?programme={code}", id="checks-page"),
    pytest.param(lambda code: f"{reverse('partnerships:network')}?programme={code}", id="network-page"),
    pytest.param(lambda code: f"{reverse('indicators:trend')}?programme={code}", id="trend-page"),
    pytest.param(lambda code: f"{reverse('annual:overview')}?programme={code}", id="overview-page"),
    pytest.param(lambda code: f"/api/v1/pairing-checks?programme={code}", id="checks-api"),
    pytest.param(lambda code: f"/api/v1/pairings?programme={code}", id="pairings-api"),
    pytest.param(lambda code: f"/api/v1/pairing-network?programme={code}", id="network-api"),
    pytest.param(lambda code: f"/api/v1/indicators/trend?programme={code}", id="trend-api"),
]


def _body(response, code: str) -> bytes:
    """The body with the requested code (the page echoes its own address), the per-request CSRF token and the
    session's remaining time blanked."""
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", response.content)
    body = re.sub(rb'"X-CSRFToken": "[^"]*"', b"", body)  # the page's token for HTMX (base.html), masked anew each time
    # The seconds left before the absolute session timeout move on between the two requests.
    body = re.sub(rb'data-absolute-left="[^"]*"', b"", body)
    return body.replace(code.encode(), b"CODE")


@pytest.fixture
def outsider(client):
    """A Zhejiang commission administrator: Guangxi's programmes are not theirs."""
    client.force_login(make_user(Role.COMMISSION_ADMIN, "zj-hc"))
    return client


def _programme(status):
    return ProgrammeFactory(
        code=f"gx-pairing-{status}",
        owner=Organisation.objects.get(code="gx-hc"),
        programme_type=ProgrammeType.PAIRING_SUPPORT,
        status=status,
    )


@pytest.mark.parametrize("url", PAGES)
def test_a_draft_programme_of_another_province_answers_as_a_missing_one(outsider, url):
    draft = _programme(ProgrammeStatus.DRAFT)

    hidden = outsider.get(url(draft.code))
    missing = outsider.get(url(MISSING))

    assert (hidden.status_code, _body(hidden, draft.code)) == (missing.status_code, _body(missing, MISSING))
    assert hidden.status_code == 404


@pytest.mark.parametrize("url", PAGES)
def test_a_published_programme_the_user_does_not_manage_stays_forbidden(outsider, url):
    published = _programme(ProgrammeStatus.PUBLISHED)

    assert outsider.get(url(published.code)).status_code == 403
