"""Who may see what: every scoped queryset starts here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from medtalent.accounts.enums import Role
from medtalent.accounts.models import RoleAssignment, User
from medtalent.codes.regionnames import region_prefix
from medtalent.orgs.enums import OrganisationKind


def roles_for_user(*, user) -> list[RoleAssignment]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user)
            .select_related("organisation", "organisation__region")
            .order_by("role", "id")
        )
        user._role_cache = cached
    return cached


def user_has_role(*, user, role: Role) -> bool:
    return any(r.role == role for r in roles_for_user(user=user))


def jurisdiction_q(*, user, region_field: str = "region__code", organisation_field: str = "") -> Q:
    """A filter matching the organisations inside the user's commission jurisdictions.

    `region_field` is the lookup path to the organisation's region code; `organisation_field` (optional)
    the path to the organisation itself, so a commission always covers its own rows even without a region.
    Returns a filter matching nothing for a user without a commission role.
    """
    q = Q(pk__in=[])
    for assignment in roles_for_user(user=user):
        if assignment.role != Role.COMMISSION_ADMIN or assignment.organisation is None:
            continue
        org = assignment.organisation
        if org.region_id and org.region is not None:
            q |= Q(**{f"{region_field}__startswith": region_prefix(org.region.code)})
        if organisation_field:
            q |= Q(**{organisation_field: org.pk})
    return q


def commission_covers(*, user, organisation) -> bool:
    """Whether one of the user's commissions is `organisation` or has it inside its jurisdiction.

    The object-level twin of `jurisdiction_q`: permission predicates ask this, querysets filter with that."""
    if organisation is None:
        return False
    code = organisation.region.code if organisation.region_id else ""
    for assignment in roles_for_user(user=user):
        commission = assignment.organisation
        if assignment.role != Role.COMMISSION_ADMIN or commission is None:
            continue
        if commission.pk == organisation.pk:
            return True
        region = commission.region if commission.region_id else None
        if code and region is not None and code.startswith(region_prefix(region.code)):
            return True
    return False


# Reference-data editors ----------------------------------------------------------------------------------------

# A region code standing for the whole country (GB/T 2260 has none; an organisation without a region is national).
NATIONAL_REGION_CODES = frozenset({"000000", "100000"})


def _editor_organisations(*, user) -> list:
    return [
        r.organisation
        for r in roles_for_user(user=user)
        if r.role == Role.REFERENCE_DATA_EDITOR and r.organisation is not None
    ]


def _is_national(organisation) -> bool:
    """A commission without a region (or with a national code) has the whole country as its jurisdiction."""
    if organisation.kind != OrganisationKind.COMMISSION:
        return False
    return not organisation.region_id or organisation.region.code in NATIONAL_REGION_CODES


def editor_has_national_scope(*, user) -> bool:
    """Whether the user edits reference data for the whole country (and so the national code tables)."""
    return any(_is_national(org) for org in _editor_organisations(user=user))


def editor_jurisdiction_q(*, user, region_field: str = "region__code", organisation_field: str = "") -> Q:
    """The twin of `jurisdiction_q` for the reference-data editor role: the organisations whose reference data
    the user edits. Everything for a national editor; nothing for a user without the role."""
    q = Q(pk__in=[])
    for org in _editor_organisations(user=user):
        if _is_national(org):
            return Q()
        if org.region_id and org.region is not None:
            q |= Q(**{f"{region_field}__startswith": region_prefix(org.region.code)})
        if organisation_field:
            q |= Q(**{organisation_field: org.pk})
    return q


def editor_region_covered(*, user, region_code: str) -> bool:
    """Whether an organisation in region `region_code` ("" for none) stays inside the user's editing jurisdiction:
    the object-level twin of `editor_jurisdiction_q` for a region about to be set."""
    for org in _editor_organisations(user=user):
        if _is_national(org):
            return True
        region = org.region if org.region_id else None
        if region_code and region is not None and region_code.startswith(region_prefix(region.code)):
            return True
    return False


def editor_covers(*, user, organisation) -> bool:
    """Whether the user edits `organisation`'s reference data (the twin of `commission_covers`)."""
    if organisation is None:
        return False
    if any(org.pk == organisation.pk for org in _editor_organisations(user=user)):
        return True
    code = organisation.region.code if organisation.region_id else ""
    return editor_region_covered(user=user, region_code=code)


