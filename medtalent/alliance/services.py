"""Writes for the alliance: the secretariat's pages (members and partners, events) and the admin's saves.

Every write checks `alliance.manage` on the alliance, runs in one transaction (nothing half-written when a rule
refuses) and leaves an audit row. A rule the input breaks is an ApplicationError naming the field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from medtalent.alliance import selectors
from medtalent.alliance.enums import EventKind, MembershipKind
from medtalent.alliance.models import Committee, Event, Membership
from medtalent.core.errors import ApplicationError, require_perm
from medtalent.core.limits import check_lengths
from medtalent.core.services import audit_log
from medtalent.orgs.enums import OrganisationKind
from medtalent.orgs.models import Organisation

PERMISSION = "alliance.manage"
CHINA = "CN"
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def alliance_object_saved(*, actor, obj: models.Model, created: bool, changed_fields: list[str]) -> None:
    audit_log(
        actor=actor,
        action=f"{obj._meta.model_name}.{'create' if created else 'change'}",
        obj=obj,
        data={"fields": changed_fields},
    )


def alliance_object_deleted(*, actor, obj: models.Model) -> None:
    audit_log(actor=actor, action=f"{obj._meta.model_name}.delete", obj=obj, data={"repr": str(obj)})


def _check(actor, obj) -> None:
    # Translators: 您无权管理该联盟的记录
    require_perm(actor, PERMISSION, obj, _("You may not manage this alliance's records."))


def _json(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return getattr(value, "code", value.pk)
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    return value


def _unique_code(model: type[Organisation] | type[Event], base: str, fallback: str) -> str:
    """A free `code` for a new row: the slug of `base` (or `fallback`), with -2, -3 … when taken."""
    stem = (slugify(base) or fallback)[:70].strip("-") or fallback
    taken = set(model.objects.filter(code__startswith=stem).values_list("code", flat=True))
    if stem not in taken:
        return stem
    n = 2
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


# Members and partners ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewOrganisation:
    """An institution not yet on the platform, created together with its membership."""

    name_zh: str = ""
    name_en: str = ""
    kind: str = OrganisationKind.HOSPITAL
    country: str = ""  # ISO 3166-1 alpha-2; empty for a Chinese institution
    city: str = ""


def _organisation_create(*, actor, data: NewOrganisation) -> Organisation:
    name_zh, name_en = data.name_zh.strip(), data.name_en.strip()
    if not name_zh and not name_en:
        # Translators: 请填写新机构的中文名称或英文名称
        raise ApplicationError(_("Give the new institution's name in Chinese or in English."), field="new_name_zh")
    if data.kind not in OrganisationKind.values:
        # Translators: 请选择新机构的类型
        raise ApplicationError(_("Choose the new institution's type."), field="new_kind")
    same_name = Q(name_zh=name_zh) if name_zh else Q(pk__in=[])
    if name_en:
        same_name |= Q(name_en__iexact=name_en)
    existing = Organisation.objects.filter(same_name).first()
    if existing is not None:
        raise ApplicationError(
            # Translators: 平台上已有名为“%(name)s”的机构：请在“已有机构”中选择它，不要重复新建。
            _("An institution called “%(name)s” is already on the platform: choose it under “Existing institution”.")
            % {"name": existing.name},
            field="new_name_zh" if name_zh and existing.name_zh == name_zh else "new_name_en",
        )
    country = None
    code = data.country.strip().upper()
    if code and code != CHINA:
        country = selectors.countries_by_code(codes=[code]).get(code)
        if country is None:
            raise ApplicationError(
                # Translators: “%(code)s”不是ISO 3166-1国家代码
                _("“%(code)s” is not an ISO 3166-1 country code.") % {"code": code},
                field="new_country",
            )
    organisation = Organisation.objects.create(
        code=_unique_code(Organisation, name_en, "institution"),
        name_zh=name_zh or name_en,
        name_en=name_en,
        kind=data.kind,
        country=country,
        city=data.city.strip()[:100],
    )
    audit_log(actor=actor, action="organisation.create", obj=organisation, data={"via": "alliance.membership"})
    return organisation


def _check_membership_kind(*, kind: str, organisation: Organisation) -> None:
    if kind not in MembershipKind.values:
        # Translators: 请选择“成员单位”或“境外合作机构”
        raise ApplicationError(_("Choose “member institution” or “partner institution abroad”."), field="kind")
    if kind == MembershipKind.PARTNER and organisation.country_id is None:
        raise ApplicationError(
            # Translators: 境外合作机构必须是中国以外的机构，而“%(name)s”没有记录国家。请选择“成员单位”，或先记录其国家。
            _(
                "A partner abroad must be an institution outside China, and “%(name)s” has no country recorded. "
                "Choose “member institution”, or record its country first."
            )
            % {"name": organisation.name},
            field="kind",
        )


@transaction.atomic
def membership_create(
    *,
    actor,
    alliance: Organisation,
    kind: str,
    organisation: Organisation | None = None,
    new_organisation: NewOrganisation | None = None,
    joined_on: dt.date | None = None,
    note_zh: str = "",
    note_en: str = "",
) -> Membership:
    """Add an institution to the alliance: an existing organisation, or a new one created here."""
    _check(actor, alliance)
    if (organisation is None) == (new_organisation is None):
        raise ApplicationError(
            # Translators: 请选择一家已有机构，或填写一家新机构（二选一）
            _("Choose an existing institution or describe a new one, not both."),
            field="organisation",
        )
    if organisation is not None:
        if organisation.pk == alliance.pk:
            # Translators: 联盟不能成为自己的成员
            raise ApplicationError(_("The alliance cannot be its own member."), field="organisation")
        existing = Membership.objects.filter(alliance=alliance, organisation=organisation).first()
        if existing is not None:
            raise ApplicationError(
                # Translators: “%(name)s”已在联盟中（%(kind)s）
                _("“%(name)s” is already in the alliance (%(kind)s).")
                % {"name": organisation.name, "kind": existing.get_kind_display()},
                field="organisation",
            )
    elif new_organisation is not None:
        organisation = _organisation_create(actor=actor, data=new_organisation)
    else:
        raise AssertionError("unreachable: exactly one of organisation and new_organisation is given (checked above)")
    _check_membership_kind(kind=kind, organisation=organisation)
    check_lengths(Membership, {"note_zh": note_zh.strip(), "note_en": note_en.strip()})
    membership = Membership.objects.create(
        alliance=alliance,
        organisation=organisation,
        kind=kind,
        joined_on=joined_on,
        note_zh=note_zh.strip(),
        note_en=note_en.strip(),
    )
    audit_log(
        actor=actor,
        action="membership.create",
        obj=membership,
        data={
            "alliance": alliance.code,
            "organisation": organisation.code,
            "kind": kind,
            "joined_on": _json(joined_on),
            "new_organisation": new_organisation is not None,
        },
    )
    return membership


MEMBERSHIP_FIELDS = ("kind", "joined_on", "note_zh", "note_en")


@transaction.atomic
def membership_update(
    *,
    actor,
    membership: Membership,
    kind: str,
    joined_on: dt.date | None,
    note_zh: str = "",
    note_en: str = "",
) -> Membership:
    """Change a membership's kind, join date and notes (the institution itself stays)."""
    locked = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("organisation", "alliance")
        .get(pk=membership.pk)
    )
    _check(actor, locked)
    _check_membership_kind(kind=kind, organisation=locked.organisation)
    new = {"kind": kind, "joined_on": joined_on, "note_zh": note_zh.strip(), "note_en": note_en.strip()}
    check_lengths(Membership, new)
    changed = [name for name in MEMBERSHIP_FIELDS if getattr(locked, name) != new[name]]
    if not changed:
        return locked
    before = {name: _json(getattr(locked, name)) for name in changed}
    for name in changed:
        setattr(locked, name, new[name])
    locked.save(update_fields=changed)
    audit_log(
        actor=actor,
        action="membership.change",
        obj=locked,
        data={"fields": changed, "from": before, "to": {name: _json(new[name]) for name in changed}},
    )
    return locked


