"""The application pages on their normal paths: choose a category, fill in the form with autosave (and a
session that expires), submit, withdraw, the unit's list with filters, sorting and bulk decisions."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils.html import escape

from medtalent.accounts.enums import Role
from medtalent.applications.enums import ApplicationState
from medtalent.applications.models import Application
from medtalent.applications.workflow import APPLICATION
from medtalent.catalog.models import Category, Programme
from medtalent.core.models import AuditEvent
from medtalent.core.workflow import transition
from tests.applications.conftest import COMPLETE_FORM, give_consent, open_round, snapshot
from tests.factories import ApplicationFactory, OfferingFactory, PersonFactory, RoleFactory, code
from tests.helpers import make_user

S = ApplicationState


@pytest.fixture
def wenzhou(world):
    """The seed Wenzhou programme with an open round judged on 2025-06-30; the applicant is 45 then, has
    no management years and no teaching experience."""
    round_ = open_round(programme=Programme.objects.get(code="wz-bysh"), reference_date=dt.date(2025, 6, 30))
    world.person.birth_date = dt.date(1980, 1, 1)
    world.person.save(update_fields=["birth_date"])
    return round_


# ------------------------------------------------------------------------------------------ starting


def test_programme_page_offers_apply_for_an_open_round(world, login):
    response = login(world.user("owner")).get(reverse("catalog:programme", args=[world.programme.code]))

    assert reverse("applications:start", args=[world.round.code]) in response.content.decode()


def test_programme_page_offers_no_apply_for_a_closed_round(world, login):
    world.round.application_closes = world.round.application_opens
    world.round.application_opens -= dt.timedelta(days=10)
    world.round.save()

    response = login(world.user("owner")).get(reverse("catalog:programme", args=[world.programme.code]))

    assert reverse("applications:start", args=[world.round.code]) not in response.content.decode()


def test_category_chooser_shows_each_category_with_its_reasons(world, wenzhou, login):
    response = login(world.user("owner")).get(reverse("applications:start", args=[wenzhou.code]))

    html = response.content.decode()
    rows = response.context["rows"]
    # Open unless a rule fails: the rules the unit checks (pending) do not close a category.
    closed = {r["category"].code: [o.message for o in r["result"].failed] for r in rows if not r["open"]}
    assert response.status_code == 200
    assert list(closed) == ["wz-bysh-teaching", "wz-bysh-management"]
    assert html.count('name="category" value="') == 3  # leading, clinical, innovation
    assert html.count("disabled>") == 2
    for reasons in closed.values():
        assert len(reasons) == 1
        assert f'<li class="reason">{escape(reasons[0])}</li>' in html
    management = Category.objects.get(code="wz-bysh-management")
    assert f'name="category" value="{management.pk}"' not in html


def test_a_closed_category_cannot_be_chosen(world, wenzhou, login):
    management = Category.objects.get(code="wz-bysh-management")
    before = snapshot()

    response = login(world.user("owner")).post(
        reverse("applications:start", args=[wenzhou.code]), {"category": management.pk}
    )

    assert response.status_code == 400
    assert snapshot() == before


def test_choosing_an_open_category_creates_the_draft(world, wenzhou, login):
    clinical = Category.objects.get(code="wz-bysh-clinical")

    response = login(world.user("owner")).post(
        reverse("applications:start", args=[wenzhou.code]), {"category": clinical.pk}
    )

    application = Application.objects.get(person=world.person, round=wenzhou)
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:edit", args=[application.pk])
    assert (application.category, application.state, application.unit) == (clinical, S.DRAFT, world.unit)


def test_choosing_again_opens_the_existing_draft(world, wenzhou, login):
    clinical = Category.objects.get(code="wz-bysh-clinical")
    existing = ApplicationFactory(person=world.person, round=wenzhou, category=clinical)

    response = login(world.user("owner")).post(
        reverse("applications:start", args=[wenzhou.code]), {"category": clinical.pk}
    )

    assert response["Location"] == reverse("applications:edit", args=[existing.pk])
    assert Application.objects.filter(person=world.person, round=wenzhou).count() == 1


def test_without_a_profile_the_applicant_fills_it_in_first(world, login):
    user = RoleFactory().user
    url = reverse("applications:start", args=[world.round.code])

    response = login(user).get(url)

    assert response["Location"] == f"{reverse('people:profile')}?{urlencode({'next': url})}"


def test_a_closed_round_cannot_be_started(world, login):
    world.round.application_closes = world.round.application_opens
    world.round.application_opens -= dt.timedelta(days=10)
    world.round.save()
    before = snapshot()

    response = login(world.user("owner")).post(reverse("applications:start", args=[world.round.code]), {"category": ""})

    assert response.status_code == 400
    assert snapshot() == before


# ------------------------------------------------------------------------------------ the form, autosave


def test_form_shows_what_was_saved_and_the_eligibility_panel(world, login):
    application = ApplicationFactory(person=world.person, round=world.round, reason="为了学习新技术")

    response = login(world.user("owner")).get(reverse("applications:edit", args=[application.pk]))

    html = response.content.decode()
    assert "为了学习新技术</textarea>" in html
    assert 'id="eligibility"' in html
    assert reverse("applications:autosave", args=[application.pk]) in html


def test_autosave_saves_as_the_person_types(world, login):
    application = ApplicationFactory(person=world.person, round=world.round)
    first, second = OfferingFactory.create_batch(2, round=world.round)

    response = login(world.user("owner")).post(
        reverse("applications:autosave", args=[application.pk]),
        {**COMPLETE_FORM, "preference_1": second.pk, "preference_2": first.pk},
        HTTP_HX_REQUEST="true",
    )

    application.refresh_from_db()
    assert response.status_code == 200
    assert 'class="autosave-ok"' in response.content.decode()
    assert (application.reason, application.requested_duration, application.plan_goals) == (
        "提高介入诊疗水平",
        3,
        "回院开展新技术两项",
    )
    assert list(application.preferences.values_list("offering_id", flat=True)) == [second.pk, first.pk]
    assert application.state == S.DRAFT


def test_autosave_keeps_the_valid_fields_when_one_is_wrong(world, login):
    application = ApplicationFactory(person=world.person, round=world.round)

    response = login(world.user("owner")).post(
        reverse("applications:autosave", args=[application.pk]),
        {**COMPLETE_FORM, "requested_duration": "three"},
        HTTP_HX_REQUEST="true",
    )

    application.refresh_from_db()
    assert 'class="error"' in response.content.decode()
    assert (application.reason, application.requested_duration) == ("提高介入诊疗水平", None)


def test_autosave_after_the_session_expired_asks_to_log_in_and_changes_nothing(world, client):
    application = ApplicationFactory(person=world.person, round=world.round, reason="旧的")
    before = snapshot()

    response = client.post(
        reverse("applications:autosave", args=[application.pk]), COMPLETE_FORM, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert 'class="autosave-expired"' in response.content.decode()
    assert snapshot() == before


def test_full_post_after_the_session_expired_keeps_every_word(world, client):
    application = ApplicationFactory(person=world.person, round=world.round)
    before = snapshot()

    response = client.post(reverse("applications:edit", args=[application.pk]), {**COMPLETE_FORM, "action": "save"})

    html = response.content.decode()
    assert response.status_code == 200
    for name in ("reason", "plan_purpose", "plan_content", "plan_goals"):
        assert f"{COMPLETE_FORM[name]}</textarea>" in html
    assert 'name="login_password"' in html
    assert snapshot() == before


def test_logging_in_again_on_the_form_saves_what_was_typed(world, client):
    application = ApplicationFactory(person=world.person, round=world.round)

    response = client.post(
        reverse("applications:edit", args=[application.pk]),
        {**COMPLETE_FORM, "action": "save", "login_username": world.user("owner").username, "login_password": "pw"},
    )

    application.refresh_from_db()
    assert response.status_code == 302
    assert (application.reason, application.plan_content) == ("提高介入诊疗水平", "冠脉介入、结构性心脏病")


def test_a_wrong_password_on_the_form_keeps_the_text_and_saves_nothing(world, client):
    application = ApplicationFactory(person=world.person, round=world.round)
    before = snapshot()

    response = client.post(
        reverse("applications:edit", args=[application.pk]),
        {**COMPLETE_FORM, "login_username": world.user("owner").username, "login_password": "wrong"},
    )

    assert response.status_code == 200
    assert f"{COMPLETE_FORM['reason']}</textarea>" in response.content.decode()
    assert snapshot() == before


def test_logging_in_as_somebody_else_on_the_form_saves_nothing(world, client):
    application = ApplicationFactory(person=world.person, round=world.round)
    before = snapshot()

    response = client.post(
        reverse("applications:edit", args=[application.pk]),
        {**COMPLETE_FORM, "login_username": world.user("other_applicant").username, "login_password": "pw"},
    )

    assert response.status_code == 404
    assert snapshot() == before


def test_full_post_saves_and_shows_field_errors(world, login):
    application = ApplicationFactory(person=world.person, round=world.round)

    response = login(world.user("owner")).post(
        reverse("applications:edit", args=[application.pk]),
        {**COMPLETE_FORM, "requested_duration": "0", "action": "save"},
    )

    application.refresh_from_db()
    assert response.status_code == 400
    assert '<div class="field has-error">\n  <label for="id_requested_duration">' in response.content.decode()
    assert application.reason == "提高介入诊疗水平"


# ----------------------------------------------------------------------------------------- submitting


def test_submit_sends_the_application_to_the_unit(world, login):
    application = ApplicationFactory(person=world.person, round=world.round)

    response = login(world.user("owner")).post(reverse("applications:submit", args=[application.pk]), COMPLETE_FORM)

    application.refresh_from_db()
    assert response["Location"] == reverse("applications:detail", args=[application.pk])
    assert (application.state, application.reason) == (S.SUBMITTED, "提高介入诊疗水平")


def test_submit_with_missing_fields_marks_each_of_them(world, login):
    application = ApplicationFactory(person=world.person, round=world.round)

    response = login(world.user("owner")).post(
        reverse("applications:submit", args=[application.pk]), {**COMPLETE_FORM, "plan_goals": "", "reason": ""}
    )

    html = response.content.decode()
    application.refresh_from_db()
    assert response.status_code == 400
    assert '<div class="field has-error">\n  <label for="id_reason">' in html
    assert '<div class="field has-error">\n  <label for="id_plan_goals">' in html
    assert '<div class="field has-error">\n  <label for="id_plan_content">' not in html
    assert (application.state, application.plan_content) == (S.DRAFT, "冠脉介入、结构性心脏病")


def test_first_submission_without_consent_goes_to_the_privacy_notice(world, login):
    user = RoleFactory().user
    person = PersonFactory(user=user, employer=world.unit)
    application = ApplicationFactory(person=person, round=world.round)

    response = login(user).post(reverse("applications:submit", args=[application.pk]), COMPLETE_FORM)

    application.refresh_from_db()
    back = reverse("applications:edit", args=[application.pk])
    assert response["Location"] == f"{reverse('people:consent')}?{urlencode({'next': back})}"
    assert (application.state, application.reason) == (S.DRAFT, "提高介入诊疗水平")


def test_submit_is_blocked_when_ineligible_and_allowed_with_an_exception(world, login):
    programme = Programme.objects.get(code="wz-bysh")
    round_ = open_round(programme=programme, reference_date=dt.date(2025, 6, 30))
    world.person.birth_date = dt.date(1969, 6, 30)
    world.person.save(update_fields=["birth_date"])
    leading = Category.objects.get(code="wz-bysh-leading")
    programme.equivalent_level_allowed = True
    programme.save(update_fields=["equivalent_level_allowed"])
    application = ApplicationFactory(person=world.person, round=round_, category=leading)
    submit = reverse("applications:submit", args=[application.pk])
    form = {**COMPLETE_FORM, "requested_duration": "2"}  # within the category's 1–2 months

    blocked = login(world.user("owner")).post(submit, form)

    application.refresh_from_db()
    assert blocked.status_code == 400
    assert "56" in blocked.content.decode()
    assert application.state == S.DRAFT

    recorded = login(world.user("unit_admin")).post(
        reverse("applications:exception", args=[application.pk]), {"note": "具有同等学术、技术水平"}
    )
    assert recorded.status_code == 302
    allowed = login(world.user("owner")).post(submit, form)

    application.refresh_from_db()
    assert allowed.status_code == 302
    assert (application.state, application.exception_note) == (S.SUBMITTED, "具有同等学术、技术水平")
    detail = login(world.user("unit_admin")).get(reverse("applications:detail", args=[application.pk]))
    assert "具有同等学术、技术水平" in detail.content.decode()


def test_a_submitted_application_is_no_longer_editable(world, login):
    application = ApplicationFactory(person=world.person, round=world.round, state=S.SUBMITTED)
    before = snapshot()

    response = login(world.user("owner")).post(
        reverse("applications:autosave", args=[application.pk]), COMPLETE_FORM, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert snapshot() == before


def test_withdraw(world, login):
    application = ApplicationFactory(person=world.person, round=world.round, state=S.SUBMITTED)

    response = login(world.user("owner")).post(reverse("applications:withdraw", args=[application.pk]))

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.state == S.WITHDRAWN


def test_withdraw_after_the_unit_decided_is_refused(world, login):
    application = ApplicationFactory(person=world.person, round=world.round, state=S.RECOMMENDED)
    before = snapshot()

    response = login(world.user("owner")).post(reverse("applications:withdraw", args=[application.pk]))

    assert response.status_code == 302
    assert snapshot() == before


def test_detail_shows_history_and_rules(world, login):
    application = ApplicationFactory(person=world.person, round=world.round)
    login(world.user("owner")).post(reverse("applications:submit", args=[application.pk]), COMPLETE_FORM)

    response = login(world.user("unit_admin")).get(reverse("applications:detail", args=[application.pk]))

    html = response.content.decode()
    assert 'class="plain history-list"' in html
    assert 'name="decision" value="recommended"' in html
    assert 'class="eligibility-verdict pass"' in html


def test_the_history_names_an_actor_whose_account_was_deleted_by_the_username_kept(world, login):
    application = ApplicationFactory(person=world.person, round=world.round, state=S.SUBMITTED)
    clerk = make_user(Role.UNIT_ADMIN, world.unit, username="former-clerk")
    transition(APPLICATION, application, to=S.RETURNED, actor=clerk, note="请补充材料")
    clerk.delete()  # the audit trail keeps the id and the username (issue 10)

    response = login(world.user("unit_admin")).get(reverse("applications:detail", args=[application.pk]))

    history = response.content.decode().split('class="plain history-list"', 1)[1]
    assert "former-clerk" in history


# ------------------------------------------------------------------------------------------ the unit


def unit_rows(world):
    """Three applicants of the unit: a submitted attending, a submitted chief and a draft."""
    a = ApplicationFactory(
        person=PersonFactory(employer=world.unit, name="安然", title=code("title", "233")),
        round=world.round,
        state=S.SUBMITTED,
        submitted_at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
    )
    b = ApplicationFactory(
        person=PersonFactory(employer=world.unit, name="白雪", title=code("title", "231")),
        round=world.round,
        state=S.SUBMITTED,
        submitted_at=dt.datetime(2026, 1, 3, tzinfo=dt.UTC),
    )
    c = ApplicationFactory(
        person=PersonFactory(employer=world.unit, name="陈晨", title=code("title", "234")), round=world.round
    )
    return a, b, c


def listed(response) -> list[str]:
    return [a.person.name for a in response.context["rows"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["白雪", "安然", "陈晨"]),
        ({"sort": "name"}, ["安然", "白雪", "陈晨"]),
        ({"sort": "title"}, ["白雪", "安然", "陈晨"]),
        ({"state": "draft"}, ["陈晨"]),
        ({"q": "白"}, ["白雪"]),
        ({"state": "nonsense", "sort": "nonsense"}, ["白雪", "安然", "陈晨"]),
    ],
)
def test_unit_list_filters_and_sorts(world, login, query, expected):
    unit_rows(world)
    ApplicationFactory(person=PersonFactory(employer=world.other_unit, name="外单位"), round=world.round)

    response = login(world.user("unit_admin")).get(reverse("applications:unit_list"), query)

    assert listed(response) == expected


def test_unit_list_filters_by_round_and_category(world, login):
    a, _, _ = unit_rows(world)
    programme = Programme.objects.get(code="wz-bysh")
    other_round = open_round(programme=programme)
    clinical = Category.objects.get(code="wz-bysh-clinical")
    d = ApplicationFactory(person=a.person, round=other_round, category=clinical)
    client = login(world.user("unit_admin"))

    by_round = client.get(reverse("applications:unit_list"), {"round": other_round.pk})
    by_category = client.get(reverse("applications:unit_list"), {"category": clinical.pk})

    assert [r.pk for r in by_round.context["rows"]] == [d.pk]
    assert [r.pk for r in by_category.context["rows"]] == [d.pk]


def test_htmx_filter_answers_the_results_only(world, login):
    unit_rows(world)

    response = login(world.user("unit_admin")).get(
        reverse("applications:unit_list"), {"q": "安"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="kit-results"')
    assert "<html" not in html
    assert [r.person.name for r in response.context["rows"]] == ["安然"]


def test_bulk_recommendation_with_htmx(world, login):
    a, b, c = unit_rows(world)

    response = login(world.user("unit_admin")).post(
        reverse("applications:unit_list"),
        {"ids": [a.pk, b.pk], "action": "recommended", "opinion": "同意推荐", "query": "state=submitted"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="kit-results"')
    # The message goes to the page's message area, whatever the answer's target.
    assert '<div id="messages" class="messages-area" role="status" aria-live="polite" hx-swap-oob="true">' in html
    assert '<li class="message success">2 份申请：单位已推荐。</li>' in html
    assert [(x.state, x.unit_opinion) for x in Application.objects.filter(pk__in=[a.pk, b.pk])] == [
        (S.RECOMMENDED, "同意推荐"),
        (S.RECOMMENDED, "同意推荐"),
    ]
    assert 'name="ids"' not in html  # the list keeps its filter (submitted): none is left
    assert AuditEvent.objects.filter(action="application.transition", to_state=S.RECOMMENDED).count() == 2


def test_bulk_return_without_an_opinion_changes_nothing(world, login):
    a, b, _ = unit_rows(world)
    before = snapshot()

    response = login(world.user("unit_admin")).post(
        reverse("applications:unit_list"),
        {"ids": [a.pk, b.pk], "action": "returned", "opinion": ""},
        HTTP_HX_REQUEST="true",
    )

    assert '<li class="message error">' in response.content.decode()
    assert snapshot() == before


def test_bulk_decision_including_a_draft_changes_nothing(world, login):
    a, _, draft = unit_rows(world)
    before = snapshot()

    response = login(world.user("unit_admin")).post(
        reverse("applications:decide"), {"ids": [a.pk, draft.pk], "decision": "rejected", "opinion": "不符合"}
    )

    assert response.status_code == 302
    assert snapshot() == before


def test_return_one_from_the_detail_page(world, login):
    a, _, _ = unit_rows(world)
    detail = reverse("applications:detail", args=[a.pk])

    response = login(world.user("unit_admin")).post(
        reverse("applications:decide"),
        {"ids": [a.pk], "decision": "returned", "opinion": "请补充研修计划", "next": detail},
    )

    a.refresh_from_db()
    assert response["Location"] == detail
    assert (a.state, a.unit_opinion) == (S.RETURNED, "请补充研修计划")


def test_a_returned_application_can_be_edited_and_submitted_again(world, login):
    application = ApplicationFactory(
        person=world.person, round=world.round, state=S.RETURNED, unit_opinion="请补充研修计划"
    )
    give_consent(world.person)
    client = login(world.user("owner"))

    page = client.get(reverse("applications:edit", args=[application.pk]))
    response = client.post(reverse("applications:submit", args=[application.pk]), COMPLETE_FORM)

    application.refresh_from_db()
    assert "请补充研修计划" in page.content.decode()
    assert response.status_code == 302
    assert application.state == S.SUBMITTED


def test_submit_with_a_wrong_field_submits_nothing(world, login):
    application = ApplicationFactory(person=world.person, round=world.round, requested_duration=3)

    response = login(world.user("owner")).post(
        reverse("applications:submit", args=[application.pk]), {**COMPLETE_FORM, "requested_duration": "three"}
    )

    application.refresh_from_db()
    assert response.status_code == 400
    assert 'value="three"' in response.content.decode()
    assert (application.state, application.requested_duration, application.reason) == (S.DRAFT, 3, "提高介入诊疗水平")
