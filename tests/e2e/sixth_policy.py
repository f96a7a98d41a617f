"""The sixth policy (invented, not a seed): 海州市医学人才海外研修计划, as the data a commission administrator types
into the admin pages (tests/e2e/test_sixth_policy_browser.py), and the helpers that fill Django admin forms."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

OWNER = "浙江省卫生健康委员会"  # the demo commission administrator ("commission") manages it
PROGRAMME = "hz-overseas-2027"
ROUND = "hz-overseas-2027-r1"

# Tags: mountain-island on a county (景宁: so 景宁县人民医院 has it) and on one hospital (浙江省人民医院); hz-county on
# a city (丽水市), for the units that may send applicants.
MOUNTAIN = ("mountain-island", "山区海岛县", "Mountain or island county")
HZ_COUNTY = ("hz-county", "海州市属县", "Haizhou county")
MOUNTAIN_REGION_CODE = "331127"  # 景宁畲族自治县
MOUNTAIN_HOSPITAL, MOUNTAIN_HOSPITAL_CODE = "浙江省人民医院", "zj-peoples-hospital"
HZ_COUNTY_REGION_CODE = "331100"  # 丽水市
LISTED_UNIT, LISTED_UNIT_CODE = "浙江大学医学院附属第一医院", "zju-first-hospital"

# code, Chinese name, English name, minimum and maximum duration in months
CATEGORIES = [
    ("hz-senior", "高级访问学者", "Senior visiting scholar", 3, 6),
    ("hz-young", "青年骨干", "Young core staff", 6, 12),
    ("hz-nurse", "护理骨干", "Nursing core staff", 1, 3),
]

# Days off and make-up working days of 2027 around National Day, entered by the administrator as a local
# arrangement (the shipped calendar covers 2024–2026): (date, kind, Chinese name).
CALENDAR_2027 = [
    *((f"2027-10-0{d}", "holiday", "国庆节") for d in range(1, 8)),
    ("2027-09-26", "workday", "国庆节"),
    ("2027-10-09", "workday", "国庆节"),
]

AS_OF = "2027-03-31"  # the round's reference date

# POST /api/v1/funding/split {hz-senior, 2027, 120,000.00 over 6 months}: the foundation's 60 % (72,000) is above
# its cap of 8,000 a month (48,000): the 24,000 above goes to the sending unit.
SPLIT = {
    "shares": [
        {"payer": "foundation", "ratio": "60.00", "amount": "48000.00"},
        {"payer": "city_finance", "ratio": "30.00", "amount": "36000.00"},
        {"payer": "individual", "ratio": "10.00", "amount": "12000.00"},
        {"payer": "sending_unit", "ratio": "0.00", "amount": "24000.00"},
    ],
    "excess": "24000.00",
}
# The category page's preview of hz-senior for a 50-year-old with TOEFL 85 of June 2026: (title, verdict, rows
# shown: rule id, depth, status). Rule ids: CONTRACT.md (children numbered by their place in the category's list).
PREVIEWS = [
    (
        "232",
        "eligible",
        [
            ["hz-senior:max_age", "0", "passed"],
            ["hz-senior:min_title", "0", "passed"],
            ["hz-senior:any_of", "0", "passed"],
            ["hz-senior:language_result:4", "1", "failed"],
            ["hz-senior:language_result:5", "1", "passed"],
            ["hz-senior:language_result:6", "1", "failed"],
        ],
    ),
    (
        "252",
        "ineligible",
        [
            ["hz-senior:max_age", "0", "passed"],
            ["hz-senior:min_title", "0", "failed"],
            ["hz-senior:any_of", "0", "passed"],
            ["hz-senior:language_result:4", "1", "failed"],
            ["hz-senior:language_result:5", "1", "passed"],
            ["hz-senior:language_result:6", "1", "failed"],
        ],
    ),
]
# POST /api/v1/deadlines: (request, due date), on the calendar as shipped (2024–2026) …
DEADLINES = [
    # 15 working days from 25 September 2026: 1–7 October off, Saturday 10 October a make-up working day.
    ({"start": "2026-09-25", "amount": 15, "unit": "working_days"}, "2026-10-22"),
    # A month after 31 January 2027 is the last day of February; progress reports every 2 weeks.
    ({"start": "2027-01-31", "amount": 1, "unit": "months"}, "2027-02-28"),
    ({"start": "2027-09-24", "amount": 2, "unit": "weeks"}, "2027-10-08"),
]
# … and once the administrator has entered 2027's National Day.
DEADLINES_2027 = [
    # The summary report, 10 working days after a stint ending Friday 24 September 2027: Sunday 26 September
    # and Saturday 9 October are working days, 1–7 October are not.
    ({"start": "2027-09-24", "amount": 10, "unit": "working_days"}, "2027-10-13"),
    # 11 calendar days from 20 September 2027 end on 1 October, a day off: kept, or moved to 8 October.
    ({"start": "2027-09-20", "amount": 11, "unit": "days"}, "2027-10-01"),
    ({"start": "2027-09-20", "amount": 11, "unit": "days", "roll": "next_working_day"}, "2027-10-08"),
]
PROGRAMME_NAME = "海州市医学人才海外研修计划"

# The round's quotas, saved in two steps (a reserved quota names its parent, saved before): (fields, parent
# label or None). Total 30; hz-senior at most 10; within the 30, 5 reserved for mountain-island units (unused
# places return); nurses at least 3, at most 8.
QUOTAS: list[list[tuple[dict[str, str], str | None]]] = [
    [
        ({"maximum": "30", "track": "any", "note_zh": "总名额"}, None),
        ({"maximum": "10", "category": "高级访问学者", "note_zh": "高级访问学者"}, None),
        ({"minimum": "3", "maximum": "8", "track": "nurse", "note_zh": "护理"}, None),
    ],
    [({"maximum": "5", "tag": MOUNTAIN[1], "unused": "return", "note_zh": "山区海岛县预留"}, "30")],
]
# The quotas as stored: (round, parent's maximum, category, track, tag, minimum, maximum, unused).
STORED_QUOTAS = [
    [ROUND, None, None, "any", None, None, 30, "return"],
    [ROUND, None, "hz-senior", "any", None, None, 10, "return"],
    [ROUND, None, None, "nurse", None, 3, 8, "return"],
    [ROUND, 30, None, "any", MOUNTAIN[0], None, 5, "return"],
]

# The cost share of the programme, every year: (payer, ratio, cap, cap per, who pays above the cap).
SHARES = [
    ("foundation", "60", "8000", "month", "sending_unit"),
    ("city_finance", "30", "", "person", ""),
    ("individual", "10", "", "person", ""),
]
SERVICE_YEARS = "3"
# (trigger, payer refunded, method, percentage)
CLAWBACKS = [
    ("left_early", "foundation", "pro_rata", ""),
    ("failing_grade", "foundation", "percentage", "50"),
]
# (code, Chinese name, English name, passes, certificate, triggers a refund)
GRADES = [
    ("excellent", "优秀", "Excellent", True, True, False),
    ("good", "良好", "Good", True, True, False),
    ("pass", "合格", "Pass", True, False, False),
    ("fail", "不合格", "Fail", False, False, True),
]

# Each category's rules, saved in steps: a group is saved before the rules put in it. A step is a list of
# (kind, group text or None, own text, typed parameters).
LANGUAGES = "外语成绩（三者其一）"
TITLE_OR_LICENCE = "中级职称，或规培合格且执业满 3 年"
RESIDENCY_AND_LICENCE = "规培合格且取得执业证书满 3 年"
# (kind, group text or None, own text, typed parameters)
Rule = tuple[str, str | None, str, dict[str, Any]]
RULES: dict[str, list[list[Rule]]] = {
    "hz-senior": [
        [
            ("max_age", None, "年龄不超过 55 周岁", {"years": 55}),
            ("min_title", None, "副主任医师及以上", {"title_code": "232"}),
            ("any_of", None, LANGUAGES, {}),
        ],
        [
            (
                "language_result",
                LANGUAGES,
                "雅思 6.0",
                {"language_test": "ielts", "min_score": "6.0", "valid_years": 2},
            ),
            ("language_result", LANGUAGES, "托福 80", {"language_test": "toefl", "min_score": "80", "valid_years": 2}),
            ("language_result", LANGUAGES, "卫健委外语评估 B2", {"language_test": "assessment", "min_level": "B2"}),
        ],
    ],
    "hz-young": [
        [
            ("max_age", None, "年龄不超过 40 周岁", {"years": 40}),
            ("any_of", None, TITLE_OR_LICENCE, {}),
        ],
        [
            ("min_title", TITLE_OR_LICENCE, "中级职称（医师系列）", {"grade": "intermediate", "series": ["physician"]}),
            ("all_of", TITLE_OR_LICENCE, RESIDENCY_AND_LICENCE, {}),
        ],
        [
            (
                "title_or_residency",
                RESIDENCY_AND_LICENCE,
                "规培合格",
                {"grade": "intermediate", "residency": True},
            ),
            ("licence_years", RESIDENCY_AND_LICENCE, "执业满 3 年", {"years": 3}),
        ],
    ],
    "hz-nurse": [
        [
            ("min_title", None, "主管护师及以上", {"title_code": "253"}),
            ("licence_years", None, "执业满 5 年", {"years": 5}),
            ("health", None, "身体健康", {}),
        ],
    ],
}
# The key of EligibilityRule.params each typed field fills (catalog.rule_params, CONTRACT.md).
PARAM_KEYS = {"title_code": "code", "language_test": "test"}


# The rule trees as stored: (kind, text, the group's text or "", params), in the order of the admin's saves.
STORED_RULES = {
    code: [
        (kind, text, group or "", {PARAM_KEYS.get(k, k): v for k, v in params.items()})
        for step in steps
        for kind, group, text, params in step
    ]
    for code, steps in RULES.items()
}
# The summary report: 10 working days after the stint ends (no roll); a progress report every 2 weeks.
REPORTS = {
    "report_due_value": "10",
    "report_due_unit": "working_days",
    "report_due_roll": False,
    "progress_every_value": "2",
    "progress_every_unit": "weeks",
}


def person(**changes) -> dict:
    """A person for POST /api/v1/eligibility: a physician with no language result and no licence."""
    base = {
        "birth_date": "1976-06-01",  # 50 on the reference date
        "education": "21",
        "title": "232",
        "residency_completed": False,
        "admin_years": 0,
        "teaching_experience": False,
        "employer_level": "3",
        "serious_incident": False,
        "designations": [],
    }
    return {**base, **changes}


def toefl(score: str, taken_on: str) -> dict:
    return {"test": "toefl", "score": score, "taken_on": taken_on}


# (what is checked, category, person, expected status, the top-level rules not passed: (rule id, pending))
ELIGIBILITY_CASES = [
    (
        "a 50-year-old 副主任医师 with TOEFL 85 of last June",
        "hz-senior",
        person(languages=[toefl("85", "2026-06-01")]),
        "eligible",
        [],
    ),
    (
        "the same as a 副主任护师: a nurse, not a physician",
        "hz-senior",
        person(title="252", languages=[toefl("85", "2026-06-01")]),
        "ineligible",
        [["hz-senior:min_title", False]],
    ),
    (
        "the same with a TOEFL of January 2024 (older than 2 years) and nothing else",
        "hz-senior",
        person(languages=[toefl("85", "2024-01-01")]),
        "ineligible",
        [["hz-senior:any_of", False]],
    ),
    (
        "35, 医师, residency completed, licence 2023-01-01 (4 years)",
        "hz-young",
        person(birth_date="1991-06-01", title="234", residency_completed=True, licence_obtained_on="2023-01-01"),
        "eligible",
        [],
    ),
    (
        "the same with the licence of 2025-01-01 (2 years)",
        "hz-young",
        person(birth_date="1991-06-01", title="234", residency_completed=True, licence_obtained_on="2025-01-01"),
        "ineligible",
        [["hz-young:any_of", False]],
    ),
    (
        "a 主管护师 with a licence of 2020: health is for the unit to confirm",
        "hz-nurse",
        person(birth_date="1985-06-01", title="253", licence_obtained_on="2020-01-01"),
        "pending",
        [["hz-nurse:health", True]],
    ),
]


# Django admin forms ------------------------------------------------------------------------------------------


def add_inline_row(page, prefix: str) -> int:
    """Click "add another" under the inline `prefix` (e.g. "categories"); the new row's index."""
    total = page.locator(f"#id_{prefix}-TOTAL_FORMS")
    n = int(total.input_value())
    page.locator(f"#{prefix}-group .add-row a").click()
    expect(total).to_have_value(str(n + 1))
    return n


