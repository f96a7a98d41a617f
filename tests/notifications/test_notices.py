"""Notices and emails after a transition: told after commit, never after a rollback, never the actor; a muted
kind keeps the notice but sends no email; each email in its recipient's language."""

from __future__ import annotations

import logging
from smtplib import SMTPException

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings

from medtalent.accounts.enums import Role
from medtalent.catalog.enums import ProgrammeStatus as P
from medtalent.catalog.models import Programme
from medtalent.core.workflow import Machine, Transition, transition
from medtalent.notifications.models import EmailPreference, Notice
from tests.factories import ProgrammeFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

# Who a test machine tells: set by each test (audience → users).
AUDIENCES: dict[str, list] = {}

MACHINE = Machine(
    name="testprogramme",
    model=Programme,
    state_field="status",
    transitions=(
        Transition(P.DRAFT, P.PUBLISHED, "catalog.publish_programme", notify=("owner", "watchers")),
        Transition(P.PUBLISHED, P.ARCHIVED, "catalog.publish_programme"),  # tells nobody
    ),
    recipients=lambda obj, audience: AUDIENCES.get(audience, []),
    describe=lambda obj: f"{obj.code} · {obj.name}",
    link=lambda obj: f"/programmes/{obj.code}/",
)
KIND = "testprogramme.published"


@pytest.fixture(autouse=True)
def _audiences():
    AUDIENCES.clear()
    yield
    AUDIENCES.clear()


@pytest.fixture
def programme():
    return ProgrammeFactory(status=P.DRAFT)


@pytest.fixture
def actor(programme):
    return RoleFactory(role=Role.COMMISSION_ADMIN, organisation=programme.owner, user__display_name="王主任").user


def publish(programme, actor, note=""):
    return transition(MACHINE, programme, to=P.PUBLISHED, actor=actor, note=note)


