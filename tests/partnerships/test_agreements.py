"""Agreements between the two hospitals of a pairing (Annex 3 of seed document 003): mandatory template
clauses, added clauses, approval by both sides, versions, permissions on every view, and the PDF."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.core.errors import ApplicationError
from medtalent.core.models import AuditEvent
from medtalent.core.seeding import SeedReport
from medtalent.orgs.models import Organisation
from medtalent.partnerships import services
from medtalent.partnerships.enums import AgreementState
from medtalent.partnerships.loaders import load_agreement_template
from medtalent.partnerships.models import Agreement, AgreementClause, AgreementTemplate, Pairing
from medtalent.partnerships.pdf import agreement_document
from medtalent.partnerships.selectors import agreements_visible_to
from medtalent.partnerships.workflow import AGREEMENT
from tests.applications.test_pdf import pdf_text
from tests.factories import RoleFactory, UserFactory
from tests.helpers import LOGIN_TRAIL

pytestmark = pytest.mark.django_db

S = AgreementState
SUPPORTING = "浙江大学医学院附属第一医院"
SUPPORTED = "景宁县人民医院"
OTHER_SUPPORTED = "三门县人民医院"  # supported by the same hospital: another pairing, another agreement
TEMPLATE_CLAUSES = 12


def _user(role=None, org=None):
    user = UserFactory()
    if role:
        organisation = Organisation.objects.get(name_zh=org) if org else None
        RoleFactory(user=user, role=role, organisation=organisation)
    return user


@pytest.fixture
def pairing():
    return Pairing.objects.select_related("supporting", "supported").get(
        supporting__name_zh=SUPPORTING, supported__name_zh=SUPPORTED
    )


@pytest.fixture
def supporting_admin():
    return _user(Role.UNIT_ADMIN, SUPPORTING)


@pytest.fixture
def supported_admin():
    return _user(Role.UNIT_ADMIN, SUPPORTED)


@pytest.fixture
def commission():
    return _user(Role.COMMISSION_ADMIN, "浙江省卫生健康委员会")


@pytest.fixture
def agreement(pairing, commission):
    return services.agreement_create_from_template(actor=commission, pairing=pairing)


def _state(agreement=None):
    rows = (
        Agreement.objects.count(),
        AgreementClause.objects.count(),
        AuditEvent.objects.exclude(action__in=LOGIN_TRAIL).count(),
    )
    if agreement is None:
        return rows
    fresh = Agreement.objects.get(pk=agreement.pk)
    return (*rows, fresh.state, fresh.approved_by_supporting_id, fresh.approved_by_supported_id)


def _approved(agreement, supporting_admin, supported_admin):
    services.agreement_approve(actor=supporting_admin, agreement=agreement)
    services.agreement_approve(actor=supported_admin, agreement=agreement)
    agreement.refresh_from_db()
    return agreement


# The template and the creation ------------------------------------------------------------------------------


def test_template_is_loaded_from_annex3():
    template = AgreementTemplate.objects.get(code=services.DEFAULT_TEMPLATE)
    sections = list(template.clauses.values_list("section", flat=True))
    assert len(sections) == TEMPLATE_CLAUSES
    assert sections.count("二、双方职责与义务（一）甲方") == 6
    assert sections.count("二、双方职责与义务（二）乙方") == 3
    assert template.clauses.get(sort=60).text_zh == "负责派驻人员的全部费用。"


def test_template_loader_is_idempotent():
    report = SeedReport()
    load_agreement_template(report)
    assert (sum(report.created.values()), sum(report.updated.values()), report.problems) == (0, 0, [])
    assert report.unchanged["partnerships.TemplateClause"] == TEMPLATE_CLAUSES


def test_create_copies_every_template_clause(agreement, pairing):
    clauses = list(agreement.clauses.order_by("sort"))
    assert len(clauses) == TEMPLATE_CLAUSES
    assert all(c.mandatory for c in clauses)
    assert [c.text_zh for c in clauses] == list(agreement.template.clauses.values_list("text_zh", flat=True))
    assert (agreement.version, agreement.state, agreement.starts_on, agreement.ends_on) == (
        1,
        S.DRAFT,
        pairing.starts_on,
        pairing.ends_on,
    )
    assert AuditEvent.objects.filter(action="agreement.create", object_id=str(agreement.pk)).count() == 1


def test_create_twice_is_refused(agreement, pairing, commission):
    before = _state()
    with pytest.raises(ApplicationError):
        services.agreement_create_from_template(actor=commission, pairing=pairing)
    assert _state() == before


# Clauses ----------------------------------------------------------------------------------------------------


def test_mandatory_clause_cannot_be_removed(agreement, supported_admin):
    clause = agreement.clauses.first()
    before = _state(agreement)
    with pytest.raises(ApplicationError) as error:
        services.agreement_remove_clause(actor=supported_admin, clause=clause)
    assert error.value.message == "必备条款不能删除。"  # Mandatory clauses cannot be removed.
    assert _state(agreement) == before
    assert AgreementClause.objects.filter(pk=clause.pk).exists()


def test_added_clause_can_be_removed(agreement, supported_admin):
    clause = services.agreement_add_clause(
        actor=supported_admin, agreement=agreement, text_zh=" 每年共同举办学术会议一次。 "
    )
    assert (clause.section, clause.text_zh, clause.sort, clause.mandatory) == (
        "四、其他事项",
        "每年共同举办学术会议一次。",
        500,
        False,
    )
    second = services.agreement_add_clause(actor=supported_admin, agreement=agreement, text_zh="第二条")
    assert second.sort == 501
    assert agreement.clauses.count() == TEMPLATE_CLAUSES + 2
    services.agreement_remove_clause(actor=supported_admin, clause=clause)
    assert agreement.clauses.count() == TEMPLATE_CLAUSES + 1
    assert list(
        AuditEvent.objects.filter(object_type="partnerships.agreement", object_id=str(agreement.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "agreement.create",
        "agreement.add_clause",
        "agreement.add_clause",
        "agreement.remove_clause",
    ]


def test_empty_clause_is_refused(agreement, supported_admin):
    before = _state(agreement)
    with pytest.raises(ApplicationError):
        services.agreement_add_clause(actor=supported_admin, agreement=agreement, text_zh="   ")
    assert _state(agreement) == before


def test_clauses_are_locked_after_the_first_approval(agreement, supporting_admin, supported_admin):
    services.agreement_approve(actor=supporting_admin, agreement=agreement)
    before = _state(agreement)
    with pytest.raises(ApplicationError):
        services.agreement_add_clause(actor=supported_admin, agreement=agreement, text_zh="新条款")
    assert _state(agreement) == before


# Approval ---------------------------------------------------------------------------------------------------


def test_both_approvals_required(agreement, supporting_admin, supported_admin):
    services.agreement_approve(actor=supporting_admin, agreement=agreement)
    agreement.refresh_from_db()
    assert agreement.state == S.AWAITING_APPROVAL
    assert (agreement.approved_by_supporting_id, agreement.approved_by_supported_id) == (supporting_admin.pk, None)
    before = _state(agreement)
    with pytest.raises(PermissionDenied):  # the same side cannot approve twice
        services.agreement_approve(actor=supporting_admin, agreement=agreement)
    assert _state(agreement) == before
    services.agreement_approve(actor=supported_admin, agreement=agreement)
    agreement.refresh_from_db()
    assert agreement.state == S.APPROVED
    assert agreement.approved_by_supported_id == supported_admin.pk
    assert agreement.approved_by_supported_at is not None


def test_commission_cannot_approve(agreement, commission):
    before = _state(agreement)
    with pytest.raises(PermissionDenied):
        services.agreement_approve(actor=commission, agreement=agreement)
    assert _state(agreement) == before


def test_reopen_clears_the_approval(agreement, supporting_admin, supported_admin):
    services.agreement_approve(actor=supporting_admin, agreement=agreement)
    services.agreement_reopen(actor=supported_admin, agreement=agreement)
    agreement.refresh_from_db()
    assert (agreement.state, agreement.approved_by_supporting_id, agreement.approved_by_supporting_at) == (
        S.DRAFT,
        None,
        None,
    )


# Versions ---------------------------------------------------------------------------------------------------


def test_new_version_keeps_the_history(agreement, supporting_admin, supported_admin):
    services.agreement_add_clause(actor=supported_admin, agreement=agreement, text_zh="增加条款一")
    _approved(agreement, supporting_admin, supported_admin)
    second = services.agreement_new_version(actor=supporting_admin, agreement=agreement)
    assert (second.version, second.state, second.previous_id) == (2, S.DRAFT, agreement.pk)
    assert list(second.clauses.values_list("text_zh", "template_clause_id", "sort")) == list(
        agreement.clauses.values_list("text_zh", "template_clause_id", "sort")
    )
    # The old version stays approved (in force) until the new one is approved by both sides.
    agreement.refresh_from_db()
    assert agreement.state == S.APPROVED
    before = _state()
    with pytest.raises(ApplicationError):  # one version in preparation at a time
        services.agreement_new_version(actor=supporting_admin, agreement=agreement)
    assert _state() == before

    services.agreement_add_clause(actor=supporting_admin, agreement=second, text_zh="增加条款二")
    services.agreement_approve(actor=supporting_admin, agreement=second)
    agreement.refresh_from_db()
    assert agreement.state == S.APPROVED
    services.agreement_approve(actor=supported_admin, agreement=second)
    agreement.refresh_from_db()
    second.refresh_from_db()
    assert (agreement.state, second.state) == (S.SUPERSEDED, S.APPROVED)
    assert agreement.clauses.count() == TEMPLATE_CLAUSES + 1
    assert second.clauses.count() == TEMPLATE_CLAUSES + 2
    assert list(Agreement.objects.filter(pairing=agreement.pairing).order_by("version").values_list("state")) == [
        (S.SUPERSEDED,),
        (S.APPROVED,),
    ]


def test_new_version_only_of_the_approved_agreement(agreement, supporting_admin):
    before = _state()
    with pytest.raises(ApplicationError):
        services.agreement_new_version(actor=supporting_admin, agreement=agreement)
    assert _state() == before


# The transition table: every pair of states -------------------------------------------------------------------


@pytest.mark.parametrize("to", list(S))
@pytest.mark.parametrize("start", list(S))
def test_transition_table(pairing, commission, supporting_admin, supported_admin, start, to):
    agreement = services.agreement_create_from_template(actor=commission, pairing=pairing)
    fields = {"state": start}
    if start == S.AWAITING_APPROVAL:
        fields["approved_by_supporting"] = supporting_admin
    Agreement.objects.filter(pk=agreement.pk).update(**fields)
    agreement.refresh_from_db()
    actor = supported_admin
    before = _state(agreement)
    if (start, to) in AGREEMENT.table:
        changes = {"approved_by_supported": actor} if to == S.APPROVED else None
        services.agreement_transition(actor=actor, agreement=agreement, to=to, changes=changes)
        agreement.refresh_from_db()
        assert agreement.state == to
        assert AuditEvent.objects.filter(action="agreement.transition", object_id=str(agreement.pk)).count() == 1
    else:
        with pytest.raises(ApplicationError):
            services.agreement_transition(actor=actor, agreement=agreement, to=to)
        assert _state(agreement) == before


def test_approved_needs_both_approvals(agreement, supporting_admin, supported_admin):
    services.agreement_approve(actor=supporting_admin, agreement=agreement)
    agreement.refresh_from_db()
    before = _state(agreement)
    with pytest.raises(ApplicationError):  # the table allows the step, the missing approval does not
        services.agreement_transition(actor=supported_admin, agreement=agreement, to=S.APPROVED)
    assert _state(agreement) == before


def test_transition_table_is_what_the_workflow_needs():
    assert set(AGREEMENT.table) == {
        (S.DRAFT, S.AWAITING_APPROVAL),
        (S.AWAITING_APPROVAL, S.APPROVED),
        (S.AWAITING_APPROVAL, S.DRAFT),
        (S.APPROVED, S.SUPERSEDED),
    }


# Views and permissions ----------------------------------------------------------------------------------------

DENIED = [
    (None, None),
    (Role.APPLICANT, None),
    (Role.REVIEWER, None),
    (Role.UNIT_ADMIN, OTHER_SUPPORTED),  # another hospital supported by the same supporting hospital
    (Role.UNIT_ADMIN, "富阳市第二人民医院"),
    (Role.HOST_COORDINATOR, SUPPORTING),
    (Role.HOST_COORDINATOR, SUPPORTED),
    (Role.COMMISSION_ADMIN, "温州市卫生健康委员会"),  # a city commission: the provincial programme is not its
]
ALLOWED = [
    (Role.UNIT_ADMIN, SUPPORTING),
    (Role.UNIT_ADMIN, SUPPORTED),
    (Role.COMMISSION_ADMIN, "浙江省卫生健康委员会"),
]


def _views(agreement, clause):
    """(url name, method, kwargs, data) of every agreement view."""
    return {
        "agreement": ("get", {"pk": agreement.pk}, None),
        "agreement_pdf": ("get", {"pk": agreement.pk}, None),
        "agreement_create": ("post", {"pairing_pk": agreement.pairing_id}, None),
        "agreement_add_clause": ("post", {"pk": agreement.pk}, {"text_zh": "新增条款"}),
        "agreement_remove_clause": ("post", {"pk": agreement.pk, "clause_pk": clause.pk}, None),
        "agreement_approve": ("post", {"pk": agreement.pk}, None),
        "agreement_reopen": ("post", {"pk": agreement.pk}, None),
        "agreement_new_version": ("post", {"pk": agreement.pk}, None),
    }


VIEW_NAMES = [
    "agreement",
    "agreement_pdf",
    "agreement_create",
    "agreement_add_clause",
    "agreement_remove_clause",
    "agreement_approve",
    "agreement_reopen",
    "agreement_new_version",
]


@pytest.fixture
def added(agreement, commission):
    return services.agreement_add_clause(actor=commission, agreement=agreement, text_zh="已增加的条款")


@pytest.mark.parametrize("name", VIEW_NAMES)
@pytest.mark.parametrize(("role", "org"), DENIED)
def test_views_denied(client, agreement, added, name, role, org):
    """Outside the user's scope an agreement (or its pairing) is not found, as if it did not exist."""
    method, kwargs, data = _views(agreement, added)[name]
    before = _state(agreement)
    client.force_login(_user(role, org))
    response = getattr(client, method)(reverse(f"partnerships:{name}", kwargs=kwargs), data or {})
    assert response.status_code == 404
    assert _state(agreement) == before


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_views_answer_alike_for_a_missing_and_a_hidden_agreement(client, agreement, added, name):
    method, kwargs, data = _views(agreement, added)[name]
    missing = dict.fromkeys(kwargs, 999999)
    client.force_login(_user(Role.UNIT_ADMIN, "富阳市第二人民医院"))
    hidden = getattr(client, method)(reverse(f"partnerships:{name}", kwargs=kwargs), data or {})
    absent = getattr(client, method)(reverse(f"partnerships:{name}", kwargs=missing), data or {})
    assert (hidden.status_code, absent.status_code) == (404, 404)


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_views_send_visitors_to_login(client, agreement, added, name):
    method, kwargs, data = _views(agreement, added)[name]
    before = _state(agreement)
    response = getattr(client, method)(reverse(f"partnerships:{name}", kwargs=kwargs), data or {})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert _state(agreement) == before


