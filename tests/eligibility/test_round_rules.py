"""A round keeps the rule set it opened with: frozen at its first submission, read by every evaluation for the
round, a change of the rules during the round logged, and a submitted application's stored verdict unchanged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from medtalent.applications import services as application_services
from medtalent.applications.enums import ApplicationState
from medtalent.applications.models import Application
from medtalent.catalog import services as catalog_services
from medtalent.catalog.models import Category, EligibilityRule, Round
from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from medtalent.eligibility.selectors import (
    eligibility_by_category_for_person,
    eligibility_for_application,
    eligibility_for_applications,
    eligibility_shown_for_application,
    frozen_category_duration,
    frozen_rules,
    rule_snapshot_for,
    rules_for,
)
from medtalent.eligibility.services import round_freeze_rules
from medtalent.people.models import Consent
from medtalent.people.selectors import current_privacy_notice
from tests.factories import ApplicationFactory, PersonFactory, ProgrammeFactory, RoundFactory
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

FILLED = {
    "requested_duration": 3,
    "reason": "提高介入诊疗水平",
    "plan_purpose": "学习先进技术",
    "plan_content": "冠脉介入",
    "plan_goals": "回院开展新技术",
}


def rule(owner, kind: str, params: dict | None = None, *, parent=None, sort: int = 0, blocking: bool = True):
    owner_field = "category" if isinstance(owner, Category) else "programme"
    return EligibilityRule.objects.create(
        **{owner_field: owner}, kind=kind, params=params or {}, parent=parent, sort=sort, is_blocking=blocking
    )


@pytest.fixture
def setting():
    """A programme (age limit 60) with two categories, and an open round judged on its closing day."""
    programme = ProgrammeFactory(code="hz-test")
    age = rule(programme, "max_age", {"years": 60}, sort=1)
    senior = Category.objects.create(
        programme=programme, code="hz-test-senior", name_zh="高级", name_en="Senior", duration_min=3, duration_max=6
    )
    young = Category.objects.create(programme=programme, code="hz-test-young", name_zh="青年", name_en="Young", sort=1)
    languages = rule(senior, "any_of", sort=1)
    rule(senior, "language_result", {"test": "ielts", "min_score": "6.0"}, parent=languages, sort=1)
    rule(senior, "language_result", {"test": "toefl", "min_score": "80"}, parent=languages, sort=2)
    rule(young, "max_age", {"years": 55})
    today = timezone.localdate()
    round_ = RoundFactory(
        programme=programme,
        code="hz-test-r1",
        application_opens=today - dt.timedelta(days=5),
        application_closes=today + dt.timedelta(days=30),
    )
    return {"programme": programme, "age": age, "senior": senior, "young": young, "round": round_}


def applicant(birth_date=dt.date(1985, 3, 15)):
    user = make_user()
    person = PersonFactory(user=user, birth_date=birth_date)
    for kind in ("general", "sensitive"):
        Consent.objects.create(person=person, notice=current_privacy_notice(kind=kind))
    return user, person


def submitted(setting, *, category=None, birth_date=dt.date(1985, 3, 15)) -> Application:
    user, person = applicant(birth_date)
    application = ApplicationFactory(
        person=person, round=setting["round"], category=category or setting["young"], **FILLED
    )
    return application_services.application_submit(actor=user, application=application)


def test_the_snapshot_holds_every_owners_rules_as_trees(setting):
    snapshot = rule_snapshot_for(programme=setting["programme"])
    senior, young = snapshot["categories"]
    assert (snapshot["version"], snapshot["programme"]["code"], [r["id"] for r in snapshot["programme"]["rules"]]) == (
        1,
        "hz-test",
        ["hz-test:max_age"],
    )
    assert senior | {"rules": None} == {
        "id": setting["senior"].pk,
        "code": "hz-test-senior",
        "name_zh": "高级",
        "name_en": "Senior",
        "duration_min": 3,
        "duration_max": 6,
        "duration_unit": "month",
        "rules": None,
    }
    group = senior["rules"][0]
    assert (group["id"], group["kind"], group["owner_name_zh"], group["scope"]) == (
        "hz-test-senior:any_of",
        "any_of",
        "高级",
        "category",
    )
    assert [(c["id"], c["params"], c["children"]) for c in group["children"]] == [
        ("hz-test-senior:language_result:2", {"test": "ielts", "min_score": "6.0"}, []),
        ("hz-test-senior:language_result:3", {"test": "toefl", "min_score": "80"}, []),
    ]
    assert [r["id"] for r in young["rules"]] == ["hz-test-young:max_age"]
    # Read back, the snapshot gives exactly the rules the database gives.
    for category in (setting["senior"], setting["young"], None):
        live = rules_for(programme=setting["programme"], category=category)
        assert frozen_rules(snapshot, category_id=category.pk if category else None) == live


def test_the_first_submission_freezes_the_rules_and_is_audited(setting):
    round_ = setting["round"]
    assert round_.rule_snapshot is None

    application = submitted(setting)

    round_.refresh_from_db()
    assert (application.state, round_.rule_snapshot, round_.rules_frozen_at is not None) == (
        ApplicationState.SUBMITTED,
        rule_snapshot_for(programme=setting["programme"]),
        True,
    )
    event = AuditEvent.objects.get(action="round.rules_frozen")
    assert (event.object_id, event.data) == (
        str(round_.pk),
        {"rules": 3, "categories": ["hz-test-senior", "hz-test-young"]},
    )


def test_a_refused_submission_freezes_nothing(setting):
    user, person = applicant()
    application = ApplicationFactory(person=person, round=setting["round"], category=setting["young"])
    with pytest.raises(ApplicationError):
        application_services.application_submit(actor=user, application=application)
    setting["round"].refresh_from_db()
    assert (setting["round"].rule_snapshot, AuditEvent.objects.filter(action="round.rules_frozen").count()) == (
        None,
        0,
    )


def test_freezing_again_changes_nothing(setting):
    round_ = round_freeze_rules(round_=setting["round"])
    frozen_at, snapshot = round_.rules_frozen_at, round_.rule_snapshot
    setting["age"].params = {"years": 30}
    setting["age"].save()

    again = round_freeze_rules(round_=Round.objects.get(pk=round_.pk))

    assert (again.rules_frozen_at, again.rule_snapshot) == (frozen_at, snapshot)
    assert AuditEvent.objects.filter(action="round.rules_frozen").count() == 1


def test_a_rule_changed_mid_round_is_logged_and_judges_nobody_in_the_round(setting):
    first = submitted(setting, birth_date=dt.date(1975, 1, 1))  # 50: within 60
    stored = Application.objects.get(pk=first.pk).eligibility_snapshot
    admin = make_user()
    age = setting["age"]
    age.params = {"years": 45}

    catalog_services.catalogue_object_save(actor=admin, obj=age, created=False, changed_fields=["params"])

    event = AuditEvent.objects.get(action="round.rule_changed_during_round")
    assert (event.object_type, event.object_id, event.actor_id, event.data) == (
        "catalog.round",
        str(setting["round"].pk),
        admin.pk,
        {
            "round": "hz-test-r1",
            "object": "catalog.eligibilityrule",
            "id": age.pk,
            "change": "change",
            "fields": ["params"],
        },
    )
    # The live rules changed; the round still judges by the rules it opened with.
    assert rules_for(programme=setting["programme"])[0].params == {"years": 45}
    round_ = Round.objects.get(pk=setting["round"].pk)
    assert rules_for(programme=setting["programme"], round_=round_)[0].params == {"years": 60}
    second = submitted(setting, birth_date=dt.date(1975, 1, 1))  # 50: over the new limit, within the frozen one
    assert (second.state, second.eligibility_snapshot["eligible"]) == (ApplicationState.SUBMITTED, True)
    # The first application's stored verdict is what the pages show, unchanged.
    first = Application.objects.get(pk=first.pk)
    assert first.eligibility_snapshot == stored
    assert eligibility_shown_for_application(application=first) == stored
    assert eligibility_for_application(application=first).eligible is True


def test_every_evaluation_for_a_frozen_round_reads_the_snapshot(setting):
    round_ = round_freeze_rules(round_=setting["round"])
    EligibilityRule.objects.filter(pk=setting["age"].pk).update(params={"years": 30})
    _, person = applicant(dt.date(1980, 1, 1))  # 40 or 41 today: within 60, over 30
    draft = ApplicationFactory(person=person, round=round_, category=setting["young"])
    other_round = RoundFactory(programme=setting["programme"])  # not frozen: the rules as they are
    other = ApplicationFactory(person=person, round=other_round, category=setting["young"])

    results = eligibility_for_applications(applications=Application.objects.filter(pk__in=[draft.pk, other.pk]))
    rows = eligibility_by_category_for_person(person=person, round_=round_)

    age_rule = "hz-test:max_age"
    assert [o.passed for o in results[draft.pk].rules if o.rule_id == age_rule] == [True]
    assert [o.passed for o in results[other.pk].rules if o.rule_id == age_rule] == [False]
    assert results[draft.pk].as_dict() == eligibility_for_application(application=draft).as_dict()
    assert [[o.passed for o in r.rules if o.rule_id == age_rule] for _, r in rows] == [[True], [True]]


def test_a_category_added_after_the_freeze_is_judged_by_the_frozen_programme_rules_and_its_own(setting):
    round_ = round_freeze_rules(round_=setting["round"])
    EligibilityRule.objects.filter(pk=setting["age"].pk).update(params={"years": 30})
    late = Category.objects.create(programme=setting["programme"], code="hz-test-late", name_zh="新增", sort=5)
    rule(late, "min_education", {"code": "21"})

    specs = rules_for(programme=setting["programme"], category=late, round_=round_)

    assert [(s.id, s.params) for s in specs] == [
        ("hz-test:max_age", {"years": 30}),
        ("hz-test-late:min_education", {"code": "21"}),
    ]


def test_the_frozen_duration_of_a_category(setting):
    round_ = round_freeze_rules(round_=setting["round"])
    Category.objects.filter(pk=setting["senior"].pk).update(duration_max=12)
    senior = Category.objects.get(pk=setting["senior"].pk)
    assert frozen_category_duration(round_, senior) == (3, 6, "month")
    assert frozen_category_duration(RoundFactory(programme=setting["programme"]), senior) == (3, 12, "month")


@pytest.mark.parametrize(
    ("change", "logged"),
    [
        ("rule deleted", True),
        ("rule added", True),
        ("category duration", True),
        ("category added", True),
        ("category name", False),
    ],
)
def test_which_changes_are_logged(setting, change, logged):
    round_freeze_rules(round_=setting["round"])
    admin = make_user()
    senior = setting["senior"]
    if change == "rule deleted":
        catalog_services.catalogue_object_delete(actor=admin, obj=setting["age"])
    elif change == "rule added":
        new = EligibilityRule(category=senior, kind="health", params={})
        catalog_services.catalogue_object_save(actor=admin, obj=new, created=True, changed_fields=["kind"])
    elif change == "category duration":
        senior.duration_max = 12
        catalog_services.catalogue_object_save(actor=admin, obj=senior, created=False, changed_fields=["duration_max"])
    elif change == "category added":
        new = Category(programme=setting["programme"], code="hz-test-new", name_zh="新")
        catalog_services.catalogue_object_save(actor=admin, obj=new, created=True, changed_fields=["code"])
    else:
        senior.name_zh = "高级访问学者"
        catalog_services.catalogue_object_save(actor=admin, obj=senior, created=False, changed_fields=["name_zh"])
    assert AuditEvent.objects.filter(action="round.rule_changed_during_round").count() == (1 if logged else 0)


def test_no_log_when_no_open_round_has_frozen_rules(setting):
    round_ = round_freeze_rules(round_=setting["round"])
    Round.objects.filter(pk=round_.pk).update(
        application_opens=dt.date(2020, 1, 1), application_closes=dt.date(2020, 1, 31)
    )
    RoundFactory(programme=setting["programme"])  # not frozen
    catalog_services.catalogue_object_save(
        actor=make_user(), obj=setting["age"], created=False, changed_fields=["params"]
    )
    assert AuditEvent.objects.filter(action="round.rule_changed_during_round").count() == 0


def test_an_application_not_yet_submitted_shows_its_eligibility_now(setting):
    _, person = applicant()
    draft = ApplicationFactory(person=person, round=setting["round"], category=setting["young"])
    shown = eligibility_shown_for_application(application=draft)
    assert (type(shown).__name__, shown.as_dict()) == (
        "Result",
        eligibility_for_application(application=draft).as_dict(),
    )