def choose(page, selector: str, label: str) -> None:
    """Select the option of `selector` whose text is `label` (exactly, else the first that contains it)."""
    options = page.locator(f"{selector} option")
    texts = [t.strip() for t in options.all_inner_texts()]
    if label in texts:
        index = texts.index(label)
    else:
        matches = [i for i, t in enumerate(texts) if label in t]
        assert matches, f"{selector}: no option {label!r} among {texts[:20]}"
        index = matches[0]
    page.select_option(selector, index=index)


def choose_many(page, selector: str, labels: list[str]) -> None:
    options = page.locator(f"{selector} option")
    texts = [t.strip() for t in options.all_inner_texts()]
    indexes = []
    for label in labels:
        matches = [i for i, t in enumerate(texts) if t == label] or [i for i, t in enumerate(texts) if label in t]
        assert matches, f"{selector}: no option {label!r}"
        indexes.append(matches[0])
    page.select_option(selector, index=indexes)


def save(page, button: str = "_continue") -> None:
    """Submit the admin form with `button` (_save, _continue, _addanother)."""
    page.locator(f"input[name={button}]").click()
    page.wait_for_load_state("load")


def saved(page) -> None:
    """The admin says the object was saved, and shows no error."""
    expect(page.locator(".errornote")).to_have_count(0)
    expect(page.locator(".messagelist .success").first).to_be_visible()


