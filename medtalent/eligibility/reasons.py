"""The reasons the eligibility engine gives, in plain words: each a function of plain values, called only when
an `Outcome`'s message is read (in the language active then). Pure Python: no queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medtalent.catalog.enums import RuleKind
from medtalent.codes.ranks import Ranks
from medtalent.core.models import pick_language
from medtalent.eligibility.facts import CATEGORY, FAILED, PASSED, PENDING, LanguageResult, Outcome, RuleSpec
from medtalent.people.enums import LanguageTest


def _list(names: list[str]) -> str:
    return pick_language("、", ", ").join(names)


def _owner(spec: RuleSpec) -> str:
    return pick_language(spec.owner_name_zh, spec.owner_name_en) if spec.scope == CATEGORY else ""


def age_fail(spec: RuleSpec, birth: dt.date, age: int, day: dt.date, limit: int) -> str:
    values = {"birth": birth.isoformat(), "age": age, "date": day.isoformat(), "limit": limit, "owner": _owner(spec)}
    if not spec.blocking:
        # Translators: 出生于%(birth)s，截至%(date)s已满%(age)s周岁，不符合%(limit)s周岁以下的优先条件
        return _("Born on %(birth)s, aged %(age)s on %(date)s: not in the priority group of %(limit)s or younger.") % (
            values
        )
    if values["owner"]:
        # Translators: 出生于%(birth)s，截至%(date)s已满%(age)s周岁，超过%(owner)s%(limit)s周岁的上限
        return _("Born on %(birth)s, aged %(age)s on %(date)s: over the age limit of %(limit)s for %(owner)s.") % (
            values
        )
    # Translators: 出生于%(birth)s，截至%(date)s已满%(age)s周岁，超过%(limit)s周岁的上限
    return _("Born on %(birth)s, aged %(age)s on %(date)s: over the age limit of %(limit)s.") % values


def age_pass(spec: RuleSpec, birth: dt.date, age: int, day: dt.date, limit: int) -> str:
    values = {"birth": birth.isoformat(), "age": age, "date": day.isoformat(), "limit": limit, "owner": _owner(spec)}
    if not spec.blocking:
        # Translators: 出生于%(birth)s，截至%(date)s为%(age)s周岁，符合%(limit)s周岁以下的优先条件
        return _("Born on %(birth)s, aged %(age)s on %(date)s: in the priority group of %(limit)s or younger.") % (
            values
        )
    if values["owner"]:
        # Translators: 出生于%(birth)s，截至%(date)s为%(age)s周岁，未超过%(owner)s%(limit)s周岁的上限
        return _("Born on %(birth)s, aged %(age)s on %(date)s: within the age limit of %(limit)s for %(owner)s.") % (
            values
        )
    # Translators: 出生于%(birth)s，截至%(date)s为%(age)s周岁，未超过%(limit)s周岁的上限
    return _("Born on %(birth)s, aged %(age)s on %(date)s: within the age limit of %(limit)s.") % values


def age_unknown(spec: RuleSpec, limit: int) -> str:
    # Translators: 未填写出生日期，无法核对%(limit)s周岁的年龄条件
    return _("Date of birth not given: the age condition of %(limit)s cannot be checked.") % {"limit": limit}


def education_message(ranks: Ranks, have: str, need: str, passed: bool) -> str:
    values = {"have": ranks.name("education", have), "need": ranks.name("education", need)}
    if not have:
        # Translators: 未填写学历，要求%(need)s及以上
        return _("Education not given: %(need)s or above is required.") % values
    if have not in ranks.education:
        # Translators: 学历代码%(have)s不在学历代码表（GB/T 4658）中
        return _("Education code %(have)s is not in the education table (GB/T 4658).") % {"have": have}
    if passed:
        # Translators: 学历为%(have)s，达到%(need)s及以上的要求
        return _("Education: %(have)s, meets the requirement of %(need)s or above.") % values
    # Translators: 学历为%(have)s，未达到%(need)s及以上的要求
    return _("Education: %(have)s, below the requirement of %(need)s or above.") % values


SERIES_NAMES = {
    # Translators: 中文：医师
    "physician": gettext_lazy("physician"),
    # Translators: 中文：药剂
    "pharmacist": gettext_lazy("pharmacist"),
    # Translators: 中文：护理
    "nurse": gettext_lazy("nurse"),
    # Translators: 中文：技师
    "technician": gettext_lazy("technician"),
}


def _series_names(series: Iterable[str]) -> str:
    return _list([str(SERIES_NAMES.get(s, s)) for s in series])


def _required_series(ranks: Ranks, params: dict) -> tuple[str, ...]:
    """The series a title rule admits ("" : any): the listed ones for a grade, the title's own for a code."""
    if params.get("grade"):
        return tuple(params.get("series") or ())
    series = ranks.title_series(params.get("code", ""))
    return (series,) if series else ()


