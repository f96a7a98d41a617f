"""Writes for registration: invitations (create, send by a worker, resend, revoke, accept), self-registration,
claims of an imported profile, the unit's decisions, unlocking a staff account.

Every change writes an audit row; personal values (ID numbers, emails, passwords) never go into one.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from medtalent.accounts.enums import Role
from medtalent.accounts.models import User
from medtalent.accounts.services import role_assign, user_unlock
from medtalent.codes.idnumber import normalise_id_number
from medtalent.core.errors import ApplicationError, require_perm
from medtalent.core.services import audit_log
from medtalent.core.workflow import transition
from medtalent.notifications.services import emails_send, site_url
from medtalent.orgs.models import Organisation
from medtalent.people.models import Consent, Person
from medtalent.people.selectors import employer_choices, person_by_id_number
from medtalent.registration import selectors
from medtalent.registration.enums import InvitationState, RequestKind, RequestState
from medtalent.registration.models import AccountRequest, ClaimAttempt, Invitation
from medtalent.registration.rules import UNLOCK_USER
from medtalent.registration.workflow import ACCOUNT_REQUEST, DECIDE, INVITATION, MANAGE_INVITATION

logger = logging.getLogger(__name__)

NAME_MAX = int(Person._meta.get_field("name").max_length or 50)
EMAIL_KIND = "registration.invitation"


def no_match_message() -> str:
    # Translators: 中文：没有与这些信息相符的档案，或该档案不能认领。请联系本单位管理员。
    return _("No profile matches these details, or it is not open to claim. Ask your unit.")


def too_many_claims_message() -> str:
    # Translators: 中文：认领失败次数过多，请明天再试或联系本单位管理员。
    return _("Too many failed attempts. Try again tomorrow, or ask your unit.")


# ---- Accounts ---------------------------------------------------------------------------------------------------


def _check_username(username: str) -> str:
    username = (username or "").strip()
    if not username:
        # Translators: 中文：请填写用户名。
        raise ApplicationError(_("Choose a username."), field="username")
    try:
        User._meta.get_field("username").run_validators(username)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), field="username") from error
    if User.objects.filter(username__iexact=username).exists():
        # Translators: 中文：该用户名已被使用，请换一个。
        raise ApplicationError(_("This username is taken. Choose another."), field="username")
    return username


def _check_email(email: str) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as error:
        # Translators: 中文：请填写有效的电子邮箱。
        raise ApplicationError(_("Enter a valid email address."), field="email") from error
    return email


def _account_create(*, username: str, password: str, email: str, name: str, via: str) -> User:
    """A new account (its password checked by every validator of AUTH_PASSWORD_VALIDATORS), audited as its own
    act, with the applicant role."""
    user = User(username=username, email=email, display_name=name[:100])
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), field="password") from error
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # the same username taken a moment ago
        # Translators: 中文：该用户名已被使用，请换一个。
        raise ApplicationError(_("This username is taken. Choose another."), field="username") from error
    audit_log(actor=user, action="user.create", obj=user, data={"username": username, "via": via})
    role_assign(actor=user, user=user, role=Role.APPLICANT)
    return user


# ---- Invitations --------------------------------------------------------------------------------------------------


def _lock_invitation(invitation: Invitation) -> Invitation:
    return Invitation.objects.select_for_update(of=("self",)).select_related("person", "unit").get(pk=invitation.pk)


def _send_after_commit(invitation: Invitation) -> None:
    pk = invitation.pk
    transaction.on_commit(lambda: invitation_send_task.enqueue(invitation_id=pk))


@transaction.atomic
def invitation_create(*, actor, person: Person, email: str = "") -> Invitation:
    """The unit invites one of its staff without an account, at `email` (the profile's when empty). The email
    (with a link made by the worker that sends it) goes after commit."""
    locked = Person.objects.select_for_update(of=("self",)).select_related("employer").get(pk=person.pk)
    # Translators: 中文：您无权邀请此人。
    require_perm(actor, "registration.invite_person", locked, _("You may not invite this person."))
    if locked.user_id is not None:
        # Translators: 中文：此人已有账户。
        raise ApplicationError(_("This person has an account already."), field="person")
    email = _check_email(email or locked.email)
    if Invitation.objects.filter(person=locked, state=InvitationState.PENDING).exists():
        # Translators: 中文：已邀请过此人；如需要，请重新发送邀请。
        raise ApplicationError(_("This person has been invited already: send the invitation again."), field="person")
    unit = locked.employer
    if unit is None:  # the permission needs the unit: never here
        raise PermissionDenied
    invitation = Invitation.objects.create(person=locked, unit=unit, email=email, invited_by=actor)
    audit_log(
        actor=actor,
        action="invitation.create",
        obj=invitation,
        to_state=InvitationState.PENDING,
        data={"person": locked.pk, "unit": locked.employer_id},
    )
    _send_after_commit(invitation)
    return invitation


@transaction.atomic
def invitation_resend(*, actor, invitation: Invitation) -> Invitation:
    """Send the invitation again: a new link and a new expiry; the old link stops working at once."""
    locked = _lock_invitation(invitation)
    # Translators: 中文：您无权处理此邀请。
    require_perm(actor, MANAGE_INVITATION, locked, _("You may not do this with this invitation."))
    if locked.state != InvitationState.PENDING:
        # Translators: 中文：只能重新发送尚未接受的邀请。
        raise ApplicationError(_("Only an invitation still waiting can be sent again."), field="state")
    if locked.person.user_id is not None:
        raise ApplicationError(_("This person has an account already."), field="person")
    locked.token_hash = ""
    locked.save(update_fields=["token_hash", "updated_at"])
    audit_log(actor=actor, action="invitation.resend", obj=locked, data={"sent_count": locked.sent_count})
    _send_after_commit(locked)
    return locked


def invitation_revoke(*, actor, invitation: Invitation, note: str = "") -> Invitation:
    """The unit withdraws an invitation: its link stops working."""
    return transition(INVITATION, invitation, to=InvitationState.REVOKED, actor=actor, note=note[:500])


@task()
def invitation_send_task(invitation_id: int) -> bool:
    """Thin task: make the link and send the email (`invitation_send`)."""
    return invitation_send(invitation_id=invitation_id)


def invitation_send(*, invitation_id: int) -> bool:
    """Make a new token for a waiting invitation, keep its hash and a new expiry, and email the link. The token
    exists only in the email: neither the database nor the task queue ever holds it. True when sent."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("person", "unit")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.state != InvitationState.PENDING or invitation.person.user_id:
            return False
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        invitation.token_hash = selectors.token_hash(token)
        invitation.expires_at = now + dt.timedelta(days=settings.REGISTRATION_INVITATION_DAYS)
        invitation.sent_at = now
        invitation.sent_count += 1
        invitation.save(update_fields=["token_hash", "expires_at", "sent_at", "sent_count", "updated_at"])
        audit_log(
            actor=None,
            action="invitation.send",
            obj=invitation,
            data={"sent_count": invitation.sent_count, "expires_at": invitation.expires_at.isoformat()},
        )
        message = _invitation_email(invitation, token)
    return emails_send(messages=[message], kind=EMAIL_KIND) == 1


def _invitation_email(invitation: Invitation, token: str) -> EmailMessage:
    # The invited person has no account yet, hence no language of their own: the site's.
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "name": invitation.person.name,
            "unit": invitation.unit.name,
            "url": site_url(reverse("registration:accept", args=[token])),
            "expires": formats.date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT"),
            "site_name": str(settings.SITE_NAME),
        }
        subject = " ".join(render_to_string("registration/email/invitation_subject.txt", context).split())
        rendered = str(render_to_string("registration/email/invitation.txt", context))
    body = re.sub(r"\n{3,}", "\n\n", rendered).strip() + "\n"
    return EmailMessage(subject=subject, body=body, to=[invitation.email])


