"""Writes for stints: recording a dispatched doctor (派驻), an upward trainee (请上来) or an inbound foreign
trainee, the host's schedule, changes while planned, and the state machine.

The rules on a new stint (`_validate`): the period is ordered, home and host differ, the kind's parties
match the pairing (dispatch: supporting → supported; upward: supported → supporting) and the person works
at the home hospital, a dispatched doctor meets the programme's title rule (a `PairingRule` of kind
`dispatch_title`; no rule, no check), an inbound trainee comes from abroad to a member of the committee's
alliance, and the person has no other stint (not cancelled) overlapping the period. Every change of state
goes through `stint_transition`, which applies the machine `workflow.STINT` with `core.workflow.transition`.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from medtalent.alliance.enums import MembershipKind
from medtalent.alliance.models import Committee, Membership
from medtalent.core.errors import ApplicationError, require_perm
from medtalent.core.limits import check_lengths
from medtalent.core.services import audit_log
from medtalent.core.workflow import transition
from medtalent.eligibility.selectors import code_ranks
from medtalent.orgs.models import Organisation
from medtalent.partnerships.enums import PairingRuleKind
from medtalent.partnerships.models import Pairing, PairingRule
from medtalent.people.models import Person
from medtalent.stints import selectors
from medtalent.stints.enums import MANAGEMENT_ROLES, StintKind, StintRole, StintState
from medtalent.stints.models import Stint
from medtalent.stints.workflow import STINT

S = StintState

# Roles a kind of stint may hold at the host.
DISPATCH_ROLES = (StintRole.CLINICAL, *MANAGEMENT_ROLES)
ROLES_FOR_KIND: dict[str, tuple[StintRole, ...]] = {
    StintKind.DISPATCH: DISPATCH_ROLES,
    StintKind.UPWARD: (StintRole.TRAINEE,),
    StintKind.INBOUND: (StintRole.TRAINEE,),
}
DEFAULT_ROLE: dict[str, StintRole] = {StintKind.DISPATCH: StintRole.CLINICAL, StintKind.UPWARD: StintRole.TRAINEE}
RECORDED_HERE = (StintKind.DISPATCH, StintKind.UPWARD, StintKind.INBOUND)

CREATE_PERMISSION: dict[str, str] = {StintKind.DISPATCH: "stints.add_dispatch", StintKind.UPWARD: "stints.add_upward"}


def _date(value: dt.date) -> str:
    return value.isoformat()


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _locked(stint: Stint) -> Stint:
    return Stint.objects.select_for_update(of=("self",)).select_related(*selectors.STINT_RELATED).get(pk=stint.pk)


# Rules --------------------------------------------------------------------------------------------------------


def _check_period(starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    if starts_on is None:
        # Translators: 请填写开始日期。
        raise ApplicationError(_("Give the date the stint starts."), field="starts_on")
    if ends_on is None:
        # Translators: 请填写结束日期。
        raise ApplicationError(_("Give the date the stint ends."), field="ends_on")
    if ends_on < starts_on:
        raise ApplicationError(
            # Translators: 结束日期（%(ends)s）早于开始日期（%(starts)s）。
            _("The stint ends (%(ends)s) before it starts (%(starts)s).")
            % {"ends": _date(ends_on), "starts": _date(starts_on)},
            field="ends_on",
        )


def _check_overlap(*, person: Person, starts_on: dt.date, ends_on: dt.date, exclude: int | None = None) -> None:
    others = selectors.stints_overlapping(person=person, starts_on=starts_on, ends_on=ends_on)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    other = others.first()
    if other is not None:
        raise ApplicationError(
            # Translators: %(person)s 在 %(starts)s 至 %(ends)s 已有一段%(kind)s（%(host)s），与所填日期重叠。
            _(
                "%(person)s already has a stint at %(host)s from %(starts)s to %(ends)s (%(kind)s) "
                "that overlaps these dates."
            )
            % {
                "person": person.name,
                "host": other.host.name,
                "starts": _date(other.starts_on),
                "ends": _date(other.ends_on),
                "kind": other.get_kind_display(),
            },
            field="starts_on",
        )


def dispatch_title_problem(*, person: Person, pairing: Pairing, starts_on: dt.date) -> str:
    """Why the person's title does not meet the programme's dispatch rule, or "" when it does (or there is
    no rule). The rule's params: {"min_grade": "associate_senior", "intermediate_min_years": 5}: a title of
    that grade or above, or an intermediate title obtained at least that many years before the start."""
    rule = PairingRule.objects.filter(programme_id=pairing.programme_id, kind=PairingRuleKind.DISPATCH_TITLE).first()
    if rule is None:
        return ""
    params = rule.params or {}
    ranks = code_ranks()
    min_grade = str(params.get("min_grade") or "associate_senior")
    min_rank = ranks.grades.get(min_grade)
    if min_rank is None:
        return ""
    years = int(params.get("intermediate_min_years") or 0)
    values = {
        "person": person.name,
        "grade": ranks.grade_name(min_grade),
        "intermediate": ranks.grade_name("intermediate"),
        "years": years,
        "starts": _date(starts_on),
    }
    if years:
        # Translators: 派驻人员须具有%(grade)s及以上职称，或取得%(intermediate)s职称满%(years)s年（至派驻开始日%(starts)s）。
        need = _(
            "A dispatched doctor must hold a title of grade %(grade)s or above, or a title of grade "
            "%(intermediate)s obtained at least %(years)s years before the stint starts (%(starts)s)."
        )
    else:
        # Translators: 派驻人员须具有%(grade)s及以上职称。
        need = _("A dispatched doctor must hold a title of grade %(grade)s or above.")
    need = need % values
    title = person.title
    rank = (title.extra or {}).get("rank") if title is not None else None
    if title is None or rank is None:
        # Translators: %(person)s 没有职称记录。
        return _("%(person)s has no professional title on record.") % values + " " + need
    if rank >= min_rank:
        return ""
    values["title"] = title.name
    intermediate_rank = ranks.grades.get("intermediate")
    if years and intermediate_rank is not None and rank >= intermediate_rank:
        obtained = person.title_obtained_on
        if obtained is None:
            return (
                # Translators: %(person)s 的职称为%(title)s，但未记录取得日期。
                _("%(person)s holds the title %(title)s, but the date it was obtained is not on record.") % values
                + " "
                + need
            )
        if _years_after(obtained, years) <= starts_on:
            return ""
        values["obtained"] = _date(obtained)
        return (
            # Translators: %(person)s 的职称为%(title)s，取得于%(obtained)s。
            _("%(person)s holds the title %(title)s, obtained on %(obtained)s.") % values + " " + need
        )
    if person.title_obtained_on is not None:
        values["obtained"] = _date(person.title_obtained_on)
        return _("%(person)s holds the title %(title)s, obtained on %(obtained)s.") % values + " " + need
    # Translators: %(person)s 的职称为%(title)s。
    return _("%(person)s holds the title %(title)s.") % values + " " + need


def _is_foreign(organisation: Organisation) -> bool:
    country = organisation.country if organisation.country_id is not None else None
    return country is not None and country.code != selectors.CHINA


def _validate(
    *,
    kind: str,
    person: Person,
    home: Organisation,
    host: Organisation,
    starts_on: dt.date,
    ends_on: dt.date,
    pairing: Pairing | None,
    committee: Committee | None,
    role: str,
    exclude: int | None = None,
) -> None:
    _check_period(starts_on, ends_on)
    if home.pk == host.pk:
        # Translators: 派出单位与接收单位不能是同一家（%(name)s）。
        raise ApplicationError(
            _("The sending institution and the host cannot be the same (%(name)s).") % {"name": home.name},
            field="host",
        )
    if role and role not in ROLES_FOR_KIND[kind]:
        raise ApplicationError(
            # Translators: “%(role)s”不是%(kind)s可担任的岗位。
            _("“%(role)s” is not a post for a stint of this kind (%(kind)s).")
            % {"role": StintRole(role).label if role in StintRole.values else role, "kind": StintKind(kind).label},
            field="role",
        )
    if kind in (StintKind.DISPATCH, StintKind.UPWARD):
        if pairing is None:
            # Translators: 派驻和“请上来”进修人员须属于某一对口支援关系。
            raise ApplicationError(_("A dispatch or an upward trainee belongs to a pairing."), field="pairing")
        sending, receiving = (
            (pairing.supporting, pairing.supported)
            if kind == StintKind.DISPATCH
            else (pairing.supported, pairing.supporting)
        )
        if home.pk != sending.pk:
            raise ApplicationError(
                # Translators: 本对口支援关系中，“%(kind)s”的派出单位应为%(expected)s，而不是%(given)s。
                _("In this pairing, the sending hospital for “%(kind)s” is %(expected)s, not %(given)s.")
                % {"kind": StintKind(kind).label, "expected": sending.name, "given": home.name},
                field="home",
            )
        if host.pk != receiving.pk:
            raise ApplicationError(
                # Translators: 本对口支援关系中，“%(kind)s”的接收单位应为%(expected)s，而不是%(given)s。
                _("In this pairing, the host for “%(kind)s” is %(expected)s, not %(given)s.")
                % {"kind": StintKind(kind).label, "expected": receiving.name, "given": host.name},
                field="host",
            )
        if person.employer_id != home.pk:
            raise ApplicationError(
                # Translators: %(person)s 不是%(home)s的职工。
                _("%(person)s is not on the staff of %(home)s.") % {"person": person.name, "home": home.name},
                field="person",
            )
    if kind == StintKind.DISPATCH and pairing is not None:  # None was refused above
        problem = dispatch_title_problem(person=person, pairing=pairing, starts_on=starts_on)
        if problem:
            raise ApplicationError(problem, field="person")
    if kind == StintKind.INBOUND:
        if not _is_foreign(home):
            raise ApplicationError(
                # Translators: 国外学员须来自国外机构，%(name)s 不是国外机构。
                _("An inbound foreign trainee comes from an institution abroad; %(name)s is not one.")
                % {"name": home.name},
                field="home",
            )
        if (
            committee is not None
            and not Membership.objects.filter(
                alliance_id=committee.alliance_id, organisation=host, kind=MembershipKind.MEMBER
            ).exists()
        ):
            raise ApplicationError(
                # Translators: %(host)s 不是%(committee)s所属联盟的成员单位。
                _("%(host)s is not a member of the alliance of %(committee)s.")
                % {"host": host.name, "committee": committee.name},
                field="host",
            )
    _check_overlap(person=person, starts_on=starts_on, ends_on=ends_on, exclude=exclude)


def _check_create_permission(*, actor, kind: str, pairing, committee, host) -> None:
    # Translators: 您无权登记这类人员。
    message = _("You may not record this stint.")
    if kind in CREATE_PERMISSION:
        require_perm(actor, CREATE_PERMISSION[kind], pairing, message)
        return
    if not (
        actor.has_perm("stints.add_inbound", host)
        or (committee is not None and actor.has_perm("stints.add_inbound", committee))
    ):
        raise PermissionDenied(message)


# Services -----------------------------------------------------------------------------------------------------


@transaction.atomic
def stint_create(
    *,
    actor,
    kind: str,
    person: Person,
    home: Organisation,
    host: Organisation,
    starts_on: dt.date,
    ends_on: dt.date,
    pairing: Pairing | None = None,
    committee: Committee | None = None,
    home_department: str = "",
    host_department: str = "",
    role: str = "",
    mentor: str = "",
    note: str = "",
) -> Stint:
    """Record a dispatch, an upward trainee or an inbound foreign trainee (see the module's rules)."""
    if kind not in RECORDED_HERE:
        # Translators: 此处不能登记这类人员。
        raise ApplicationError(_("This kind of stint cannot be recorded here."), field="kind")
    if kind in (StintKind.DISPATCH, StintKind.UPWARD):
        if pairing is None:
            # Translators: 派驻和“请上来”进修人员须属于某一对口支援关系。
            raise ApplicationError(_("A dispatch or an upward trainee belongs to a pairing."), field="pairing")
        pairing = selectors.pairing_get(pk=pairing.pk)
        pairing_or_none = pairing
    else:
        pairing_or_none = None
    if kind == StintKind.INBOUND and committee is not None:
        committee = Committee.objects.select_related("alliance").get(pk=committee.pk)
    _check_create_permission(actor=actor, kind=kind, pairing=pairing_or_none, committee=committee, host=host)
    # One person at a time: lock the person so two overlapping stints cannot be recorded at once.
    person = Person.objects.select_for_update(of=("self",)).select_related("title").get(pk=person.pk)
    home = Organisation.objects.select_related("country").get(pk=home.pk)
    host = Organisation.objects.get(pk=host.pk)
    role = role or DEFAULT_ROLE.get(kind, StintRole.TRAINEE)
    _validate(
        kind=kind,
        person=person,
        home=home,
        host=host,
        starts_on=starts_on,
        ends_on=ends_on,
        pairing=pairing_or_none,
        committee=committee if kind == StintKind.INBOUND else None,
        role=role,
    )
    texts = {
        "home_department": (home_department or "").strip(),
        "host_department": (host_department or "").strip(),
        "mentor": (mentor or "").strip(),
        "note": (note or "").strip(),
    }
    check_lengths(Stint, texts)
    stint = Stint.objects.create(
        kind=kind,
        person=person,
        home=home,
        host=host,
        starts_on=starts_on,
        ends_on=ends_on,
        pairing=pairing_or_none,
        committee=committee if kind == StintKind.INBOUND else None,
        role=role,
        title_id=person.title_id,
        **texts,
    )
    audit_log(
        actor=actor,
        action="stint.create",
        obj=stint,
        to_state=stint.state,
        data={
            "kind": kind,
            "person": person.pk,
            "home": home.pk,
            "host": host.pk,
            "starts_on": _date(starts_on),
            "ends_on": _date(ends_on),
            "role": role,
            "title": person.title.code if person.title_id else "",
        },
    )
    return stint


@transaction.atomic
def inbound_trainee_create(
    *,
    actor,
    name: str,
    home: Organisation,
    host: Organisation,
    starts_on: dt.date,
    ends_on: dt.date,
    committee: Committee | None = None,
    home_department: str = "",
    host_department: str = "",
    mentor: str = "",
    note: str = "",
) -> Stint:
    """A foreign trainee's profile (no ID number; employer = the foreign institution) and stint, together."""
    _check_create_permission(actor=actor, kind=StintKind.INBOUND, pairing=None, committee=committee, host=host)
    name = (name or "").strip()
    if not name:
        # Translators: 请填写学员姓名。
        raise ApplicationError(_("Give the trainee's name."), field="name")
    person = Person.objects.create(name=name[:50], employer=home, department=(home_department or "").strip()[:100])
    audit_log(actor=actor, action="person.create", obj=person, data={"inbound_trainee": True, "employer": home.pk})
    return stint_create(
        actor=actor,
        kind=StintKind.INBOUND,
        person=person,
        home=home,
        host=host,
        starts_on=starts_on,
        ends_on=ends_on,
        committee=committee,
        home_department=home_department,
        host_department=host_department,
        role=StintRole.TRAINEE,
        mentor=mentor,
        note=note,
    )


@transaction.atomic
def stint_schedule(*, actor, stint: Stint, host_department: str, role: str, schedule: str, mentor: str) -> Stint:
    """The host's unit administrator schedules the person like its own staff."""
    locked = _locked(stint)
    # Translators: 只有接收单位的管理员可以安排此人的工作。
    require_perm(actor, "stints.schedule_stint", locked, _("Only the host's administrator may schedule this person."))
    if locked.state not in (S.PLANNED, S.ACTIVE):
        # Translators: 已结束或已取消的人员不能再安排。
        raise ApplicationError(_("A completed or cancelled stint cannot be scheduled."), field="state")
    role = role or locked.role or DEFAULT_ROLE.get(locked.kind, StintRole.TRAINEE)
    if role not in ROLES_FOR_KIND.get(locked.kind, StintRole.values):
        raise ApplicationError(
            _("“%(role)s” is not a post for a stint of this kind (%(kind)s).")
            % {"role": StintRole(role).label if role in StintRole.values else role, "kind": locked.get_kind_display()},
            field="role",
        )
    changes = {
        "host_department": (host_department or "").strip(),
        "role": role,
        "schedule": (schedule or "").strip(),
        "mentor": (mentor or "").strip(),
    }
    check_lengths(Stint, changes)
    before = {name: getattr(locked, name) for name in changes}
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*changes, "updated_at"])
    audit_log(actor=actor, action="stint.schedule", obj=locked, data={"before": before, "after": changes})
    return locked


