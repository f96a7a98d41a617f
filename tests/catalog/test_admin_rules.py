"""The eligibility rule form of the catalogue admin: typed fields, never JSON (issue 12).

Messages are compared with the catalogue's own rendering under `translation.override("zh-hans")`, so the tests hold
before and after `make translations` fills the Chinese of the new messages.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from medtalent.accounts.enums import Role
from medtalent.catalog.admin_rules import COMMON_FIELDS, FIELD_KEYS, KIND_FIELDS, EligibilityRuleForm
from medtalent.catalog.enums import RuleKind
from medtalent.catalog.models import Category, EligibilityRule
from medtalent.catalog.rule_params import PARAM_KEYS
from medtalent.core.models import AuditEvent
from medtalent.orgs.models import Tag
from tests.factories import CommissionFactory, ProgrammeFactory, RoleFactory, code
from tests.helpers import LOGIN_TRAIL

pytestmark = pytest.mark.django_db


@pytest.fixture
def commission():
    return CommissionFactory(region=code("region", "330400"))


@pytest.fixture
def commission_admin(commission):
    user = RoleFactory(role=Role.COMMISSION_ADMIN, organisation=commission).user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def category(commission):
    programme = ProgrammeFactory(owner=commission)
    return Category.objects.create(programme=programme, code="test-rules-cat", name_zh="测试类别")


def _form(programme, kind, **fields):
    data = {"programme": programme.pk, "kind": kind, "is_blocking": True, "sort": 0, **fields}
    return EligibilityRuleForm(data=data)


def _unknown(label_msgid: str, value: str) -> str:
    """The form's message for a value the list does not hold, as rendered in Chinese."""
    with translation.override("zh-hans"):
        return gettext("%(field)s: “%(value)s” does not exist; choose one from the list.") % {
            "field": gettext(label_msgid),
            "value": value,
        }


def test_the_form_covers_every_parameter_of_every_kind():
    assert set(KIND_FIELDS) == set(RuleKind.values)
    for kind, fields in KIND_FIELDS.items():
        assert {FIELD_KEYS[f] for f in (*fields, *COMMON_FIELDS)} == set(PARAM_KEYS[kind]), kind


def test_params_are_built_from_the_fields_of_the_kind_only():
    programme = ProgrammeFactory()
    form = _form(programme, "max_age", years=55, education_code="21", designations=["D01"])
    assert form.is_valid(), form.errors
    rule = form.save()
    assert rule.params == {"years": 55}


@pytest.mark.parametrize(
    ("kind", "fields", "params"),
    [
        ("min_education", {"education_code": "21", "verified": "on"}, {"code": "21", "verified": True}),
        (
            "min_title",
            {"grade": "intermediate", "series": ["physician", "nurse"], "relaxed_for_levels": ["2", "1"]},
            {"grade": "intermediate", "series": ["physician", "nurse"], "relaxed_for_levels": ["2", "1"]},
        ),
        ("min_title", {"title_code": "253"}, {"code": "253"}),
        ("title_or_residency", {"grade": "intermediate"}, {"grade": "intermediate", "residency": False}),
        (
            "title_or_residency",
            {"grade": "intermediate", "residency": "on"},
            {"grade": "intermediate", "residency": True},
        ),
        (
            "language_result",
            {"language_test": "ielts", "min_score": "6.0", "valid_years": 2},
            {"test": "ielts", "min_score": "6.0", "valid_years": 2},
        ),
        (
            "language_result",
            {"language_test": "assessment", "min_level": "B2"},
            {"test": "assessment", "min_level": "B2"},
        ),
        ("licence_years", {"years": 3, "verified": "on"}, {"years": 3, "verified": True}),
        ("title_years", {"title_code": "232", "years": 5}, {"code": "232", "years": 5}),
        ("designation", {"designations": ["D01", "D02"]}, {"any_of": ["D01", "D02"]}),
        ("teaching_experience", {"years": ""}, {}),
        ("any_of", {}, {}),
        ("health", {}, {}),
    ],
)
def test_typed_fields_give_the_params(kind, fields, params):
    form = _form(ProgrammeFactory(), kind, **fields)
    assert form.is_valid(), form.errors
    assert form.save().params == params


def test_employer_tags_are_chosen_among_the_tags():
    Tag.objects.create(code="mountain-island", name_zh="山区海岛县")
    form = _form(ProgrammeFactory(), "employer_tag", employer_tags=["mountain-island"])
    assert form.is_valid(), form.errors
    assert form.save().params == {"any_of": ["mountain-island"]}


