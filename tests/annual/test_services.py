"""Targets and reviews of a pairing-year: the services, their rules and permissions (both sides of each)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from medtalent.accounts.enums import Role
from medtalent.annual import selectors, services
from medtalent.annual.enums import ReviewKind, ReviewState, TargetKind
from medtalent.annual.models import AnnualReview, YearFocus, YearlyTarget
from medtalent.annual.workflow import REVIEW
from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from medtalent.partnerships import services as agreements
from medtalent.partnerships.enums import PairingRuleKind
from medtalent.partnerships.models import PairingRule
from tests.annual.conftest import OPEN_DAY, full_scores, org, renew, snapshot
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

K = ReviewKind
S = ReviewState


def _target(actor, pairing, year=2015, kind=TargetKind.URGENT_NEED, title="开展急诊介入"):
    return services.target_create(actor=actor, pairing=pairing, year=year, kind=kind, title=title)


def _filed(actor, pairing, kind, dimensions, year=2015, submit=True, conclusion=""):
    if kind == K.EVALUATION and not conclusion:
        conclusion = "good"
    return services.review_file(
        actor=actor,
        pairing=pairing,
        year=year,
        kind=kind,
        summary="完成了全年任务",
        problems="人才不足",
        plan="继续派驻",
        scores=full_scores(dimensions),
        conclusion=conclusion,
        submit=submit,
        today=OPEN_DAY,
    )


# ---- term, years and windows ---------------------------------------------------------------------------------


def test_years_are_the_pairings_term(pairing):
    assert selectors.pairing_years(pairing=pairing) == [2014, 2015, 2016]


def test_years_follow_the_approved_agreement(pairing, supporting_admin, supported_admin):
    agreement = agreements.agreement_create_from_template(
        actor=supporting_admin, pairing=pairing, starts_on=dt.date(2015, 1, 1), ends_on=dt.date(2017, 12, 31)
    )
    assert selectors.pairing_years(pairing=pairing) == [2014, 2015, 2016]  # a draft does not count
    agreements.agreement_approve(actor=supporting_admin, agreement=agreement)
    agreements.agreement_approve(actor=supported_admin, agreement=agreement)
    assert selectors.pairing_years(pairing=pairing) == [2015, 2016, 2017]


def test_a_renewed_pairing_keeps_its_years_and_gains_the_new_term(pairing, supporting_admin, supported_admin):
    renew(pairing, supporting_admin, supported_admin)
    assert selectors.pairing_years(pairing=pairing) == [2014, 2015, 2016, 2026, 2027, 2028]
    assert selectors.pairing_term(pairing=pairing) == (dt.date(2026, 1, 1), dt.date(2028, 12, 31))
    assert selectors.pairing_term(pairing=pairing, year=2015) == (dt.date(2014, 1, 1), dt.date(2016, 12, 31))
    assert selectors.pairing_term(pairing=pairing, year=2020) is None
    target = _target(supported_admin, pairing, year=2027)
    assert (target.year, target.pairing_id) == (2027, pairing.pk)
    with pytest.raises(ApplicationError) as error:
        _target(supported_admin, pairing, year=2020)
    assert error.value.field == "year"


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2027, 6, 1), 2027),  # covered: this year
        (dt.date(2020, 6, 1), 2016),  # between two terms: the latest year before it
        (dt.date(2030, 6, 1), 2028),  # after every term: the last one
        (dt.date(2010, 6, 1), 2014),  # before every term: the first one
    ],
)
def test_default_year(today, expected):
    years = [2014, 2015, 2016, 2026, 2027, 2028]
    assert selectors.default_year(years=years, today=today) == expected
    assert selectors.default_year(years=[], today=today) == today.year


def test_overview_years_come_from_the_terms_in_scope(pairing, supporting_admin, supported_admin, commission):
    assert selectors.overview_years(user=commission, programme=pairing.programme) == [2014, 2015, 2016]
    renew(pairing, supporting_admin, supported_admin)
    expected = [2014, 2015, 2016, 2026, 2027, 2028]
    assert selectors.overview_years(user=commission, programme=pairing.programme) == expected
    assert selectors.overview_years(user=supported_admin, programme=pairing.programme) == expected
    # Another hospital's administrator: its own pairings only, none renewed.
    other = make_user(Role.UNIT_ADMIN, org("三门县人民医院"))
    assert selectors.overview_years(user=other, programme=pairing.programme) == [2014, 2015, 2016]


def test_windows_come_from_the_programme_calendar(pairing):
    calendar = selectors.annual_calendar(programme=pairing.programme)
    assert calendar == {"self_assessment_from_month": 12, "evaluation_from_month": 10}
    assert selectors.review_opens_on(calendar=calendar, year=2015, kind=K.SELF_SUPPORTED) == dt.date(2015, 12, 1)
    assert selectors.review_opens_on(calendar=calendar, year=2015, kind=K.EVALUATION) == dt.date(2015, 10, 1)
    assert selectors.review_opens_on(calendar={}, year=2015, kind=K.EVALUATION) is None


@pytest.mark.parametrize(("year", "kind"), [(2013, TargetKind.TEAM), (2017, TargetKind.TEAM)])
def test_target_outside_the_term_is_refused(pairing, commission, year, kind):
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        _target(commission, pairing, year=year, kind=kind)
    assert (error.value.field, error.value.message) == (
        "year",
        f"{year} is outside the pairing's term (2014 to 2016).",
    )
    assert snapshot() == before


# ---- targets ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supporting_admin", "supported_admin", "commission"])
def test_parties_and_commission_create_targets(request, pairing, who):
    actor = request.getfixturevalue(who)
    target = _target(actor, pairing, kind=TargetKind.WEAK_LINK, title="  病理科建设  ")
    assert (target.year, target.kind, target.title, target.status, target.pairing_id) == (
        2015,
        "weak_link",
        "病理科建设",
        "planned",
        pairing.pk,
    )
    event = AuditEvent.objects.get(action="annual_target.create", object_id=str(target.pk))
    assert (event.actor_id, event.to_state, event.data["title"]) == (actor.pk, "planned", "病理科建设")


def test_outsiders_may_not_touch_targets(pairing, outsider, supporting_admin):
    target = _target(supporting_admin, pairing)
    before = snapshot()
    actions = [
        lambda: _target(outsider, pairing, kind=TargetKind.TEAM),
        lambda: services.target_update(actor=outsider, target=target, title="改"),
        lambda: services.target_set_status(actor=outsider, target=target, status="in_progress", evidence="x"),
        lambda: services.targets_from_focus(actor=outsider, pairing=pairing, year=2015),
        lambda: services.target_delete(actor=outsider, target=target),
    ]
    for action in actions:
        with pytest.raises(PermissionDenied):
            action()
    assert snapshot() == before


def test_the_other_pairings_admin_may_not_touch_this_pairing(pairing, other_pairing, other_supported_admin):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        _target(other_supported_admin, pairing)
    assert snapshot() == before
    assert _target(other_supported_admin, other_pairing).pairing_id == other_pairing.pk


def test_four_ones_one_of_each_kind_a_year(pairing, supporting_admin, supported_admin):
    _target(supporting_admin, pairing, kind=TargetKind.TEAM, title="带出一支重症团队")
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        _target(supported_admin, pairing, kind=TargetKind.TEAM, title="另一支团队")
    assert error.value.field == "kind"
    assert error.value.message == (
        "2015 has its “Bring out one technical team” target already: the four-ones have one target of each kind a year; change it."
    )
    assert snapshot() == before
    # Another year, or another pairing, or a key technique: fine.
    assert _target(supported_admin, pairing, year=2016, kind=TargetKind.TEAM).year == 2016
    _target(supported_admin, pairing, kind=TargetKind.KEY_TECHNIQUE, title="甲")
    _target(supported_admin, pairing, kind=TargetKind.KEY_TECHNIQUE, title="乙")
    assert YearlyTarget.objects.filter(pairing=pairing, year=2015).count() == 3


def test_target_needs_a_title_and_a_known_kind(pairing, commission):
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        _target(commission, pairing, title="   ")
    assert (error.value.field, error.value.message) == ("title", "Write the target.")
    with pytest.raises(ApplicationError) as error:
        _target(commission, pairing, kind="nonsense")
    assert error.value.field == "kind"
    assert snapshot() == before


def test_target_update(pairing, supported_admin, commission):
    target = _target(supported_admin, pairing)
    specialty = YearFocus.objects.get(text_zh="病理科").specialty
    services.target_update(actor=commission, target=target, title="新标题", description="说明", specialty=specialty)
    target.refresh_from_db()
    assert (target.title, target.description, target.specialty_id, target.kind) == (
        "新标题",
        "说明",
        specialty.pk,
        "urgent_need",
    )
    event = AuditEvent.objects.get(action="annual_target.update", object_id=str(target.pk))
    assert event.data["before"]["title"] == "开展急诊介入"
    assert event.data["after"]["title"] == "新标题"


def test_status_with_evidence_text_and_file(pairing, supported_admin):
    target = _target(supported_admin, pairing)
    upload = SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n1 0 obj\n", content_type="application/pdf")
    services.target_set_status(
        actor=supported_admin, target=target, status="achieved", evidence="已开展20例", evidence_file=upload
    )
    target.refresh_from_db()
    assert (target.status, target.evidence) == ("achieved", "已开展20例")
    assert target.evidence_file.name.startswith(f"annual/evidence/{pairing.pk}/2015/")
    assert target.evidence_file.name.endswith(".pdf")
    assert target.evidence_file.read().startswith(b"%PDF-")
    event = AuditEvent.objects.get(action="annual_target.set_status", object_id=str(target.pk))
    assert (event.from_state, event.to_state, event.data["file"], event.data["content_type"]) == (
        "planned",
        "achieved",
        "证明.pdf",
        "application/pdf",
    )
    target.evidence_file.delete(save=False)


def test_status_file_is_checked_by_content(pairing, supported_admin):
    target = _target(supported_admin, pairing)
    before = snapshot()
    fake = SimpleUploadedFile("photo.png", b"just text", content_type="image/png")
    with pytest.raises(ApplicationError) as error:
        services.target_set_status(
            actor=supported_admin, target=target, status="achieved", evidence="x", evidence_file=fake
        )
    assert (error.value.field, error.value.message) == ("evidence_file", "The file is not a PDF, JPEG or PNG.")
    assert snapshot() == before


def test_achieved_needs_evidence(pairing, supported_admin):
    target = _target(supported_admin, pairing)
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        services.target_set_status(actor=supported_admin, target=target, status="achieved", evidence="  ")
    assert error.value.field == "evidence"
    assert snapshot() == before
    services.target_set_status(actor=supported_admin, target=target, status="in_progress")
    assert YearlyTarget.objects.get(pk=target.pk).status == "in_progress"


def test_unknown_status_is_refused(pairing, supported_admin):
    target = _target(supported_admin, pairing)
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        services.target_set_status(actor=supported_admin, target=target, status="done")
    assert error.value.field == "status"
    assert snapshot() == before


def test_targets_from_focus_adds_the_years_key_work_once(pairing, supported_admin):
    _target(supported_admin, pairing)  # a four-ones target is kept
    created = services.targets_from_focus(actor=supported_admin, pairing=pairing, year=2015)
    assert [(t.kind, t.title) for t in created][:3] == [
        ("key_specialty", "重症医学科"),
        ("key_specialty", "病理科"),
        ("key_technique", "消化内科内镜诊疗技术"),
    ]
    assert len(created) == 9
    assert created[0].specialty.code == "critical-care"
    assert created[0].focus.text_zh == "重症医学科"
    before = snapshot()
    assert services.targets_from_focus(actor=supported_admin, pairing=pairing, year=2015) == []
    assert snapshot() == before
    # One removed is added again, alone.
    services.target_delete(actor=supported_admin, target=created[1])
    again = services.targets_from_focus(actor=supported_admin, pairing=pairing, year=2015)
    assert [t.title for t in again] == ["病理科"]
    assert YearlyTarget.objects.filter(pairing=pairing, year=2015).count() == 10


def test_targets_from_focus_of_2016_and_of_a_year_without_focus(pairing, commission):
    assert len(services.targets_from_focus(actor=commission, pairing=pairing, year=2016)) == 5
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        services.targets_from_focus(actor=commission, pairing=pairing, year=2014)
    assert error.value.message == "The programme sets no key specialties or techniques for 2014."
    assert snapshot() == before


def test_target_delete(pairing, supporting_admin):
    target = _target(supporting_admin, pairing)
    services.target_delete(actor=supporting_admin, target=target)
    assert not YearlyTarget.objects.filter(pk=target.pk).exists()
    assert AuditEvent.objects.filter(action="annual_target.delete", object_id=str(target.pk)).count() == 1


def test_submitted_evaluation_locks_the_years_targets(pairing, supporting_admin, commission, dimensions):
    target = _target(supporting_admin, pairing)
    _filed(commission, pairing, K.EVALUATION, dimensions)
    assert selectors.year_locked(pairing=pairing, year=2015) is True
    before = snapshot()
    message = "The annual evaluation of 2015 is submitted: that year's targets are locked."
    actions = [
        lambda: _target(supporting_admin, pairing, kind=TargetKind.TEAM),
        lambda: services.target_update(actor=supporting_admin, target=target, title="改"),
        lambda: services.target_set_status(actor=commission, target=target, status="in_progress"),
        lambda: services.targets_from_focus(actor=supporting_admin, pairing=pairing, year=2015),
        lambda: services.target_delete(actor=commission, target=target),
    ]
    for action in actions:
        with pytest.raises(ApplicationError) as error:
            action()
        assert error.value.message == message
    assert snapshot() == before
    # Another year is open; reopening the evaluation unlocks 2015.
    assert _target(supporting_admin, pairing, year=2016).year == 2016
    review = AnnualReview.objects.get(pairing=pairing, year=2015, kind=K.EVALUATION)
    services.review_return(actor=commission, review=review)
    services.target_delete(actor=supporting_admin, target=target)
    assert not YearlyTarget.objects.filter(pk=target.pk).exists()


def test_a_draft_evaluation_does_not_lock(pairing, supporting_admin, commission, dimensions):
    _filed(commission, pairing, K.EVALUATION, dimensions, submit=False)
    assert selectors.year_locked(pairing=pairing, year=2015) is False
    assert _target(supporting_admin, pairing).year == 2015


# ---- reviews ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "filer"),
    [(K.SELF_SUPPORTING, "supporting_admin"), (K.SELF_SUPPORTED, "supported_admin"), (K.EVALUATION, "commission")],
)
def test_each_review_has_its_filer(request, pairing, dimensions, kind, filer):
    actor = request.getfixturevalue(filer)
    review = _filed(actor, pairing, kind, dimensions)
    review.refresh_from_db()
    assert (review.state, review.submitted_by_id, review.summary) == (S.SUBMITTED, actor.pk, "完成了全年任务")
    assert review.submitted_at is not None
    assert sorted(review.scores.values_list("score", flat=True)) == [Decimal("8.0")] * 7
    events = list(AuditEvent.objects.filter(object_id=str(review.pk), object_type="annual.annualreview").order_by("pk"))
    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        ("annual_review.create", "", "draft"),
        ("annual_review.transition", "draft", "submitted"),
    ]


@pytest.mark.parametrize(
    ("kind", "others"),
    [
        (K.SELF_SUPPORTING, ["supported_admin", "commission"]),
        (K.SELF_SUPPORTED, ["supporting_admin", "commission"]),
        (K.EVALUATION, ["supporting_admin", "supported_admin"]),
    ],
)
def test_nobody_else_files_a_review(request, pairing, dimensions, kind, others):
    for who in others:
        actor = request.getfixturevalue(who)
        before = snapshot()
        with pytest.raises(PermissionDenied):
            _filed(actor, pairing, kind, dimensions)
        assert snapshot() == before


def test_outsiders_file_no_review(pairing, dimensions, outsider):
    before = snapshot()
    for kind in K:
        with pytest.raises(PermissionDenied):
            _filed(outsider, pairing, kind, dimensions)
    assert snapshot() == before


def test_outsiders_and_parties_may_not_submit_someone_elses_draft(
    pairing, dimensions, outsider, supported_admin, supporting_admin
):
    review = _filed(supported_admin, pairing, K.SELF_SUPPORTED, dimensions, submit=False)
    before = snapshot()
    for actor in (outsider, supporting_admin):
        with pytest.raises(PermissionDenied):
            services.review_submit(actor=actor, review=review, today=OPEN_DAY)
    assert snapshot() == before


def test_draft_save_updates_in_place(pairing, supported_admin, dimensions):
    first, second = dimensions[0], dimensions[1]
    review = services.review_save(
        actor=supported_admin,
        pairing=pairing,
        year=2015,
        kind=K.SELF_SUPPORTED,
        summary="初稿",
        scores={first.pk: ("7.5", "好"), second.pk: ("6", "")},
    )
    again = services.review_save(
        actor=supported_admin,
        pairing=pairing,
        year=2015,
        kind=K.SELF_SUPPORTED,
        summary="二稿",
        scores={first.pk: ("9", "很好"), second.pk: ("", "")},
    )
    assert again.pk == review.pk
    again.refresh_from_db()
    assert again.summary == "二稿"
    assert list(again.scores.values_list("dimension_id", "score", "comment")) == [(first.pk, Decimal("9.0"), "很好")]
    assert AnnualReview.objects.filter(pairing=pairing, year=2015).count() == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("10.5", "The score of “Organisation and management” must be from 0 to 10 (one decimal at most)."),
        ("-1", "The score of “Organisation and management” must be from 0 to 10 (one decimal at most)."),
        ("8.25", "The score of “Organisation and management” must be from 0 to 10 (one decimal at most)."),
        ("abc", "The score of “Organisation and management” must be a number."),
    ],
)
def test_score_must_lie_within_the_dimension(pairing, supported_admin, dimensions, value, message):
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        services.review_save(
            actor=supported_admin,
            pairing=pairing,
            year=2015,
            kind=K.SELF_SUPPORTED,
            scores={dimensions[0].pk: (value, "")},
        )
    assert (error.value.field, error.value.message) == (f"score_{dimensions[0].pk}", message)
    assert snapshot() == before


@pytest.mark.parametrize("value", ["0", "10", "9.5"])
def test_score_bounds_are_inclusive(pairing, supported_admin, dimensions, value):
    review = services.review_save(
        actor=supported_admin, pairing=pairing, year=2015, kind=K.SELF_SUPPORTED, scores={dimensions[0].pk: (value, "")}
    )
    assert review.scores.get().score == Decimal(value)


def test_a_comment_without_a_score_is_refused(pairing, supported_admin, dimensions):
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        services.review_save(
            actor=supported_admin,
            pairing=pairing,
            year=2015,
            kind=K.SELF_SUPPORTED,
            scores={dimensions[2].pk: ("", "有评语")},
        )
    assert (error.value.field, error.value.message) == (
        f"score_{dimensions[2].pk}",
        "Give “Spread of appropriate techniques” a score for its comment.",
    )
    assert snapshot() == before


def test_a_dimension_of_another_programme_is_refused(pairing, supported_admin):
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        services.review_save(
            actor=supported_admin, pairing=pairing, year=2015, kind=K.SELF_SUPPORTED, scores={999999: ("5", "")}
        )
    assert error.value.field == "score_999999"
    assert snapshot() == before


def test_conclusion_is_the_evaluations_only(pairing, supported_admin, commission):
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        services.review_save(
            actor=supported_admin, pairing=pairing, year=2015, kind=K.SELF_SUPPORTED, conclusion="good"
        )
    assert (error.value.field, error.value.message) == ("conclusion", "Only the annual evaluation has a conclusion.")
    with pytest.raises(ApplicationError) as error:
        services.review_save(actor=commission, pairing=pairing, year=2015, kind=K.EVALUATION, conclusion="superb")
    assert error.value.field == "conclusion"
    assert snapshot() == before


def test_submit_requires_every_dimension(pairing, supported_admin, dimensions):
    scores = full_scores(dimensions)
    del scores[dimensions[4].pk]
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        services.review_file(
            actor=supported_admin,
            pairing=pairing,
            year=2015,
            kind=K.SELF_SUPPORTED,
            summary="总结",
            scores=scores,
            submit=True,
            today=OPEN_DAY,
        )
    assert (error.value.field, error.value.message) == (
        f"score_{dimensions[4].pk}",
        "Give “Change in the referral-out rate” a score before submitting.",
    )
    assert snapshot() == before  # the draft is not saved either: all or nothing


def test_submit_requires_a_summary(pairing, supported_admin, dimensions):
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        services.review_file(
            actor=supported_admin,
            pairing=pairing,
            year=2015,
            kind=K.SELF_SUPPORTED,
            scores=full_scores(dimensions),
            submit=True,
            today=OPEN_DAY,
        )
    assert error.value.field == "summary"
    assert snapshot() == before


def test_evaluation_requires_a_conclusion_at_submit(pairing, commission, dimensions):
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        services.review_file(
            actor=commission,
            pairing=pairing,
            year=2015,
            kind=K.EVALUATION,
            summary="总结",
            scores=full_scores(dimensions),
            submit=True,
            today=OPEN_DAY,
        )
    assert (error.value.field, error.value.message) == (
        "conclusion",
        "Choose the conclusion before submitting the evaluation.",
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("kind", "filer", "last_closed", "first_open", "message"),
    [
        (
            K.SELF_SUPPORTED,
            "supported_admin",
            dt.date(2015, 11, 30),
            dt.date(2015, 12, 1),
            "The self-assessment of 2015 can be submitted from Dec. 1, 2015.",
        ),
        (
            K.SELF_SUPPORTING,
            "supporting_admin",
            dt.date(2015, 11, 30),
            dt.date(2015, 12, 1),
            "The self-assessment of 2015 can be submitted from Dec. 1, 2015.",
        ),
        (
            K.EVALUATION,
            "commission",
            dt.date(2015, 9, 30),
            dt.date(2015, 10, 1),
            "The annual evaluation of 2015 can be submitted from Oct. 1, 2015.",
        ),
    ],
)
def test_submit_window(request, pairing, dimensions, kind, filer, last_closed, first_open, message):
    actor = request.getfixturevalue(filer)
    review = _filed(actor, pairing, kind, dimensions, submit=False)
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        services.review_submit(actor=actor, review=review, today=last_closed)
    assert (error.value.field, error.value.message) == ("state", message)
    assert snapshot() == before
    assert services.review_submit(actor=actor, review=review, today=first_open).state == S.SUBMITTED
    # A later year's review is not open on the same day; an earlier year's is.
    later = _filed(actor, pairing, kind, dimensions, year=2016, submit=False)
    with pytest.raises(ApplicationError):
        services.review_submit(actor=actor, review=later, today=first_open)


def test_no_calendar_means_always_open(pairing, supported_admin, dimensions):
    PairingRule.objects.filter(programme=pairing.programme, kind=PairingRuleKind.ANNUAL_CALENDAR).delete()
    review = _filed(supported_admin, pairing, K.SELF_SUPPORTED, dimensions, submit=False)
    assert services.review_submit(actor=supported_admin, review=review, today=dt.date(2015, 1, 2)).state == S.SUBMITTED


def test_submitted_review_cannot_be_saved_again(pairing, supported_admin, dimensions):
    _filed(supported_admin, pairing, K.SELF_SUPPORTED, dimensions)
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        services.review_save(actor=supported_admin, pairing=pairing, year=2015, kind=K.SELF_SUPPORTED, summary="改")
    assert error.value.message == "This review is submitted and cannot be changed; ask the commission to return it."
    assert snapshot() == before


def test_commission_returns_a_self_assessment_with_a_note(pairing, supported_admin, commission, dimensions):
    review = _filed(supported_admin, pairing, K.SELF_SUPPORTED, dimensions)
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        services.review_return(actor=commission, review=review, note="  ")
    assert (error.value.field, error.value.message) == (
        "note",
        "Say what must be changed when returning a self-assessment.",
    )
    assert snapshot() == before
    services.review_return(actor=commission, review=review, note="请补充外转率数据")
    review.refresh_from_db()
    assert (review.state, review.submitted_by_id, review.submitted_at) == (S.DRAFT, None, None)
    event = AuditEvent.objects.filter(action="annual_review.transition", object_id=str(review.pk)).order_by("pk").last()
    assert (event.from_state, event.to_state, event.note, event.actor_id) == (
        "submitted",
        "draft",
        "请补充外转率数据",
        commission.pk,
    )
    # The hospital changes it and submits again.
    _filed(supported_admin, pairing, K.SELF_SUPPORTED, dimensions)
    assert AnnualReview.objects.get(pk=review.pk).state == S.SUBMITTED


def test_only_the_commission_returns(pairing, supported_admin, supporting_admin, dimensions, outsider):
    review = _filed(supported_admin, pairing, K.SELF_SUPPORTED, dimensions)
    before = snapshot()
    for actor in (supported_admin, supporting_admin, outsider):
        with pytest.raises(PermissionDenied):
            services.review_return(actor=actor, review=review, note="退回")
    assert snapshot() == before


ALL_PAIRS = [(a, b) for a in S.values for b in S.values]


@pytest.mark.parametrize(("source", "to"), ALL_PAIRS)
def test_review_transition_table(pairing, supported_admin, commission, dimensions, source, to):
    review = _filed(supported_admin, pairing, K.SELF_SUPPORTED, dimensions, submit=source == S.SUBMITTED)
    actor = supported_admin if to == S.SUBMITTED else commission
    before = snapshot()
    if (source, to) in REVIEW.table:
        services.review_transition(actor=actor, review=review, to=to, note="说明", today=OPEN_DAY)
        assert AnnualReview.objects.get(pk=review.pk).state == to
    else:
        with pytest.raises(ApplicationError) as error:
            services.review_transition(actor=actor, review=review, to=to, note="说明", today=OPEN_DAY)
        assert error.value.field == "state"
        assert snapshot() == before
    assert {key: move.permission for key, move in REVIEW.table.items()} == {
        ("draft", "submitted"): "annual.file_review",
        ("submitted", "draft"): "annual.return_review",
    }


# ---- what each side sees -------------------------------------------------------------------------------------


def test_the_other_partys_draft_is_invisible(pairing, supported_admin, supporting_admin, commission, dimensions):
    _filed(supported_admin, pairing, K.SELF_SUPPORTED, dimensions, submit=False)
    _filed(commission, pairing, K.EVALUATION, dimensions, submit=False)
    seen = {
        who: sorted(selectors.reviews_visible_to(user=user, pairing=pairing, year=2015))
        for who, user in (("supported", supported_admin), ("supporting", supporting_admin), ("commission", commission))
    }
    assert seen == {"supported": ["self_supported"], "supporting": [], "commission": ["evaluation"]}
    review = AnnualReview.objects.get(pairing=pairing, year=2015, kind=K.SELF_SUPPORTED)
    assert supporting_admin.has_perm("annual.view_review", review) is False
    assert commission.has_perm("annual.view_review", review) is False
    assert supported_admin.has_perm("annual.view_review", review) is True


def test_submitted_reviews_are_seen_by_both_parties_and_the_commission(
    pairing, supported_admin, supporting_admin, commission, dimensions, outsider
):
    for kind, actor in (
        (K.SELF_SUPPORTED, supported_admin),
        (K.SELF_SUPPORTING, supporting_admin),
        (K.EVALUATION, commission),
    ):
        _filed(actor, pairing, kind, dimensions)
    for user in (supported_admin, supporting_admin, commission):
        assert sorted(selectors.reviews_visible_to(user=user, pairing=pairing, year=2015)) == [
            "evaluation",
            "self_supported",
            "self_supporting",
        ]
    for review in AnnualReview.objects.all():
        assert outsider.has_perm("annual.view_review", review) is False