@transaction.atomic
def stint_update(
    *,
    actor,
    stint: Stint,
    starts_on: dt.date,
    ends_on: dt.date,
    home_department: str = "",
    host_department: str = "",
) -> Stint:
    """Dates and departments, while the stint is planned (the home side or the commission). The rules on a
    new stint are checked again for the new dates (title years, overlap)."""
    locked = _locked(stint)
    # Translators: 您无权修改此人员记录。
    require_perm(actor, "stints.change_stint", locked, _("You may not change this stint."))
    if locked.state != S.PLANNED:
        # Translators: 只有计划中的记录可以修改日期和科室。
        raise ApplicationError(_("Only a planned stint can have its dates and departments changed."), field="state")
    person = Person.objects.select_for_update(of=("self",)).select_related("title").get(pk=locked.person_id)
    _validate(
        kind=locked.kind,
        person=person,
        home=locked.home,
        host=locked.host,
        starts_on=starts_on,
        ends_on=ends_on,
        pairing=locked.pairing,
        committee=locked.committee,
        role=locked.role,
        exclude=locked.pk,
    )
    changes = {
        "starts_on": starts_on,
        "ends_on": ends_on,
        "home_department": (home_department or "").strip(),
        "host_department": (host_department or "").strip(),
    }
    check_lengths(Stint, changes)
    before = {name: getattr(locked, name) for name in changes}
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*changes, "updated_at"])
    audit_log(
        actor=actor,
        action="stint.update",
        obj=locked,
        data={
            "before": {k: _date(v) if isinstance(v, dt.date) else v for k, v in before.items()},
            "after": {k: _date(v) if isinstance(v, dt.date) else v for k, v in changes.items()},
        },
    )
    return locked


def stint_transition(*, actor, stint: Stint, to: str, note: str = "") -> Stint:
    """Apply one transition of `STINT`: the table and the actor's permission on the locked row, the note (required
    when it ended early), save, audit, notify after commit."""
    return transition(STINT, stint, to=to, actor=actor, note=note)
