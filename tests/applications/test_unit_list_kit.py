"""The back office's table kit (core/tables.py) on its reference list, the unit's applications: sorting, filters by
name, the Excel export (equal to the page, formulas neutralised, audited), batch actions (all or nothing, only on
the user's own rows) and the queries a list costs."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from medtalent.applications.enums import ApplicationState as S
from medtalent.applications.models import Application
from medtalent.core.models import AuditEvent
from medtalent.core.tables import EXPORT_MAX_ROWS
from tests.applications.conftest import snapshot
from tests.applications.test_views import unit_rows
from tests.factories import ApplicationFactory, PersonFactory
from tests.helpers import kit_export_rows, kit_page_rows, make_user

HEADER = ["姓名", "身份证号", "手机号码", "职称", "项目与批次", "人才类别", "状态", "报名条件", "提交时间"]


def test_sorting_by_a_column_marks_it_and_keeps_the_filters(world, login):
    unit_rows(world)
    client = login(world.user("unit_admin"))

    response = client.get(reverse("applications:unit_list"), {"state": "submitted", "sort": "-name"})

    assert [a.person.name for a in response.context["rows"]] == ["白雪", "安然"]
    html = response.content.decode()
    assert 'aria-sort="descending"' in html
    # The header's next order keeps the state filter; the other columns offer theirs.
    assert 'href="/unit/applications/?state=submitted&amp;sort=name"' in html
    assert 'href="/unit/applications/?state=submitted&amp;sort=title"' in html


def test_filters_offer_names_not_codes(world, login):
    unit_rows(world)

    html = login(world.user("unit_admin")).get(reverse("applications:unit_list")).content.decode()

    round_option = f'<option value="{world.round.pk}">{world.round.programme.name} · {world.round.name}</option>'
    assert round_option in html
    assert world.round.programme.code not in html.split('id="kit-filters"', 1)[1].split("</form>", 1)[0]


def test_an_invalid_filter_is_shown_and_the_others_still_apply(world, login):
    unit_rows(world)

    response = login(world.user("unit_admin")).get(reverse("applications:unit_list"), {"state": "nonsense", "q": "白"})

    assert [a.person.name for a in response.context["rows"]] == ["白雪"]
    assert response.context["filter"].errors["state"] == ["选择一个有效的选项。 nonsense 不在可用的选项中。"]


def test_the_export_holds_what_the_page_shows_with_the_same_filters(world, login):
    unit_rows(world)
    ApplicationFactory(person=PersonFactory(employer=world.other_unit, name="外单位"), round=world.round)
    client = login(world.user("unit_admin"))
    query = {"state": "submitted", "sort": "name"}

    page = client.get(reverse("applications:unit_list"), query)
    export = client.get(reverse("applications:unit_list"), {**query, "export": "xlsx"})

    assert export.status_code == 200
    assert export["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    sheet = kit_export_rows(export)
    assert sheet[0] == HEADER
    shown = kit_page_rows(page.content.decode())
    # Each exported row is the page's row: the same text, cell by cell (the checkbox column is not exported).
    assert sheet[1:] == [row[1:] for row in shown]
    assert [row[0] for row in sheet[1:]] == ["安然", "白雪"]


def test_the_export_neutralises_formulas(world, login):
    ApplicationFactory(
        person=PersonFactory(employer=world.unit, name='=HYPERLINK("http://x.example","点我")'),
        round=world.round,
        state=S.SUBMITTED,
    )

    export = login(world.user("unit_admin")).get(reverse("applications:unit_list"), {"export": "xlsx"})

    sheet = load_workbook(io.BytesIO(export.content)).active
    cell = sheet["A2"]
    assert (cell.value, cell.data_type) == ('\'=HYPERLINK("http://x.example","点我")', "s")


def test_an_export_of_personal_data_is_in_the_audit_trail(world, login):
    unit_rows(world)
    user = world.user("unit_admin")

    login(user).get(reverse("applications:unit_list"), {"export": "xlsx", "q": "安", "state": "submitted"})

    event = AuditEvent.objects.get(action="applications.export")
    # How many rows and which filters; never the name typed in the search box.
    assert (event.actor_id, event.data) == (user.pk, {"rows": 1, "filters": ["q", "state"]})


def test_an_export_larger_than_the_limit_is_refused_with_a_message(world, login, monkeypatch):
    unit_rows(world)
    monkeypatch.setattr("medtalent.core.tables.EXPORT_MAX_ROWS", 2)
    client = login(world.user("unit_admin"))

    response = client.get(reverse("applications:unit_list"), {"export": "xlsx"}, follow=True)

    assert response.redirect_chain == [("/unit/applications/?", 302)]
    assert "导出最多 2 行，当前筛选结果有 3 行：请缩小筛选范围后再导出。" in response.content.decode()
    assert not AuditEvent.objects.filter(action="applications.export").exists()
    assert EXPORT_MAX_ROWS == 20_000


def test_a_batch_action_keeps_the_list_as_it_was(world, login):
    a, b, _ = unit_rows(world)

    response = login(world.user("unit_admin")).post(
        reverse("applications:unit_list"),
        {"ids": [a.pk, b.pk], "action": "recommended", "opinion": "同意推荐", "query": "state=submitted&sort=name"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/unit/applications/?state=submitted&sort=name"
    assert sorted(Application.objects.filter(pk__in=[a.pk, b.pk]).values_list("state", flat=True)) == [
        S.RECOMMENDED,
        S.RECOMMENDED,
    ]


def test_a_batch_action_on_another_units_row_changes_nothing(world, login):
    a, _, _ = unit_rows(world)
    theirs = ApplicationFactory(person=PersonFactory(employer=world.other_unit), round=world.round, state=S.SUBMITTED)
    before = snapshot()

    response = login(world.user("unit_admin")).post(
        reverse("applications:unit_list"),
        {"ids": [a.pk, theirs.pk], "action": "recommended", "opinion": "同意"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "勾选的记录中有已不在此列表中的记录，未做任何更改；请刷新后重试。" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "recommended"}, "请先勾选至少一行。"),
        ({"action": "delete-everything", "ids": ["1"]}, "请选择要执行的批量操作。"),
    ],
)
def test_a_batch_without_rows_or_a_known_action_changes_nothing(world, login, data, message):
    unit_rows(world)
    before = snapshot()

    response = login(world.user("unit_admin")).post(reverse("applications:unit_list"), data, HTTP_HX_REQUEST="true")

    assert message in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("method", ["get", "export", "post"])
def test_the_list_is_refused_to_a_user_without_the_role(world, login, method):
    a, _, _ = unit_rows(world)
    client = login(make_user())
    before = snapshot()
    url = reverse("applications:unit_list")

    if method == "post":
        response = client.post(url, {"ids": [a.pk], "action": "recommended", "opinion": "x"})
    else:
        response = client.get(url, {"export": "xlsx"} if method == "export" else {})

    assert response.status_code == 403
    assert snapshot() == before
    assert not AuditEvent.objects.filter(action="applications.export").exists()


@pytest.mark.parametrize("rows", [1, 3])
def test_the_export_costs_the_same_queries_for_1_and_3_rows(world, login, django_assert_num_queries, rows):
    for _ in range(rows):
        ApplicationFactory(person=PersonFactory(employer=world.unit), round=world.round, state=S.SUBMITTED)
    client = login(world.user("unit_admin"))

    # session, user, roles, the count (an export has a limit), the rows, the audit event (one statement)
    with django_assert_num_queries(6):
        response = client.get(reverse("applications:unit_list"), {"export": "xlsx"})

    assert len(kit_export_rows(response)) == rows + 1