def invitation_refusal(invitation: Invitation | None) -> str:
    """Why a link cannot be used now (the user's words), or "" when it can."""
    if invitation is None or not invitation.token_hash:
        # Translators: 中文：此邀请链接无效。请使用邮件中最新的链接，或联系本单位管理员。
        return _("This invitation link is not valid. Use the latest link you were sent, or ask your unit.")
    if invitation.state == InvitationState.ACCEPTED:
        # Translators: 中文：此邀请已被使用。请直接登录。
        return _("This invitation has been used already. Log in instead.")
    if invitation.state == InvitationState.REVOKED:
        # Translators: 中文：本单位已撤回此邀请。
        return _("Your unit has withdrawn this invitation.")
    if invitation.expired:
        # Translators: 中文：此邀请已过期。请联系本单位管理员重新发送。
        return _("This invitation has expired. Ask your unit to send it again.")
    if invitation.person.user_id is not None:
        return _("This invitation has been used already. Log in instead.")
    return ""


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str) -> User:
    """The invited person chooses a username and password: the account is made and linked to their profile; the
    invitation is used up."""
    found = selectors.invitation_by_token(token=token)
    if found is None:
        raise ApplicationError(invitation_refusal(None), field="token")
    invitation = _lock_invitation(found)
    person = Person.objects.select_for_update(of=("self",)).get(pk=invitation.person_id)
    invitation.person = person
    refusal = invitation_refusal(invitation)
    if refusal:
        raise ApplicationError(refusal, field="token")
    username = _check_username(username)
    user = _account_create(
        username=username, password=password, email=invitation.email, name=person.name, via="invitation"
    )
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    audit_log(
        actor=user, action="person.link_account", obj=person, data={"via": "invitation", "invitation": invitation.pk}
    )
    transition(INVITATION, invitation, to=InvitationState.ACCEPTED, actor=user, changes={"user": user})
    return user


