"""A sixth policy (invented: 海州市医学人才海外研修计划, tests/e2e/sixth_policy.py) configured by the demo commission
administrator through the admin pages only: tags, the programme with its categories and round, rule trees through
the typed rule form, nested quotas, the cost share with a cap, service and clawback, a four-level grading scale,
report deadlines and the 2027 calendar; then its verdicts, cost split and deadlines read through the API with the
browser's session. The admin pages refuse bad input with a Chinese message and save nothing."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e import sixth_policy as policy
from tests.e2e.conftest import run_in_server, shot
from tests.e2e.sixth_policy import (
    add_inline_row,
    add_rule,
    api_post,
    autocomplete,
    choose,
    fill_field,
    filter_select,
    refused,
    save,
    saved,
)
from tests.e2e.test_applications_browser import log_in

pytestmark = pytest.mark.browser

ADMIN = "commission"  # the demo commission administrator of 浙江省卫生健康委员会
CJK = re.compile(r"[\u4e00-\u9fff]")


def stored(code: str) -> Any:
    """What the server's database holds, as JSON printed by `code` (run in the server's project)."""
    return json.loads(run_in_server(code).strip().splitlines()[-1])


def create_programme(page, server_url: str) -> str:
    """The programme, its three categories and its round, on the programme's add page; its change URL."""
    page.goto(f"{server_url}/admin/catalog/programme/add/")
    page.fill("#id_code", policy.PROGRAMME)
    page.fill("#id_name_zh", policy.PROGRAMME_NAME)
    page.fill("#id_name_en", "Haizhou medical talent overseas training plan")
    choose(page, "#id_owner", policy.OWNER)
    page.select_option("#id_programme_type", "overseas_fellowship")
    # Equivalent level exceptions not allowed; applicants only from hz-county units and one listed hospital.
    expect(page.locator("#id_equivalent_level_allowed")).not_to_be_checked()
    autocomplete(page, "id_sending_tags", policy.HZ_COUNTY[0], policy.HZ_COUNTY[1])
    autocomplete(page, "id_sending_units", policy.LISTED_UNIT)
    for code, name_zh, name_en, low, high in policy.CATEGORIES:
        n = add_inline_row(page, "categories")
        page.fill(f"#id_categories-{n}-code", code)
        page.fill(f"#id_categories-{n}-name_zh", name_zh)
        page.fill(f"#id_categories-{n}-name_en", name_en)
        page.fill(f"#id_categories-{n}-duration_min", str(low))
        page.fill(f"#id_categories-{n}-duration_max", str(high))
        page.select_option(f"#id_categories-{n}-duration_unit", "month")
        page.fill(f"#id_categories-{n}-sort", str(n + 1))
    n = add_inline_row(page, "rounds")
    page.fill(f"#id_rounds-{n}-code", policy.ROUND)
    page.fill(f"#id_rounds-{n}-name_zh", "2027 年第一批")
    page.fill(f"#id_rounds-{n}-year", "2027")
    page.fill(f"#id_rounds-{n}-batch", "1")
    page.fill(f"#id_rounds-{n}-application_opens", "2027-03-01")
    page.fill(f"#id_rounds-{n}-application_closes", "2027-03-31")
    page.fill(f"#id_rounds-{n}-reference_date", policy.AS_OF)
    shot(page, "sixth-policy-01-programme-add")
    save(page)
    saved(page)
    expect(page).to_have_url(re.compile(r"/admin/catalog/programme/\d+/change/$"))
    return page.url


def create_tag(page, server_url: str, tag: tuple[str, str, str], region: str, organisations: list[str]) -> None:
    """An organisation tag carried by a region (so by every unit there) and by the organisations listed."""
    code, name_zh, name_en = tag
    page.goto(f"{server_url}/admin/orgs/tag/add/")
    page.fill("#id_code", code)
    page.fill("#id_name_zh", name_zh)
    page.fill("#id_name_en", name_en)
    autocomplete(page, "id_regions", region)
    filter_select(page, "id_organisations", organisations)
    save(page)
    saved(page)


def add_quotas(page, programme_url: str) -> None:
    """The round's quotas on the programme page; a reserved quota after the quota it is reserved in."""
    for step in policy.QUOTAS:
        page.goto(programme_url)
        for fields, parent in step:
            n = add_inline_row(page, "quotas")
            choose(page, f"#id_quotas-{n}-round", "2027 年第一批")
            page.uncheck(f"#id_quotas-{n}-approximate")
            for name, value in fields.items():
                fill_field(page, f"#id_quotas-{n}-{name}", value)
            if parent:
                choose(page, f"#id_quotas-{n}-parent", parent)
        shot(page, "sixth-policy-quotas")
        save(page)
        saved(page)


