"""Quotas checked against a selection: pure functions over plain values, no queries.

A quota counts the selected candidates it matches: every filter it sets must hold (round, category, track,
offering, host, sending unit, sending region, sending unit tag); a filter left empty (track "any") matches all.

Nesting. A quota with a parent holds places reserved inside the parent's: "of the 30 doctors, 5 are reserved for
hospitals of mountain-area and island counties". Its filters add to its ancestors' (a reserved place goes to a
candidate the parent takes too). A candidate matching a reserved quota counts against it first, as long as it
has room; the others (and those beyond its maximum) compete for the parent's remaining places, and the parent's
count includes all of them. Reserved places the group leaves unused

- return to the parent (`unused == "return"`): the parent may fill them with its other candidates, so the
  parent's maximum stays as it is;
- lapse (`unused == "lapse"`): nobody else may take them, so the parent's effective maximum is its maximum minus
  the unused reserved places (its other candidates are at most parent.max - child.max).

While a selection is being built, reserved places are held for their group whatever `unused` says: the group may
still come. `quota_admits(..., release_returned=True)` is the second pass, once the reserved group is exhausted,
in which places that return are given back to the parent. `check_selection` judges a finished selection:
returning places are free, lapsing ones are not.

Several reserved quotas under one parent may overlap (a candidate matching two of them); candidates are then
spread over them so that as many as possible are counted in reserved places (a bipartite matching), first in
places that lapse, so the count does not depend on the order of the selection. Nested more than one level deep
works the same way at each level. A quota of the programme (no round) counts the candidates of every round
given: to check it across rounds, pass the earlier rounds' selected candidates too.

Quotas without a parent are independent: a candidate counts against every one it matches, and each must hold.
A plain upper limit inside a group (not a reservation) is therefore a quota without a parent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from medtalent.catalog.enums import QuotaUnused, Track

# An applicant's track, from the series of their professional title (codes/data/title.csv, `series`): the
# quotas of the policies count doctors and nurses. Pharmacists and technologists have no track of their own:
# they count only in quotas for any staff.
TITLE_SERIES_TRACK = {"physician": Track.DOCTOR, "nurse": Track.NURSE}


def track_for(*, title_series: str | None, offering_track: str | None = None) -> str:
    """The track a candidate counts in.

    The offering the candidate is placed in says it when it names one (a nurse-manager or health-manager
    offering takes a nurse or a doctor as a manager); otherwise the title's series: physician → doctor,
    nurse → nurse. "" when neither says (only quotas for any staff count the candidate).
    """
    if offering_track and offering_track != Track.ANY:
        return offering_track
    return TITLE_SERIES_TRACK.get(title_series or "", "")


@dataclass(frozen=True)
class QuotaSpec:
    """One quota as plain values (`catalog.selectors.quota_specs_for_round` builds them from Quota rows)."""

    id: int
    maximum: int
    parent_id: int | None = None
    round_id: int | None = None  # None: the programme's quota, across its rounds
    category: str | None = None  # Category.code
    track: str = Track.ANY
    offering_id: int | None = None
    host_id: int | None = None
    sending_unit_id: int | None = None
    sending_region: str | None = None  # region code (GB/T 2260); the unit's region or a region above it
    tag: str | None = None  # orgs.Tag.code of the sending unit
    minimum: int | None = None
    unused: str = QuotaUnused.RETURN
    label: str = ""  # how the report names the quota (format_quota); "" → its number

    def matches(self, candidate: Candidate) -> bool:
        """Whether the quota's own filters hold for the candidate (its ancestors' are checked by the caller)."""
        return (
            (self.round_id is None or self.round_id == candidate.round_id)
            and (self.category is None or self.category == candidate.category)
            and (not self.track or self.track == Track.ANY or self.track == candidate.track)
            and (self.offering_id is None or self.offering_id == candidate.offering_id)
            and (self.host_id is None or self.host_id == candidate.host_id)
            and (self.sending_unit_id is None or self.sending_unit_id == candidate.sending_unit_id)
            and (self.sending_region is None or self.sending_region in candidate.region_codes)
            and (self.tag is None or self.tag in candidate.tag_codes)
        )

    @property
    def name(self) -> str:
        # Translators: 中文：名额 #%(id)s
        return self.label or _("quota #%(id)s") % {"id": self.id}


@dataclass(frozen=True)
class Candidate:
    """A selected (or proposed) applicant as plain values (`catalog.selectors.candidates_for_applications`)."""

    id: int  # the application's id
    round_id: int | None = None
    category: str | None = None  # Category.code
    track: str = ""  # see track_for
    offering_id: int | None = None  # where the selection places them, if it does
    host_id: int | None = None
    sending_unit_id: int | None = None
    region_codes: frozenset[str] = frozenset()  # the unit's region and the regions above it
    tag_codes: frozenset[str] = frozenset()  # the unit's tags, its own and its regions'


@dataclass(frozen=True)
class QuotaLine:
    """How one quota stands.

    matched: selected candidates matching the quota (with its ancestors' filters);
    counted: those counted against it (for a reserved quota, the ones in its places: at most its maximum);
    effective_maximum: its maximum less the reserved places of its children that lapse (or are held) unused;
    shortfall: how many are missing to reach the minimum (judged on `matched`); excess: how many too many.
    """

    quota: QuotaSpec
    matched: int
    counted: int
    effective_maximum: int
    shortfall: int
    excess: int

    @property
    def ok(self) -> bool:
        return not self.shortfall and not self.excess

    @property
    def message(self) -> str:
        """What is wrong, in the active language; "" when nothing is."""
        values = {
            "quota": self.quota.name,
            "count": self.counted,
            "excess": self.excess,
            "available": self.effective_maximum,
            "maximum": self.quota.maximum,
            "held": self.quota.maximum - self.effective_maximum,
            "matched": self.matched,
            "shortfall": self.shortfall,
            "minimum": self.quota.minimum,
        }
        parts = []
        if self.excess and self.effective_maximum != self.quota.maximum:
            # Translators: 中文：%(quota)s：已选 %(count)s 人，超出可用的 %(available)s 个名额 %(excess)s 人（%(maximum)s 个名额中有 %(held)s 个预留名额未用，不得他用）
            text = _(
                "%(quota)s: %(count)s selected, %(excess)s more than the %(available)s places available "
                "(%(held)s of the %(maximum)s places are reserved, unused and may not be given to others)"
            )
            parts.append(text % values)
        elif self.excess:
            # Translators: 中文：%(quota)s：已选 %(count)s 人，超出上限 %(maximum)s 人 %(excess)s 人
            parts.append(_("%(quota)s: %(count)s selected, %(excess)s over the limit of %(maximum)s") % values)
        if self.shortfall:
            # Translators: 中文：%(quota)s：已选 %(matched)s 人，距下限 %(minimum)s 人尚差 %(shortfall)s 人
            text = _("%(quota)s: %(matched)s selected, %(shortfall)s short of the minimum of %(minimum)s")
            parts.append(text % values)
        return "; ".join(parts)


@dataclass(frozen=True)
class QuotaReport:
    lines: tuple[QuotaLine, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return all(line.ok for line in self.lines)

    @property
    def within_maximum(self) -> bool:
        return not any(line.excess for line in self.lines)

    @property
    def excesses(self) -> list[QuotaLine]:
        return [line for line in self.lines if line.excess]

    @property
    def shortfalls(self) -> list[QuotaLine]:
        return [line for line in self.lines if line.shortfall]

    @property
    def messages(self) -> list[str]:
        return [line.message for line in self.lines if not line.ok]

    def line_for(self, quota_id: int) -> QuotaLine:
        return next(line for line in self.lines if line.quota.id == quota_id)


# ---- the check ----------------------------------------------------------------------------------------------


def _forest(quotas: Sequence[QuotaSpec]) -> tuple[list[QuotaSpec], dict[int, list[QuotaSpec]]]:
    """Roots and children, in the given order. A parent missing from the list, or a cycle, makes a root."""
    by_id = {q.id: q for q in quotas}

    def reaches_root(quota: QuotaSpec) -> bool:
        seen = {quota.id}
        while quota.parent_id is not None and quota.parent_id in by_id:
            if quota.parent_id in seen:
                return False
            seen.add(quota.parent_id)
            quota = by_id[quota.parent_id]
        return True

    roots: list[QuotaSpec] = []
    children: dict[int, list[QuotaSpec]] = {}
    for quota in quotas:
        if quota.parent_id is not None and quota.parent_id in by_id and reaches_root(quota):
            children.setdefault(quota.parent_id, []).append(quota)
        else:
            roots.append(quota)
    return roots, children


def _spread(members: list[Candidate], kids: list[QuotaSpec], first: set[int]) -> list[list[Candidate]]:
    """Candidates → reserved quotas, at most `maximum` each, as many as possible; quotas in `first` filled first.

    Augmenting paths (Kuhn's algorithm with capacities): a second pass over all quotas never takes a candidate
    out of the quotas of the first pass without putting another in, so they stay as full as they can be.
    """
    fits = [[k for k, kid in enumerate(kids) if kid.matches(c)] for c in members]
    load: list[list[int]] = [[] for _ in kids]
    placed: dict[int, int] = {}

    def place(i: int, allowed: set[int], visited: set[int]) -> bool:
        for k in fits[i]:
            if k not in allowed or k in visited:
                continue
            visited.add(k)
            if len(load[k]) < kids[k].maximum:
                load[k].append(i)
                placed[i] = k
                return True
            for j in list(load[k]):
                if place(j, allowed, visited):
                    load[k].remove(j)
                    load[k].append(i)
                    placed[i] = k
                    return True
        return False

    everyone = set(range(len(kids)))
    for allowed in ({k for k in everyone if kids[k].id in first}, everyone):
        for i in range(len(members)):
            if i not in placed and fits[i]:
                place(i, allowed, set())
    return [[members[i] for i in sorted(indices)] for indices in load]


def _settle(
    quota: QuotaSpec,
    members: list[Candidate],
    children: dict[int, list[QuotaSpec]],
    hold_reserved: bool,
    position: dict[int, int],
    found: dict[int, tuple[int, int, int]],
) -> tuple[list[Candidate], int]:
    """Count `members` (the candidates this quota takes in) against it and its reserved quotas.

    Records, per quota, (candidates taken in, effective maximum, excess it cannot pass up) in `found`. Returns
    the candidates beyond its effective maximum (latest selected first to go), for its parent to count as
    ordinary candidates, and the places lost below it: a reserved quota that gives its unused places back gives
    back only those it has; places that lapsed inside it are lost to every level above.
    """
    kids = children.get(quota.id, [])
    holding = {k.id for k in kids if hold_reserved or k.unused == QuotaUnused.LAPSE}
    own: list[Candidate] = []
    placed: set[int] = set()
    held_places = 0
    for kid, share in zip(kids, _spread(members, kids, holding), strict=True):
        overflow, lost = _settle(kid, share, children, hold_reserved, position, found)
        own.extend(overflow)
        placed.update(c.id for c in share)
        held_places += max(kid.maximum - (len(share) - len(overflow)), 0) if kid.id in holding else lost
    own.extend(c for c in members if c.id not in placed)
    own.sort(key=lambda c: position[c.id])
    effective_maximum = max(quota.maximum - held_places, 0)
    excess = max(len(members) - effective_maximum, 0)
    passed = own[len(own) - min(excess, len(own)) :] if excess else []
    found[quota.id] = (len(members), effective_maximum, excess - len(passed))
    return passed, quota.maximum - effective_maximum


def _check(quotas: Sequence[QuotaSpec], selected: Iterable[Candidate], *, hold_reserved: bool) -> QuotaReport:
    chosen = list({c.id: c for c in selected}.values())  # a candidate counts once
    position = {c.id: i for i, c in enumerate(chosen)}
    roots, children = _forest(quotas)
    by_id = {q.id: q for q in quotas}
    found: dict[int, tuple[int, int, int]] = {}
    root_excess: dict[int, int] = {}
    root_ids = {r.id for r in roots}
    for root in roots:
        overflow, _lost = _settle(
            root, [c for c in chosen if root.matches(c)], children, hold_reserved, position, found
        )
        root_excess[root.id] = len(overflow)
    lines = []
    for quota in quotas:
        taken, effective_maximum, stuck = found[quota.id]
        if quota.id in root_excess:
            counted, excess = taken, root_excess[quota.id] + stuck
        else:  # a reserved quota passes its surplus up to its parent: what it counts is what it holds
            counted, excess = min(taken, effective_maximum + stuck), stuck
        matched = sum(1 for c in chosen if _matches_with_ancestors(quota, c, by_id, root_ids))
        lines.append(
            QuotaLine(
                quota=quota,
                matched=matched,
                counted=counted,
                effective_maximum=effective_maximum,
                shortfall=max((quota.minimum or 0) - matched, 0),
                excess=excess,
            )
        )
    return QuotaReport(lines=tuple(lines))


def _matches_with_ancestors(
    quota: QuotaSpec, candidate: Candidate, by_id: dict[int, QuotaSpec], root_ids: set[int]
) -> bool:
    while True:
        if not quota.matches(candidate):
            return False
        if quota.id in root_ids or quota.parent_id is None:
            return True
        quota = by_id[quota.parent_id]


def check_selection(quotas: Sequence[QuotaSpec], selected: Iterable[Candidate]) -> QuotaReport:
    """How a finished selection stands against the quotas: reserved places left unused return to their parent or
    lapse, as each quota says."""
    return _check(quotas, selected, hold_reserved=False)


def quota_admits(
    quotas: Sequence[QuotaSpec],
    selected: Iterable[Candidate],
    candidate: Candidate,
    *,
    release_returned: bool = False,
) -> bool:
    """Whether adding `candidate` to `selected` keeps every quota within its maximum, reserved places held.

    Reserved places are held for their group (a candidate outside it may not take them) unless
    `release_returned` is set and the reserved quota returns unused places to its parent: the pass after the
    reserved group has been exhausted. A quota already over its maximum before the candidate is not held
    against them unless they would add to it.
    """
    chosen = [c for c in selected if c.id != candidate.id]
    before = _check(quotas, chosen, hold_reserved=not release_returned)
    after = _check(quotas, [*chosen, candidate], hold_reserved=not release_returned)
    return all(new.excess <= old.excess for old, new in zip(before.lines, after.lines, strict=True))
