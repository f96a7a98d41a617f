"""Writes for accounts: users and their roles; lockout, two-factor devices and login events (issue 10)."""

from __future__ import annotations

import hashlib
import hmac

from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from medtalent.accounts.enums import ORGANISATION_ROLES, Role
from medtalent.accounts.models import RoleAssignment, User
from medtalent.core.errors import ApplicationError
from medtalent.core.services import audit_log
from medtalent.orgs.models import Organisation


@transaction.atomic
def role_assign(*, actor, user: User, role: Role, organisation: Organisation | None = None) -> RoleAssignment:
    """Give `user` a role (scoped to `organisation` for the roles that need one); idempotent."""
    if role in ORGANISATION_ROLES and organisation is None:
        raise ApplicationError(f"The role {role.label} needs an organisation.", field="organisation")
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, organisation=organisation)
    if created:
        audit_log(actor=actor, action="role.assign", obj=assignment, to_state=role, data={"user": user.username})
    return assignment


@transaction.atomic
def user_get_or_create(
    *, actor, username: str, display_name: str = "", password: str = "", is_staff: bool = False
) -> tuple[User, bool]:
    """The account `username`, created (with `password`, audited) when it does not exist; an existing account is
    left as it is. (True when created.)"""
    user, created = User.objects.get_or_create(
        username=username, defaults={"display_name": display_name, "is_staff": is_staff}
    )
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
        audit_log(actor=actor, action="user.create", obj=user, data={"username": username, "is_staff": is_staff})
    return user, created


def user_set_language(*, user: User, language: str) -> bool:
    """Remember the language the user chose (for the emails they get); False, and nothing written, for a
    language the site does not offer or the one already kept."""
    if language not in dict(settings.LANGUAGES) or language == user.language:
        return False
    user.language = language
    user.save(update_fields=["language"])
    return True


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    """Take a role away (the admin's role inline deletes through this); audited as `role.revoke`."""
    user = assignment.user
    data = {"user": user.username, "organisation": assignment.organisation_id}
    audit_log(actor=actor, action="role.revoke", obj=assignment, from_state=assignment.role, data=data)
    assignment.delete()
    if hasattr(user, "_role_cache"):
        del user._role_cache


# Issue 10 [auth]: lockout, login events, two-factor authentication --------------------------------------------


@transaction.atomic
def user_unlock(*, actor, user: User) -> int:
    """Lift the login lockout of `user`: forget the failed logins recorded for their username (django-axes), so they
    may log in again at once; audited as `user.unlock`. Returns how many records were removed.

    The caller decides who may unlock whom (the unit's staff-accounts page checks `accounts.unlock_user` on the
    user before calling): this service checks no permission. A lockout of an address (many failures from one
    place, whatever the usernames) is not lifted; it ends with the cool-off."""
    removed = axes_reset(username=user.get_username())
    audit_log(actor=actor, action="user.unlock", obj=user, data={"username": user.get_username(), "removed": removed})
    return removed


def auth_event_log(*, actor, action: str, user: User | None, username: str = "", ip: str = "", data=None) -> None:
    """One audit row for a login event (`user.login`, `user.logout`, `user.login_failed`, `user.locked_out`).

    `user` is the account concerned; for a username no account has, the row names an account that does not exist
    (object id "None") and `data` keeps the username typed."""
    target = user if user is not None else User(username=username[:150])
    audit_log(actor=actor, action=action, obj=target, data={"username": username[:150], "ip": ip, **(data or {})})


def recovery_code_digest(*, user_id: int, code: str) -> str:
    """What is stored of a recovery code: an HMAC (SECRET_KEY, the user's id) cut to the 16 characters django-otp's
    static token holds. The codes themselves are shown once and kept nowhere, like passwords: a copy of the
    database gives no second factor."""
    message = f"{user_id}:{code.strip().lower()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:16]


def _recovery_codes(device: StaticDevice) -> list[str]:
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(int(getattr(settings, "MFA_RECOVERY_CODES", 10)))]
    digests = [recovery_code_digest(user_id=device.user_id, code=code) for code in codes]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=digest) for digest in digests])
    return codes


@transaction.atomic
def two_factor_enrol_start(*, actor: User) -> TOTPDevice:
    """The authenticator to set up: a new, unconfirmed TOTP device (a fresh secret each time the page is opened
    before it is confirmed). Refused when the user already has a confirmed one."""
    if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        # Translators: 中文：您已启用两步验证。
        raise ApplicationError(_("Two-factor authentication is already on."))
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name="authenticator", confirmed=False)


def two_factor_enrol_confirm(*, actor: User, device_id: int, token: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the device being set up with a code from the app: the device is confirmed and 10 recovery codes made
    (returned once, to show); audited as `two_factor.enrol`. None when the code is wrong (the wrong try is kept:
    django-otp slows down repeated tries), or the device is not the actor's unconfirmed one."""
    device = TOTPDevice.objects.filter(pk=device_id, user=actor, confirmed=False).first()
    if device is None or not device.verify_token((token or "").strip().replace(" ", "")):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        static, _created = StaticDevice.objects.get_or_create(user=actor, name="recovery", defaults={"confirmed": True})
        codes = _recovery_codes(static)
        audit_log(actor=actor, action="two_factor.enrol", obj=actor, data={"device": device.persistent_id})
    return device, codes


@transaction.atomic
def two_factor_recovery_codes_regenerate(*, actor: User) -> list[str]:
    """New recovery codes (the old ones stop working), shown once; audited."""
    if not TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        # Translators: 中文：请先启用两步验证。
        raise ApplicationError(_("Turn two-factor authentication on first."))
    static, _created = StaticDevice.objects.get_or_create(user=actor, name="recovery", defaults={"confirmed": True})
    codes = _recovery_codes(static)
    audit_log(actor=actor, action="two_factor.recovery_codes", obj=actor, data={"count": len(codes)})
    return codes


def two_factor_verify(*, actor: User, token: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts `token` (a code from the app, or a recovery code, which is then used up and audited
    as `two_factor.recovery_code_used`), or None. Each device slows down repeated wrong tries (django-otp)."""
    token = (token or "").strip().replace(" ", "").replace("-", "")
    if not token:
        return None
    looks_like_totp = token.isdigit() and len(token) in (6, 8)
    for model in (TOTPDevice, StaticDevice):
        if model is TOTPDevice and not looks_like_totp:
            continue  # a recovery code: do not count it as a wrong code from the app
        with transaction.atomic():
            for device in model.objects.filter(user=actor, confirmed=True).select_for_update():
                candidate = recovery_code_digest(user_id=actor.pk, code=token) if model is StaticDevice else token
                if device.verify_token(candidate):
                    if model is StaticDevice:
                        audit_log(
                            actor=actor,
                            action="two_factor.recovery_code_used",
                            obj=actor,
                            data={"left": device.token_set.count()},
                        )
                    return device
    return None


@transaction.atomic
def two_factor_disable(*, actor: User, user: User, reason: str = "") -> None:
    """Remove the user's authenticator and recovery codes; audited as `two_factor.disable`.

    The user's own security page calls it only when two-factor authentication is not required of them; an
    administrator's page (a lost phone) decides itself who may do it for whom: this service checks no permission."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    audit_log(actor=actor, action="two_factor.disable", obj=user, note=reason[:200], data={"removed": removed})