# ---- Self-registration ------------------------------------------------------------------------------------------


@transaction.atomic
def registration_create(
    *, username: str, password: str, name: str, email: str, unit: Organisation | None, ip_address: str | None = None
) -> AccountRequest:
    """Anyone registers: the account and an empty profile work at once; the unit confirms them as its staff."""
    name = (name or "").strip()
    if not name:
        # Translators: 中文：请填写姓名。
        raise ApplicationError(_("Enter your name."), field="name")
    if len(name) > NAME_MAX:
        # Translators: 中文：姓名不能超过 %(limit)s 个字符。
        raise ApplicationError(_("The name may have at most %(limit)s characters.") % {"limit": NAME_MAX}, field="name")
    email = _check_email(email)
    if unit is None or not employer_choices().filter(pk=unit.pk).exists():
        # Translators: 中文：请选择您的单位（医院）。
        raise ApplicationError(_("Choose your unit (hospital)."), field="unit")
    if selectors.registrations_from(ip_address=ip_address) >= settings.REGISTRATION_MAX_PER_IP:
        # Translators: 中文：今天从您的网络注册的账户过多，请明天再试，或请本单位邀请您。
        raise ApplicationError(
            _("Too many registrations from your network today. Try again tomorrow, or ask your unit to invite you.")
        )
    username = _check_username(username)
    user = _account_create(username=username, password=password, email=email, name=name, via="registration")
    person = Person.objects.create(user=user, name=name, email=email)
    audit_log(actor=user, action="person.create", obj=person, data={"via": "registration"})
    request = AccountRequest.objects.create(
        kind=RequestKind.REGISTRATION, user=user, person=person, unit=unit, ip_address=ip_address or None
    )
    audit_log(
        actor=user,
        action="account_request.create",
        obj=request,
        to_state=RequestState.PENDING,
        data={"kind": RequestKind.REGISTRATION, "unit": unit.pk},
    )
    return request


# ---- Claims -------------------------------------------------------------------------------------------------------


