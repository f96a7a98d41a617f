"""Commission staff set up cost shares, clawback rules and grading scales in the administration pages, for the
programmes they manage only; the pages say in plain words what is wrong."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.catalog.models import Category, Programme
from medtalent.core.models import AuditEvent
from medtalent.policy.models import ClawbackRule, CostShare, CostShareRule, GradeLevel, GradingScale
from tests.helpers import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_browser")]


@pytest.fixture
def wenzhou_admin():
    return make_user(Role.COMMISSION_ADMIN, "wz-hc", is_staff=True)


@pytest.fixture
def guangxi_admin():
    return make_user(Role.COMMISSION_ADMIN, "gx-hc", is_staff=True)


@pytest.fixture
def wenzhou():
    return Programme.objects.get(code="wz-bysh")


@pytest.fixture
def leaders(wenzhou):
    return wenzhou.categories.order_by("sort", "code").first()


@pytest.fixture
def seed_rule(wenzhou):
    return CostShareRule.objects.get(programme=wenzhou, category=None, year=None)


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def share_rows(*rows: dict) -> dict:
    data = management("shares", len(rows))
    for index, row in enumerate(rows):
        values = {"payer": "", "ratio": "", "cap": "", "cap_per": "person", "excess_payer": "", "sort": index}
        values.update(row)
        data.update({f"shares-{index}-{key}": value for key, value in values.items()})
    return data


def rule_form(programme, category=None, year="", **extra) -> dict:
    return {
        "programme": programme.pk,
        "category": category.pk if category else "",
        "year": year,
        "rounding": "yuan",
        "note_zh": "",
        "note_en": "",
        **extra,
    }


ADD_RULE = reverse("admin:policy_costsharerule_add")


def errors_of(response) -> list[str]:
    """Every error the admin page shows: the form's, the inline formsets' (non-form and per row)."""
    found = []
    form = response.context["adminform"].form
    for messages in form.errors.values():
        found.extend(messages)
    for inline in response.context["inline_admin_formsets"]:
        found.extend(inline.formset.non_form_errors())
        for row_errors in inline.formset.errors:
            for messages in row_errors.values():
                found.extend(messages)
    return found


def test_a_commission_admin_adds_a_capped_rule_for_a_category_and_year(client, wenzhou_admin, wenzhou, leaders):
    client.force_login(wenzhou_admin)
    data = rule_form(wenzhou, leaders, 2026) | share_rows(
        {"payer": "foundation", "ratio": "50", "cap": "10000", "cap_per": "month", "excess_payer": "sending_unit"},
        {"payer": "sending_unit", "ratio": "40"},
        {"payer": "individual", "ratio": "10"},
    )
    response = client.post(ADD_RULE, data)
    assert response.status_code == 302, errors_of(response)
    rule = CostShareRule.objects.get(programme=wenzhou, category=leaders, year=2026)
    assert [(s.payer, str(s.ratio), s.cap and str(s.cap), s.cap_per, s.excess_payer) for s in rule.shares.all()] == [
        ("foundation", "50.00", "10000.00", "month", "sending_unit"),
        ("sending_unit", "40.00", None, "person", ""),
        ("individual", "10.00", None, "person", ""),
    ]
    events = AuditEvent.objects.filter(actor=wenzhou_admin).exclude(action__startswith="user.").order_by("pk")
    assert [e.action for e in events] == [
        "costsharerule.create",
        "costshare.create",
        "costshare.create",
        "costshare.create",
    ]
    assert {e.region_code for e in events} == {wenzhou.audit_region_code()}


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        (
            [{"payer": "foundation", "ratio": "50"}, {"payer": "individual", "ratio": "40"}],
            "The ratios add up to 90 %; together they must make 100 %.",
        ),
        (
            [{"payer": "foundation", "ratio": "60", "cap": "1000"}, {"payer": "individual", "ratio": "40"}],
            "A capped share needs the payer who pays above the cap.",
        ),
        (
            [
                {"payer": "foundation", "ratio": "60", "cap": "1000", "excess_payer": "foundation"},
                {"payer": "individual", "ratio": "40"},
            ],
            "Above the cap, another payer pays: not the capped payer itself.",
        ),
        ([], "Give at least one payer and their ratio."),
    ],
)
def test_a_rule_that_cannot_split_is_refused_in_plain_words(client, wenzhou_admin, wenzhou, shares, message):
    client.force_login(wenzhou_admin)
    before = CostShareRule.objects.count(), CostShare.objects.count()
    response = client.post(ADD_RULE, rule_form(wenzhou, year=2027) | share_rows(*shares))
    assert response.status_code == 200
    assert message in errors_of(response)
    assert (CostShareRule.objects.count(), CostShare.objects.count()) == before


def test_a_second_rule_for_the_same_scope_and_a_category_of_another_programme_are_refused(
    client, wenzhou_admin, wenzhou
):
    client.force_login(wenzhou_admin)
    shares = share_rows({"payer": "foundation", "ratio": "100"})
    response = client.post(ADD_RULE, rule_form(wenzhou) | shares)
    assert errors_of(response) == [
        "This programme already has a cost-share rule for this category and year: change that one."
    ]
    foreign = Category.objects.create(
        programme=Programme.objects.get(code="gx-excellent-young"), code="gx-x", name_zh="类"
    )
    response = client.post(ADD_RULE, rule_form(wenzhou, foreign, 2030) | shares)
    assert response.status_code == 200
    assert errors_of(response) == ["Select a valid choice. That choice is not one of the available choices."]
    assert CostShareRule.objects.filter(programme=wenzhou).count() == 1


def test_a_category_of_another_programme_the_admin_manages_is_refused(client, wenzhou_admin, wenzhou):
    own = Programme.objects.create(
        code="wz-other", name_zh="另一个项目", owner=wenzhou.owner, programme_type="talent_track"
    )
    category = Category.objects.create(programme=own, code="wz-other-a", name_zh="甲类")
    client.force_login(wenzhou_admin)
    response = client.post(
        ADD_RULE, rule_form(wenzhou, category, 2030) | share_rows({"payer": "foundation", "ratio": "100"})
    )
    assert response.status_code == 200
    assert errors_of(response) == [
        f"The category “甲类” is not one of the programme “{wenzhou.name_en}”: choose one of its categories, or none."
    ]
    assert not CostShareRule.objects.filter(year=2030).exists()


def test_the_category_select_lists_only_the_rules_programme_categories(client, wenzhou_admin, seed_rule, wenzhou):
    client.force_login(wenzhou_admin)
    response = client.get(reverse("admin:policy_costsharerule_change", args=[seed_rule.pk]))
    assert response.status_code == 200
    queryset = response.context["adminform"].form.fields["category"].queryset
    assert set(queryset) == set(wenzhou.categories.all())


def test_a_commission_admin_of_another_jurisdiction_cannot_see_or_change_a_rule(client, guangxi_admin, seed_rule):
    client.force_login(guangxi_admin)
    changelist = client.get(reverse("admin:policy_costsharerule_changelist"))
    assert list(changelist.context["cl"].result_list) == []
    url = reverse("admin:policy_costsharerule_change", args=[seed_rule.pk])
    assert client.get(url).status_code == 302  # the admin's index: the row is not in their queryset
    data = rule_form(seed_rule.programme) | share_rows({"payer": "individual", "ratio": "100"})
    assert client.post(url, data).status_code == 302
    delete = reverse("admin:policy_costsharerule_delete", args=[seed_rule.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    seed_rule.refresh_from_db()
    assert seed_rule.rounding == "cent"
    assert [(s.payer, str(s.ratio)) for s in seed_rule.shares.all()] == [
        ("foundation", "50.00"),
        ("sending_unit", "40.00"),
        ("individual", "10.00"),
    ]
    assert not AuditEvent.objects.filter(actor=guangxi_admin).exclude(action__startswith="user.").exists()


def test_a_commission_admin_cannot_add_a_rule_to_another_jurisdictions_programme(client, guangxi_admin, wenzhou):
    client.force_login(guangxi_admin)
    before = CostShareRule.objects.count()
    response = client.post(
        ADD_RULE, rule_form(wenzhou, year=2030) | share_rows({"payer": "foundation", "ratio": "100"})
    )
    assert response.status_code == 200
    assert "programme" in response.context["adminform"].form.errors
    assert CostShareRule.objects.count() == before


def test_a_fixed_percentage_refund_needs_its_percentage(client, wenzhou_admin, wenzhou):
    client.force_login(wenzhou_admin)
    url = reverse("admin:policy_clawbackrule_add")
    data = {
        "programme": wenzhou.pk,
        "category": "",
        "trigger": "failing_grade",
        "payer": "foundation",
        "method": "percentage",
        "percentage": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["percentage"] == [
        "A fixed-percentage refund needs its percentage (0 to 100)."
    ]
    assert not ClawbackRule.objects.filter(trigger="failing_grade").exists()
    response = client.post(url, data | {"percentage": "30"})
    assert response.status_code == 302
    rule = ClawbackRule.objects.get(trigger="failing_grade")
    assert (rule.method, str(rule.percentage)) == ("percentage", "30.00")
    assert AuditEvent.objects.get(actor=wenzhou_admin, action="clawbackrule.create").object_id == str(rule.pk)


def test_a_second_clawback_for_the_same_trigger_and_payer_is_refused(client, wenzhou_admin, wenzhou):
    client.force_login(wenzhou_admin)
    data = {"programme": wenzhou.pk, "category": "", "trigger": "left_early", "payer": "foundation", "method": "full"}
    response = client.post(reverse("admin:policy_clawbackrule_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["category"] == [
        "This trigger already refunds that payer's share for this category: change that rule."
    ]


def scale_form(programme, *levels: dict) -> dict:
    data = {"programme": programme.pk, "category": "", "name_zh": "考核", "name_en": ""} | management(
        "levels", len(levels)
    )
    for index, level in enumerate(levels):
        values = {"code": "", "name_zh": "", "name_en": "", "sort": index} | level
        data.update({f"levels-{index}-{key}": value for key, value in values.items() if value is not False})
    return data


FOUR_LEVELS = (
    {"code": "excellent", "name_zh": "优秀", "passes": "on", "certificate": "on"},
    {"code": "good", "name_zh": "良好", "passes": "on", "certificate": "on"},
    {"code": "pass", "name_zh": "合格", "passes": "on"},
    {"code": "fail", "name_zh": "不合格", "triggers_clawback": "on"},
)


def test_a_four_level_scale_is_added(client, wenzhou_admin, wenzhou):
    client.force_login(wenzhou_admin)
    response = client.post(reverse("admin:policy_gradingscale_add"), scale_form(wenzhou, *FOUR_LEVELS))
    assert response.status_code == 302, errors_of(response)
    scale = GradingScale.objects.get(programme=wenzhou)
    assert [(lv.code, lv.passes, lv.certificate, lv.triggers_clawback) for lv in scale.levels.all()] == [
        ("excellent", True, True, False),
        ("good", True, True, False),
        ("pass", True, False, False),
        ("fail", False, False, True),
    ]


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        (({"code": "fail", "name_zh": "不合格"},), "At least one level must pass."),
        (
            ({"code": "pass", "name_zh": "合格", "passes": "on"}, {"code": "pass", "name_zh": "通过", "passes": "on"}),
            "Two levels have the same code: pass.",
        ),
    ],
)
def test_a_scale_nobody_passes_or_with_a_code_twice_is_refused(client, wenzhou_admin, wenzhou, levels, message):
    client.force_login(wenzhou_admin)
    response = client.post(reverse("admin:policy_gradingscale_add"), scale_form(wenzhou, *levels))
    assert response.status_code == 200
    assert message in errors_of(response)
    assert not GradingScale.objects.filter(programme=wenzhou).exists()


def test_a_commission_admin_of_another_jurisdiction_cannot_change_a_grading_scale(client, wenzhou_admin):
    scale = GradingScale.objects.get(programme__code="gx-excellent-young")
    client.force_login(wenzhou_admin)
    assert list(client.get(reverse("admin:policy_gradingscale_changelist")).context["cl"].result_list) == []
    url = reverse("admin:policy_gradingscale_change", args=[scale.pk])
    data = scale_form(scale.programme, {"code": "all", "name_zh": "全部", "passes": "on"})
    assert client.post(url, data).status_code == 302
    assert client.post(reverse("admin:policy_gradingscale_delete", args=[scale.pk]), {"post": "yes"}).status_code == 302
    scale.refresh_from_db()
    assert scale.name_zh == "进修培养考核结果"
    assert list(GradeLevel.objects.filter(scale=scale).values_list("code", flat=True)) == ["excellent", "pass", "fail"]
    assert not AuditEvent.objects.filter(actor=wenzhou_admin).exclude(action__startswith="user.").exists()


def test_deleting_a_rule_is_audited(client, wenzhou_admin, seed_rule):
    client.force_login(wenzhou_admin)
    response = client.post(reverse("admin:policy_costsharerule_delete", args=[seed_rule.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not CostShareRule.objects.filter(pk=seed_rule.pk).exists()
    event = AuditEvent.objects.get(actor=wenzhou_admin, action="costsharerule.delete")
    assert event.object_id == str(seed_rule.pk)