@transaction.atomic
def membership_delete(*, actor, membership: Membership) -> None:
    """Remove an institution from the alliance (the organisation itself stays on the platform)."""
    locked = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("organisation", "alliance")
        .get(pk=membership.pk)
    )
    _check(actor, locked)
    audit_log(
        actor=actor,
        action="membership.delete",
        obj=locked,
        data={
            "repr": str(locked),
            "alliance": locked.alliance.code,
            "organisation": locked.organisation.code,
            "kind": locked.kind,
            "joined_on": _json(locked.joined_on),
        },
    )
    locked.delete()


# Events -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventInput:
    """An event as the form or the API gives it: countries by ISO code, organisers and committee by code."""

    kind: str
    name_zh: str = ""
    name_en: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    date_note_zh: str = ""
    date_note_en: str = ""
    place_zh: str = ""
    place_en: str = ""
    countries: tuple[str, ...] = field(default_factory=tuple)
    organisers: tuple[str, ...] = field(default_factory=tuple)
    committee: str = ""
    participants: int | None = None
    description_zh: str = ""
    description_en: str = ""


def date_notes(starts_on: dt.date | None, ends_on: dt.date | None) -> tuple[str, str]:
    """The dates as published, in Chinese and English: 2019年10月11—20日 / 11–20 October 2019."""
    if starts_on is None:
        return "", ""
    s, e = starts_on, ends_on or starts_on

    def en(d: dt.date, year: bool = True, month: bool = True) -> str:
        text = str(d.day)
        if month:
            text += f" {MONTHS_EN[d.month - 1]}"
        return f"{text} {d.year}" if year else text

    if s == e:
        return f"{s.year}年{s.month}月{s.day}日", en(s)
    if (s.year, s.month) == (e.year, e.month):
        return f"{s.year}年{s.month}月{s.day}—{e.day}日", f"{s.day}–{en(e)}"
    if s.year == e.year:
        return f"{s.year}年{s.month}月{s.day}日—{e.month}月{e.day}日", f"{en(s, year=False)} – {en(e)}"
    return f"{s.year}年{s.month}月{s.day}日—{e.year}年{e.month}月{e.day}日", f"{en(s)} – {en(e)}"


