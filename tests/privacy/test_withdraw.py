"""Withdrawing a consent: the page says what happens to each open application and asks for confirmation; the
applications still in selection are withdrawn through the application workflow, drafts can no longer be submitted."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from medtalent.applications.models import Application
from medtalent.applications.services import application_submit
from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from medtalent.people.models import Consent
from medtalent.people.selectors import person_has_current_consent, person_has_sensitive_consent
from medtalent.privacy import services
from tests.applications.conftest import COMPLETE_FORM, open_round
from tests.factories import ApplicationFactory
from tests.helpers import rows
from tests.privacy.conftest import application, english_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def apps(world):
    return {
        "submitted": application(world.person, "submitted"),
        "returned": application(world.person, "returned"),
        "draft": ApplicationFactory(person=world.person, round=open_round(), **COMPLETE_FORM),
        "recommended": application(world.person, "recommended"),
    }


@pytest.mark.parametrize("kind", ["general", "sensitive"])
def test_the_page_lists_what_happens_to_each_application(world, apps, kind):
    html = english_client(world.user).get(reverse("privacy:withdraw", args=[kind])).content.decode()
    sections = html.split("<h2>")
    assert sections[1].startswith("Applications still in selection will be withdrawn")
    assert apps["submitted"].round.name in sections[1]
    assert apps["returned"].round.name in sections[1]
    assert sections[2].startswith("Drafts are kept but cannot be submitted")
    assert apps["draft"].round.name in sections[2]
    assert apps["recommended"].round.name in sections[3]
    assert apps["recommended"].round.name not in sections[1] + sections[2]


def test_without_confirmation_nothing_changes(world, apps):
    before = rows(Consent, Application, AuditEvent)
    response = english_client(world.user).post(reverse("privacy:withdraw", args=["sensitive"]))
    assert response.status_code == 400
    assert rows(Consent, Application, AuditEvent) == before


@pytest.mark.parametrize(
    ("kind", "still_general", "still_sensitive"), [("general", False, True), ("sensitive", True, False)]
)
def test_withdrawing_withdraws_the_applications_in_selection(world, apps, kind, still_general, still_sensitive):
    response = english_client(world.user).post(reverse("privacy:withdraw", args=[kind]), {"confirm": "on"})
    assert response.url == reverse("privacy:home")
    assert (person_has_current_consent(person=world.person), person_has_sensitive_consent(person=world.person)) == (
        still_general,
        still_sensitive,
    )
    states = {key: Application.objects.get(pk=a.pk).state for key, a in apps.items()}
    assert states == {"submitted": "withdrawn", "returned": "withdrawn", "draft": "draft", "recommended": "recommended"}
    moves = AuditEvent.objects.filter(action="application.transition", to_state="withdrawn")
    assert sorted(moves.values_list("from_state", flat=True)) == ["returned", "submitted"]
    assert AuditEvent.objects.filter(action="person.consent_withdraw", data__kind=kind).count() == 1
    with pytest.raises(ApplicationError) as refused:
        application_submit(actor=world.user, application=apps["draft"])
    assert refused.value.field == "consent"
    assert Application.objects.get(pk=apps["draft"].pk).state == "draft"


def test_someone_else_cannot_withdraw_the_persons_consent(world, apps):
    before = rows(Consent, Application, AuditEvent)
    # The page reads the logged-in user's own profile: another user without a profile gets 404.
    response = english_client(world.other).post(reverse("privacy:withdraw", args=["general"]), {"confirm": "on"})
    assert response.status_code == 404
    assert rows(Consent, Application, AuditEvent) == before


def test_an_unknown_kind_is_404(world):
    assert english_client(world.user).get(reverse("privacy:withdraw", args=["everything"])).status_code == 404


def test_a_submission_without_the_sensitive_consent_goes_to_its_page_and_stays_a_draft(world):
    draft = ApplicationFactory(person=world.person, round=open_round())
    services.consent_withdraw(actor=world.user, person=world.person, kind="sensitive")
    response = english_client(world.user).post(reverse("applications:submit", args=[draft.pk]), COMPLETE_FORM)
    back = reverse("applications:edit", args=[draft.pk])
    assert response["Location"] == f"{reverse('people:consent_sensitive')}?{urlencode({'next': back})}"
    assert Application.objects.get(pk=draft.pk).state == "draft"
