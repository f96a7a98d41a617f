"""The pages: the pairing-year, a review, the overview. Every role on every page; refusals change nothing."""

import datetime as dt
import html
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.annual import services
from medtalent.annual.enums import ReviewKind, ReviewState, TargetKind
from medtalent.annual.models import AnnualReview, YearlyTarget
from medtalent.core.models import AuditEvent
from medtalent.partnerships.models import Pairing
from tests.annual.conftest import OPEN_DAY, OUTSIDERS, full_scores, make_user, org, renew, snapshot

pytestmark = pytest.mark.django_db

K = ReviewKind
YEAR = 2015
OVERVIEW_QUERIES_UNIT = 9  # session, user, programme, roles, scope exists, years, count, rows, unread notices
OVERVIEW_QUERIES_COMMISSION = 9  # session, user, programme, roles, years, count, rows, cities, unread notices
YEAR_PAGE_QUERIES = (
    13  # session, user, pairing, roles, term, targets, reviews, scores, dims, calendar, focus, specialties, unread
)


@pytest.fixture
def target(pairing, supporting_admin):
    return services.target_create(
        actor=supporting_admin, pairing=pairing, year=YEAR, kind=TargetKind.URGENT_NEED, title="开展急诊介入"
    )


def _html(response) -> str:
    return html.unescape(response.content.decode())


def _year_url(pairing, year=YEAR):
    return reverse("annual:year", kwargs={"pairing_pk": pairing.pk, "year": year})


def _review_url(pairing, kind, year=YEAR, name="annual:review"):
    return reverse(name, kwargs={"pairing_pk": pairing.pk, "year": year, "kind": kind})


def _target_url(name, pairing, target):
    return reverse(name, kwargs={"pairing_pk": pairing.pk, "year": YEAR, "pk": target.pk})


def _review_post(dimensions, action="save", value="8", conclusion=""):
    data = {"summary": "全年完成派驻12人次", "problems": "人才流失", "plan": "继续", "action": action}
    for d in dimensions:
        data[f"score_{d.pk}"] = value
        data[f"comment_{d.pk}"] = f"评语{d.code}"
    if conclusion:
        data["conclusion"] = conclusion
    return data


def _requests(pairing, target, dimensions):
    """(method, url, data) of every page and action, for the role tests."""
    review = _review_post(dimensions)
    return [
        ("get", _year_url(pairing), None),
        ("post", reverse("annual:target_add", args=[pairing.pk, YEAR]), {"slot": "team", "add-team-title": "团队"}),
        ("post", reverse("annual:targets_from_focus", args=[pairing.pk, YEAR]), {}),
        ("get", _target_url("annual:target_edit", pairing, target), None),
        ("post", _target_url("annual:target_edit", pairing, target), {"title": "改"}),
        (
            "post",
            _target_url("annual:target_status", pairing, target),
            {f"t{target.pk}-status": "in_progress", f"t{target.pk}-evidence": "x"},
        ),
        ("post", _target_url("annual:target_delete", pairing, target), {}),
        ("get", _target_url("annual:target_evidence", pairing, target), None),
        *[("get", _review_url(pairing, kind), None) for kind in K],
        *[("post", _review_url(pairing, kind), review) for kind in K],
        *[("post", _review_url(pairing, kind, name="annual:review_return"), {"note": "退回"}) for kind in K],
    ]


@pytest.fixture
def submitted_all(pairing, supporting_admin, supported_admin, commission, dimensions):
    """All three reviews submitted (so that a return is possible)."""
    for kind, actor in ((K.SELF_SUPPORTING, supporting_admin), (K.SELF_SUPPORTED, supported_admin)):
        services.review_file(
            actor=actor,
            pairing=pairing,
            year=YEAR,
            kind=kind,
            summary="总结",
            scores=full_scores(dimensions),
            submit=True,
            today=OPEN_DAY,
        )


def test_every_page_sends_visitors_to_login(client, pairing, target, dimensions):
    before = snapshot()
    for method, url, data in _requests(pairing, target, dimensions):
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    assert snapshot() == before


def test_every_page_forbidden_to_outsiders(client, pairing, target, dimensions, outsider, submitted_all):
    """Outside the user's pairings nothing is found (404), as for a pairing that does not exist."""
    client.force_login(outsider)
    before = snapshot()
    for method, url, data in _requests(pairing, target, dimensions):
        assert getattr(client, method)(url, data or {}).status_code == 404, url
    assert snapshot() == before