def test_transition_notifies_each_audience_after_commit(programme, actor, django_capture_on_commit_callbacks):
    owner = UserFactory(email="owner@example.org")
    watcher = UserFactory(email="watcher@example.org")
    AUDIENCES.update(owner=[owner], watchers=[watcher, owner])  # told once, though in two audiences

    with django_capture_on_commit_callbacks(execute=True):
        publish(programme, actor, note="请尽快报名")
        assert Notice.objects.count() == 0  # not before the commit
        assert mail.outbox == []

    notices = list(Notice.objects.order_by("recipient_id"))
    assert [(n.recipient, n.kind, n.actor, n.note) for n in notices] == [
        (owner, KIND, actor, "请尽快报名"),
        (watcher, KIND, actor, "请尽快报名"),
    ]
    assert {(n.object_type, n.object_id, n.title, n.link, n.read_at) for n in notices} == {
        (
            "catalog.programme",
            str(programme.pk),
            f"{programme.code} · {programme.name_zh}",
            programme_link(programme),
            None,
        )
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["owner@example.org", "watcher@example.org"]
    body = mail.outbox[0].body
    assert f"http://127.0.0.1:8000/programmes/{programme.code}/" in body
    assert "王主任" in body
    assert "请尽快报名" in body
    assert programme.code in mail.outbox[0].subject


def programme_link(programme) -> str:
    return f"/programmes/{programme.code}/"


def test_nothing_is_told_after_a_rollback(programme, actor, django_capture_on_commit_callbacks):
    AUDIENCES.update(owner=[UserFactory(email="owner@example.org")])

    def publish_then_fail():
        with transaction.atomic():
            publish(programme, actor)
            raise RuntimeError("the rest of the service failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        publish_then_fail()

    assert callbacks == []
    assert Notice.objects.count() == 0
    assert mail.outbox == []
    programme.refresh_from_db()
    assert programme.status == P.DRAFT


def test_the_actor_is_not_told_of_their_own_move(programme, actor, django_capture_on_commit_callbacks):
    other = UserFactory(email="other@example.org")
    actor.email = "actor@example.org"
    actor.save()
    AUDIENCES.update(owner=[actor], watchers=[other])

    with django_capture_on_commit_callbacks(execute=True):
        publish(programme, actor)

    assert list(Notice.objects.values_list("recipient", flat=True)) == [other.pk]
    assert [m.to for m in mail.outbox] == [["other@example.org"]]


def test_a_transition_without_audience_tells_nobody(programme, actor, django_capture_on_commit_callbacks):
    AUDIENCES.update(owner=[UserFactory(email="owner@example.org")])
    programme.status = P.PUBLISHED
    programme.save()

    with django_capture_on_commit_callbacks(execute=True):
        transition(MACHINE, programme, to=P.ARCHIVED, actor=actor)

    assert Notice.objects.count() == 0
    assert mail.outbox == []


def test_a_muted_kind_keeps_the_notice_but_sends_no_email(programme, actor, django_capture_on_commit_callbacks):
    muted = UserFactory(email="muted@example.org")
    other = UserFactory(email="other@example.org")
    EmailPreference.objects.create(user=muted, kind=KIND, email=False)
    EmailPreference.objects.create(user=other, kind="application.submitted", email=False)  # another kind
    AUDIENCES.update(owner=[muted, other])

    with django_capture_on_commit_callbacks(execute=True):
        publish(programme, actor)

    assert set(Notice.objects.values_list("recipient", flat=True)) == {muted.pk, other.pk}
    assert [m.to for m in mail.outbox] == [["other@example.org"]]


def test_a_recipient_without_email_gets_the_notice_only(programme, actor, django_capture_on_commit_callbacks):
    AUDIENCES.update(owner=[UserFactory(email="")])

    with django_capture_on_commit_callbacks(execute=True):
        publish(programme, actor)

    assert Notice.objects.count() == 1
    assert mail.outbox == []


def test_each_email_is_in_its_recipients_language(programme, actor, django_capture_on_commit_callbacks):
    programme.name_en = "Fellowship in Lyon"
    programme.save()
    chinese = UserFactory(email="zh@example.org")  # no language chosen: the site's, Chinese
    english = UserFactory(email="en@example.org", language="en")
    AUDIENCES.update(owner=[chinese, english])

    with django_capture_on_commit_callbacks(execute=True):
        publish(programme, actor)

    by_address = {m.to[0]: m for m in mail.outbox}
    assert "已发布" in by_address["zh@example.org"].body
    assert "Published" not in by_address["zh@example.org"].body
    assert programme.name_zh in by_address["zh@example.org"].subject
    assert "Published" in by_address["en@example.org"].body
    assert "Fellowship in Lyon" in by_address["en@example.org"].subject
    titles = dict(Notice.objects.values_list("recipient_id", "title"))
    assert titles == {
        chinese.pk: f"{programme.code} · {programme.name_zh}",
        english.pk: f"{programme.code} · Fellowship in Lyon",
    }


@override_settings(SITE_URL="https://medtalent.example.gov.cn/")
def test_the_link_starts_with_the_site_url(programme, actor, django_capture_on_commit_callbacks):
    AUDIENCES.update(owner=[UserFactory(email="owner@example.org")])

    with django_capture_on_commit_callbacks(execute=True):
        publish(programme, actor)

    assert f"https://medtalent.example.gov.cn/programmes/{programme.code}/" in mail.outbox[0].body


def test_a_mail_server_down_is_logged_and_the_move_and_notices_stay(
    programme, actor, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    AUDIENCES.update(owner=[UserFactory(email="a@example.org"), UserFactory(email="b@example.org")])

    def refuse(self, fail_silently=False):
        raise SMTPException("451 try again later")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        publish(programme, actor)

    programme.refresh_from_db()
    assert programme.status == P.PUBLISHED
    assert Notice.objects.count() == 2
    assert [r.getMessage() for r in caplog.records if r.name == "medtalent.notifications.services"] == [
        "Could not send the testprogramme.published email to a@example.org",
        "Could not send the testprogramme.published email to b@example.org",
    ]


def test_a_failing_recipients_function_is_logged_and_the_move_stays(
    programme, actor, django_capture_on_commit_callbacks, caplog
):
    def broken(obj, audience):
        raise LookupError("no such audience")

    machine = Machine(
        name="testbroken",
        model=Programme,
        state_field="status",
        transitions=(Transition(P.DRAFT, P.PUBLISHED, "catalog.publish_programme", notify=("x",)),),
        recipients=broken,
    )
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        transition(machine, programme, to=P.PUBLISHED, actor=actor)

    programme.refresh_from_db()
    assert programme.status == P.PUBLISHED
    assert Notice.objects.count() == 0
    assert any("failed" in r.getMessage() for r in caplog.records if r.name == "medtalent.core.workflow")


def test_default_describe_and_link_of_a_machine(programme):
    machine = Machine(name="plain", model=Programme, transitions=(), state_field="status")

    assert machine.describe(programme) == str(programme)
    assert machine.link(programme) == ""  # Programme has no get_absolute_url