def _need_title(ranks: Ranks, params: dict) -> str:
    if params.get("grade"):
        grade = ranks.grade_name(params["grade"])
        if params.get("series"):
            # Translators: 中文：%(grade)s（%(series)s系列）
            return _("%(grade)s (%(series)s series)") % {"grade": grade, "series": _series_names(params["series"])}
        return grade
    return ranks.name("title", params.get("code", ""))


def _wrong_series(ranks: Ranks, params: dict, have: str) -> tuple[str, ...]:
    """The series required when `have` is a title of another series (else ())."""
    required = _required_series(ranks, params)
    if required and have in ranks.title and ranks.title_series(have) not in required:
        return required
    return ()


def title_message(ranks: Ranks, params: dict, have: str, passed: bool) -> str:
    values = {"have": ranks.name("title", have), "need": _need_title(ranks, params)}
    if passed:
        # Translators: 职称为%(have)s，达到%(need)s及以上的要求
        return _("Professional title: %(have)s, meets the requirement of %(need)s or above.") % values
    wrong_series = _wrong_series(ranks, params, have)
    if not have:
        # Translators: 未填写职称，要求%(need)s及以上职称
        message = _("No professional title given: %(need)s or above is required.") % values
    elif wrong_series:
        values["series"] = _series_names(wrong_series)
        # Translators: 中文：职称为%(have)s，不属于%(series)s系列，要求%(need)s及以上
        message = _("Professional title: %(have)s, not in the %(series)s series: %(need)s or above is required.") % (
            values
        )
    elif have not in ranks.title:
        # Translators: 职称代码%(have)s不是卫生专业技术职务（GB/T 8561）
        message = _("Title code %(have)s is not a health professional title (GB/T 8561).") % {"have": have}
    else:
        # Translators: 职称为%(have)s，未达到%(need)s及以上的要求
        message = _("Professional title: %(have)s, below the requirement of %(need)s or above.") % values
    if params.get("equivalent_allowed"):
        # Translators: 政策允许“同等学术、技术水平”，单位可记录有理由的例外
        note = _("Equivalent academic or technical level accepted: the unit may record a justified exception.")
        message = _join(message, note)
    return message


def residency_pass() -> str:
    # Translators: 已完成住院医师规范化培训
    return _("Standardised residency training completed.")


def title_or_residency_fail(ranks: Ranks, params: dict, have: str) -> str:
    values = {"have": ranks.name("title", have), "need": _need_title(ranks, params)}
    if not have:
        # Translators: 未完成住院医师规范化培训，且未填写职称（要求%(need)s及以上）
        return _("Residency training not completed and no title given (%(need)s or above is required).") % values
    wrong_series = _wrong_series(ranks, params, have)
    if wrong_series:
        values["series"] = _series_names(wrong_series)
        # Translators: 中文：未完成住院医师规范化培训，且职称%(have)s不属于%(series)s系列
        return _("Residency training not completed, and the title %(have)s is not in the %(series)s series.") % values
    # Translators: 未完成住院医师规范化培训，且职称%(have)s未达到%(need)s及以上
    return _("Residency training not completed, and the title %(have)s is below %(need)s.") % values