def organisation_ids_for_role(*, user, role: Role) -> list[int]:
    return [r.organisation_id for r in roles_for_user(user=user) if r.role == role and r.organisation_id]


# Who holds a role (the people a notice goes to) ---------------------------------------------------------------


def users_with_role(*, role: Role, organisations: Iterable[int | None]) -> QuerySet[User]:
    """The active users holding `role` at one of `organisations` (ids): one query when read."""
    ids = [pk for pk in organisations if pk is not None]
    if not ids:
        return User.objects.none()
    return User.objects.filter(is_active=True, roles__role=role, roles__organisation_id__in=ids).distinct()


def commission_admins_covering(*, organisations: Iterable) -> QuerySet[User]:
    """The active commission administrators whose commission is one of `organisations` or has it inside its
    jurisdiction (the twin of `commission_covers`, for many users at once): one query when read.

    A commission covers the regions its code's prefix starts (330000 covers 33xxxx), so the commissions over a
    region are those of the region's province, city and county codes (330102: 330000, 330100, 330102)."""
    organisations = [o for o in organisations if o is not None]
    if not organisations:
        return User.objects.none()
    codes: set[str] = set()
    for organisation in organisations:
        code = organisation.region.code if organisation.region_id else ""
        codes |= {code[:n].ljust(len(code), "0") for n in range(2, len(code) + 1, 2)}
    covering = Q(roles__organisation__in=[o.pk for o in organisations])
    if codes:
        covering |= Q(roles__organisation__region__code__in=codes)
    return User.objects.filter(Q(is_active=True, roles__role=Role.COMMISSION_ADMIN) & covering).distinct()


# Issue 10 [auth]: who must use two-factor authentication, their devices, password expiry ------------------------


def user_is_staff(*, user) -> bool:
    """Whether the user works on the platform for an organisation (any role but applicant), or is staff or a
    superuser: the users who must use two-factor authentication when `settings.MFA_REQUIRED` is on."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        return True
    return any(r.role != Role.APPLICANT for r in roles_for_user(user=user))


def two_factor_required(*, user) -> bool:
    """Whether the user may not work without two-factor authentication (read at each request: tests override it)."""
    return bool(getattr(settings, "MFA_REQUIRED", False)) and user_is_staff(user=user)


def two_factor_device(*, user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def two_factor_enabled(*, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def password_expires_at(*, user) -> datetime | None:
    """When the user's password expires (`settings.PASSWORD_MAX_AGE_DAYS` after it was set; None: never)."""
    days = int(getattr(settings, "PASSWORD_MAX_AGE_DAYS", 0) or 0)
    if days <= 0 or not getattr(user, "is_authenticated", False) or not user.has_usable_password():
        return None
    changed = user.password_changed_at or user.date_joined
    return changed + timedelta(days=days)


def password_expired(*, user) -> bool:
    expires = password_expires_at(user=user)
    return expires is not None and expires <= timezone.now()


def audit_jurisdiction_q(*, user, region_field: str = "region_code") -> Q:
    """The twin of `jurisdiction_q` for auditors: the audit events whose region (`region_field`, a region code)
    lies inside the region of one of the user's auditor roles' commissions. Matches nothing for anybody else."""
    q = Q(pk__in=[])
    for assignment in roles_for_user(user=user):
        org = assignment.organisation
        if assignment.role != Role.AUDITOR or org is None or not org.region_id or org.region is None:
            continue
        q |= Q(**{f"{region_field}__startswith": region_prefix(org.region.code)})
    return q


def two_factor_pending_device(*, user, pk: int) -> TOTPDevice | None:
    """The user's authenticator being set up (not confirmed yet), by id."""
    return TOTPDevice.objects.filter(pk=pk, user=user, confirmed=False).first()
