"""Deletion requests: answered by the retention rules through the workflow (completed, partly kept, refused), with
anonymisation that clears the personal fields, deletes the files and deactivates the account; audited without
personal values."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from medtalent.accounts.models import User
from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from medtalent.core.workflow import transition
from medtalent.people.models import Document, Person
from medtalent.privacy import services
from medtalent.privacy.enums import DeletionRequestState as D
from medtalent.privacy.models import Anonymisation, DeletionRequest
from medtalent.privacy.workflow import DELETION_REQUEST
from tests.helpers import rows
from tests.privacy.conftest import (
    EMAIL,
    ID_NUMBER,
    NAME,
    PHONE,
    application,
    english_client,
    set_rules,
    stint,
    years_ago,
)

pytestmark = pytest.mark.django_db

DELETION = reverse("privacy:deletion")


def test_a_person_without_records_is_anonymised_at_once(world):
    request = services.deletion_request_create(actor=world.user, person=world.person, reason="不再参加")
    person = Person.objects.get(pk=world.person.pk)
    assert request.state == D.COMPLETED
    assert (person.name, person.id_number, person.phone, person.email, person.health_status, person.cv_text) == (
        f"已匿名 #{person.pk}",
        None,
        "",
        "",
        "",
        "",
    )
    assert person.birth_date is None
    assert Document.objects.filter(person=person).count() == 0
    user = User.objects.get(pk=world.user.pk)
    assert (user.is_active, user.email, user.username, user.has_usable_password()) == (
        False,
        "",
        f"anonymised-{user.pk}",
        False,
    )
    assert Anonymisation.objects.get(person=person).scope == "request"
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "from_state", "to_state"))
    assert actions[-3:] == [
        ("deletion_request.create", "", ""),
        ("person.anonymise", "", ""),
        ("deletion_request.transition", "requested", "completed"),
    ]


def test_the_file_is_deleted_after_commit(world, private_media, django_capture_on_commit_callbacks):
    stored = private_media / world.document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.deletion_request_create(actor=world.user, person=world.person)
    assert not stored.exists()


def test_the_audit_rows_never_hold_a_personal_value(world):
    services.deletion_request_create(actor=world.user, person=world.person)
    logged = json.dumps(list(AuditEvent.objects.values("note", "data")), ensure_ascii=False)
    for value in (NAME, ID_NUMBER, PHONE, EMAIL, "良好", "心内科主治医师"):
        assert value not in logged


def test_a_selected_application_keeps_the_data_until_the_end_of_its_period(world):
    set_rules(programme_record=7)
    decided = years_ago(1)
    application(world.person, "recommended", decided=decided)
    before = rows(Person, Document)
    request = services.deletion_request_create(actor=world.user, person=world.person)
    local = timezone.localtime(decided).date()
    assert request.state == D.KEPT
    assert request.kept_until == local.replace(year=local.year + 7)
    assert [(h["scope"], h["record"]) for h in request.holds] == [("programme_record", "application")]
    assert rows(Person, Document) == before  # nothing anonymised now
    html = english_client(world.user).get(reverse("privacy:home")).content.decode()
    assert f"Kept until {request.kept_until:%Y-%m-%d}, then anonymised." in html


def test_an_application_in_selection_refuses_the_request_with_the_reason(world):
    app = application(world.person, "submitted")
    request = services.deletion_request_create(actor=world.user, person=world.person)
    assert request.state == D.REFUSED
    assert app.round.programme.name in request.refusal
    event = AuditEvent.objects.get(action="deletion_request.transition")
    assert (event.to_state, event.note) == ("refused", request.refusal)
    assert Anonymisation.objects.count() == 0
    # Refused is final: a new request may be made once the application is decided.
    assert services.deletion_request_create(actor=world.user, person=world.person).state == D.REFUSED


def test_one_open_request_at_a_time(world):
    application(world.person, "recommended", decided=years_ago(1))
    services.deletion_request_create(actor=world.user, person=world.person)
    before = rows(DeletionRequest, AuditEvent)
    with pytest.raises(ApplicationError):
        services.deletion_request_create(actor=world.user, person=world.person)
    assert rows(DeletionRequest, AuditEvent) == before


def test_nobody_else_asks_for_a_persons_deletion_and_nothing_changes(world):
    before = rows(DeletionRequest, Person, AuditEvent)
    with pytest.raises(PermissionDenied):
        services.deletion_request_create(actor=world.other, person=world.person)
    assert rows(DeletionRequest, Person, AuditEvent) == before


ALL_STATES = list(D.values)
ALLOWED = {("requested", "completed"), ("requested", "kept"), ("requested", "refused"), ("kept", "completed")}


@pytest.mark.parametrize(("source", "target"), [(s, t) for s in ALL_STATES for t in ALL_STATES if s != t])
def test_the_transition_table(world, source, target):
    request = DeletionRequest.objects.create(person=world.person, state=source)
    if (source, target) in ALLOWED:
        transition(DELETION_REQUEST, request, to=target, actor=None, note="规则")
        assert DeletionRequest.objects.get(pk=request.pk).state == target
    else:
        with pytest.raises(ApplicationError):
            transition(DELETION_REQUEST, request, to=target, actor=None, note="规则")
        assert DeletionRequest.objects.get(pk=request.pk).state == source


def test_the_page_previews_the_answer_and_a_completed_request_logs_out(world):
    client = english_client(world.user)
    html = client.get(DELETION).content.decode()
    assert "Deleted (anonymised) at once, and you are logged out." in html
    assert client.post(DELETION, {"reason": ""}).status_code == 400  # the confirmation box is required
    assert DeletionRequest.objects.count() == 0
    response = client.post(DELETION, {"reason": "", "confirm": "on"})
    assert response.status_code == 200
    assert "Your personal data has been deleted" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert client.get(reverse("privacy:home")).status_code == 302  # logged out


def test_a_kept_request_shows_its_records_on_the_privacy_page(world):
    application(world.person, "rejected", decided=years_ago(1))
    client = english_client(world.user)
    assert client.post(DELETION, {"confirm": "on"}).url == reverse("privacy:home")
    html = client.get(reverse("privacy:home")).content.decode()
    assert "Partly kept" in html
    assert "Applications never selected" in html


def test_a_stint_under_way_is_named_in_the_refusal(world):
    host = stint(world.person, "active", ends_on=timezone.localdate()).host
    request = services.deletion_request_create(actor=world.user, person=world.person)
    assert request.state == D.REFUSED
    assert host.name in request.refusal
