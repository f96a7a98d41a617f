"""The roster and the inbound trainees in the back office's table kit: filters by name (a person, a hospital through
the organisation search), an invalid filter shown while the others apply, sorting, and the Excel export equal to the
page (audited: it holds people's names), refused to anybody else."""

from __future__ import annotations

import pytest

from medtalent.core.models import AuditEvent
from medtalent.stints.services import inbound_trainee_create
from tests.helpers import kit_export_rows, kit_page_rows
from tests.stints.conftest import END, FOREIGN, MEMBER_HOST, START, make_dispatch, make_person, org, state

pytestmark = pytest.mark.django_db

ROSTER = "/unit/stints/"
INBOUND = "/alliance/stints/"


@pytest.fixture
def roster(pairing, supporting, users, dispatch):
    """Two more doctors of 浙大一院 dispatched to 景宁 (three in all)."""
    for name in ("赵医生", "钱医生"):
        person = make_person(employer=supporting, name=name)
        make_dispatch(pairing=pairing, person=person, actor=users["supporting_admin"])
    return dispatch


def test_the_roster_filters_by_name_and_by_hospital_name(client, roster, users):
    client.force_login(users["supported_admin"])

    by_name = client.get(ROSTER, {"q": "赵"}).context["rows"]
    by_hospital = client.get(ROSTER, {"hospital": "浙江大学医学院附属第一医院"}).context["rows"]
    nobody = client.get(ROSTER, {"hospital": "复旦大学附属中山医院"}).context["rows"]

    assert [s.person.name for s in by_name] == ["赵医生"]
    assert sorted(s.person.name for s in by_hospital) == ["王医生", "赵医生", "钱医生"]
    assert nobody == []


def test_an_invalid_filter_is_shown_and_the_others_still_apply(client, roster, users):
    client.force_login(users["supported_admin"])

    response = client.get(ROSTER, {"state": "nonsense", "q": "钱"})

    assert [s.person.name for s in response.context["rows"]] == ["钱医生"]
    assert list(response.context["filter"].errors) == ["state"]
    assert 'id="id_state-error"' in response.content.decode()


def test_the_roster_export_is_the_page_and_audited(client, roster, users):
    user = users["supported_admin"]
    client.force_login(user)
    query = {"direction": "received", "sort": "-person"}

    page = client.get(ROSTER, query)
    export = client.get(ROSTER, {**query, "export": "xlsx"})

    sheet = kit_export_rows(export)
    assert sheet[0] == ["人员", "类型", "派出单位及科室", "接收单位及科室", "日期", "岗位", "职称", "状态"]
    assert sheet[1:] == kit_page_rows(page.content.decode())
    assert [row[0] for row in sheet[1:]] == ["钱医生", "赵医生", "王医生"]
    assert sheet[1][2:5] == ["浙江大学医学院附属第一医院", "景宁县人民医院", "2025-09-01 – 2026-02-28"]
    event = AuditEvent.objects.get(action="stints.export")
    assert (event.actor_id, event.data) == (user.pk, {"rows": 3, "filters": ["direction", "sort"]})


@pytest.mark.parametrize("who", ["applicant", "commission", "secretariat", "person"])
def test_the_roster_export_is_refused_without_a_unit_role(client, roster, users, who):
    client.force_login(users[who])
    before = state()

    assert client.get(ROSTER, {"export": "xlsx"}).status_code == 403
    assert state() == before


def test_the_inbound_list_keeps_its_form_above_and_exports_the_page(client, users, committee):
    for name in ("John Smith", "Jane Doe"):
        inbound_trainee_create(
            actor=users["secretariat"],
            name=name,
            home=org(FOREIGN),
            host=org(MEMBER_HOST),
            starts_on=START,
            ends_on=END,
            committee=committee,
        )
    client.force_login(users["secretariat"])

    page = client.get(INBOUND, {"q": "Jane"})
    export = client.get(INBOUND, {"q": "Jane", "export": "xlsx"})

    html = page.content.decode()
    assert html.index('id="add-inbound"') < html.index('id="kit-results"')
    sheet = kit_export_rows(export)
    assert sheet[0] == ["人员", "派出单位及科室", "接收单位及科室", "日期", "状态"]
    assert sheet[1:] == kit_page_rows(html)
    assert [row[0] for row in sheet[1:]] == ["Jane Doe"]


@pytest.mark.parametrize("who", ["applicant", "supported_admin", "commission"])
def test_the_inbound_export_is_refused_to_others(client, users, who):
    client.force_login(users[who])
    before = state()

    assert client.get(INBOUND, {"export": "xlsx"}).status_code == 403
    assert state() == before
