"""What a rule kind's `params` must look like: checked when an administrator saves an `EligibilityRule` (the
catalogue admin) and again by the eligibility engine, which judges a misconfigured rule as such.

Pure: no queries. The kinds are `enums.RuleKind`; what each compares is described in `eligibility.engine`.
Whether a code, a grade, a tag or a language test exists is not checked here (that needs the code tables):
the engine judges a rule naming an unknown one as misconfigured, and the admin form says so before saving.

`PARAM_KEYS` lists the keys each kind accepts (any other key is a problem); `FIELD_LABELS` names each key in
plain words, for the form and the messages. A problem is a `ParamProblem(key, message)`: the message is
translated when read (lazy), so a problem found once reads correctly in Chinese and in English.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple, TypeGuard

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

# Hospital levels (the first character of the grade) a rule may be relaxed for (`relaxed_for_levels`).
LEVELS = ("3", "2", "1")
# The title series of GB/T 8561's health professionals (codes/data/title.csv, `series`), in the table's order.
TITLE_SERIES = ("physician", "pharmacist", "nurse", "technician")
# The levels of the Common European Framework of Reference, lowest first (rules compare them in this order).
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")

RELAXED = "relaxed_for_levels"
_TITLE = ("grade", "code", "series")

PARAM_KEYS: dict[str, tuple[str, ...]] = {
    "all_of": (RELAXED,),
    "any_of": (RELAXED,),
    "not": (RELAXED,),
    "max_age": ("years", RELAXED),
    "min_education": ("code", "verified", RELAXED),
    "min_title": (*_TITLE, "equivalent_allowed", "verified", RELAXED),
    "title_or_residency": (*_TITLE, "residency", "equivalent_allowed", RELAXED),
    "min_management_years": ("years", RELAXED),
    "teaching_experience": (RELAXED,),
    "no_serious_incident": (RELAXED,),
    "designation": ("any_of", RELAXED),
    "language_result": ("test", "min_score", "min_level", "valid_years", RELAXED),
    "licence_years": ("years", "verified", RELAXED),
    "title_years": (*_TITLE, "years", RELAXED),
    "employer_tag": ("any_of", RELAXED),
    "language": (RELAXED,),
    "health": (RELAXED,),
    "other": (RELAXED,),
}

FIELD_LABELS = {
    # Translators: 中文：年限
    "years": _("Years"),
    # Translators: 中文：学历或职称代码
    "code": _("Code"),
    # Translators: 中文：职称等级
    "grade": _("Title grade"),
    # Translators: 中文：职称系列
    "series": _("Title series"),
    # Translators: 中文：住院医师规范化培训可替代
    "residency": _("Completed residency training counts"),
    # Translators: 中文：允许同等学术、技术水平
    "equivalent_allowed": _("Equivalent level accepted"),
    # Translators: 中文：须经单位核验
    "verified": _("Must be verified by the unit"),
    # Translators: 中文：符合其一即可
    "any_of": _("Any of"),
    # Translators: 中文：考试
    "test": _("Language test"),
    # Translators: 中文：最低分数
    "min_score": _("Minimum score"),
    # Translators: 中文：最低等级（欧洲语言共同参考框架）
    "min_level": _("Minimum CEFR level"),
    # Translators: 中文：成绩有效期（年）
    "valid_years": _("Valid for (years)"),
    # Translators: 中文：对以下级别医疗机构放宽
    RELAXED: _("Relaxed for hospital levels"),
}


def _formatted(template: Any, values: dict[str, Any]) -> str:
    return str(template) % values if values else str(template)


_format_lazy = lazy(_formatted, str)


class ParamProblem(NamedTuple):
    """One thing wrong with a rule's parameters: the key it concerns (None: the whole) and what is wrong."""

    key: str | None
    message: str  # translated when read

    def __str__(self) -> str:
        return str(self.message)


def _problem(about: str | None, template: Any, **values: Any) -> ParamProblem:
    return ParamProblem(about, _format_lazy(template, values))