def add_money_and_grading(page, server_url: str) -> None:
    """The cost share with its cap, the service period, the clawback rules and the four-level grading scale."""
    page.goto(f"{server_url}/admin/policy/costsharerule/add/")
    choose(page, "#id_programme", policy.PROGRAMME_NAME)
    page.select_option("#id_rounding", "cent")
    for n, (payer, ratio, cap, cap_per, excess_payer) in enumerate(policy.SHARES):
        if not page.locator(f"#id_shares-{n}-payer").count():
            add_inline_row(page, "shares")
        page.select_option(f"#id_shares-{n}-payer", payer)
        page.fill(f"#id_shares-{n}-ratio", ratio)
        page.fill(f"#id_shares-{n}-cap", cap)
        page.select_option(f"#id_shares-{n}-cap_per", cap_per)
        page.select_option(f"#id_shares-{n}-excess_payer", excess_payer)
    shot(page, "sixth-policy-cost-share")
    save(page)
    saved(page)

    page.goto(f"{server_url}/admin/policy/serviceterms/add/")
    choose(page, "#id_programme", policy.PROGRAMME_NAME)
    page.fill("#id_service_years", policy.SERVICE_YEARS)
    save(page)
    saved(page)

    for trigger, payer, method, percentage in policy.CLAWBACKS:
        page.goto(f"{server_url}/admin/policy/clawbackrule/add/")
        choose(page, "#id_programme", policy.PROGRAMME_NAME)
        page.select_option("#id_trigger", trigger)
        page.select_option("#id_payer", payer)
        page.select_option("#id_method", method)
        page.fill("#id_percentage", percentage)
        save(page)
        saved(page)

    page.goto(f"{server_url}/admin/policy/gradingscale/add/")
    choose(page, "#id_programme", policy.PROGRAMME_NAME)
    page.fill("#id_name_zh", "海州市海外研修结业考核")
    page.fill("#id_name_en", "Haizhou overseas training final evaluation")
    for n, (code, name_zh, name_en, passes, certificate, refund) in enumerate(policy.GRADES):
        if not page.locator(f"#id_levels-{n}-code").count():
            add_inline_row(page, "levels")
        page.fill(f"#id_levels-{n}-code", code)
        page.fill(f"#id_levels-{n}-name_zh", name_zh)
        page.fill(f"#id_levels-{n}-name_en", name_en)
        fill_field(page, f"#id_levels-{n}-passes", passes)
        fill_field(page, f"#id_levels-{n}-certificate", certificate)
        fill_field(page, f"#id_levels-{n}-triggers_clawback", refund)
        page.fill(f"#id_levels-{n}-sort", str(n + 1))
    shot(page, "sixth-policy-grading")
    save(page)
    saved(page)


def add_calendar_days(page, server_url: str) -> None:
    """The 2027 National Day days off and make-up working days, as a local arrangement."""
    for day, kind, name in policy.CALENDAR_2027:
        page.goto(f"{server_url}/admin/workdays/calendarday/add/")
        page.fill("#id_date", day)
        page.select_option("#id_kind", kind)
        page.fill("#id_name_zh", name)
        page.select_option("#id_source", "local")
        save(page, "_save")
        saved(page)


def publish(page, server_url: str) -> None:
    """The programme list's action "publish"."""
    page.goto(f"{server_url}/admin/catalog/programme/?q={policy.PROGRAMME}")
    page.locator("#result_list tr", has_text=policy.PROGRAMME).locator("input.action-select").check()
    page.select_option("select[name=action]", "publish")
    page.locator("button[name=index]").click()
    page.wait_for_load_state("load")
    expect(page.locator(".messagelist .error")).to_have_count(0)


def open_category(page, server_url: str, code: str) -> None:
    """The category's change page, found by its code in the category list."""
    page.goto(f"{server_url}/admin/catalog/category/?q={code}")
    page.locator("#result_list a", has_text=code).first.click()
    expect(page).to_have_url(re.compile(r"/admin/catalog/category/\d+/change/"))


def configure_category(page, server_url: str, code: str) -> None:
    """The category's report deadlines, then its rules, one save per level of the rule tree."""
    open_category(page, server_url, code)
    for field, value in policy.REPORTS.items():
        fill_field(page, f"#id_{field}", value)
    for step in policy.RULES[code]:
        for kind, group, text, params in step:
            add_rule(page, kind, parent=group, text=text, **params)
        shot(page, f"sixth-policy-rules-{code}")
        save(page)
        saved(page)