def _event_resolve(*, alliance: Organisation, data: EventInput) -> dict:
    """Check an event's input against the rules; the model fields and related rows to write."""
    if data.kind not in EventKind.values:
        # Translators: 请选择活动类型
        raise ApplicationError(_("Choose the kind of event."), field="kind")
    name_zh, name_en = data.name_zh.strip(), data.name_en.strip()
    if not name_zh and not name_en:
        # Translators: 请填写活动名称（中文或英文）
        raise ApplicationError(_("Give the event's name in Chinese or in English."), field="name_zh")
    if data.ends_on and not data.starts_on:
        # Translators: 已填写结束日期：请同时填写开始日期，或删除结束日期
        raise ApplicationError(_("An end date needs a start date: give it, or remove the end date."), field="starts_on")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise ApplicationError(
            # Translators: 结束日期（%(ends)s）早于开始日期（%(starts)s）
            _("The end date (%(ends)s) is before the start date (%(starts)s).")
            % {"ends": data.ends_on.isoformat(), "starts": data.starts_on.isoformat()},
            field="ends_on",
        )
    if data.participants is not None and data.participants < 0:
        # Translators: 参加人数不能为负数
        raise ApplicationError(_("The number of participants cannot be negative."), field="participants")
    country_codes = list(dict.fromkeys(c.strip().upper() for c in data.countries if c.strip()))
    countries = selectors.countries_by_code(codes=country_codes)
    unknown = [c for c in country_codes if c not in countries]
    if unknown:
        raise ApplicationError(
            # Translators: 以下不是ISO 3166-1国家代码：%(codes)s
            _("These are not ISO 3166-1 country codes: %(codes)s.") % {"codes": ", ".join(unknown)},
            field="countries",
        )
    organiser_codes = list(dict.fromkeys(c.strip() for c in data.organisers if c.strip()))
    organisers = selectors.organisations_by_code(codes=organiser_codes)
    unknown = [c for c in organiser_codes if c not in organisers]
    if unknown:
        raise ApplicationError(
            # Translators: 平台上没有以下代码的机构：%(codes)s
            _("No institution on the platform has these codes: %(codes)s.") % {"codes": ", ".join(unknown)},
            field="organisers",
        )
    committee = None
    if data.committee.strip():
        committee = Committee.objects.filter(alliance=alliance, code=data.committee.strip()).first()
        if committee is None:
            raise ApplicationError(
                # Translators: 该联盟没有代码为“%(code)s”的专业委员会
                _("The alliance has no committee with the code “%(code)s”.") % {"code": data.committee.strip()},
                field="committee",
            )
    note_zh, note_en = data.date_note_zh.strip(), data.date_note_en.strip()
    auto_zh, auto_en = date_notes(data.starts_on, data.ends_on)
    fields = {
        "kind": data.kind,
        "name_zh": name_zh or name_en,
        "name_en": name_en,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "date_note_zh": note_zh or auto_zh,
        "date_note_en": note_en or auto_en,
        "place_zh": data.place_zh.strip(),
        "place_en": data.place_en.strip(),
        "committee": committee,
        "participants": data.participants,
        "description_zh": data.description_zh.strip(),
        "description_en": data.description_en.strip(),
    }
    check_lengths(Event, fields)  # texts and names: the API and the form bound them too
    return {
        "fields": fields,
        "countries": [countries[c] for c in country_codes],
        "organisers": [organisers[c] for c in organiser_codes],
    }


