"""The reasons the eligibility engine gives, in plain words: each a function of plain values, called only when
an `Outcome`'s message is read (in the language active then). Pure Python: no queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medtalent.catalog.enums import RuleKind
from medtalent.codes.ranks import Ranks
from medtalent.core.models import pick_language
from medtalent.eligibility.facts import CATEGORY, RuleSpec


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


def _need_title(ranks: Ranks, params: dict) -> str:
    if params.get("grade"):
        return ranks.grade_name(params["grade"])
    return ranks.name("title", params.get("code", ""))


def title_message(ranks: Ranks, params: dict, have: str, passed: bool) -> str:
    values = {"have": ranks.name("title", have), "need": _need_title(ranks, params)}
    if passed:
        # Translators: 职称为%(have)s，达到%(need)s及以上的要求
        return _("Professional title: %(have)s, meets the requirement of %(need)s or above.") % values
    if not have:
        # Translators: 未填写职称，要求%(need)s及以上职称
        message = _("No professional title given: %(need)s or above is required.") % values
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


def misconfigured_message(problems: list[str]) -> str:
    # Translators: 该条件设置有误（%(problems)s），请卫健委修正
    return _("This condition is not set up correctly (%(problems)s): the commission must correct it.") % {
        "problems": "; ".join(problems)
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