def _whole(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _codes(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(c, str) and c for c in value)


def _decimal(value: Any) -> Decimal | None:
    """A score given as "6.5" (or 6.5, 85); None when it is not a number of 0 or more."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


def _years(params: dict, key: str, problems: list[ParamProblem], *, low: int = 0) -> None:
    years = params.get(key)
    if not _whole(years) or not low <= years <= 100:
        # Translators: 中文：%(field)s须为%(low)s到100之间的整数
        template = _("%(field)s must be a whole number from %(low)s to 100.")
        problems.append(_problem(key, template, field=FIELD_LABELS[key], low=low))


def _yes_no(params: dict, problems: list[ParamProblem], *keys: str) -> None:
    for key in keys:
        if key in params and not isinstance(params[key], bool):
            # Translators: 中文：“%(field)s”须为是或否
            problems.append(_problem(key, _("“%(field)s” must be yes or no."), field=FIELD_LABELS[key]))


def _title(params: dict, problems: list[ParamProblem]) -> None:
    grade, code = params.get("grade"), params.get("code")
    if grade and code:
        # Translators: 中文：请只填写职称等级或具体职称中的一项
        problems.append(_problem("grade", _("Give either a title grade or a title, not both.")))
    elif not (isinstance(grade, str) and grade) and not (isinstance(code, str) and code):
        # Translators: 中文：请填写职称等级（如中级）或具体职称（GB/T 8561代码，如233）
        template = _("Give a title grade (e.g. intermediate) or a title (GB/T 8561, e.g. 233).")
        problems.append(_problem("grade", template))
    if "series" in params:
        series = params["series"]
        if not isinstance(series, list) or not all(s in TITLE_SERIES for s in series):
            # Translators: 中文：职称系列只能从医师、药剂、护理、技师中选择
            template = _("The title series must be chosen among physician, pharmacist, nurse and technician.")
            problems.append(_problem("series", template))
        elif series and code:
            # Translators: 中文：按具体职称设定时不再另选系列（系列即该职称的系列）
            template = _("A rule given by a title takes that title's series: leave the series empty.")
            problems.append(_problem("series", template))


def _language_result(params: dict, problems: list[ParamProblem]) -> None:
    test = params.get("test")
    if not isinstance(test, str) or not test:
        # Translators: 中文：请选择外语考试
        problems.append(_problem("test", _("Choose the language test.")))
    has_score, has_level = params.get("min_score") not in (None, ""), params.get("min_level") not in (None, "")
    if not has_score and not has_level:
        # Translators: 中文：请填写最低分数或最低等级（或两者）
        problems.append(_problem("min_score", _("Give a minimum score or a minimum level (or both).")))
    if has_score and _decimal(params["min_score"]) is None:
        # Translators: 中文：最低分数须为不小于0的数字，如6.5
        problems.append(_problem("min_score", _("The minimum score must be a number of 0 or more, e.g. 6.5.")))
    if has_level and params["min_level"] not in CEFR_LEVELS:
        # Translators: 中文：最低等级须为A1至C2中的一级
        problems.append(_problem("min_level", _("The minimum level must be one of A1, A2, B1, B2, C1, C2.")))
    if "valid_years" in params and params["valid_years"] is not None:
        _years(params, "valid_years", problems, low=1)


def _any_of(params: dict, problems: list[ParamProblem], kind: str) -> None:
    if not _codes(params.get("any_of")):
        if kind == "designation":
            # Translators: 中文：请至少选择一项人才称号
            problems.append(_problem("any_of", _("Choose at least one talent designation.")))
        else:
            # Translators: 中文：请至少选择一项单位属性
            problems.append(_problem("any_of", _("Choose at least one employer attribute.")))


def params_problems(kind: str, params: Any) -> list[ParamProblem]:
    """What is wrong with a rule's parameters (empty when usable). For the admin form and the engine.

    A kind not in `PARAM_KEYS` (one from a newer release) is judged by the engine as "checked by the unit";
    only its relaxation is checked here."""
    if not isinstance(params, dict):
        # Translators: 中文：参数格式有误
        return [_problem(None, _("The parameters are not in the expected form."))]
    problems: list[ParamProblem] = []
    accepted = PARAM_KEYS.get(kind)
    if accepted is not None:
        for key in params:
            if key not in accepted:
                # Translators: 中文：该类条件没有“%(key)s”这一参数
                problems.append(_problem(key, _("This kind of rule has no parameter “%(key)s”."), key=key))
    if kind in ("max_age", "min_management_years", "licence_years", "title_years"):
        _years(params, "years", problems)
    if kind == "min_education" and not (isinstance(params.get("code"), str) and params["code"]):
        # Translators: 中文：请选择最低学历（GB/T 4658学历代码，如21）
        problems.append(_problem("code", _("Choose the minimum education (GB/T 4658, e.g. 21).")))
    if kind in ("min_title", "title_or_residency", "title_years"):
        _title(params, problems)
    if kind in ("designation", "employer_tag"):
        _any_of(params, problems, kind)
    if kind == "language_result":
        _language_result(params, problems)
    _yes_no(params, problems, "residency", "equivalent_allowed", "verified")
    levels = params.get(RELAXED, [])
    if not isinstance(levels, list) or not set(levels) <= set(LEVELS):
        # Translators: 中文：放宽的医疗机构级别只能从三级、二级、一级中选择
        template = _("The hospital levels to relax for must be chosen among 3, 2 and 1.")
        problems.append(_problem(RELAXED, template))
    return problems