@transaction.atomic
def event_create(*, actor, alliance: Organisation, data: EventInput, code: str = "") -> Event:
    """Record an event of the alliance. Without a code, one is made from the start month and the name."""
    _check(actor, alliance)
    resolved = _event_resolve(alliance=alliance, data=data)
    fields = resolved["fields"]
    code = code.strip()
    if code:
        max_length = Event._meta.get_field("code").max_length
        if slugify(code) != code or (max_length is not None and len(code) > max_length):
            raise ApplicationError(
                # Translators: 代码只能包含小写字母、数字和连字符，例如 2019-10-vienna-delegation
                _("A code has only lower-case letters, digits and hyphens, e.g. 2019-10-vienna-delegation."),
                field="code",
            )
        if Event.objects.filter(code=code).exists():
            raise ApplicationError(
                # Translators: 已有代码为“%(code)s”的活动
                _("An event with the code “%(code)s” already exists.") % {"code": code},
                field="code",
            )
    else:
        prefix = fields["starts_on"].strftime("%Y-%m-") if fields["starts_on"] else ""
        code = _unique_code(Event, prefix + (fields["name_en"] or ""), prefix + "event")
    event = Event.objects.create(alliance=alliance, code=code, **fields)
    event.countries.set(resolved["countries"])
    event.organisers.set(resolved["organisers"])
    audit_log(
        actor=actor,
        action="event.create",
        obj=event,
        data={"alliance": alliance.code, "code": code, "kind": event.kind, "starts_on": _json(event.starts_on)},
    )
    return event


@transaction.atomic
def event_update(*, actor, event: Event, data: EventInput) -> Event:
    """Change an event (its code and alliance stay). A date note written from the old dates follows the new ones."""
    locked = Event.objects.select_for_update(of=("self",)).select_related("alliance").get(pk=event.pk)
    _check(actor, locked)
    old_auto = date_notes(locked.starts_on, locked.ends_on)
    if (data.date_note_zh.strip(), data.date_note_en.strip()) == old_auto and (data.starts_on, data.ends_on) != (
        locked.starts_on,
        locked.ends_on,
    ):
        data = EventInput(**{**data.__dict__, "date_note_zh": "", "date_note_en": ""})
    resolved = _event_resolve(alliance=locked.alliance, data=data)
    changed = [name for name, value in resolved["fields"].items() if getattr(locked, name) != value]
    before = {name: _json(getattr(locked, name)) for name in changed}
    for name in changed:
        setattr(locked, name, resolved["fields"][name])
    if changed:
        locked.save(update_fields=changed)
    m2m = {}
    for name in ("countries", "organisers"):
        old = sorted(o.code for o in getattr(locked, name).all())
        new = sorted(o.code for o in resolved[name])
        if old != new:
            getattr(locked, name).set(resolved[name])
            m2m[name] = (old, new)
    if changed or m2m:
        audit_log(
            actor=actor,
            action="event.change",
            obj=locked,
            data={
                "fields": changed + list(m2m),
                "from": {**before, **{k: v[0] for k, v in m2m.items()}},
                "to": {**{n: _json(resolved["fields"][n]) for n in changed}, **{k: v[1] for k, v in m2m.items()}},
            },
        )
    return locked