def refused(page, *texts: str) -> str:
    """The admin refused the form: the error note and the errors shown; the text of the errors."""
    expect(page.locator(".errornote")).to_be_visible()
    errors = page.locator(".errorlist")
    expect(errors.first).to_be_visible()
    text = " ".join(errors.all_inner_texts())
    for expected in texts:
        assert expected in text, text
    assert not re.search(r"[a-z]+_[a-z_]+_(ordered|check|unique)", text), text  # no internal constraint name
    return text


# The API, with the browser's session ------------------------------------------------------------------------


def api_post(page, server_url: str, path: str, body: dict):
    """POST /api/v1/<path> as the logged-in browser: its session cookie and the CSRF token in X-CSRFToken."""
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.post(
        f"{server_url}/api/v1/{path}",
        data=body,
        headers={"X-CSRFToken": csrf, "Referer": f"{server_url}/admin/"},
    )


def autocomplete(page, select_id: str, search: str, option: str | None = None) -> None:
    """Pick in the Django admin autocomplete (select2) of `select_id`, searching for `search`: the result whose
    text contains `option` (default: `search`)."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    result = page.locator(".select2-container--open .select2-results__option", has_text=option or search).first
    expect(result).to_be_visible()
    result.click()
    expect(page.locator(f"#{select_id} option:checked", has_text=option or search).first).to_be_attached()


def filter_select(page, field_id: str, labels: list[str]) -> None:
    """Move `labels` to the chosen box of a Django admin two-box select (FilteredSelectMultiple)."""
    for label in labels:
        page.fill(f"#{field_id}_input", label)
        choose(page, f"#{field_id}_from", label)
        page.locator(f"#{field_id}_add").click()
        expect(page.locator(f"#{field_id}_to option", has_text=label).first).to_be_attached()


def fill_field(page, selector: str, value) -> None:
    """Fill an admin form field whatever its widget: a text box, a select (by value, else by label), a checkbox."""
    element = page.locator(selector)
    tag = element.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
    if tag.startswith("select"):
        if _is_value(element, value):
            element.select_option(value)
        else:
            choose(page, selector, value)
    elif tag == "input:checkbox":
        element.set_checked(bool(value))
    else:
        element.fill(str(value))


def _is_value(select, value: str) -> bool:
    return select.locator(f"option[value='{value}']").count() > 0


def add_rule(page, kind: str, *, parent: str | None = None, text: str = "", **params) -> int:
    """A rule in the rules inline of a category page through its typed fields: the kind first (the script then
    shows that kind's fields), its group (`parent`: the text of a saved group rule), then the parameters."""
    n = add_inline_row(page, "rules")
    page.select_option(f"#id_rules-{n}-kind", kind)
    if parent:
        choose(page, f"#id_rules-{n}-parent", parent)
    for name, value in params.items():
        if isinstance(value, list):
            for item in value:
                page.locator(f"input[name='rules-{n}-{name}'][value='{item}']").check()
        else:
            fill_field(page, f"#id_rules-{n}-{name}", value)
    if text:
        page.fill(f"#id_rules-{n}-text_zh", text)
    return n
