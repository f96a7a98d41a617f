"""An added clause of an agreement has a maximum length: refused with a message naming it, never cut."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from medtalent.core.errors import ApplicationError
from medtalent.core.limits import TEXT_LONG
from medtalent.partnerships import services
from tests.partnerships.test_agreements import _state, agreement, commission, pairing, supported_admin  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_clause_over_the_limit_is_refused_and_nothing_is_stored(agreement, supported_admin):  # noqa: F811
    before = _state(agreement)

    with pytest.raises(ApplicationError) as error, translation.override("en"):
        services.agreement_add_clause(actor=supported_admin, agreement=agreement, text_zh="款" * (TEXT_LONG + 1))

    assert (error.value.field, error.value.message) == (
        "text_zh",
        "“Text (Chinese)” is too long: at most 5,000 characters, this has 5,001.",
    )
    assert _state(agreement) == before


def test_the_clause_page_shows_the_refusal_instead_of_cutting_the_text(client, agreement, supported_admin):  # noqa: F811
    client.force_login(supported_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    before = _state(agreement)

    response = client.post(
        reverse("partnerships:agreement_add_clause", kwargs={"pk": agreement.pk}),
        {"text_zh": "款" * (TEXT_LONG + 1)},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "“Text (Chinese)” is too long: at most 5,000 characters, this has 5,001."
    ]
    assert _state(agreement) == before


def test_a_clause_of_4500_characters_is_kept_whole(client, agreement, supported_admin):  # noqa: F811
    client.force_login(supported_admin)

    client.post(reverse("partnerships:agreement_add_clause", kwargs={"pk": agreement.pk}), {"text_zh": "款" * 4500})

    assert agreement.clauses.get(template_clause=None).text_zh == "款" * 4500
