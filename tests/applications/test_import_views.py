"""Pages of the bulk import: who may use them, the upload, the job page polling its progress, the problems."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from medtalent.accounts.enums import Role
from medtalent.applications import import_columns
from medtalent.applications.models import Application, ImportJob
from medtalent.core.excel import XLSX_CONTENT_TYPE
from medtalent.core.models import AuditEvent
from medtalent.people.models import Person
from tests.applications.test_imports import good_row, iw, make_xlsx, upload  # noqa: F401  (iw: fixture)
from tests.factories import CommissionFactory, OrganisationFactory, RoleFactory, code

INDEX = reverse("imports:index")
TEMPLATE = reverse("imports:template")


def state() -> tuple:
    """Everything an import could change."""
    return (
        ImportJob.objects.count(),
        Person.objects.count(),
        Application.objects.count(),
        AuditEvent.objects.count(),
        list(ImportJob.objects.values_list("state", "created_count").order_by("pk")),
    )


def make_job(iw, **kwargs) -> ImportJob:  # noqa: F811
    kwargs.setdefault("original_name", "报名.xlsx")
    return ImportJob.objects.create(
        unit=iw.unit, round=iw.round, category=iw.category, uploaded_by=iw.admin, file="imports/x.xlsx", **kwargs
    )


@pytest.fixture
def outsiders(iw):  # noqa: F811
    """Everybody who must not use the unit's import pages."""
    other_admin = RoleFactory(role=Role.UNIT_ADMIN, organisation=OrganisationFactory()).user
    commission = RoleFactory(
        role=Role.COMMISSION_ADMIN, organisation=CommissionFactory(region=code("region", "330000"))
    ).user
    applicant = RoleFactory(role=Role.APPLICANT).user
    reviewer = RoleFactory(role=Role.REVIEWER).user
    return {"other_admin": other_admin, "commission": commission, "applicant": applicant, "reviewer": reviewer}


def target_key(iw) -> str:  # noqa: F811
    return f"{iw.round.pk}:{iw.category.pk}"


# ---------------------------------------------------------------------------------------------- normal path


def test_index_offers_open_rounds_and_lists_the_units_imports(client, iw):  # noqa: F811
    make_job(iw, state=ImportJob.State.DONE, created_count=12)
    client.force_login(iw.admin)

    response = client.get(INDEX)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{target_key(iw)}">' in html
    assert 'enctype="multipart/form-data"' in html
    assert reverse("imports:job", args=[ImportJob.objects.get().pk]) in html


@pytest.mark.parametrize("jobs", [1, 3])
def test_index_costs_the_same_queries_for_one_or_three_jobs(client, iw, jobs, django_assert_num_queries):  # noqa: F811
    for _ in range(jobs):
        make_job(iw)
    client.force_login(iw.admin)

    # session, user, roles, units, open rounds, their categories, the jobs
    with django_assert_num_queries(8):  # … and the header's unread notices
        response = client.get(INDEX)
    assert response.content.decode().count("报名.xlsx") == jobs


def test_template_download(client, iw):  # noqa: F811
    client.force_login(iw.admin)

    response = client.get(TEMPLATE, {"target": target_key(iw)})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''%E6%8A%A5%E5%90%8D%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF_{iw.round.code}_"
        f"{iw.category.code}.xlsx"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["报名信息"][1]] == [c.header for c in import_columns.COLUMNS]


def test_template_of_a_round_that_is_not_open_is_not_found(client, iw):  # noqa: F811
    iw.round.application_closes = timezone.localdate() - timezone.timedelta(days=1)
    iw.round.application_opens = iw.round.application_closes - timezone.timedelta(days=10)
    iw.round.save()
    client.force_login(iw.admin)

    assert client.get(TEMPLATE, {"target": target_key(iw)}).status_code == 404
    assert client.get(TEMPLATE, {"target": "nonsense"}).status_code == 404


def test_upload_a_good_file_runs_the_job_and_shows_the_outcome(client, iw, django_capture_on_commit_callbacks):  # noqa: F811
    client.force_login(iw.admin)
    content = make_xlsx([good_row(1), good_row(2)])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INDEX, {"target": target_key(iw), "unit": iw.unit.pk, "file": upload(content)})

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    assert (job.state, job.created_count, job.unit_id, job.uploaded_by_id) == ("done", 2, iw.unit.pk, iw.admin.pk)
    page = client.get(response["Location"]).content.decode()
    assert "hx-trigger" not in page
    assert (
        f"{reverse('applications:unit_list')}?round={iw.round.pk}&amp;category={iw.category.pk}&amp;state=draft" in page
    )