@pytest.mark.parametrize(("role", "org"), ALLOWED)
def test_page_for_allowed_roles(client, agreement, role, org):
    client.force_login(_user(role, org))
    response = client.get(reverse("partnerships:agreement", kwargs={"pk": agreement.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "负责派驻人员的全部费用。" in html
    assert len(response.context["clauses"]) == TEMPLATE_CLAUSES
    assert response.context["may_edit"] is True
    approve = reverse("partnerships:agreement_approve", kwargs={"pk": agreement.pk})
    assert [move["url"] for move in response.context["moves"]] == ([approve] if role == Role.UNIT_ADMIN else [])
    assert response.context["may_new_version"] is False


@pytest.mark.parametrize(("role", "org"), ALLOWED)
def test_pdf_for_allowed_roles(client, agreement, role, org):
    client.force_login(_user(role, org))
    response = client.get(reverse("partnerships:agreement_pdf", kwargs={"pk": agreement.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(("role", "org"), ALLOWED)
def test_create_view_for_allowed_roles(client, pairing, role, org):
    client.force_login(_user(role, org))
    response = client.post(reverse("partnerships:agreement_create", kwargs={"pairing_pk": pairing.pk}))
    agreement = Agreement.objects.get(pairing=pairing)
    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:agreement", kwargs={"pk": agreement.pk})
    assert agreement.clauses.count() == TEMPLATE_CLAUSES
    # A second time: refused with a message, nothing created.
    before = _state()
    response = client.post(reverse("partnerships:agreement_create", kwargs={"pairing_pk": pairing.pk}))
    assert response.status_code == 302
    assert _state() == before


@pytest.mark.parametrize(("role", "org"), ALLOWED)
def test_clause_views_for_allowed_roles(client, agreement, role, org):
    client.force_login(_user(role, org))
    url = reverse("partnerships:agreement_add_clause", kwargs={"pk": agreement.pk})
    assert client.post(url, {"text_zh": "双方每季度召开一次联席会议。"}, follow=True).status_code == 200
    clause = agreement.clauses.get(template_clause=None)
    assert clause.text_zh == "双方每季度召开一次联席会议。"
    mandatory = agreement.clauses.exclude(template_clause=None).first()
    before = _state(agreement)
    url = reverse("partnerships:agreement_remove_clause", kwargs={"pk": agreement.pk, "clause_pk": mandatory.pk})
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["必备条款不能删除。"]
    assert _state(agreement) == before
    url = reverse("partnerships:agreement_remove_clause", kwargs={"pk": agreement.pk, "clause_pk": clause.pk})
    assert client.post(url).status_code == 302
    assert agreement.clauses.count() == TEMPLATE_CLAUSES


def test_approve_and_new_version_views(client, agreement, supporting_admin, supported_admin, commission):
    client.force_login(supporting_admin)
    url = reverse("partnerships:agreement_approve", kwargs={"pk": agreement.pk})
    assert client.post(url).status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == S.AWAITING_APPROVAL
    before = _state(agreement)
    assert client.post(url).status_code == 403  # this side has approved already
    assert _state(agreement) == before
    client.force_login(supported_admin)
    assert client.post(url).status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == S.APPROVED

    client.force_login(commission)
    assert client.post(url).status_code == 403
    response = client.post(reverse("partnerships:agreement_new_version", kwargs={"pk": agreement.pk}))
    second = Agreement.objects.get(pairing=agreement.pairing, version=2)
    assert response["Location"] == reverse("partnerships:agreement", kwargs={"pk": second.pk})
    page = client.get(reverse("partnerships:agreement", kwargs={"pk": second.pk}))
    assert [v.version for v in page.context["versions"]] == [2, 1]


def test_reopen_view(client, agreement, supporting_admin, supported_admin):
    services.agreement_approve(actor=supporting_admin, agreement=agreement)
    client.force_login(supported_admin)
    response = client.post(reverse("partnerships:agreement_reopen", kwargs={"pk": agreement.pk}))
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.state, agreement.approved_by_supporting_id) == (S.DRAFT, None)


def test_supported_admin_sees_only_its_own_agreements(pairing, commission, supported_admin):
    own = services.agreement_create_from_template(actor=commission, pairing=pairing)
    other_pairing = Pairing.objects.get(supporting__name_zh=SUPPORTING, supported__name_zh=OTHER_SUPPORTED)
    services.agreement_create_from_template(actor=commission, pairing=other_pairing)
    assert list(agreements_visible_to(user=supported_admin)) == [own]
    assert agreements_visible_to(user=_user(Role.UNIT_ADMIN, SUPPORTING)).count() == 2
    assert agreements_visible_to(user=commission).count() == 2
    assert agreements_visible_to(user=_user(Role.COMMISSION_ADMIN, "温州市卫生健康委员会")).count() == 0


def test_page_query_count(client, agreement, supported_admin, django_assert_num_queries):
    client.force_login(supported_admin)
    url = reverse("partnerships:agreement", kwargs={"pk": agreement.pk})
    client.get(url)
    # session, user, roles, agreement, clauses, versions
    with django_assert_num_queries(7):  # … and the header's unread notices
        assert client.get(url).status_code == 200


# The PDF ------------------------------------------------------------------------------------------------------


def test_pdf_has_the_chinese_text(agreement, supporting_admin, supported_admin):
    services.agreement_add_clause(
        actor=supported_admin, agreement=agreement, text_zh="乙方每年选送进修人员不少于五名。"
    )
    _approved(agreement, supporting_admin, supported_admin)
    text = pdf_text(agreement_document(agreement=agreement))
    for expected in [
        "浙江省“万名医师支援农村卫生工程”支援协议",
        f"甲方（支援医院）：{SUPPORTING}",
        f"乙方（受援医院）：{SUPPORTED}",
        "一、支援内容",
        "负责派驻人员的全部费用。",
        "四、其他事项",
        "乙方每年选送进修人员不少于五名。",
        "2014年1月至2016年12月",
        "甲方（支援医院）盖章",
        "乙方（受援医院）盖章",
    ]:
        assert expected in text, expected


def test_pdf_prints_other_items_even_when_empty(agreement):
    text = pdf_text(agreement_document(agreement=agreement))
    assert "四、其他事项" in text
    assert text.index("三、协议期限") < text.index("四、其他事项") < text.index("五、协议书自签订之日起生效")
