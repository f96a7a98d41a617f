"""The eligibility rule form of the catalogue admin: typed fields for every parameter, never raw JSON.

An administrator picks the rule's kind and fills the fields that kind reads (`KIND_FIELDS`); the form builds
`EligibilityRule.params` from those fields only (a field of another kind is ignored, a cleared field leaves its
key out), checks it with `catalog.rule_params.params_problems` (each problem on its own field) and against the
code tables and tags (a code, grade, designation or tag that does not exist is refused, naming the field).
`static/js/rule-form.js` shows only the fields of the chosen kind, with a sentence on what the kind checks; without
JavaScript every field shows and the form works the same.

A rule may sit in a group (`parent`): an all-of, any-of or none-of rule of the same programme or category, never
itself or one of its own sub-rules.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.apps import apps
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from medtalent.catalog.enums import GROUP_KINDS, RuleKind
from medtalent.catalog.models import EligibilityRule
from medtalent.catalog.rule_params import params_problems
from medtalent.codes.selectors import code_ranks
from medtalent.core.models import pick_language
from medtalent.orgs.models import Tag

K = RuleKind
# The typed fields each kind reads. `relaxed_for_levels` belongs to every kind.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    K.ALL_OF: (),
    K.ANY_OF: (),
    K.NOT: (),
    K.MAX_AGE: ("years",),
    K.MIN_EDUCATION: ("education_code", "verified"),
    K.MIN_TITLE: ("grade", "title_code", "series", "equivalent_allowed", "verified"),
    K.TITLE_OR_RESIDENCY: ("grade", "title_code", "series", "residency", "equivalent_allowed"),
    K.MIN_MANAGEMENT_YEARS: ("years",),
    K.TEACHING_EXPERIENCE: (),
    K.NO_SERIOUS_INCIDENT: (),
    K.DESIGNATION: ("designations",),
    K.LANGUAGE_RESULT: ("language_test", "min_score", "min_level", "valid_years"),
    K.LICENCE_YEARS: ("years", "verified"),
    K.TITLE_YEARS: ("grade", "title_code", "series", "years"),
    K.EMPLOYER_TAG: ("employer_tags",),
    K.LANGUAGE: (),
    K.HEALTH: (),
    K.OTHER: (),
}
COMMON_FIELDS = ("relaxed_for_levels",)
# The key of `params` each typed field fills.
FIELD_KEYS = {
    "years": "years",
    "education_code": "code",
    "title_code": "code",
    "grade": "grade",
    "series": "series",
    "equivalent_allowed": "equivalent_allowed",
    "verified": "verified",
    "residency": "residency",
    "language_test": "test",
    "min_score": "min_score",
    "min_level": "min_level",
    "valid_years": "valid_years",
    "designations": "any_of",
    "employer_tags": "any_of",
    "relaxed_for_levels": "relaxed_for_levels",
}
PARAM_FIELDS = tuple(FIELD_KEYS)
# Keys stored even when false (the kind needs the answer either way).
ALWAYS_STORED = {(K.TITLE_OR_RESIDENCY, "residency")}

# What each kind checks, shown under the kind by rule-form.js.
KIND_HELP = {
    # Translators: 中文：其下所有规则都须满足（空组视为满足）。先保存本组，再把其他规则的“所在组”设为本组。
    K.ALL_OF: _(
        "Every rule in the group must hold (an empty group holds). Save the group first, then choose it as the "
        "group of other rules."
    ),
    # Translators: 中文：其下规则满足其一即可（空组视为不满足）。先保存本组，再把其他规则的“所在组”设为本组。
    K.ANY_OF: _(
        "One rule of the group is enough (an empty group does not hold). Save the group first, then choose it as "
        "the group of other rules."
    ),
    # Translators: 中文：其下规则都不得满足。先保存本组，再把其他规则的“所在组”设为本组。
    K.NOT: _(
        "None of the rules in the group may hold. Save the group first, then choose it as the group of other rules."
    ),
    # Translators: 中文：参照日的周岁不超过所填年龄。
    K.MAX_AGE: _("The age in completed years on the reference date is at most the years given."),
    # Translators: 中文：学历不低于所选学历；可要求已由单位核验。
    K.MIN_EDUCATION: _("The education is at least the one chosen; may require it verified by the unit."),
    # Translators: 中文：职称不低于所选等级（或所选职称）；按职称选择时只接受该职称所属系列，按等级选择时只接受勾选的系列（不勾选：任何系列）。
    K.MIN_TITLE: _(
        "The title is at least the grade (or the title) chosen. A title admits only its own series; a grade admits "
        "the series ticked (none ticked: any series)."
    ),
    # Translators: 中文：职称不低于所选等级或职称，或已完成住院医师规范化培训。
    K.TITLE_OR_RESIDENCY: _("The title is at least the grade or title chosen, or residency training is completed."),
    # Translators: 中文：从事管理工作年限不少于所填年数。
    K.MIN_MANAGEMENT_YEARS: _("Years of management work are at least the years given."),
    # Translators: 中文：有临床带教或教学管理经历。
    K.TEACHING_EXPERIENCE: _("Has clinical teaching or education-management experience."),
    # Translators: 中文：无经认定（或申报且未排除）的严重医疗事故。
    K.NO_SERIOUS_INCIDENT: _("No confirmed (or declared and not cleared) serious medical incident."),
    # Translators: 中文：持有所选人才称号之一。
    K.DESIGNATION: _("Holds one of the talent designations chosen."),
    # Translators: 中文：所选考试的成绩不低于最低分数或最低等级（至少填写其一），并在有效期内。
    K.LANGUAGE_RESULT: _(
        "A result of the test chosen, at or above the minimum score or level (give at least one), still valid."
    ),
    # Translators: 中文：参照日取得执业证书已满所填年数；可要求已由单位核验。
    K.LICENCE_YEARS: _(
        "Whole years since the practising licence on the reference date are at least the years given; may require "
        "it verified."
    ),
    # Translators: 中文：取得不低于所选等级（或职称）的职称已满所填年数。
    K.TITLE_YEARS: _("Has held a title at or above the grade (or title) chosen for at least the years given."),
    # Translators: 中文：工作单位（或其所在地区）带有所选标签之一。
    K.EMPLOYER_TAG: _("The employer (or its region) carries one of the tags chosen."),
    # Translators: 中文：无法由资料判断：单位确认前显示为待定。
    K.LANGUAGE: _("Not decided by the facts: pending until the unit confirms it."),
    # Translators: 中文：无法由资料判断：单位确认前显示为待定。
    K.HEALTH: _("Not decided by the facts: pending until the unit confirms it."),
    # Translators: 中文：无法由资料判断：单位确认前显示为待定。
    K.OTHER: _("Not decided by the facts: pending until the unit confirms it."),
}

SERIES_CHOICES = [
    # Translators: 中文：医师
    ("physician", _("physician")),
    # Translators: 中文：护理
    ("nurse", _("nurse")),
    # Translators: 中文：药剂
    ("pharmacist", _("pharmacist")),
    # Translators: 中文：技师
    ("technician", _("technician")),
]
LEVEL_CHOICES = [
    # Translators: 中文：三级医院
    ("3", _("level 3 hospitals")),
    # Translators: 中文：二级医院
    ("2", _("level 2 hospitals")),
    # Translators: 中文：一级医院
    ("1", _("level 1 hospitals")),
]


def _blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "---------"), *choices]


def education_choices() -> list[tuple[str, str]]:
    ranks = code_ranks()
    return [(c, f"{c} {ranks.name('education', c)}") for c in sorted(ranks.education)]


def title_choices() -> list[tuple[str, str]]:
    ranks = code_ranks()
    return [(c, f"{c} {ranks.name('title', c)}") for c in sorted(ranks.title)]


def grade_choices() -> list[tuple[str, str]]:
    ranks = code_ranks()
    return [(g, ranks.grade_name(g)) for g in sorted(ranks.grades, key=lambda g: -ranks.grades[g])]


def designation_choices() -> list[tuple[str, str]]:
    ranks = code_ranks()
    codes = sorted(code for table, code in ranks.names if table == "designation")
    return [(c, f"{c} {ranks.name('designation', c)}") for c in codes]


def tag_choices() -> list[tuple[str, str]]:
    return [
        (code, f"{pick_language(zh, en) or code} ({code})")
        for code, zh, en in Tag.objects.order_by("code").values_list("code", "name_zh", "name_en")
    ]


def language_choices(field: str) -> list[tuple[str, Any]]:
    """The language tests (people.enums.LanguageTest) or CEFR levels, as a language result records them: read from
    the people app's model through the app registry (people lies above the catalogue)."""
    model = apps.get_model("people", "LanguageCertificate")
    choices = getattr(model._meta.get_field(field), "choices", None) or []
    return [(value, label) for value, label in choices if value]


