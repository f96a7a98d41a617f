"""What the retention rules keep of one person, and until when: pure functions over rows already loaded (no query).

Each record of the person gives one `Hold`:

- a stint (any kind) that ended or was cancelled, and an application the unit recommended (selected): the rule
  `programme_record`, counted from the stint's end (a cancelled one: the cancellation) or the decision;
- an application that was submitted but never selected (rejected, or withdrawn after submission): `not_selected`,
  counted from the decision or the withdrawal;
- a stint planned or under way, an application submitted or returned to the applicant: in progress, kept
  whatever the rules say (a deletion request is refused until it ends: the person is told to withdraw it);
- a person with none of these (drafts never submitted do not count): `no_application`, counted from their last
  activity (the profile's last change or their last login). It only matters to `anonymise_expired`: a person who
  asks for deletion and has no record is anonymised at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils import timezone

from medtalent.applications.enums import ApplicationState
from medtalent.privacy.enums import DeletionRequestState as D
from medtalent.privacy.enums import RetentionScope
from medtalent.stints.enums import StintState

IN_PROGRESS = "in_progress"
OPEN_APPLICATION_STATES = (ApplicationState.SUBMITTED, ApplicationState.RETURNED)
OPEN_STINT_STATES = (StintState.PLANNED, StintState.ACTIVE)


@dataclass(frozen=True)
class Hold:
    """One record that keeps the person's data: which rule, which record, when it ended, kept until when."""

    scope: str  # a RetentionScope, or IN_PROGRESS
    record: str  # "application" | "stint" | "profile"
    label: str  # what the person reads: the programme and round, or the host
    ended: dt.date | None  # None while in progress
    until: dt.date | None  # None while in progress, or when no rule is set for the scope (kept until one is)

    @property
    def in_progress(self) -> bool:
        return self.scope == IN_PROGRESS

    def expired(self, today: dt.date) -> bool:
        return self.until is not None and self.until < today

    def as_dict(self) -> dict:
        return {
            "scope": self.scope,
            "record": self.record,
            "label": self.label,
            "ended": self.ended.isoformat() if self.ended else None,
            "until": self.until.isoformat() if self.until else None,
        }


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 February → 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _local(value: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(value).date() if value is not None else None


def _hold(scope: str, record: str, label: str, ended: dt.date, years: Mapping[str, int]) -> Hold:
    period = years.get(scope)
    return Hold(scope, record, label, ended, add_years(ended, period) if period is not None else None)


def application_label(application) -> str:
    round_ = application.round
    return f"{round_.programme.name} · {round_.name}"


def holds_for(*, person, applications: Iterable, stints: Iterable, years: Mapping[str, int]) -> list[Hold]:
    """The holds of the person's records; `years` maps each RetentionScope to its rule's period."""
    holds: list[Hold] = []
    for stint in stints:
        label = str(stint.host.name) if stint.host_id else ""
        if stint.state in OPEN_STINT_STATES:
            holds.append(Hold(IN_PROGRESS, "stint", label, None, None))
        elif stint.state == StintState.CANCELLED:
            ended = min(stint.ends_on, _local(stint.updated_at) or stint.ends_on)
            holds.append(_hold(RetentionScope.PROGRAMME_RECORD, "stint", label, ended, years))
        else:
            holds.append(_hold(RetentionScope.PROGRAMME_RECORD, "stint", label, stint.ends_on, years))
    for application in applications:
        label = application_label(application)
        ended = _local(application.decided_at) or _local(application.updated_at)
        if application.state in OPEN_APPLICATION_STATES:
            holds.append(Hold(IN_PROGRESS, "application", label, None, None))
        elif application.state == ApplicationState.RECOMMENDED:
            holds.append(_hold(RetentionScope.PROGRAMME_RECORD, "application", label, ended, years))
        elif application.submitted_at is not None:  # rejected, or withdrawn after it was submitted
            holds.append(_hold(RetentionScope.NOT_SELECTED, "application", label, ended, years))
    if not holds:
        last_login = _local(person.user.last_login) if person.user_id else None
        activity = max(filter(None, [_local(person.updated_at), last_login]))
        holds.append(_hold(RetentionScope.NO_APPLICATION, "profile", "", activity, years))
    return holds


@dataclass(frozen=True)
class Answer:
    """What a deletion request gets: refused (records in progress), kept until a date, or done now."""

    state: str  # a DeletionRequestState
    holds: list[Hold]  # the records that refuse or keep
    kept_until: dt.date | None = None


def answer_for(*, holds: list[Hold], today: dt.date) -> Answer:
    open_ = [h for h in holds if h.in_progress]
    if open_:
        return Answer(D.REFUSED, open_)
    # A request ends the wait of a profile without records; every other record is kept for its period.
    kept = [h for h in holds if h.record != "profile" and not h.expired(today)]
    if kept:
        dates = [h.until for h in kept]
        return Answer(D.KEPT, kept, None if None in dates else max(d for d in dates if d is not None))
    return Answer(D.COMPLETED, [])


def expiry_for(*, holds: list[Hold], today: dt.date) -> str | None:
    """The scope under which the person is anonymised now (the rule whose period ended last), or None."""
    if not holds or any(h.in_progress or not h.expired(today) for h in holds):
        return None
    return max(holds, key=lambda h: h.until or dt.date.min).scope