def stored_rules(code: str) -> list:
    return stored(
        "import json\n"
        "from medtalent.catalog.models import EligibilityRule\n"
        f"rules = EligibilityRule.objects.filter(category__code={code!r}).select_related('parent').order_by('pk')\n"
        "print(json.dumps([[r.kind, r.text_zh, r.parent.text_zh if r.parent else '', r.params, r.is_blocking]"
        " for r in rules], ensure_ascii=False))"
    )


def test_an_administrator_configures_the_sixth_policy_and_the_api_applies_it(server_url, page):
    log_in(page, server_url, ADMIN, "/admin/")

    # 1. The tags: mountain-island on 景宁 and on one hospital; hz-county on 丽水市
    create_tag(page, server_url, policy.MOUNTAIN, policy.MOUNTAIN_REGION_CODE, [policy.MOUNTAIN_HOSPITAL])
    create_tag(page, server_url, policy.HZ_COUNTY, policy.HZ_COUNTY_REGION_CODE, [])
    assert stored(
        "import json\n"
        "from medtalent.orgs.models import Tag\n"
        "print(json.dumps([[t.code, t.name_zh, sorted(t.regions.values_list('code', flat=True)),"
        " sorted(t.organisations.values_list('code', flat=True))] for t in Tag.objects.filter("
        f"code__in={[policy.MOUNTAIN[0], policy.HZ_COUNTY[0]]!r}).order_by('code')], ensure_ascii=False))"
    ) == [
        [policy.HZ_COUNTY[0], policy.HZ_COUNTY[1], [policy.HZ_COUNTY_REGION_CODE], []],
        [policy.MOUNTAIN[0], policy.MOUNTAIN[1], [policy.MOUNTAIN_REGION_CODE], [policy.MOUNTAIN_HOSPITAL_CODE]],
    ]

    # 2. The programme, its categories and its round, who may send applicants
    programme_url = create_programme(page, server_url)
    assert stored(
        "import json\n"
        "from medtalent.catalog.models import Programme\n"
        f"p = Programme.objects.get(code={policy.PROGRAMME!r})\n"
        "print(json.dumps([p.owner.name_zh, p.programme_type, p.equivalent_level_allowed,"
        " sorted(p.sending_tags.values_list('code', flat=True)), sorted(p.sending_units.values_list('code', flat=True)),"
        " [(c.code, c.duration_min, c.duration_max, c.duration_unit) for c in p.categories.order_by('sort')],"
        " [(r.code, str(r.application_opens), str(r.application_closes), str(r.reference_date))"
        " for r in p.rounds.all()]], ensure_ascii=False))"
    ) == [
        policy.OWNER,
        "overseas_fellowship",
        False,
        [policy.HZ_COUNTY[0]],
        [policy.LISTED_UNIT_CODE],
        [["hz-senior", 3, 6, "month"], ["hz-young", 6, 12, "month"], ["hz-nurse", 1, 3, "month"]],
        [[policy.ROUND, "2027-03-01", "2027-03-31", policy.AS_OF]],
    ]

    # Who may send applicants, as the import and the application pages ask (catalog.selectors.unit_may_send):
    # 景宁县人民医院 (a county of 丽水市, tagged hz-county), the listed 浙大一院; not 浙江省人民医院 (mountain-island only)
    assert stored(
        "import json\n"
        "from medtalent.catalog.models import Programme\n"
        "from medtalent.catalog.selectors import unit_may_send\n"
        "from medtalent.orgs.models import Organisation\n"
        f"p = Programme.objects.get(code={policy.PROGRAMME!r})\n"
        "codes = ['zj-h-331127-1', 'zju-first-hospital', 'zj-peoples-hospital']\n"
        "print(json.dumps([unit_may_send(programme=p, organisation=Organisation.objects.get(code=c)) for c in codes]))"
    ) == [True, True, False]

    # 3. Each category's report deadlines and rule tree, through the typed rule form
    for code in policy.RULES:
        configure_category(page, server_url, code)
        assert stored_rules(code) == [
            [kind, text, group, params, True] for kind, text, group, params in policy.STORED_RULES[code]
        ]
    assert (
        stored(
            "import json\n"
            "from medtalent.catalog.models import Category\n"
            f"print(json.dumps([[c.report_due_value, c.report_due_unit, c.report_due_roll, c.progress_every_value,"
            f" c.progress_every_unit] for c in Category.objects.filter(programme__code={policy.PROGRAMME!r})"
            ".order_by('sort')]))"
        )
        == [[10, "working_days", False, 2, "weeks"]] * 3
    )

    # 4. The round's quotas, one reserved within another
    add_quotas(page, programme_url)
    assert (
        stored(
            "import json\n"
            "from medtalent.catalog.models import Quota\n"
            f"qs = Quota.objects.filter(programme__code={policy.PROGRAMME!r}).order_by('pk')\n"
            "print(json.dumps([[q.round.code if q.round else None, q.parent.maximum if q.parent else None,"
            " q.category.code if q.category else None, q.track, q.tag.code if q.tag else None, q.minimum, q.maximum,"
            " q.unused] for q in qs]))"
        )
        == policy.STORED_QUOTAS
    )

    # 5. Money, service, clawback and grading
    add_money_and_grading(page, server_url)
    assert stored(
        "import json\n"
        "from medtalent.policy.models import ClawbackRule, CostShareRule, GradingScale, ServiceTerms\n"
        f"code = {policy.PROGRAMME!r}\n"
        "rules = CostShareRule.objects.filter(programme__code=code)\n"
        "print(json.dumps([[[r.category_id, r.year, r.rounding, [[s.payer, str(s.ratio), str(s.cap) if s.cap else '',"
        " s.cap_per, s.excess_payer] for s in r.shares.order_by('pk')]] for r in rules],"
        " [str(t.service_years) for t in ServiceTerms.objects.filter(programme__code=code)],"
        " [[c.trigger, c.payer, c.method, str(c.percentage) if c.percentage is not None else '']"
        " for c in ClawbackRule.objects.filter(programme__code=code).order_by('pk')],"
        " [[[g.code, g.name_zh, g.passes, g.certificate, g.triggers_clawback] for g in s.levels.order_by('sort')]"
        " for s in GradingScale.objects.filter(programme__code=code)]], ensure_ascii=False))"
    ) == [
        [
            [
                None,
                None,
                "cent",
                [
                    ["foundation", "60.00", "8000.00", "month", "sending_unit"],
                    ["city_finance", "30.00", "", "person", ""],
                    ["individual", "10.00", "", "person", ""],
                ],
            ]
        ],
        ["3.0"],
        [["left_early", "foundation", "pro_rata", ""], ["failing_grade", "foundation", "percentage", "50.00"]],
        [[[code, name, passes, certificate, refund] for code, name, _en, passes, certificate, refund in policy.GRADES]],
    ]

    # 6. Published
    publish(page, server_url)
    assert (
        stored(
            "import json\n"
            "from medtalent.catalog.models import Programme\n"
            f"print(json.dumps(Programme.objects.get(code={policy.PROGRAMME!r}).status))"
        )
        == "published"
    )

    # 7. The verdicts and the cost split through the API, with the browser's session
    for what, category, person, status, not_passed in policy.ELIGIBILITY_CASES:
        response = api_post(
            page, server_url, "eligibility", {"category": category, "as_of": policy.AS_OF, "person": person}
        )
        assert response.status == 200, (what, response.text())
        body = response.json()
        verdict = (
            body["status"],
            body["eligible"],
            [[o["rule"], o["pending"]] for o in body["rules"] if not o["passed"]],
        )
        assert verdict == (status, status == "eligible", not_passed), (what, body)

    split = api_post(
        page, server_url, "funding/split", {"category": "hz-senior", "year": 2027, "amount": "120000.00", "months": 6}
    )
    assert split.status == 200, split.text()
    assert split.json() == policy.SPLIT

    # 8. The category page's preview: the rules tried on facts typed in, each rule's verdict
    open_category(page, server_url, "hz-senior")
    page.locator("#rule-preview-link").click()
    for title, expected_status, rows in policy.PREVIEWS:
        page.fill("#id_as_of", policy.AS_OF)
        page.fill("#id_birth_date", "1976-06-01")
        page.select_option("#id_title_code", title)
        page.select_option("#id_language_test", "toefl")
        page.fill("#id_language_score", "85")
        page.fill("#id_language_taken_on", "2026-06-01")
        page.locator("#preview-facts input[type=submit]").click()
        expect(page.locator(".rule-preview-status")).to_have_class(re.compile(rf"\bstatus-{expected_status}\b"))
        shown = page.locator(".rule-preview-row").evaluate_all(
            "rows => rows.map(r => [r.dataset.rule, r.dataset.depth, r.className.match(/status-(\\w+)/)[1]])"
        )
        assert shown == rows, title
    shot(page, "sixth-policy-preview")

    # 9. Deadlines through the API on the shipped calendar; then the administrator enters 2027's National Day days
    # off and make-up working days (the shipped calendar ends with 2026), and the 2027 deadlines follow them
    for body, due in policy.DEADLINES:
        response = api_post(page, server_url, "deadlines", body)
        assert (response.status, response.json()) == (200, {"due": due}), body
    add_calendar_days(page, server_url)
    assert stored(
        "import json\nfrom medtalent.workdays.models import CalendarDay\n"
        "print(json.dumps([[str(d.date), d.kind, d.name_zh] for d in CalendarDay.objects.filter(date__year=2027,"
        " source='local').order_by('date')], ensure_ascii=False))"
    ) == sorted([list(day) for day in policy.CALENDAR_2027])
    for body, due in policy.DEADLINES_2027:
        response = api_post(page, server_url, "deadlines", body)
        assert (response.status, response.json()) == (200, {"due": due}), body