def _unknown_message(label) -> str:
    # Translators: 中文：%(field)s：“%(value)s”不存在，请从列表中选择。
    text = gettext("%(field)s: “%(value)s” does not exist; choose one from the list.")
    # The value is filled in by the field (Django's "invalid_choice" message takes %(value)s).
    return text % {"field": label, "value": "%(value)s"}


def _unknown(label) -> dict[str, Any]:
    return {"invalid_choice": lazy(_unknown_message, str)(label)}


def _kinds_of(field: str) -> str:
    if field in COMMON_FIELDS:
        return " ".join(KIND_FIELDS)
    return " ".join(kind for kind, fields in KIND_FIELDS.items() if field in fields)


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: EligibilityRule) -> str:
        text = f" {obj.text}" if obj.text else ""
        return f"#{obj.pk} {obj.get_kind_display()}{text}"


class EligibilityRuleForm(forms.ModelForm):
    """A rule with typed parameters (see the module docstring)."""

    # Translators: 中文：年数
    years = forms.IntegerField(label=_("years"), required=False, min_value=0)
    # Translators: 中文：最低学历
    education_code = forms.ChoiceField(label=_("lowest education"), required=False)
    # Translators: 中文：最低职称等级
    grade = forms.ChoiceField(label=_("lowest title grade"), required=False)
    # Translators: 中文：或：最低职称
    title_code = forms.ChoiceField(
        # Translators: 中文：或：最低职称
        label=_("or: lowest title"),
        required=False,
        # Translators: 中文：选择一个职称时，只接受该职称所属系列（如主管护师：护理）。等级与职称只填其一。
        help_text=_("A title admits only its own series (e.g. Nurse-in-charge: nurses). Give a grade or a title."),
    )
    series = forms.MultipleChoiceField(
        # Translators: 中文：职称系列
        label=_("title series"),
        required=False,
        choices=SERIES_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        # Translators: 中文：按等级时接受的系列；不勾选：任何系列。
        help_text=_("With a grade: the series admitted; none ticked: any series."),
    )
    equivalent_allowed = forms.BooleanField(
        # Translators: 中文：允许同等水平例外
        label=_("equivalent level exception allowed"),
        required=False,
    )
    verified = forms.BooleanField(
        # Translators: 中文：须经单位核验
        label=_("must be verified by the unit"),
        required=False,
    )
    residency = forms.BooleanField(
        # Translators: 中文：或已完成住院医师规范化培训
        label=_("or residency training completed"),
        required=False,
    )
    language_test = forms.ChoiceField(
        # Translators: 中文：外语考试
        label=_("language test"),
        required=False,
    )
    min_score = forms.DecimalField(
        # Translators: 中文：最低分数
        label=_("minimum score"),
        required=False,
        min_value=Decimal(0),
        max_digits=6,
        decimal_places=2,
        # Translators: 中文：如雅思 6.0、托福 80
        help_text=_("e.g. 6.0 for IELTS, 80 for TOEFL"),
    )
    min_level = forms.ChoiceField(
        # Translators: 中文：最低等级（欧洲语言共同参考框架）
        label=_("minimum CEFR level"),
        required=False,
    )
    valid_years = forms.IntegerField(
        # Translators: 中文：成绩有效期（年）
        label=_("result valid for (years)"),
        required=False,
        min_value=1,
        # Translators: 中文：从考试日期到参照日；留空：长期有效。
        help_text=_("From the test date to the reference date; empty: no limit."),
    )
    designations = forms.MultipleChoiceField(
        # Translators: 中文：人才称号（其一）
        label=_("talent designations (any one)"),
        required=False,
    )
    employer_tags = forms.MultipleChoiceField(
        # Translators: 中文：单位标签（其一）
        label=_("employer tags (any one)"),
        required=False,
    )
    relaxed_for_levels = forms.MultipleChoiceField(
        # Translators: 中文：对以下级别医院放宽
        label=_("relaxed for"),
        required=False,
        choices=LEVEL_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        # Translators: 中文：申请人单位为所勾选级别的医院时，不满足本条也视为满足（并注明）。
        help_text=_("For an employer of a level ticked, the rule passes even when not met (and says so)."),
    )

    class Meta:
        model = EligibilityRule
        fields = ["programme", "category", "parent", "kind", "is_blocking", "sort", "text_zh", "text_en"]
        field_classes = {"parent": ParentChoiceField}

    class Media:
        js = ["js/rule-form.js"]
        css = {"all": ["css/admin-catalog.css"]}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        choices = {
            "education_code": _blank(education_choices()),
            "title_code": _blank(title_choices()),
            "grade": _blank(grade_choices()),
            "designations": designation_choices(),
            "employer_tags": tag_choices(),
            "language_test": _blank(language_choices("test")),
            "min_level": _blank(language_choices("level")),
        }
        for name, options in choices.items():
            cast(forms.ChoiceField, fields[name]).choices = options
        for name in PARAM_FIELDS:
            field = fields[name]
            field.error_messages.update(_unknown(field.label))
            field.widget.attrs["data-rule-kinds"] = _kinds_of(name)
        if "kind" in fields:
            fields["kind"].widget.attrs["data-kind-help"] = json.dumps(
                {str(kind): str(text) for kind, text in KIND_HELP.items()}, ensure_ascii=False
            )
            fields["kind"].widget.attrs["class"] = "rule-kind"
        if "parent" in fields:
            parent = cast(forms.ModelChoiceField, fields["parent"])
            qs = (parent.queryset if parent.queryset is not None else EligibilityRule.objects.none()).filter(
                kind__in=GROUP_KINDS
            )
            if self.instance.pk:
                qs = qs.exclude(pk=self.instance.pk)
            parent.queryset = qs
        if self.instance.pk and not self.is_bound:
            self.initial.update(self.initial_from_params(self.instance.kind, self.instance.params))

    @staticmethod
    def initial_from_params(kind: str, params: Any) -> dict[str, Any]:
        """The typed fields' values for a stored rule."""
        if not isinstance(params, dict):
            return {}
        initial: dict[str, Any] = {}
        for name in (*KIND_FIELDS.get(kind, ()), *COMMON_FIELDS):
            key = FIELD_KEYS[name]
            if key not in params:
                continue
            initial[name] = params[key]
        return initial

    def _owner(self, cleaned: dict[str, Any]) -> tuple[int | None, int | None]:
        """The rule's (programme id, category id): from the form, or set by the inline on the instance."""
        programme = cleaned.get("programme")
        category = cleaned.get("category")
        programme_id = programme.pk if programme is not None else self.instance.programme_id
        category_id = category.pk if category is not None else self.instance.category_id
        return programme_id, category_id

    def build_params(self, kind: str, cleaned: dict[str, Any]) -> dict[str, Any]:
        """The rule's params from the fields its kind reads; an empty field leaves its key out."""
        params: dict[str, Any] = {}
        for name in (*KIND_FIELDS.get(kind, ()), *COMMON_FIELDS):
            key = FIELD_KEYS[name]
            value = cleaned.get(name)
            if (kind, key) in ALWAYS_STORED:
                params[key] = bool(value)
            elif value in (None, "", [], False):
                continue
            elif isinstance(value, Decimal):
                params[key] = str(value)
            elif isinstance(value, (list, tuple)):
                params[key] = list(value)
            else:
                params[key] = value
        return params

    def _field_for(self, kind: str, key: str | None) -> str | None:
        if key is None:
            return None
        for name in (*KIND_FIELDS.get(kind, ()), *COMMON_FIELDS):
            if FIELD_KEYS[name] == key:
                return name
        return None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if not kind:
            return cleaned
        takes_title = {"grade", "title_code"} <= set(KIND_FIELDS.get(kind, ()))
        if takes_title and cleaned.get("grade") and cleaned.get("title_code"):
            # Translators: 中文：职称等级与职称只填其一。
            self.add_error("title_code", _("Give a title grade or a title, not both."))
            return cleaned
        params = self.build_params(kind, cleaned)
        for problem in params_problems(kind, params):
            name = self._field_for(kind, getattr(problem, "key", None))
            if name is not None and name in self.fields and name not in self.errors:
                self.add_error(name, str(problem))
            elif name is None:
                self.add_error(None, str(problem))
        self._clean_parent(kind, cleaned)
        self.instance.params = params
        return cleaned

    def _clean_parent(self, kind: str, cleaned: dict[str, Any]) -> None:
        parent = cleaned.get("parent")
        if self.instance.pk and kind not in GROUP_KINDS and self.instance.children.exists():
            # Translators: 中文：本规则下还有其他规则：先把它们移出，再改为非组合类规则。
            self.add_error("kind", _("Other rules are in this group: move them out before changing its kind."))
        if parent is None:
            return
        if parent.kind not in GROUP_KINDS:
            # Translators: 中文：所在组必须是“全部满足”“满足其一”或“均不满足”类规则。
            self.add_error("parent", _("The group must be an all-of, any-of or none-of rule."))
            return
        programme_id, category_id = self._owner(cleaned)
        if (parent.programme_id, parent.category_id) != (programme_id, category_id):
            # Translators: 中文：所在组必须属于同一项目或同一人才类别。
            self.add_error("parent", _("The group must belong to the same programme or category."))
            return
        seen: set[int] = set()
        node: EligibilityRule | None = parent
        while node is not None and node.pk not in seen:
            if self.instance.pk and node.pk == self.instance.pk:
                # Translators: 中文：规则不能放在它自己或它的下级规则之中。
                self.add_error("parent", _("A rule cannot be in itself or in one of its own sub-rules."))
                return
            seen.add(node.pk)
            node = node.parent
