"""Writes for notices: made after a transition commits (one per recipient, with an email unless muted), opened,
marked read; email preferences."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from smtplib import SMTPException
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from medtalent.core.workflow import Machine, Transition
from medtalent.notifications import selectors
from medtalent.notifications.kinds import kind_label_of, notice_kind
from medtalent.notifications.models import EmailPreference, Notice

logger = logging.getLogger(__name__)

TITLE_MAX = Notice._meta.get_field("title").max_length
LINK_MAX = Notice._meta.get_field("link").max_length
NOTE_MAX = Notice._meta.get_field("note").max_length


def _language(user) -> str:
    language = getattr(user, "language", "") or ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def site_url(path: str) -> str:
    """An absolute URL for an email: `settings.SITE_URL` and the path."""
    if not path:
        return ""
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def transition_recipients(*, machine: Machine, obj: Any, move: Transition, actor: Any) -> list:
    """The users told of `move`: every audience of the transition, each user once, never the actor, never an
    inactive account."""
    actor_pk = getattr(actor, "pk", None)
    users: dict[int, Any] = {}
    for audience in move.notify:
        for user in machine.recipients(obj, audience) or ():
            if user is None or user.pk is None or user.pk == actor_pk or not user.is_active:
                continue
            users.setdefault(user.pk, user)
    return list(users.values())


def notices_for_transition(*, machine: Machine, obj: Any, move: Transition, actor: Any, note: str) -> list[Notice]:
    """After a transition committed: one notice per recipient (in their language) and an email to each who has
    an address and did not mute the kind. A mail that cannot be sent is logged; the notices stay."""
    if not move.notify:
        return []
    recipients = transition_recipients(machine=machine, obj=obj, move=move, actor=actor)
    if not recipients:
        return []
    kind = notice_kind(machine, move.target)
    note = (note or "")[:NOTE_MAX]
    by_language: dict[str, list] = {}
    for user in recipients:
        by_language.setdefault(_language(user), []).append(user)
    notices, emails = [], []
    muted = selectors.muted_user_ids(user_ids=[u.pk for u in recipients], kind=kind)
    for language, users in by_language.items():
        with translation.override(language):
            title = str(machine.describe(obj))[:TITLE_MAX]
            link = (machine.link(obj) or "")[:LINK_MAX]
            context = {
                "title": title,
                "kind_label": kind_label_of(machine, move.target),
                "state": machine.state_label(move.target),
                "actor": str(actor) if actor is not None else "",
                "note": note,
                "url": site_url(link),
                "settings_url": site_url(reverse("notifications:settings")),
                "site_name": str(settings.SITE_NAME),
            }
            for user in users:
                notices.append(
                    Notice(
                        recipient=user,
                        kind=kind,
                        object_type=obj._meta.label_lower,
                        object_id=str(obj.pk),
                        title=title,
                        link=link,
                        actor=actor if getattr(actor, "pk", None) else None,
                        note=note,
                    )
                )
                if user.email and user.pk not in muted:
                    emails.append(_email(user=user, context=context))
    with transaction.atomic():
        Notice.objects.bulk_create(notices)
    if emails:
        # Rendered here, in each recipient's language; sent by a worker, so a slow mail server never delays the
        # action that caused them.
        emails_send_task.enqueue(
            messages=[{"subject": m.subject, "body": m.body, "to": list(m.to)} for m in emails], kind=kind
        )
    return notices


@task()
def emails_send_task(messages: list[dict], kind: str = "") -> int:
    """Thin task: the rendered messages, sent by `emails_send`."""
    return emails_send(messages=[EmailMessage(**message) for message in messages], kind=kind)


def _email(*, user, context: dict) -> EmailMessage:
    context = {**context, "recipient": str(user)}
    subject = " ".join(render_to_string("notifications/email/notice_subject.txt", context).split())
    body = re.sub(r"\n{3,}", "\n\n", render_to_string("notifications/email/notice.txt", context)).strip() + "\n"
    return EmailMessage(subject=subject, body=body, to=[user.email])


def emails_send(*, messages: list[EmailMessage], kind: str = "") -> int:
    """Send each message on its own over one connection; a refusal or a mail server down is logged, never
    raised (the user's action is saved already). How many were sent."""
    if not messages:
        return 0
    sent = 0
    try:
        with get_connection() as connection:
            for message in messages:
                message.connection = connection
                try:
                    sent += message.send()
                except (SMTPException, OSError):
                    logger.exception("Could not send the %s email to %s", kind, ", ".join(message.to))
    except (SMTPException, OSError):  # opening or closing the connection
        logger.exception("Could not send the %s emails (%d sent of %d)", kind, sent, len(messages))
    return sent


def notice_open(*, user, notice: Notice) -> Notice:
    """The recipient opens a notice: it is read from then on. Nobody else may (the selectors never hand out
    another user's notice)."""
    if notice.recipient_id != user.pk:
        # Translators: 中文：这不是您的通知。
        raise PermissionDenied(_("This notice is not yours."))
    if notice.read_at is None:
        notice.read_at = timezone.now()
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=notice.read_at)
    return notice


def notices_mark_all_read(*, user) -> int:
    """Every unread notice of the user is read now; how many there were."""
    return Notice.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def email_preferences_set(*, user, kinds: Iterable[str], muted: Iterable[str]) -> None:
    """Of `kinds` (those the settings page showed), the user gets the email of every one but `muted`. Only the
    muted are kept as rows: no row means email on."""
    kinds = set(kinds)
    muted = set(muted) & kinds
    EmailPreference.objects.filter(user=user, kind__in=kinds).delete()
    EmailPreference.objects.bulk_create(EmailPreference(user=user, kind=kind, email=False) for kind in sorted(muted))
