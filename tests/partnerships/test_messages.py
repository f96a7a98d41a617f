"""Every change made on an agreement's page ends with a success message (issue 11): starting it, a clause
added or removed, the term, each approval, the reopening, a new version. A refused one ends with the error."""

import datetime as dt

import pytest
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.orgs.models import Organisation
from medtalent.partnerships.enums import AgreementState
from medtalent.partnerships.models import Agreement, Pairing
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

S = AgreementState


@pytest.fixture(autouse=True)
def _english(english_browser):
    """Messages are asserted in English (the msgids)."""


def _admin(name_zh: str):
    user = UserFactory()
    RoleFactory(user=user, role=Role.UNIT_ADMIN, organisation=Organisation.objects.get(name_zh=name_zh))
    return user


def _messages(response) -> list[tuple[str, str]]:
    return [(m.tags, str(m)) for m in response.context["messages"]]


def test_every_agreement_change_says_it_is_done(client):
    pairing = Pairing.objects.get(supporting__name_zh="浙江大学医学院附属第一医院", supported__name_zh="景宁县人民医院")
    supporting, supported = _admin("浙江大学医学院附属第一医院"), _admin("景宁县人民医院")
    client.force_login(supporting)

    response = client.post(reverse("partnerships:agreement_create", args=[pairing.pk]), follow=True)
    agreement = Agreement.objects.get(pairing=pairing)
    assert _messages(response) == [("success", "The agreement is started from the template as a draft.")]

    def post(name, data=None, **kwargs):
        return client.post(reverse(f"partnerships:{name}", kwargs={"pk": agreement.pk, **kwargs}), data, follow=True)

    response = post("agreement_add_clause", {"text_zh": "双方每季度召开一次联席会议。"})
    assert _messages(response) == [("success", "The clause is added.")]
    clause = agreement.clauses.get(template_clause=None)
    response = post("agreement_remove_clause", clause_pk=clause.pk)
    assert _messages(response) == [("success", "The clause is removed.")]
    response = post("agreement_term", {"starts_on": "2014-01-01", "ends_on": "2016-12-31"})
    assert _messages(response) == [("success", "The term is saved.")]

    response = post("agreement_approve")
    assert _messages(response) == [
        ("success", "Approved for your hospital; waiting for the other hospital's approval.")
    ]
    client.force_login(supported)
    response = post("agreement_reopen")
    assert _messages(response) == [("success", "The agreement is reopened for changes; the approval given is cleared.")]
    post("agreement_approve")
    client.force_login(supporting)
    response = post("agreement_approve")
    assert _messages(response) == [("success", "Both hospitals have approved: the agreement is in force.")]
    agreement.refresh_from_db()
    assert agreement.state == S.APPROVED

    response = post("agreement_new_version")
    second = Agreement.objects.get(pairing=pairing, version=2)
    assert response.redirect_chain[-1][0] == reverse("partnerships:agreement", args=[second.pk])
    assert _messages(response) == [("success", "Version 2 is started as a draft: change it, then approve it again.")]
    assert (second.state, second.starts_on) == (S.DRAFT, dt.date(2014, 1, 1))


def test_a_refused_change_says_why_and_no_success(client):
    pairing = Pairing.objects.get(supporting__name_zh="浙江大学医学院附属第一医院", supported__name_zh="景宁县人民医院")
    client.force_login(_admin("浙江大学医学院附属第一医院"))
    client.post(reverse("partnerships:agreement_create", args=[pairing.pk]), follow=True)
    agreement = Agreement.objects.get(pairing=pairing)
    response = client.post(
        reverse("partnerships:agreement_add_clause", args=[agreement.pk]), {"text_zh": " "}, follow=True
    )
    assert _messages(response) == [("error", "Write the clause.")]
    assert agreement.clauses.filter(template_clause=None).count() == 0