def count(app: str, model: str, **filters) -> int:
    """How many rows of `app`.models.`model` match `filters` in the server's database."""
    return stored(f"from medtalent.{app}.models import {model}\nprint({model}.objects.filter(**{filters!r}).count())")


def start_programme(page, server_url: str, code: str, low: str, high: str) -> int:
    """A programme `code` with one category `code`-short of `low` to `high` months on the programme's add page,
    saved; the category row's index."""
    page.goto(f"{server_url}/admin/catalog/programme/add/")
    page.fill("#id_code", code)
    page.fill("#id_name_zh", f"海州市测试计划 {code}")
    choose(page, "#id_owner", policy.OWNER)
    page.select_option("#id_programme_type", "overseas_fellowship")
    n = add_inline_row(page, "categories")
    page.fill(f"#id_categories-{n}-code", f"{code}-short")
    page.fill(f"#id_categories-{n}-name_zh", "短期进修")
    page.fill(f"#id_categories-{n}-duration_min", low)
    page.fill(f"#id_categories-{n}-duration_max", high)
    page.select_option(f"#id_categories-{n}-duration_unit", "month")
    save(page)
    return n


def test_a_category_of_3_to_2_months_is_refused_in_chinese(server_url, page):
    log_in(page, server_url, ADMIN, "/admin/")
    code = "hz-refused-range"

    # On the programme's add page: nothing is saved, the message is readable and in Chinese
    n = start_programme(page, server_url, code, "3", "2")
    texts = [refused(page)]
    shot(page, "sixth-policy-refused-category-range")
    assert (count("catalog", "Programme", code=code), count("catalog", "Category", code=f"{code}-short")) == (0, 0)

    # Corrected, it is saved; then the category's own page refuses 3 to 2 months too, and keeps 2 to 3
    page.fill(f"#id_categories-{n}-duration_min", "2")
    page.fill(f"#id_categories-{n}-duration_max", "3")
    save(page)
    saved(page)
    open_category(page, server_url, f"{code}-short")
    page.fill("#id_duration_min", "3")
    page.fill("#id_duration_max", "2")
    save(page)
    texts.append(refused(page))
    assert stored(
        "import json\nfrom medtalent.catalog.models import Category\n"
        f"c = Category.objects.get(code='{code}-short')\nprint(json.dumps([c.duration_min, c.duration_max]))"
    ) == [2, 3]
    # The messages are in the page's language (Chinese)
    assert [bool(CJK.search(text)) for text in texts] == [True, True], texts


@pytest.mark.parametrize(
    ("kind", "field", "value", "message"),
    [
        ("min_title", "grade", "attending", "最低职称等级：“attending”不存在，请从列表中选择。"),
        ("min_education", "education_code", "2l", "最低学历：“2l”不存在，请从列表中选择。"),
    ],
)
def test_a_rule_with_an_unknown_grade_or_code_is_refused_in_chinese(server_url, page, kind, field, value, message):
    """A value no list of the typed form offers (a form sent with a stale or altered list): refused, naming the
    value, in Chinese; no rule saved."""
    log_in(page, server_url, ADMIN, "/admin/")
    code = f"hz-refused-{kind.replace('_', '-')}"
    start_programme(page, server_url, code, "1", "3")
    saved(page)
    open_category(page, server_url, f"{code}-short")
    n = add_inline_row(page, "rules")
    page.select_option(f"#id_rules-{n}-kind", kind)
    page.locator(f"#id_rules-{n}-{field}").evaluate(
        "(select, value) => select.add(new Option(value, value, true, true))", value
    )
    save(page)
    text = refused(page, value)
    shot(page, f"sixth-policy-refused-{kind}")
    assert count("catalog", "EligibilityRule", category__code=f"{code}-short") == 0
    assert text == message