@pytest.mark.parametrize(
    ("kind", "fields", "field", "label", "value"),
    [
        ("min_education", {"education_code": "2l"}, "education_code", "lowest education", "2l"),
        ("min_title", {"grade": "attending"}, "grade", "lowest title grade", "attending"),
        ("min_title", {"title_code": "999"}, "title_code", "or: lowest title", "999"),
        ("designation", {"designations": ["D99"]}, "designations", "talent designations (any one)", "D99"),
        ("employer_tag", {"employer_tags": ["no-such-tag"]}, "employer_tags", "employer tags (any one)", "no-such-tag"),
    ],
)
def test_a_code_that_does_not_exist_is_refused_naming_the_field(kind, fields, field, label, value):
    programme = ProgrammeFactory()
    with translation.override("zh-hans"):
        form = _form(programme, kind, **fields)
        assert not form.is_valid()
        assert form.errors[field] == [_unknown(label, value)]
    assert not EligibilityRule.objects.filter(programme=programme).exists()


def test_a_missing_parameter_is_reported_on_its_field_in_the_pages_language():
    with translation.override("zh-hans"):
        form = _form(ProgrammeFactory(), "min_education")
        assert not form.is_valid()
        assert form.errors["education_code"] == [gettext("Choose the minimum education (GB/T 4658, e.g. 21).")]


def test_a_grade_and_a_title_together_are_refused():
    form = _form(ProgrammeFactory(), "min_title", grade="intermediate", title_code="233")
    assert not form.is_valid()
    assert list(form.errors) == ["title_code"]


def test_a_language_rule_needs_a_score_or_a_level():
    form = _form(ProgrammeFactory(), "language_result", language_test="ielts")
    assert not form.is_valid()
    assert set(form.errors) <= {"min_score", "min_level", "__all__"}
    assert form.errors


def test_a_stored_rule_shows_its_params_in_the_typed_fields():
    programme = ProgrammeFactory()
    rule = EligibilityRule.objects.create(
        programme=programme,
        kind="min_title",
        params={"grade": "intermediate", "series": ["nurse"], "relaxed_for_levels": ["2"], "verified": True},
    )
    form = EligibilityRuleForm(instance=rule)
    assert {k: form.initial[k] for k in ("grade", "series", "relaxed_for_levels", "verified")} == {
        "grade": "intermediate",
        "series": ["nurse"],
        "relaxed_for_levels": ["2"],
        "verified": True,
    }
    language = EligibilityRule.objects.create(
        programme=programme, kind="language_result", params={"test": "toefl", "min_score": "80"}
    )
    form = EligibilityRuleForm(instance=language)
    assert (form.initial["language_test"], form.initial["min_score"]) == ("toefl", "80")


def test_clearing_a_parameter_keeps_an_empty_object_never_null():
    programme = ProgrammeFactory()
    rule = EligibilityRule.objects.create(programme=programme, kind="teaching_experience", params={"years": 3})
    form = EligibilityRuleForm(
        data={"programme": programme.pk, "kind": "teaching_experience", "is_blocking": True, "sort": 0}, instance=rule
    )
    assert form.is_valid(), form.errors
    form.save()
    rule.refresh_from_db()
    assert rule.params == {}


# ---- Groups ----------------------------------------------------------------------------------------------------


def test_a_rule_joins_a_group_of_the_same_owner():
    programme = ProgrammeFactory()
    group = EligibilityRule.objects.create(programme=programme, kind="any_of")
    form = _form(programme, "max_age", years=40, parent=group.pk)
    assert form.is_valid(), form.errors
    assert form.save().parent == group


def test_the_group_must_be_a_group_rule():
    programme = ProgrammeFactory()
    plain = EligibilityRule.objects.create(programme=programme, kind="max_age", params={"years": 50})
    form = _form(programme, "max_age", years=40, parent=plain.pk)
    assert not form.is_valid()
    assert list(form.errors) == ["parent"]


def test_the_group_must_belong_to_the_same_programme():
    group = EligibilityRule.objects.create(programme=ProgrammeFactory(), kind="all_of")
    form = _form(ProgrammeFactory(), "max_age", years=40, parent=group.pk)
    assert not form.is_valid()
    assert list(form.errors) == ["parent"]


def test_a_group_cannot_sit_in_its_own_sub_group():
    programme = ProgrammeFactory()
    outer = EligibilityRule.objects.create(programme=programme, kind="any_of")
    inner = EligibilityRule.objects.create(programme=programme, kind="all_of", parent=outer)
    data = {"programme": programme.pk, "kind": "any_of", "is_blocking": True, "sort": 0, "parent": inner.pk}
    form = EligibilityRuleForm(data=data, instance=outer)
    assert not form.is_valid()
    assert list(form.errors) == ["parent"]
    outer.refresh_from_db()
    assert outer.parent is None