def claim_create(*, actor, id_number: str, birth_date: dt.date | None, ip_address: str | None = None) -> AccountRequest:
    """The logged-in person claims the profile their unit imported, proving its ID number and date of birth; the
    unit confirms. Every failure answers the same (whether the ID number is on file or not, whether the profile
    has an account), is recorded and audited, and after REGISTRATION_CLAIM_MAX_FAILURES in the window (per account;
    per address: ..._PER_IP) even the right details are refused.

    Not one transaction: a failed attempt stays recorded although the claim is refused."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    if selectors.claim_failures(user=actor) >= settings.REGISTRATION_CLAIM_MAX_FAILURES or (
        ip_address
        and selectors.claim_failures(ip_address=ip_address) >= settings.REGISTRATION_CLAIM_MAX_FAILURES_PER_IP
    ):
        audit_log(actor=actor, action="claim.blocked", obj=actor, data={"ip": ip_address or ""})
        raise ApplicationError(too_many_claims_message(), field="id_number")
    with transaction.atomic():
        request = _claim(actor=actor, id_number=id_number, birth_date=birth_date, ip_address=ip_address)
    if request is not None:
        return request
    with transaction.atomic():
        ClaimAttempt.objects.create(user=actor, ip_address=ip_address or None, succeeded=False)
        failures = selectors.claim_failures(user=actor)
        audit_log(actor=actor, action="claim.failed", obj=actor, data={"failures": failures, "ip": ip_address or ""})
    raise ApplicationError(no_match_message(), field="id_number")


def _claim(*, actor, id_number: str, birth_date: dt.date | None, ip_address: str | None) -> AccountRequest | None:
    own = Person.objects.select_for_update(of=("self",)).filter(user=actor).first()
    if own is not None and not selectors.profile_is_replaceable(person=own):
        # Translators: 中文：您的账户已有一份填写了身份证号码或已有申请的档案，不能再认领其他档案。请联系本单位管理员。
        raise ApplicationError(
            _(
                "Your account already has a profile with an ID number or applications: it cannot claim another. Ask your unit."
            ),
            field="id_number",
        )
    pending = (
        AccountRequest.objects.select_for_update(of=("self",)).filter(user=actor, state=RequestState.PENDING).first()
    )
    if pending is not None and pending.kind == RequestKind.CLAIM:
        # Translators: 中文：您的认领申请正在等待本单位确认。
        raise ApplicationError(_("Your claim is waiting for your unit's confirmation."), field="id_number")
    number = normalise_id_number(id_number)
    found = person_by_id_number(id_number=number) if number and birth_date else None
    if found is None:
        return None
    person = Person.objects.select_for_update(of=("self",)).get(pk=found.pk)
    if person.user_id is not None or person.birth_date != birth_date or person.employer_id is None:
        return None
    if pending is not None:  # a self-registration still waiting: the claim replaces it
        # Translators: 中文：已改为认领单位导入的档案。
        transition(ACCOUNT_REQUEST, pending, to=RequestState.WITHDRAWN, actor=actor, note=_("Replaced by a claim."))
    ClaimAttempt.objects.create(user=actor, ip_address=ip_address or None, succeeded=True)
    request = AccountRequest.objects.create(
        kind=RequestKind.CLAIM, user=actor, person=person, unit_id=person.employer_id, ip_address=ip_address or None
    )
    audit_log(
        actor=actor,
        action="account_request.create",
        obj=request,
        to_state=RequestState.PENDING,
        data={"kind": RequestKind.CLAIM, "unit": person.employer_id, "person": person.pk},
    )
    return request


# ---- The unit's decisions -----------------------------------------------------------------------------------------


@transaction.atomic
def account_request_decide(*, actor, request: AccountRequest, confirm: bool, note: str = "") -> AccountRequest:
    """The unit confirms (a claim: the account gets the profile; a registration: the profile gets the unit as its
    employer) or refuses with a reason. The person is told."""
    person = Person.objects.select_for_update(of=("self",)).get(pk=request.person_id)
    if not confirm:
        return transition(ACCOUNT_REQUEST, request, to=RequestState.REFUSED, actor=actor, note=note)
    locked = transition(ACCOUNT_REQUEST, request, to=RequestState.CONFIRMED, actor=actor, note=note)
    if locked.kind == RequestKind.REGISTRATION:
        person.employer_id = locked.unit_id
        person.save(update_fields=["employer", "updated_at"])
        audit_log(
            actor=actor, action="person.employer", obj=person, data={"employer": locked.unit_id, "via": "registration"}
        )
        return locked
    _link_claimed(actor=actor, request=locked, person=person)
    return locked


def _link_claimed(*, actor, request: AccountRequest, person: Person) -> None:
    if person.user_id is not None:
        # Translators: 中文：此档案已关联账户，请拒绝此申请。
        raise ApplicationError(_("This profile has an account already: refuse the request."), field="state")
    own = Person.objects.select_for_update(of=("self",)).filter(user_id=request.user_id).first()
    moved = 0
    if own is not None:
        if not selectors.profile_is_replaceable(person=own):
            # Translators: 中文：该账户已有一份填写了身份证号码或已有申请的档案，不能再关联此档案。
            raise ApplicationError(
                _("The account already has a profile with an ID number or applications: it cannot take this one."),
                field="state",
            )
        # The empty profile gives way: its consents and requests go to the claimed one (the same person).
        moved = (
            Consent.objects.filter(person=own)
            .exclude(notice_id__in=Consent.objects.filter(person=person).values("notice_id"))
            .update(person=person)
        )
        AccountRequest.objects.filter(person=own).update(person=person)
        audit_log(actor=actor, action="person.delete", obj=own, data={"replaced_by": person.pk, "via": "claim"})
        own.delete()
    person.user_id = request.user_id
    person.save(update_fields=["user", "updated_at"])
    audit_log(
        actor=actor,
        action="person.link_account",
        obj=person,
        data={"via": "claim", "request": request.pk, "consents_moved": moved},
    )
    # Other claims of the profile and its invitations are moot now.
    # Translators: 中文：该档案已关联另一个账户。
    taken = _("Another account was confirmed for this profile.")
    others = AccountRequest.objects.filter(person=person, state=RequestState.PENDING).exclude(pk=request.pk)
    for other in others:
        if actor.has_perm(DECIDE, other):
            transition(ACCOUNT_REQUEST, other, to=RequestState.REFUSED, actor=actor, note=taken)
    for invitation in Invitation.objects.filter(person=person, state=InvitationState.PENDING):
        if actor.has_perm(MANAGE_INVITATION, invitation):
            transition(INVITATION, invitation, to=InvitationState.REVOKED, actor=actor, note=taken)


def account_request_withdraw(*, actor, request: AccountRequest) -> AccountRequest:
    return transition(ACCOUNT_REQUEST, request, to=RequestState.WITHDRAWN, actor=actor)


# ---- Locked accounts ------------------------------------------------------------------------------------------------


def staff_account_unlock(*, actor, user: User) -> None:
    """A unit administrator unlocks a staff account locked out after failed logins (`accounts.unlock_user`)."""
    # Translators: 中文：您无权解锁此账户。
    require_perm(actor, UNLOCK_USER, user, _("You may not unlock this account."))
    user_unlock(actor=actor, user=user)
