"""Every application page × every role. Allowed roles get the page or make the change; denied roles get
the answer below and NOTHING changes (applications, preferences, audit rows). Masked personal data is
never in the HTML of any role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medtalent.applications.enums import ApplicationState
from medtalent.applications.models import Application
from medtalent.catalog.models import Programme
from tests.applications.conftest import COMPLETE_FORM, ROLES, snapshot
from tests.factories import ApplicationFactory

S = ApplicationState
LOGIN = "login"  # a redirect to the log-in page
RELOGIN = "relogin"  # 200: the form as typed with a log-in box, or the autosave's "log in again" line
OUTSIDERS = ("other_applicant", "other_unit_admin", "commission_out", "reviewer", "host")


def expect(allowed: dict, default, anonymous=LOGIN) -> dict:
    return {role: allowed.get(role, default) for role in ROLES if role != "anonymous"} | {"anonymous": anonymous}


# view name, method, state of the application, data, {role: expected status}, what an allowed POST changes
VIEW_CASES = {
    "detail": ("get", S.SUBMITTED, None, expect({"owner": 200, "unit_admin": 200, "commission_in": 200}, 404)),
    "pdf": ("get", S.SUBMITTED, None, expect({"owner": 200, "unit_admin": 200, "commission_in": 200}, 404)),
    "edit": ("get", S.DRAFT, None, expect({"owner": 200, "unit_admin": 403, "commission_in": 403}, 404)),
    "edit-post": (
        "post",
        S.DRAFT,
        {**COMPLETE_FORM, "action": "save"},
        expect({"owner": 302, "unit_admin": 403, "commission_in": 403}, 404, anonymous=RELOGIN),
    ),
    "autosave": (
        "post",
        S.DRAFT,
        COMPLETE_FORM,
        expect({"owner": 200, "unit_admin": 403, "commission_in": 403}, 404, anonymous=RELOGIN),
    ),
    "submit": (
        "post",
        S.DRAFT,
        COMPLETE_FORM,
        expect({"owner": 302, "unit_admin": 403, "commission_in": 403}, 404, anonymous=RELOGIN),
    ),
    "withdraw": ("post", S.SUBMITTED, {}, expect({"owner": 302, "unit_admin": 403, "commission_in": 403}, 404)),
    "exception": (
        "post",
        S.DRAFT,
        {"note": "具有同等学术、技术水平"},
        expect({"owner": 403, "unit_admin": 302, "commission_in": 302}, 404),
    ),
    "decide": (
        "post",
        S.SUBMITTED,
        {"decision": "recommended", "opinion": "同意推荐"},
        expect({"unit_admin": 302, "other_unit_admin": 404}, 403),
    ),
}
# What the allowed POST leaves behind.
CHANGES = {
    "edit-post": lambda a: a.reason == COMPLETE_FORM["reason"] and a.state == S.DRAFT,
    "autosave": lambda a: a.reason == COMPLETE_FORM["reason"] and a.state == S.DRAFT,
    "submit": lambda a: a.state == S.SUBMITTED,
    "withdraw": lambda a: a.state == S.WITHDRAWN,
    "exception": lambda a: a.exception_note == "具有同等学术、技术水平",
    "decide": lambda a: (a.state, a.unit_opinion) == (S.RECOMMENDED, "同意推荐"),
}
CASES = [(view, role) for view in VIEW_CASES for role in ROLES]


def url_for(view: str, application: Application) -> str:
    if view == "decide":
        return reverse("applications:decide")
    name = view.removesuffix("-post")
    return reverse(f"applications:{name}", args=[application.pk])


@pytest.mark.parametrize(("view", "role"), CASES)
def test_view_by_role(world, login, view, role):
    method, state, data, expected = VIEW_CASES[view]
    application = ApplicationFactory(person=world.person, round=world.round, state=state)
    if view == "exception":  # only a programme that allows an equivalent level takes an exception
        Programme.objects.filter(pk=world.programme.pk).update(equivalent_level_allowed=True)
    if view == "decide":
        data = {**data, "ids": [application.pk]}
    client = login(world.user(role))
    before = snapshot()
    headers = {"HX-Request": "true"} if view == "autosave" else {}

    response = getattr(client, method)(url_for(view, application), data or {}, headers=headers)

    wanted = expected[role]
    if wanted == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif wanted == RELOGIN:
        assert response.status_code == 200
        assert "autosave-expired" in response.content.decode() or 'name="login_password"' in response.content.decode()
    else:
        assert response.status_code == wanted
    stored = Application.objects.get(pk=application.pk)
    if method == "post" and wanted in (200, 302):
        assert CHANGES[view](stored)
    elif not (view == "pdf" and wanted == 200):  # the PDF logs the phone number it prints in full
        assert snapshot() == before
    if response.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode()
        assert world.person.id_number not in html
        assert world.person.phone not in html


@pytest.mark.parametrize("role", ROLES)
def test_my_applications_by_role(world, login, role):
    ApplicationFactory(person=world.person, round=world.round, requested_department="独一无二的科室")
    before = snapshot()

    response = login(world.user(role)).get(reverse("applications:mine"), {})

    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert (world.programme.name in response.content.decode()) == (role == "owner")
    assert snapshot() == before


@pytest.mark.parametrize("role", ROLES)
def test_unit_list_by_role(world, login, role):
    ApplicationFactory(person=world.person, round=world.round, state=S.SUBMITTED)
    before = snapshot()

    response = login(world.user(role)).get(reverse("applications:unit_list"))

    expected = {"unit_admin": 200, "other_unit_admin": 200, "anonymous": 302}.get(role, 403)
    assert response.status_code == expected
    if expected == 200:
        html = response.content.decode()
        assert (world.person.name in html) == (role == "unit_admin")
        assert world.person.id_number not in html
        assert world.person.phone not in html
        assert ("3501**********1236" in html) == (role == "unit_admin")
    assert snapshot() == before


@pytest.mark.parametrize("role", ROLES)
def test_start_by_role(world, login, role):
    before = snapshot()

    response = login(world.user(role)).post(reverse("applications:start", args=[world.round.code]), {"category": ""})

    if role in ("owner", "other_applicant"):  # both have a profile: each starts their own application
        assert response.status_code == 302
        created = Application.objects.exclude(pk__in=[a["id"] for a in before["applications.Application"]]).get()
        assert created.person.user == world.user(role)
    else:  # no profile: to the profile page (or to log in); nothing is created
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") if role == "anonymous" else reverse("people:profile"))
        assert snapshot() == before


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_post_only_endpoints_refuse_other_methods(world, login, method):
    application = ApplicationFactory(person=world.person, round=world.round)
    client = login(world.user("owner"))
    before = snapshot()

    for name in ("autosave", "withdraw", "exception"):
        response = getattr(client, method)(reverse(f"applications:{name}", args=[application.pk]))
        assert response.status_code == 405
    assert snapshot() == before
