"""The retention rules as pure functions: which record keeps a person's data, until when, and what a deletion
request gets — with the shipped periods and with a policy of our own (2 and 7 years)."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from medtalent.core.seeding import SeedReport
from medtalent.privacy.loaders import load_retention_rules
from medtalent.privacy.models import RetentionRule
from medtalent.privacy.retention import IN_PROGRESS, add_years, answer_for, expiry_for, holds_for

TODAY = dt.date(2026, 12, 7)
DEFAULTS = {"programme_record": 10, "not_selected": 3, "no_application": 2}
OURS = {"programme_record": 7, "not_selected": 2, "no_application": 2}


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def person(updated: dt.date = TODAY, last_login: dt.date | None = None):
    user = SimpleNamespace(last_login=at(last_login) if last_login else None)
    return SimpleNamespace(updated_at=at(updated), user_id=1, user=user)


def app(state: str, *, decided: dt.date | None = None, submitted: bool = True):
    programme = SimpleNamespace(name="UK clinical fellowship")
    return SimpleNamespace(
        state=state,
        decided_at=at(decided) if decided else None,
        updated_at=at(decided or TODAY),
        submitted_at=at(TODAY) if submitted else None,
        round=SimpleNamespace(programme=programme, name="2024"),
    )


def stint(state: str, ends_on: dt.date):
    return SimpleNamespace(
        state=state, ends_on=ends_on, updated_at=at(ends_on), host_id=1, host=SimpleNamespace(name="H")
    )


def test_add_years_keeps_the_day_and_moves_29_february():
    assert add_years(dt.date(2020, 5, 17), 7) == dt.date(2027, 5, 17)
    assert add_years(dt.date(2024, 2, 29), 2) == dt.date(2026, 2, 28)


@pytest.mark.parametrize(("years", "until"), [(DEFAULTS, dt.date(2033, 6, 30)), (OURS, dt.date(2030, 6, 30))])
def test_a_completed_stint_is_kept_for_the_programme_record_period(years, until):
    holds = holds_for(person=person(), applications=[], stints=[stint("completed", dt.date(2023, 6, 30))], years=years)
    assert [(h.scope, h.record, h.ended, h.until) for h in holds] == [
        ("programme_record", "stint", dt.date(2023, 6, 30), until)
    ]


@pytest.mark.parametrize(
    ("years", "state", "kept_until"),
    [
        (DEFAULTS, "kept", dt.date(2027, 3, 1)),  # rejected 2024-03-01 + 3 years: still kept
        (OURS, "completed", None),  # + 2 years: ended 2026-03-01, nothing left to keep
    ],
)
def test_a_rejected_application_is_kept_for_the_not_selected_period(years, state, kept_until):
    holds = holds_for(
        person=person(), applications=[app("rejected", decided=dt.date(2024, 3, 1))], stints=[], years=years
    )
    answer = answer_for(holds=holds, today=TODAY)
    assert (answer.state, answer.kept_until) == (state, kept_until)


def test_the_longest_record_decides_how_long_the_data_is_kept():
    holds = holds_for(
        person=person(),
        applications=[app("rejected", decided=dt.date(2025, 1, 10)), app("recommended", decided=dt.date(2022, 4, 2))],
        stints=[stint("completed", dt.date(2023, 9, 1))],
        years=OURS,
    )
    answer = answer_for(holds=holds, today=TODAY)
    assert (answer.state, answer.kept_until) == ("kept", dt.date(2030, 9, 1))
    assert sorted(h.scope for h in answer.holds) == ["not_selected", "programme_record", "programme_record"]


@pytest.mark.parametrize(
    ("applications", "stints"),
    [
        ([app("submitted")], []),
        ([app("returned")], []),
        ([], [stint("planned", dt.date(2027, 1, 1))]),
        ([], [stint("active", dt.date(2027, 1, 1))]),
    ],
)
def test_a_record_in_progress_refuses_the_request_and_blocks_expiry(applications, stints):
    holds = holds_for(person=person(), applications=applications, stints=stints, years=DEFAULTS)
    assert [h.scope for h in holds] == [IN_PROGRESS]
    assert answer_for(holds=holds, today=TODAY).state == "refused"
    assert expiry_for(holds=holds, today=dt.date(2100, 1, 1)) is None


def test_drafts_never_submitted_keep_nothing_and_a_request_completes_at_once():
    holds = holds_for(
        person=person(updated=TODAY),
        applications=[app("draft", submitted=False), app("withdrawn", submitted=False)],
        stints=[],
        years=DEFAULTS,
    )
    assert [(h.scope, h.record) for h in holds] == [("no_application", "profile")]
    assert answer_for(holds=holds, today=TODAY).state == "completed"
    assert expiry_for(holds=holds, today=TODAY) is None  # but not anonymised without a request yet


def test_a_profile_without_records_expires_two_years_after_the_last_activity():
    quiet = holds_for(person=person(updated=dt.date(2024, 12, 6)), applications=[], stints=[], years=DEFAULTS)
    assert expiry_for(holds=quiet, today=TODAY) == "no_application"
    recent_login = holds_for(
        person=person(updated=dt.date(2024, 12, 6), last_login=dt.date(2026, 1, 1)),
        applications=[],
        stints=[],
        years=DEFAULTS,
    )
    assert expiry_for(holds=recent_login, today=TODAY) is None


def test_a_scope_without_a_rule_is_kept_until_one_is_set():
    holds = holds_for(
        person=person(), applications=[app("recommended", decided=dt.date(2001, 1, 1))], stints=[], years={}
    )
    answer = answer_for(holds=holds, today=TODAY)
    assert (answer.state, answer.kept_until) == ("kept", None)
    assert expiry_for(holds=holds, today=TODAY) is None


def test_the_shipped_rules_are_seeded_and_a_changed_period_is_kept(db):
    assert dict(RetentionRule.objects.values_list("scope", "years")) == DEFAULTS
    RetentionRule.objects.filter(scope="not_selected").update(years=5)
    report = SeedReport()
    load_retention_rules(report)
    assert RetentionRule.objects.get(scope="not_selected").years == 5
    assert len(report.kept_rows) == 1