def test_a_group_holding_rules_keeps_a_group_kind():
    programme = ProgrammeFactory()
    group = EligibilityRule.objects.create(programme=programme, kind="any_of")
    EligibilityRule.objects.create(programme=programme, kind="health", parent=group)
    data = {"programme": programme.pk, "kind": "max_age", "years": 50, "is_blocking": True, "sort": 0}
    form = EligibilityRuleForm(data=data, instance=group)
    assert not form.is_valid()
    assert list(form.errors) == ["kind"]


# ---- Through the category page ------------------------------------------------------------------------------------


def _category_data(category, rules: list[dict], initial: int = 0) -> dict:
    data = {
        "programme": category.programme_id,
        "code": category.code,
        "name_zh": category.name_zh,
        "duration_unit": "month",
        "sort": 0,
        "report_due_unit": "months",
        "progress_every_unit": "weeks",
        "rules-TOTAL_FORMS": len(rules),
        "rules-INITIAL_FORMS": initial,
    }
    for n, rule in enumerate(rules):
        data.update({f"rules-{n}-{k}": v for k, v in {"is_blocking": "on", "sort": n, **rule}.items()})
    return data


def test_the_category_page_shows_typed_parameter_fields(client, commission_admin, category):
    EligibilityRule.objects.create(category=category, kind="max_age", params={"years": 45})
    client.force_login(commission_admin)
    response = client.get(reverse("admin:catalog_category_change", args=[category.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("years", "education_code", "grade", "title_code", "series", "language_test", "employer_tags"):
        assert f'id="id_rules-0-{name}' in html
    assert 'name="rules-0-params"' not in html
    assert 'id="id_rules-0-years" value="45"' in html or 'value="45"' in html
    assert "js/rule-form.js" in html
    assert "css/admin-catalog.css" in html


def test_a_rule_tree_is_set_up_through_the_category_page(client, commission_admin, category):
    client.force_login(commission_admin)
    url = reverse("admin:catalog_category_change", args=[category.pk])
    response = client.post(url, _category_data(category, [{"kind": "any_of"}]))
    assert response.status_code == 302
    group = EligibilityRule.objects.get(category=category)
    data = _category_data(
        category,
        [
            {"id": group.pk, "category": category.pk, "kind": "any_of"},
            {"kind": "language_result", "parent": group.pk, "language_test": "ielts", "min_score": "6.0"},
            {"kind": "language_result", "parent": group.pk, "language_test": "toefl", "min_score": "80"},
        ],
        initial=1,
    )
    response = client.post(url, data)
    assert response.status_code == 302
    children = EligibilityRule.objects.filter(parent=group).order_by("sort")
    assert [c.params for c in children] == [{"test": "ielts", "min_score": "6.0"}, {"test": "toefl", "min_score": "80"}]
    assert AuditEvent.objects.filter(actor=commission_admin, action="eligibilityrule.create").count() == 3


def test_a_cleared_parameter_on_the_page_is_an_error_not_a_server_error(client, commission_admin, category):
    client.force_login(commission_admin)
    url = reverse("admin:catalog_category_change", args=[category.pk])
    with translation.override("zh-hans"):
        response = client.post(url, _category_data(category, [{"kind": "max_age", "years": ""}]))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert list(errors) == ["years"]
    assert not EligibilityRule.objects.filter(category=category).exists()


def test_a_code_typo_on_the_page_is_refused_and_nothing_saved(client, commission_admin, category):
    client.force_login(commission_admin)
    url = reverse("admin:catalog_category_change", args=[category.pk])
    with translation.override("zh-hans"):
        response = client.post(url, _category_data(category, [{"kind": "min_education", "education_code": "2l"}]))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert errors["education_code"] == [_unknown("lowest education", "2l")]
    assert not EligibilityRule.objects.filter(category=category).exists()
    assert not AuditEvent.objects.filter(actor=commission_admin).exclude(action__in=LOGIN_TRAIL).exists()


def test_a_group_of_another_category_is_not_offered(client, commission_admin, category):
    other = Category.objects.create(programme=category.programme, code="test-rules-other", name_zh="另一类别")
    foreign_group = EligibilityRule.objects.create(category=other, kind="any_of")
    client.force_login(commission_admin)
    url = reverse("admin:catalog_category_change", args=[category.pk])
    response = client.post(url, _category_data(category, [{"kind": "health", "parent": foreign_group.pk}]))
    assert response.status_code == 200
    assert list(response.context["inline_admin_formsets"][0].formset.forms[0].errors) == ["parent"]
    assert not EligibilityRule.objects.filter(category=category).exists()
