"""Issue 12 on applications: which units may send applicants, the requested duration within the category's range,
the per-programme "equivalent level" switch, and the rules the sending unit confirms (pending until then)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from medtalent.applications import services
from medtalent.applications.enums import ApplicationState as S
from medtalent.applications.models import Application, RuleConfirmation
from medtalent.applications.pdf import application_form_document, application_form_html
from medtalent.catalog.models import Category, EligibilityRule
from medtalent.catalog.selectors import unit_may_send
from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from medtalent.orgs.models import Tag
from medtalent.people.models import LanguageCertificate, TitleRecord
from tests.applications.conftest import COMPLETE_FORM, snapshot
from tests.factories import ApplicationFactory, OrganisationFactory, ProgrammeFactory, code

FILLED = {
    "requested_duration": 3,
    "reason": "提高介入诊疗水平",
    "plan_purpose": "学习先进技术",
    "plan_content": "冠脉介入",
    "plan_goals": "回院开展新技术",
}


def confirmations() -> list:
    return list(RuleConfirmation.objects.values_list("application_id", "rule", "confirmed_by_id"))


# ---- unit_may_send ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_any_unit_may_send_when_the_programme_names_none():
    assert unit_may_send(programme=ProgrammeFactory(), organisation=OrganisationFactory()) is True


@pytest.mark.django_db
def test_a_listed_unit_may_send_and_another_may_not():
    programme = ProgrammeFactory()
    listed, other = OrganisationFactory(), OrganisationFactory()
    programme.sending_units.add(listed)

    assert (
        unit_may_send(programme=programme, organisation=listed),
        unit_may_send(programme=programme, organisation=other),
    ) == (True, False)
    assert unit_may_send(programme=programme, organisation=None) is False


@pytest.mark.django_db
def test_a_unit_in_a_region_under_a_sending_region_may_send():
    programme = ProgrammeFactory()
    programme.sending_regions.add(code("region", "330300"))  # 温州市
    inside = OrganisationFactory(region=code("region", "330302"))  # 鹿城区
    outside = OrganisationFactory(region=code("region", "330106"))

    assert unit_may_send(programme=programme, organisation=inside) is True
    assert unit_may_send(programme=programme, organisation=outside) is False


@pytest.mark.django_db
def test_a_unit_with_a_sending_tag_its_own_or_its_regions_may_send():
    programme = ProgrammeFactory()
    tag = Tag.objects.create(code="mountain-island", name_zh="山区海岛县")
    programme.sending_tags.add(tag)
    tagged = OrganisationFactory(region=code("region", "330106"))
    tagged.tags.add(tag)
    county = code("region", "331127")
    tag.regions.add(county)
    in_tagged_county = OrganisationFactory(region=county)
    untagged = OrganisationFactory(region=code("region", "330106"))

    assert [unit_may_send(programme=programme, organisation=o) for o in (tagged, in_tagged_county, untagged)] == [
        True,
        True,
        False,
    ]


def test_an_application_from_a_unit_that_may_not_send_is_refused_and_nothing_written(world):
    world.programme.sending_units.add(world.other_unit)
    before = snapshot()

    with pytest.raises(ApplicationError) as error, translation.override("en"):
        services.application_create(actor=world.user("owner"), person=world.person, round_=world.round)

    assert (error.value.field, error.value.message) == (
        "employer",
        f"{world.unit.name_en} is not among the units that may send applicants to “{world.programme.name_en}”.",
    )
    assert snapshot() == before


def test_the_start_page_says_the_unit_may_not_send(world, login):
    world.programme.sending_units.add(world.other_unit)

    client = login(world.user("owner"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("applications:start", args=[world.round.code]))

    assert response.status_code == 200
    assert response.context["error"].startswith(f"{world.unit.name_en} is not among the units that may send")


# ---- the requested duration ---------------------------------------------------------------------------------------


def three_to_six_months(world) -> Category:
    return Category.objects.create(
        programme=world.programme, code="three-to-six", name_zh="短期", duration_min=3, duration_max=6
    )


def test_a_duration_longer_than_the_categorys_is_refused_with_the_range(world):
    category = three_to_six_months(world)
    application = ApplicationFactory(person=world.person, round=world.round, category=category)
    before = snapshot()

    with pytest.raises(ApplicationError) as error, translation.override("en"):
        services.application_update(actor=world.user("owner"), application=application, data={"requested_duration": 12})

    assert (error.value.field, error.value.message) == (
        "requested_duration",
        "The requested duration must be within the allowed range: 3–6 months.",
    )
    assert snapshot() == before


def test_a_duration_within_the_range_is_saved_and_weeks_are_compared_in_days(world):
    category = three_to_six_months(world)
    application = ApplicationFactory(person=world.person, round=world.round, category=category)

    services.application_update(actor=world.user("owner"), application=application, data={"requested_duration": 6})
    with pytest.raises(ApplicationError):
        services.application_update(
            actor=world.user("owner"), application=application, data={"requested_duration_unit": "week"}
        )

    stored = Application.objects.get(pk=application.pk)
    assert (stored.requested_duration, stored.requested_duration_unit) == (6, "month")


def test_the_form_shows_the_duration_problem_next_to_the_field_and_saves_the_rest(world, login):
    category = three_to_six_months(world)
    application = ApplicationFactory(person=world.person, round=world.round, category=category)
    client = login(world.user("owner"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(
        reverse("applications:edit", args=[application.pk]),
        {**COMPLETE_FORM, "requested_duration": "12", "action": "save"},
    )

    stored = Application.objects.get(pk=application.pk)
    assert response.status_code == 400
    assert response.context["form"].errors["requested_duration"] == [
        "The requested duration must be within the allowed range: 3–6 months."
    ]
    assert (stored.requested_duration, stored.reason) == (None, COMPLETE_FORM["reason"])


def test_the_programmes_range_applies_when_the_category_has_none(world):
    # ProgrammeFactory: 2–3 months.
    application = ApplicationFactory(person=world.person, round=world.round)

    with pytest.raises(ApplicationError) as error, translation.override("en"):
        services.application_update(actor=world.user("owner"), application=application, data={"requested_duration": 4})

    assert error.value.message == "The requested duration must be within the allowed range: 2–3 months."


# ---- the "equivalent level" switch ---------------------------------------------------------------------------------


def test_an_exception_is_refused_where_the_programme_does_not_allow_one(world):
    application = ApplicationFactory(person=world.person, round=world.round, state=S.SUBMITTED)
    before = snapshot()

    with pytest.raises(ApplicationError) as error, translation.override("en"):
        services.application_record_exception(actor=world.user("unit_admin"), application=application, note="同等水平")

    assert (error.value.field, error.value.message) == (
        "exception_note",
        "This programme does not allow exceptions for an equivalent academic or technical level.",
    )
    assert snapshot() == before


@pytest.mark.parametrize("allowed", [False, True])
def test_the_exception_box_shows_only_where_the_programme_allows_it(world, login, allowed):
    world.programme.equivalent_level_allowed = allowed
    world.programme.save(update_fields=["equivalent_level_allowed"])
    application = ApplicationFactory(person=world.person, round=world.round, state=S.SUBMITTED)

    response = login(world.user("unit_admin")).get(reverse("applications:detail", args=[application.pk]))

    assert (reverse("applications:exception", args=[application.pk]) in response.content.decode()) is allowed


# ---- rules the unit confirms --------------------------------------------------------------------------------------


def with_health_rule(world) -> str:
    EligibilityRule.objects.create(programme=world.programme, kind="health", params={}, text_en="In good health")
    return f"{world.programme.code}:health"


def submitted(world) -> Application:
    application = ApplicationFactory(person=world.person, round=world.round, **{**FILLED, "requested_duration": 2})
    return services.application_submit(actor=world.user("owner"), application=application)


def test_a_pending_rule_does_not_stop_a_submission_and_is_stored_as_pending(world):
    rule = with_health_rule(world)

    application = submitted(world)

    stored = Application.objects.get(pk=application.pk)
    assert stored.state == S.SUBMITTED
    assert (stored.eligibility_snapshot["status"], stored.eligibility_snapshot["eligible"]) == ("pending", False)
    health = next(o for o in stored.eligibility_snapshot["rules"] if o["rule"] == rule)
    assert (health["passed"], health["pending"]) == (False, True)


def test_the_unit_confirms_a_pending_rule_and_the_verdict_shows_it_passed(world):
    rule = with_health_rule(world)
    application = submitted(world)

    with translation.override("en"):
        services.application_confirm_rule(actor=world.user("unit_admin"), application=application, rule=rule)

    stored = Application.objects.get(pk=application.pk)
    assert confirmations() == [(application.pk, rule, world.user("unit_admin").pk)]
    health = next(o for o in stored.eligibility_snapshot["rules"] if o["rule"] == rule)
    assert (health["passed"], health["pending"], health["confirmed"], health["message"]) == (
        True,
        False,
        True,
        "Confirmed by the unit",
    )
    assert (stored.eligibility_snapshot["status"], stored.eligibility_snapshot["eligible"]) == ("eligible", True)
    audit = AuditEvent.objects.get(action="application.confirm_rule")
    assert (audit.actor_id, audit.data) == (world.user("unit_admin").pk, {"rule": rule})


def test_a_recommendation_waits_for_the_pending_rules_and_changes_nothing_until_then(world):
    rule = with_health_rule(world)
    application = submitted(world)
    before = (snapshot(), Application.objects.get(pk=application.pk).eligibility_snapshot)

    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        services.applications_decide(
            actor=world.user("unit_admin"), applications=[application], to=S.RECOMMENDED, opinion="同意推荐"
        )

    assert (refused.value.field, str(refused.value)) == (
        "eligibility",
        # The reason as stored with the verdict at submission (in the language of that request).
        "Confirm the conditions the unit checks before recommending: 由单位审核：In good health",
    )
    assert (snapshot(), Application.objects.get(pk=application.pk).eligibility_snapshot) == before

    services.application_confirm_rule(actor=world.user("unit_admin"), application=application, rule=rule)
    services.applications_decide(
        actor=world.user("unit_admin"),
        applications=[Application.objects.get(pk=application.pk)],
        to=S.RECOMMENDED,
        opinion="同意推荐",
    )
    assert Application.objects.get(pk=application.pk).state == S.RECOMMENDED


@pytest.mark.parametrize("role", ["owner", "commission_in", "other_unit_admin", "reviewer"])
def test_only_the_sending_unit_confirms_and_a_refusal_changes_nothing(world, role):
    rule = with_health_rule(world)
    application = submitted(world)
    before = (snapshot(), confirmations(), Application.objects.get(pk=application.pk).eligibility_snapshot)

    with pytest.raises(PermissionDenied):
        services.application_confirm_rule(actor=world.user(role), application=application, rule=rule)

    after = (snapshot(), confirmations(), Application.objects.get(pk=application.pk).eligibility_snapshot)
    assert after == before


def test_a_rule_that_is_not_pending_cannot_be_confirmed(world):
    with_health_rule(world)
    application = submitted(world)
    before = (snapshot(), confirmations())

    with pytest.raises(ApplicationError) as error, translation.override("en"):
        services.application_confirm_rule(
            actor=world.user("unit_admin"), application=application, rule=f"{world.programme.code}:max_age"
        )

    assert (error.value.field, error.value.message) == (
        "rule",
        "This condition is not waiting for the unit's confirmation.",
    )
    assert (snapshot(), confirmations()) == before


def test_the_unit_sees_pending_with_a_confirm_button_and_htmx_answers_the_panel(world, login):
    rule = with_health_rule(world)
    application = submitted(world)
    client = login(world.user("unit_admin"))
    url = reverse("applications:confirm_rule", args=[application.pk])

    page = client.get(reverse("applications:detail", args=[application.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert f'<li class="eligibility-rule pending" data-rule="{rule}">' in html
    assert f'hx-post="{url}"' in html
    applicant_html = login(world.user("owner")).get(reverse("applications:detail", args=[application.pk])).content
    assert f'data-rule="{rule}"'.encode() in applicant_html
    assert f'hx-post="{url}"'.encode() not in applicant_html

    client = login(world.user("unit_admin"))
    response = client.post(url, {"rule": rule}, headers={"HX-Request": "true"})

    panel = response.content.decode()
    assert response.status_code == 200
    assert f'<li class="eligibility-rule pass" data-rule="{rule}">' in panel
    assert f'hx-post="{url}"' not in panel
    assert confirmations() == [(application.pk, rule, world.user("unit_admin").pk)]


def test_the_confirm_view_refuses_the_applicant_and_changes_nothing(world, login):
    rule = with_health_rule(world)
    application = submitted(world)
    before = (snapshot(), confirmations())

    response = login(world.user("owner")).post(
        reverse("applications:confirm_rule", args=[application.pk]), {"rule": rule}
    )

    assert response.status_code == 403
    assert (snapshot(), confirmations()) == before


def test_a_draft_with_a_pending_rule_is_judged_with_its_confirmation(world):
    rule = with_health_rule(world)
    application = ApplicationFactory(person=world.person, round=world.round, **{**FILLED, "requested_duration": 2})

    services.application_confirm_rule(actor=world.user("unit_admin"), application=application, rule=rule)

    stored = Application.objects.get(pk=application.pk)
    assert stored.eligibility_snapshot == {}
    assert confirmations() == [(application.pk, rule, world.user("unit_admin").pk)]


# ---- the official form (PDF) ---------------------------------------------------------------------------------------


def test_the_form_prints_the_licence_the_titles_dates_and_the_language_results(world):
    person = world.person
    person.title_obtained_on = dt.date(2020, 12, 31)
    person.licence_number, person.licence_obtained_on = "110330000012345", dt.date(2012, 8, 1)
    person.save(update_fields=["title_obtained_on", "licence_number", "licence_obtained_on"])
    TitleRecord.objects.create(person=person, title=code("title", "234"), obtained_on=dt.date(2010, 12, 31))
    LanguageCertificate.objects.create(person=person, test="ielts", score="6.5", taken_on=dt.date(2024, 3, 15))
    LanguageCertificate.objects.create(person=person, test="assessment", level="B2")
    application = ApplicationFactory(person=person, round=world.round)

    html = application_form_html(application=application, actor=world.user("owner"))

    assert "2020年12月31日" in html
    assert "110330000012345，2012年8月1日取得" in html
    assert "以往：" in html
    assert "（2010年12月31日）" in html
    assert "IELTS 6.5，2024年3月15日；卫健委外语能力评估，B2" in html
    assert len(application_form_document(application=application, actor=world.user("owner")).pages) == 1


def test_the_units_list_shows_a_pending_verdict_as_pending(world, login):
    with_health_rule(world)
    submitted(world)
    client = login(world.user("unit_admin"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(reverse("applications:unit_list")).content.decode()

    assert '<span class="badge warn">Pending the unit&#x27;s check</span>' in html
    assert "Does not meet" not in html