@pytest.mark.parametrize("who", ["supporting_admin", "supported_admin", "commission"])
def test_year_page_for_both_parties_and_the_commission(request, client, pairing, target, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(_year_url(pairing))
    assert response.status_code == 200
    html = _html(response)
    assert "开展急诊介入" in html
    assert "Self-assessments can be submitted from Dec. 1, 2015" in html
    assert "The annual evaluation can be submitted from Oct. 1, 2015" in html
    assert html.count("Not set yet") == 3  # the other three four-ones
    assert "Add this year's provincial key work" in html
    assert response.context["data"].years == [2014, 2015, 2016]
    assert f'href="{_year_url(pairing, 2016)}"' in html


def test_year_outside_the_term_is_404(client, pairing, commission):
    client.force_login(commission)
    assert client.get(_year_url(pairing, 2017)).status_code == 404


def test_add_a_four_ones_target(client, pairing, supported_admin):
    client.force_login(supported_admin)
    url = reverse("annual:target_add", args=[pairing.pk, YEAR])
    response = client.post(
        url, {"slot": "team", "add-team-title": "带出一支重症医学团队", "add-team-description": "5人"}
    )
    assert response.status_code == 302
    assert response["Location"] == _year_url(pairing)
    target = YearlyTarget.objects.get(pairing=pairing, year=YEAR)
    assert (target.kind, target.title, target.description) == ("team", "带出一支重症医学团队", "5人")


def test_add_a_taken_four_ones_kind_shows_the_error_next_to_the_field(client, pairing, supported_admin, target):
    client.force_login(supported_admin)
    before = snapshot()
    response = client.post(
        reverse("annual:target_add", args=[pairing.pk, YEAR]),
        {"slot": "urgent_need", "add-urgent_need-title": "又一个"},
    )
    assert response.status_code == 200
    assert snapshot() == before
    # The refused form comes back in its slot (filled meanwhile) with the message.
    slot = next(s for s in response.context["data"].four_ones if s.kind == "urgent_need")
    assert slot.form.non_field_errors() == [
        "2015 has its “Solve one urgent medical need” target already: the four-ones have one target of each kind a "
        "year; change it."
    ]


def test_add_without_title_keeps_the_input(client, pairing, commission):
    client.force_login(commission)
    before = snapshot()
    response = client.post(
        reverse("annual:target_add", args=[pairing.pk, YEAR]),
        {"slot": "focus", "focus-kind": "key_technique", "focus-title": "", "focus-description": "说明保留"},
    )
    assert response.status_code == 200
    assert response.context["focus_form"].errors == {"title": ["This field is required."]}
    assert "说明保留" in _html(response)
    assert snapshot() == before


def test_add_a_key_technique(client, pairing, commission):
    client.force_login(commission)
    response = client.post(
        reverse("annual:target_add", args=[pairing.pk, YEAR]),
        {"slot": "focus", "focus-kind": "key_technique", "focus-title": "腹腔镜胆囊切除"},
    )
    assert response.status_code == 302
    assert list(YearlyTarget.objects.filter(pairing=pairing).values_list("kind", "title")) == [
        ("key_technique", "腹腔镜胆囊切除")
    ]


def test_targets_from_focus_button(client, pairing, supported_admin):
    client.force_login(supported_admin)
    url = reverse("annual:targets_from_focus", args=[pairing.pk, YEAR])
    response = client.post(url, follow=True)
    assert YearlyTarget.objects.filter(pairing=pairing, year=YEAR, focus__isnull=False).count() == 9
    assert "Added 9 items of this year's provincial key work." in _html(response)
    response = client.post(url, follow=True)
    assert YearlyTarget.objects.filter(pairing=pairing, year=YEAR).count() == 9
    assert "This year's provincial key work is added already." in _html(response)
    assert "Add this year's provincial key work" not in _html(response)


def test_status_by_htmx_returns_the_row(client, pairing, supported_admin, target):
    client.force_login(supported_admin)
    response = client.post(
        _target_url("annual:target_status", pairing, target),
        {f"t{target.pk}-status": "achieved", f"t{target.pk}-evidence": "已开展PCI 20例"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = _html(response)
    assert html.strip().startswith(f'<article class="annual-target" id="target-{target.pk}">')
    assert "已开展PCI 20例" in html
    assert "<html" not in html
    # The page's counter and the success message come out of band: no reload needed.
    assert (
        '<p class="muted annual-counter" id="targets-counter" hx-swap-oob="true">Targets achieved: 1 of 1</p>' in html
    )
    assert 'id="messages"' in html
    assert 'hx-swap-oob="true"><ul class="messages"><li class="message success">Target status saved.</li></ul>' in html
    target.refresh_from_db()
    assert (target.status, target.evidence) == ("achieved", "已开展PCI 20例")


def test_status_error_by_htmx_comes_back_in_the_row(client, pairing, supported_admin, target):
    client.force_login(supported_admin)
    before = snapshot()
    response = client.post(
        _target_url("annual:target_status", pairing, target),
        {f"t{target.pk}-status": "achieved", f"t{target.pk}-evidence": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = _html(response)
    assert "Describe the evidence, or attach a file, before marking the target achieved." in html
    assert "Targets achieved: 0 of 1" in html
    assert "Target status saved." not in html
    assert snapshot() == before


def test_status_error_without_htmx_shows_the_page_with_the_error(client, pairing, supported_admin, target):
    client.force_login(supported_admin)
    before = snapshot()
    fake = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    response = client.post(
        _target_url("annual:target_status", pairing, target),
        {f"t{target.pk}-status": "achieved", f"t{target.pk}-evidence": "x", f"t{target.pk}-evidence_file": fake},
    )
    assert response.status_code == 200
    row = next(t for t in response.context["data"].targets if t.pk == target.pk)
    assert row.status_form.errors == {"evidence_file": ["The file is not a PDF, JPEG or PNG."]}
    assert snapshot() == before


def test_evidence_file_upload_and_download(client, pairing, supported_admin, supporting_admin, target):
    client.force_login(supported_admin)
    upload = SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n%evidence\n", content_type="application/pdf")
    response = client.post(
        _target_url("annual:target_status", pairing, target),
        {f"t{target.pk}-status": "achieved", f"t{target.pk}-evidence": "见附件", f"t{target.pk}-evidence_file": upload},
    )
    assert response.status_code == 302
    client.force_login(supporting_admin)
    response = client.get(_target_url("annual:target_evidence", pairing, target))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n%evidence\n"
    assert response["Content-Disposition"] == f'attachment; filename="evidence-{target.pk}.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    YearlyTarget.objects.get(pk=target.pk).evidence_file.delete(save=False)


def test_edit_and_delete_a_target(client, pairing, commission, target):
    client.force_login(commission)
    url = _target_url("annual:target_edit", pairing, target)
    assert client.get(url).context["form"].initial["title"] == "开展急诊介入"
    response = client.post(url, {"title": "开展急诊PCI", "description": "全年", "specialty": ""})
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.title, target.description) == ("开展急诊PCI", "全年")
    before = snapshot()
    response = client.post(url, {"title": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"title": ["This field is required."]}
    assert snapshot() == before
    client.post(_target_url("annual:target_delete", pairing, target))
    assert not YearlyTarget.objects.filter(pk=target.pk).exists()


def test_locked_year_shows_no_forms_and_refuses_changes(
    client, pairing, commission, supported_admin, target, dimensions
):
    services.review_file(
        actor=commission,
        pairing=pairing,
        year=YEAR,
        kind=K.EVALUATION,
        summary="总结",
        scores=full_scores(dimensions),
        conclusion="good",
        submit=True,
        today=OPEN_DAY,
    )
    client.force_login(supported_admin)
    response = client.get(_year_url(pairing))
    html = _html(response)
    assert "this year's targets are locked" in html
    assert "Save status" not in html
    assert "Set this target" not in html
    assert "Good" in html  # the conclusion
    before = snapshot()
    response = client.post(_target_url("annual:target_delete", pairing, target), follow=True)
    assert "The annual evaluation of 2015 is submitted: that year's targets are locked." in _html(response)
    assert snapshot() == before


# ---- reviews -----------------------------------------------------------------------------------------------


def test_supported_hospital_files_its_self_assessment(client, pairing, supported_admin, dimensions):
    client.force_login(supported_admin)
    url = _review_url(pairing, K.SELF_SUPPORTED)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"] is not None
    assert "conclusion" not in response.context["form"].fields
    response = client.post(url, _review_post(dimensions, action="save"))
    assert response.status_code == 302
    review = AnnualReview.objects.get(pairing=pairing, year=YEAR, kind=K.SELF_SUPPORTED)
    assert (review.state, review.summary, review.scores.count()) == ("draft", "全年完成派驻12人次", 7)
    with mock.patch("medtalent.annual.workflow.timezone.localdate", return_value=OPEN_DAY):
        response = client.post(url, _review_post(dimensions, action="submit"), follow=True)
    review.refresh_from_db()
    assert (review.state, review.submitted_by_id) == ("submitted", supported_admin.pk)
    assert response.context["form"] is None  # read-only now
    html = _html(response)
    assert "Submitted." in html
    assert "8.0 / 10" in html


def test_submit_before_the_window_shows_the_error_and_saves_nothing(client, pairing, supported_admin, dimensions):
    client.force_login(supported_admin)
    before = snapshot()
    with mock.patch("medtalent.annual.workflow.timezone.localdate", return_value=dt.date(2015, 11, 30)):
        response = client.post(_review_url(pairing, K.SELF_SUPPORTED), _review_post(dimensions, action="submit"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The self-assessment of 2015 can be submitted from Dec. 1, 2015."
    ]
    assert "全年完成派驻12人次" in _html(response)  # the input is kept
    assert snapshot() == before


def test_score_out_of_range_is_next_to_its_field(client, pairing, supported_admin, dimensions):
    client.force_login(supported_admin)
    before = snapshot()
    response = client.post(_review_url(pairing, K.SELF_SUPPORTED), _review_post(dimensions, value="11"))
    assert response.status_code == 200
    assert response.context["form"].errors[f"score_{dimensions[0].pk}"] == [
        "Ensure this value is less than or equal to 10."
    ]
    assert snapshot() == before


def test_missing_score_at_submit_is_next_to_its_field(client, pairing, supported_admin, dimensions):
    client.force_login(supported_admin)
    data = _review_post(dimensions, action="submit")
    data[f"score_{dimensions[3].pk}"] = ""
    data[f"comment_{dimensions[3].pk}"] = ""
    before = snapshot()
    with mock.patch("medtalent.annual.workflow.timezone.localdate", return_value=OPEN_DAY):
        response = client.post(_review_url(pairing, K.SELF_SUPPORTED), data)
    assert response.context["form"].errors == {
        f"score_{dimensions[3].pk}": ["Give “Key specialty building” a score before submitting."]
    }
    assert snapshot() == before


@pytest.mark.parametrize(
    ("kind", "filer", "others"),
    [
        (K.SELF_SUPPORTING, "supporting_admin", ["supported_admin", "commission"]),
        (K.SELF_SUPPORTED, "supported_admin", ["supporting_admin", "commission"]),
        (K.EVALUATION, "commission", ["supporting_admin", "supported_admin"]),
    ],
)
def test_a_draft_is_the_filers_only(request, client, pairing, dimensions, kind, filer, others):
    actor = request.getfixturevalue(filer)
    services.review_save(actor=actor, pairing=pairing, year=YEAR, kind=kind, summary="草稿内容")
    for who in others:
        client.force_login(request.getfixturevalue(who))
        before = snapshot()
        assert client.get(_review_url(pairing, kind)).status_code == 403
        assert client.post(_review_url(pairing, kind), _review_post(dimensions)).status_code == 403
        page = _html(client.get(_year_url(pairing)))
        assert "草稿内容" not in page
        slot = next(s for s in client.get(_year_url(pairing)).context["data"].reviews if s.kind == kind)
        assert (slot.review, slot.files) == (None, False)
        assert snapshot() == before
    client.force_login(actor)
    assert "草稿内容" in _html(client.get(_review_url(pairing, kind)))


@pytest.mark.parametrize("who", ["supporting_admin", "supported_admin", "commission"])
def test_submitted_reviews_are_read_only_for_everybody_allowed(
    request, client, pairing, submitted_all, dimensions, who
):
    client.force_login(request.getfixturevalue(who))
    for kind in (K.SELF_SUPPORTING, K.SELF_SUPPORTED):
        response = client.get(_review_url(pairing, kind))
        assert response.status_code == 200
        assert response.context["form"] is None
        assert response.context["may_return"] is (who == "commission")
        before = snapshot()
        response = client.post(_review_url(pairing, kind), _review_post(dimensions))
        assert response.status_code in (302, 403)
        assert snapshot() == before


def test_commission_returns_a_self_assessment(client, pairing, commission, submitted_all):
    client.force_login(commission)
    url = _review_url(pairing, K.SELF_SUPPORTED, name="annual:review_return")
    before = snapshot()
    response = client.post(url, {"note": ""})
    assert response.status_code == 200
    assert response.context["return_form"].errors == {
        "note": ["Say what must be changed when returning a self-assessment."]
    }
    assert snapshot() == before
    response = client.post(url, {"note": "请补充外转率"})
    assert response.status_code == 302
    review = AnnualReview.objects.get(pairing=pairing, year=YEAR, kind=K.SELF_SUPPORTED)
    assert review.state == ReviewState.DRAFT
    assert AuditEvent.objects.filter(action="annual_review.transition", note="请补充外转率").count() == 1


def test_parties_may_not_return(client, pairing, supporting_admin, supported_admin, submitted_all):
    for user in (supporting_admin, supported_admin):
        client.force_login(user)
        before = snapshot()
        for kind in (K.SELF_SUPPORTING, K.SELF_SUPPORTED):
            url = _review_url(pairing, kind, name="annual:review_return")
            assert client.post(url, {"note": "退回"}).status_code == 403
        assert snapshot() == before


def test_evaluation_page_has_the_conclusion_and_can_be_reopened(client, pairing, commission, dimensions):
    client.force_login(commission)
    url = _review_url(pairing, K.EVALUATION)
    assert "conclusion" in client.get(url).context["form"].fields
    with mock.patch("medtalent.annual.workflow.timezone.localdate", return_value=OPEN_DAY):
        client.post(url, _review_post(dimensions, action="submit", conclusion="excellent"))
    review = AnnualReview.objects.get(pairing=pairing, year=YEAR, kind=K.EVALUATION)
    assert (review.state, review.conclusion) == ("submitted", "excellent")
    response = client.post(_review_url(pairing, K.EVALUATION, name="annual:review_return"), {"note": ""})
    assert response.status_code == 302
    assert AnnualReview.objects.get(pk=review.pk).state == "draft"


def test_unknown_review_kind_is_404(client, pairing, commission):
    client.force_login(commission)
    assert client.get(_review_url(pairing, "nonsense")).status_code == 404


# ---- the overview -----------------------------------------------------------------------------------------


def _overview(client, **params):
    return client.get(reverse("annual:overview"), {"programme": "zj-pairing-2014", **params})


def _count(response) -> int:
    return response.context["table"].paginator.count


def _row(response, pairing):
    """The overview's row of a pairing shown on the page."""
    record = next(p for p in response.context["rows"] if p.pk == pairing.pk)
    return response.context["table"].row_for(record)


def _years(response) -> list[int]:
    return [int(value) for value, _label in response.context["filter"].form.fields["year"].choices]


def test_overview_for_the_commission(client, pairing, commission, submitted_all, target):
    client.force_login(commission)
    response = _overview(client, year=2015)
    assert response.status_code == 200
    assert _count(response) == 165
    row = _row(response, pairing)
    assert row.states == [("self_supporting", "submitted"), ("self_supported", "submitted"), ("evaluation", "")]
    assert (row.targets_achieved, row.targets_total) == (0, 1)
    assert _count(_overview(client, year=2015, city="330100")) == 16
    assert _overview(client).context["year"] == 2016  # the latest year of the programme (today is later)
    # A year no pairing runs in is not offered: an error beside the select, the default year shown, the city applied.
    outside = _overview(client, year=2017, city="330100")
    assert (outside.context["year"], _count(outside), list(outside.context["filter"].errors)) == (2016, 16, ["year"])


def test_overview_offers_the_years_of_a_renewed_pairing(client, pairing, commission, supporting_admin, supported_admin):
    renew(pairing, supporting_admin, supported_admin)
    client.force_login(commission)
    with mock.patch("medtalent.annual.selectors.timezone.localdate", return_value=dt.date(2026, 12, 7)):
        response = _overview(client)
    assert _years(response) == [2014, 2015, 2016, 2026, 2027, 2028]
    assert response.context["year"] == 2026  # this year, covered by the renewal
    assert [p.pk for p in response.context["rows"]] == [pairing.pk]
    assert '<option value="2027">2027</option>' in _html(response)
    assert [p.pk for p in _overview(client, year=2028).context["rows"]] == [pairing.pk]
    # Its first term stays in the overview of 2015, with the other pairings.
    rows_2015 = _overview(client, year=2015).context["rows"]
    assert pairing.pk in [p.pk for p in rows_2015]
    assert _count(_overview(client, year=2015)) == 165
    # The pairing-year page of the new term opens.
    assert client.get(reverse("annual:year", args=[pairing.pk, 2027])).status_code == 200
    assert client.get(reverse("annual:year", args=[pairing.pk, 2020])).status_code == 404


def test_overview_for_a_unit_admin_lists_its_hospitals_pairings(client, pairing, supported_admin, supporting_admin):
    services.review_save(actor=supporting_admin, pairing=pairing, year=YEAR, kind=K.SELF_SUPPORTING, summary="草稿")
    client.force_login(supported_admin)
    response = _overview(client, year=2015)
    rows = response.context["rows"]
    # 景宁 is supported by two hospitals (Annex 1 and Annex 2): both pairings, nothing else.
    assert sorted(p.pk for p in rows) == sorted(
        Pairing.objects.filter(supported=pairing.supported).values_list("pk", flat=True)
    )
    assert len(rows) == 2
    # The supporting hospital's draft shows as not submitted to the supported hospital, as a draft to its filer.
    assert _row(response, pairing).states[0] == ("self_supporting", "")
    client.force_login(supporting_admin)
    response = _overview(client, year=2015)
    assert len(response.context["rows"]) == 3  # 浙大一院 supports three county hospitals
    assert _row(response, pairing).states[0] == ("self_supporting", "draft")


@pytest.mark.parametrize("who", sorted(set(OUTSIDERS) - {"other_pairing_unit_admin"}))
def test_overview_visitor_and_outsiders(client, who):
    response = _overview(client)
    assert response.status_code == 302
    client.force_login(OUTSIDERS[who]())
    before = snapshot()
    assert _overview(client).status_code == 403
    assert snapshot() == before


# ---- no N+1 ---------------------------------------------------------------------------------------------------

SUPPORTING_HOSPITALS = [("武警杭州医院", 1), ("浙江大学医学院附属第一医院", 3)]


@pytest.mark.parametrize(("hospital", "rows"), SUPPORTING_HOSPITALS)
def test_overview_query_count_for_1_and_3_rows(client, django_assert_num_queries, hospital, rows):
    user = make_user(Role.UNIT_ADMIN, org(hospital))
    for pairing in Pairing.objects.filter(supporting=org(hospital)):
        services.target_create(actor=user, pairing=pairing, year=YEAR, kind=TargetKind.TEAM, title="团队")
        services.review_save(actor=user, pairing=pairing, year=YEAR, kind=K.SELF_SUPPORTING, summary="草稿")
    client.force_login(user)
    with django_assert_num_queries(OVERVIEW_QUERIES_UNIT):
        response = _overview(client, year=2015)
    assert len(response.context["rows"]) == rows
    assert {response.context["table"].row_for(p).targets_total for p in response.context["rows"]} == {1}


@pytest.mark.parametrize(("city", "rows"), [("330800", 6), ("330200", 21)])
def test_overview_query_count_for_the_commission(client, commission, django_assert_num_queries, city, rows):
    client.force_login(commission)
    with django_assert_num_queries(OVERVIEW_QUERIES_COMMISSION):
        response = _overview(client, year=2015, city=city)
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("targets", [1, 3])
def test_year_page_query_count_for_1_and_3_targets(
    client, pairing, supported_admin, commission, dimensions, django_assert_num_queries, targets
):
    for n in range(targets):
        target = services.target_create(
            actor=supported_admin, pairing=pairing, year=YEAR, kind=TargetKind.KEY_TECHNIQUE, title=f"技术{n}"
        )
        services.target_set_status(actor=supported_admin, target=target, status="achieved", evidence="证据")
    services.review_file(
        actor=supported_admin,
        pairing=pairing,
        year=YEAR,
        kind=K.SELF_SUPPORTED,
        summary="总结",
        scores=full_scores(dimensions),
        submit=True,
        today=OPEN_DAY,
    )
    client.force_login(supported_admin)
    with django_assert_num_queries(YEAR_PAGE_QUERIES):
        response = client.get(_year_url(pairing))
    assert len(response.context["data"].targets) == targets
    assert response.context["data"].achieved == targets