def management_message(have: int, need: int, passed: bool) -> str:
    values = {"have": have, "need": need}
    if passed:
        # Translators: 从事行政管理工作%(have)s年，达到%(need)s年以上的要求
        return _("%(have)s years of administrative work, meets the requirement of %(need)s or more.") % values
    # Translators: 从事行政管理工作%(have)s年，不足%(need)s年
    return _("%(have)s years of administrative work, fewer than the required %(need)s.") % values


def teaching_message(passed: bool) -> str:
    if passed:
        # Translators: 具有临床带教或医学教育管理经验
        return _("Has clinical teaching or education-management experience.")
    # Translators: 未填写临床带教或医学教育管理经验
    return _("No clinical teaching or education-management experience recorded.")


def incident_message(passed: bool) -> str:
    if passed:
        # Translators: 无严重医疗事件记录
        return _("No serious medical incident on record.")
    # Translators: 有严重医疗事件记录（经单位确认，或本人申报且单位尚未核清）
    return _("A serious medical incident is on record (confirmed, or declared and not yet cleared by the unit).")


def designation_message(ranks: Ranks, codes: tuple[str, ...], passed: bool) -> str:
    names = _list([ranks.name("designation", c) for c in codes])
    if passed:
        # Translators: 已入选：%(names)s
        return _("Holds: %(names)s.") % {"names": names}
    # Translators: 未入选：%(names)s
    return _("Holds none of: %(names)s.") % {"names": names}


def unchecked_message(spec: RuleSpec) -> str:
    text = spec.text or (RuleKind(spec.kind).label if spec.kind in RuleKind.values else spec.kind)
    # Translators: 由单位审核：%(text)s
    return _("Checked by the unit: %(text)s") % {"text": text}


def misconfigured_message(problems: list) -> str:
    # Translators: 该条件设置有误（%(problems)s），请卫健委修正
    return _("This condition is not set up correctly (%(problems)s): the commission must correct it.") % {
        "problems": "; ".join(str(p) for p in problems)
    }


RELAXED_NOTES = {
    # Translators: 该要求对三级医疗机构适当放宽
    "3": gettext_lazy("The requirement is relaxed for tertiary hospitals."),
    # Translators: 该要求对二级医疗机构适当放宽
    "2": gettext_lazy("The requirement is relaxed for secondary hospitals."),
    # Translators: 该要求对一级医疗机构适当放宽
    "1": gettext_lazy("The requirement is relaxed for primary hospitals."),
}


def _join(reason: str, note: str) -> str:
    # Translators: a reason followed by a note, e.g. "%(reason)s；%(note)s" (the Chinese messages end without 。)
    return _("%(reason)s %(note)s") % {"reason": reason, "note": note}


def relaxed_message(render: tuple[Callable[..., str], tuple], level: str) -> str:
    function, args = render
    return _join(function(*args), str(RELAXED_NOTES[level]))


def confirmed_message(spec: RuleSpec) -> str:
    text = spec.text or (RuleKind(spec.kind).label if spec.kind in RuleKind.values else spec.kind)
    # Translators: 中文：单位已确认：%(text)s
    return _("Confirmed by the unit: %(text)s") % {"text": text}


FACT_NAMES = {
    # Translators: 中文：职称
    "title": gettext_lazy("professional title"),
    # Translators: 中文：学历
    "education": gettext_lazy("education"),
    # Translators: 中文：执业证书
    "licence": gettext_lazy("practising licence"),
}


def unverified_message(render: tuple[Callable[..., str], tuple], fact: str) -> str:
    function, args = render
    # Translators: 中文：尚待单位核验%(fact)s原件
    note = _("Pending: the unit has yet to verify the %(fact)s against the original.") % {
        "fact": FACT_NAMES.get(fact, fact)
    }
    return _join(function(*args), note)


def employer_tag_message(ranks: Ranks, codes: tuple[str, ...], passed: bool) -> str:
    names = _list([ranks.name("tag", c) for c in codes])
    if passed:
        # Translators: 中文：所在单位属于：%(names)s
        return _("The employer is: %(names)s.") % {"names": names}
    # Translators: 中文：所在单位不属于：%(names)s
    return _("The employer is none of: %(names)s.") % {"names": names}