def test_upload_a_bad_file_lists_the_problems_and_writes_nothing(client, iw, django_capture_on_commit_callbacks):  # noqa: F811
    client.force_login(iw.admin)
    content = make_xlsx([good_row(1, 手机="12"), good_row(2, 姓名=None)])
    before = (Person.objects.count(), Application.objects.count())

    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        client.post(INDEX, {"target": target_key(iw), "unit": iw.unit.pk, "file": upload(content)})

    job = ImportJob.objects.get()
    assert job.state == "failed"
    assert (Person.objects.count(), Application.objects.count()) == before
    html = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert html.count("<tr>") == 1 + 2  # the header and one row per problem
    assert reverse("imports:errors", args=[job.pk]) in html
    errors = client.get(reverse("imports:errors", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(errors.content)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["行", "列", "单元格", "问题"],
        [2, "手机", "P2", job.errors[0]["message"]],
        [3, "姓名", "A3", job.errors[1]["message"]],
    ]


def test_upload_that_is_not_an_xlsx_is_refused_on_the_form(client, iw):  # noqa: F811
    client.force_login(iw.admin)
    before = state()

    response = client.post(
        INDEX, {"target": target_key(iw), "unit": iw.unit.pk, "file": upload(b"id,name\n", "a.xlsx")}
    )

    assert response.status_code == 400
    assert "请上传Excel工作簿（.xlsx）文件，建议使用本页下载的模板。" in response.content.decode()
    assert state() == before


def test_upload_for_a_unit_the_user_does_not_administer_is_refused(client, iw, outsiders):  # noqa: F811
    client.force_login(iw.admin)
    before = state()

    response = client.post(
        INDEX, {"target": target_key(iw), "unit": iw.other_unit.pk, "file": upload(make_xlsx([good_row()]))}
    )

    assert response.status_code == 400  # not one of the form's units
    assert state() == before


def test_job_page_polls_while_running_and_the_fragment_shows_progress(client, iw):  # noqa: F811
    job = make_job(iw, state=ImportJob.State.RUNNING, total_rows=5000, processed_rows=1500)
    client.force_login(iw.admin)

    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    fragment = client.get(reverse("imports:job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()

    assert f'hx-get="{reverse("imports:job", args=[job.pk])}" hx-trigger="every 1s" hx-swap="outerHTML"' in page
    assert '<progress class="import-progress" max="5000" value="1500">' in fragment
    assert fragment.lstrip().startswith('<section id="import-status"')
    assert "<header" not in fragment


def test_job_page_while_reading_the_file(client, iw):  # noqa: F811
    job = make_job(iw, state=ImportJob.State.RUNNING)
    client.force_login(iw.admin)

    with translation.override("en"):
        fragment = client.get(reverse("imports:job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()

    assert 'hx-trigger="every 1s"' in fragment
    assert "<progress" in fragment


def test_job_page_while_writing_and_when_done(client, iw):  # noqa: F811
    job = make_job(iw, state=ImportJob.State.RUNNING, total_rows=5, processed_rows=5)
    client.force_login(iw.admin)
    url = reverse("imports:job", args=[job.pk])

    writing = client.get(url, headers={"HX-Request": "true"}).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.DONE, created_count=5)
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert 'hx-trigger="every 1s"' in writing
    assert 'hx-trigger="every 1s"' not in done
    assert reverse("applications:unit_list") in done


# ---------------------------------------------------------------------------------------------- denied


@pytest.mark.parametrize("who", ["other_admin", "commission", "applicant", "reviewer", "anonymous"])
def test_nobody_else_may_use_the_import(client, iw, outsiders, who, django_capture_on_commit_callbacks):  # noqa: F811
    failed = make_job(
        iw, state=ImportJob.State.FAILED, errors=[{"row": 2, "column": "手机", "cell": "P2", "message": "x"}]
    )
    if who != "anonymous":
        client.force_login(outsiders[who])
    before = state()

    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.get(INDEX),
            client.get(TEMPLATE, {"target": target_key(iw)}),
            client.post(INDEX, {"target": target_key(iw), "unit": iw.unit.pk, "file": upload(make_xlsx([good_row()]))}),
            client.get(reverse("imports:job", args=[failed.pk])),
            client.get(reverse("imports:job", args=[failed.pk]), headers={"HX-Request": "true"}),
            client.get(reverse("imports:errors", args=[failed.pk])),
        ]

    codes = [r.status_code for r in responses]
    if who == "anonymous":
        assert codes == [302] * 6
        assert all(r["Location"].startswith(reverse("login")) for r in responses)
    elif who == "other_admin":
        # Their own unit's pages work, but an upload for this unit and this unit's job are refused.
        assert codes == [200, 200, 400, 404, 404, 404]
    else:
        assert codes == [403] * 6
    assert state() == before