def licence_years_message(held: int | None, need: int, day: dt.date) -> str:
    values = {"have": held, "need": need, "date": day.isoformat()}
    if held is None:
        # Translators: 中文：截至%(date)s未取得执业证书（或未填写取得日期），要求取得满%(need)s年
        return _("No practising licence (or its date) on %(date)s: %(need)s full years are required.") % values
    if held >= need:
        # Translators: 中文：截至%(date)s取得执业证书满%(have)s年，达到%(need)s年的要求
        return _("Practising licence held for %(have)s full years on %(date)s: meets the requirement of %(need)s.") % (
            values
        )
    # Translators: 中文：截至%(date)s取得执业证书满%(have)s年，不足%(need)s年
    return _("Practising licence held for %(have)s full years on %(date)s: fewer than the required %(need)s.") % values


def title_years_message(ranks: Ranks, params: dict, held: int | None, day: dt.date, undated: bool) -> str:
    values = {"have": held, "need": params["years"], "title": _need_title(ranks, params), "date": day.isoformat()}
    if undated:
        # Translators: 中文：未填写现职称的取得日期，无法计算担任%(title)s及以上职称的年限
        return _(
            "The date the current title was obtained is not given: years at %(title)s or above cannot be counted."
        ) % (values)
    if held is None:
        # Translators: 中文：截至%(date)s未取得%(title)s及以上职称，要求满%(need)s年
        return _("No title of %(title)s or above held on %(date)s: %(need)s full years are required.") % values
    if held >= values["need"]:
        # Translators: 中文：截至%(date)s担任%(title)s及以上职称满%(have)s年，达到%(need)s年的要求
        return _("%(title)s or above held for %(have)s full years on %(date)s: meets the requirement of %(need)s.") % (
            values
        )
    # Translators: 中文：截至%(date)s担任%(title)s及以上职称满%(have)s年，不足%(need)s年
    return _("%(title)s or above held for %(have)s full years on %(date)s: fewer than the required %(need)s.") % values


def _test_name(test: str) -> str:
    return str(LanguageTest(test).label) if test in LanguageTest.values else test


def _language_need(params: dict) -> str:
    score, level = params.get("min_score"), params.get("min_level")
    if score not in (None, "") and level:
        # Translators: 中文：%(score)s分或%(level)s级
        return _("%(score)s or %(level)s") % {"score": score, "level": level}
    return str(score) if score not in (None, "") else str(level)


def _language_result(result: LanguageResult) -> str:
    if result.score is not None and result.level:
        return f"{result.score} ({result.level})"
    return str(result.score) if result.score is not None else result.level


def language_result_message(params: dict, result: LanguageResult | None, state: str | None, day: dt.date | None) -> str:
    values = {"test": _test_name(params["test"]), "need": _language_need(params), "years": params.get("valid_years")}
    if result is None:
        # Translators: 中文：未填写%(test)s成绩，要求%(need)s
        return _("No %(test)s result given: %(need)s is required.") % values
    values["result"] = _language_result(result)
    values["taken"] = result.taken_on.isoformat() if result.taken_on else ""
    values["date"] = day.isoformat() if day else ""
    if state == "meets":
        if result.taken_on:
            # Translators: 中文：%(test)s成绩%(result)s（%(taken)s），达到%(need)s的要求
            return _("%(test)s %(result)s (taken on %(taken)s): meets the requirement of %(need)s.") % values
        # Translators: 中文：%(test)s成绩%(result)s，达到%(need)s的要求
        return _("%(test)s %(result)s: meets the requirement of %(need)s.") % values
    if state == "below":
        # Translators: 中文：%(test)s成绩%(result)s，未达到%(need)s的要求
        return _("%(test)s %(result)s: below the requirement of %(need)s.") % values
    if state == "undated":
        # Translators: 中文：%(test)s成绩%(result)s未填写考试日期，无法核对%(years)s年的有效期
        return _(
            "%(test)s %(result)s: the date taken is not given, so its validity of %(years)s years cannot be checked."
        ) % (values)
    if result.taken_on and day and result.taken_on > day:
        # Translators: 中文：%(test)s成绩%(result)s的考试日期%(taken)s晚于核对日期%(date)s
        return _("%(test)s %(result)s was taken on %(taken)s, after the reference date %(date)s.") % values
    # Translators: 中文：%(test)s成绩%(result)s（%(taken)s）截至%(date)s已超过%(years)s年有效期
    return _("%(test)s %(result)s taken on %(taken)s is no longer valid on %(date)s (valid for %(years)s years).") % (
        values
    )


def _reasons(outcomes: Iterable[Outcome]) -> str:
    """Several reasons one after the other: joined with "；" in Chinese (its messages end without 。)."""
    return pick_language("；", " ").join(o.message for o in outcomes)


def group_message(spec: RuleSpec, state: str, outcomes: tuple[Outcome, ...]) -> str:
    """A group's reason: which alternative held, or why none did (any_of); what failed (all_of); what excluded
    the person (not); what is still pending."""
    kind = spec.kind
    if not outcomes:
        if kind == "any_of":
            # Translators: 中文：该组没有可选条件，无法满足
            return _("This group has no alternatives: it cannot be met.")
        # Translators: 中文：该组没有条件
        return _("This group has no conditions.")
    values: dict[str, Any] = {}
    if state == PENDING:
        values["reasons"] = _reasons(o for o in outcomes if o.pending)
        if kind == "any_of":
            # Translators: 中文：尚无一项可选条件已满足，待单位审核：%(reasons)s
            return _("None of the alternatives is met yet; to be checked by the unit: %(reasons)s") % values
        # Translators: 中文：待单位审核：%(reasons)s
        return _("To be checked by the unit: %(reasons)s") % values
    if kind == "all_of":
        if state == PASSED:
            values["reasons"] = _reasons(outcomes)
            # Translators: 中文：以下条件均满足：%(reasons)s
            return _("All of these are met: %(reasons)s") % values
        values["reasons"] = _reasons(o for o in outcomes if o.failed)
        # Translators: 中文：未满足：%(reasons)s
        return _("Not met: %(reasons)s") % values
    if kind == "any_of":
        if state == PASSED:
            values["reasons"] = _reasons(o for o in outcomes if o.passed)
            # Translators: 中文：满足其中一项：%(reasons)s
            return _("Met by one of the alternatives: %(reasons)s") % values
        values["reasons"] = _reasons(outcomes)
        # Translators: 中文：以下各项均未满足：%(reasons)s
        return _("None of the alternatives is met: %(reasons)s") % values
    if state == FAILED:  # not
        values["reasons"] = _reasons(o for o in outcomes if o.passed)
        # Translators: 中文：存在排除情形：%(reasons)s
        return _("Excluded: %(reasons)s") % values
    values["reasons"] = _reasons(outcomes)
    # Translators: 中文：不存在排除情形：%(reasons)s
    return _("None of the excluding conditions applies: %(reasons)s") % values


def _formatted(template: Any, values: dict[str, Any]) -> str:
    return str(template) % values


_format_lazy = lazy(_formatted, str)

UNKNOWN_CODE = {
    # Translators: 中文：学历代码%(code)s不在学历代码表（GB/T 4658）中
    "education": gettext_lazy("The education code %(code)s is not in the education table (GB/T 4658)."),
    # Translators: 中文：没有“%(code)s”这一职称等级
    "grade": gettext_lazy("There is no title grade “%(code)s”."),
    # Translators: 中文：职称代码%(code)s不是卫生专业技术职务（GB/T 8561）
    "title": gettext_lazy("The title code %(code)s is not a health professional title (GB/T 8561)."),
    # Translators: 中文：没有“%(code)s”这一外语考试
    "language_test": gettext_lazy("There is no language test “%(code)s”."),
}


def problem_unknown_code(what: str, code: str) -> str:
    """A rule names a code the tables do not have: for `misconfigured_message`, translated when read."""
    return _format_lazy(UNKNOWN_CODE[what], {"code": code})
