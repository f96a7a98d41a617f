"""The machinery of the permission matrix (`test_permission_matrix.py` holds the table itself).

- the roles and named groups of roles, and the answers a request may get (`OK`, `LOGIN`, `FORBIDDEN` …);
- `ans(default, **by_role_or_group)`: one row of the table, compactly; `Bug(right, now=..., why=...)` marks a cell
  whose current answer is wrong (the test expects the right one, as a strict xfail);
- `url_patterns()`: every URL pattern of the project, walked from `get_resolver()`, keyed by URL name (pages),
  admin model and view kind (the admin), or operation id (the API);
- `build_world()`: one user per role and, for every kind of object a URL takes, one object inside the roles' scope
  (Zhejiang: the commission 浙江省卫生健康委员会, the hospital 浙大一院 and its seed pairing with 景宁县人民医院,
  the applicant's application through 浙大一院, the alliance's records) and one outside it (Guangxi);
- `answer_of(response)`: the observed answer; `db_state()`: every table's row count and largest key, in one query,
  to show that a refused write changed nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.admin.sites import site as admin_site
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection, models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from medtalent.accounts.enums import Role
from medtalent.alliance.enums import EventKind, MembershipKind
from medtalent.alliance.models import Committee, Event, Membership
from medtalent.annual.enums import ReviewKind, TargetKind
from medtalent.annual.models import AnnualReview, EvaluationDimension, YearFocus, YearlyTarget
from medtalent.api.api import api
from medtalent.applications.models import ImportJob
from medtalent.catalog.enums import ProgrammeType
from medtalent.catalog.models import Category, Programme
from medtalent.codes.models import Code, CodeTable, Specialty
from medtalent.core.models import AuditEvent
from medtalent.indicators.models import IndicatorValue
from medtalent.notifications.models import Notice
from medtalent.orgs.enums import OrganisationKind
from medtalent.orgs.models import Department, Organisation, Tag
from medtalent.partnerships.models import AgreementClause, Pairing
from medtalent.partnerships.services import agreement_create_from_template
from medtalent.people.models import Consent, Document, Person, PrivacyNotice
from medtalent.policy.models import ClawbackRule, CostShareRule, GradingScale, ServiceTerms
from medtalent.stints.enums import StintKind
from medtalent.stints.models import Stint
from medtalent.workdays.models import CalendarDay
from tests.factories import (
    ApplicationFactory,
    OfferingFactory,
    OrganisationFactory,
    RoundFactory,
    code,
)
from tests.helpers import make_user

# Roles -----------------------------------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
APPLICANT = "applicant"
UNIT_ADMIN = "unit_admin"
COMMISSION_ADMIN = "commission_admin"
REVIEWER = "reviewer"
HOST_COORDINATOR = "host_coordinator"
ALLIANCE_SECRETARIAT = "alliance_secretariat"
REFERENCE_DATA_EDITOR = "reference_data_editor"
AUDITOR = "auditor"
SUPERUSER = "superuser"

ROLES = (
    ANONYMOUS,
    APPLICANT,
    UNIT_ADMIN,
    COMMISSION_ADMIN,
    REVIEWER,
    HOST_COORDINATOR,
    ALLIANCE_SECRETARIAT,
    REFERENCE_DATA_EDITOR,
    AUDITOR,
    SUPERUSER,
)

# Named groups of roles, usable as keys of `ans(...)`; a role named on its own wins over its group.
GROUPS: dict[str, tuple[str, ...]] = {
    "users": tuple(r for r in ROLES if r != ANONYMOUS),  # everybody logged in
    "staff": (COMMISSION_ADMIN, ALLIANCE_SECRETARIAT, REFERENCE_DATA_EDITOR, AUDITOR, SUPERUSER),  # is_staff
    "non_staff": (APPLICANT, UNIT_ADMIN, REVIEWER, HOST_COORDINATOR),
    # Roles with no business on the pairing, application and people pages of the world.
    "outsiders": (APPLICANT, REVIEWER, HOST_COORDINATOR, ALLIANCE_SECRETARIAT, REFERENCE_DATA_EDITOR, AUDITOR),
    "no_role": (REVIEWER, HOST_COORDINATOR, ALLIANCE_SECRETARIAT, REFERENCE_DATA_EDITOR, AUDITOR),
}

# Staff status of the world's users (the admin opens only for staff): as `load_demo` gives it, and the two roles of
# issue 10 that work in the admin or beside it.
STAFF_ROLES = set(GROUPS["staff"])


# Answers ---------------------------------------------------------------------------------------------------------

OK = 200
CREATED = 201
BAD_REQUEST = 400
UNAUTHORIZED = 401
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405
UNPROCESSABLE = 422
LOGIN = "login"  # 302 to the login page
ADMIN_LOGIN = "admin-login"  # 302 to the admin's login page
ADMIN_INDEX = "admin-index"  # 302 to the admin's index: Django's admin answer for an object outside the queryset
REDIRECT = "redirect"  # 301/302 anywhere else (a form that worked, a page that moved)

REFUSALS = {LOGIN, ADMIN_LOGIN, ADMIN_INDEX, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, NOT_ALLOWED}


@dataclass(frozen=True)
class Bug:
    """A cell whose current answer is wrong: the test expects `right` (strict xfail until it is fixed)."""

    right: Any
    now: Any
    why: str


def ans(default: Any, /, **by_role: Any) -> dict[str, Any]:
    """One row of the table: the answer of each role. Keys are roles or names of `GROUPS`; roles win over groups."""
    unknown = set(by_role) - set(ROLES) - set(GROUPS)
    if unknown:
        raise ValueError(f"not a role or a group: {sorted(unknown)}")
    row = dict.fromkeys(ROLES, default)
    for key, value in by_role.items():
        if key in GROUPS:
            row.update(dict.fromkeys(GROUPS[key], value))
    row.update({key: value for key, value in by_role.items() if key in ROLES})
    return row


def expected(value: Any) -> Any:
    return value.right if isinstance(value, Bug) else value


def answer_of(response) -> Any:
    """The observed answer, in the terms of the table."""
    status = response.status_code
    if status in (301, 302, 303):
        location = response.headers.get("Location", "")
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
        if location.startswith(settings.LOGIN_URL) or location.startswith("/accounts/login/"):
            return LOGIN
        if location == "/admin/":
            return ADMIN_INDEX
        return REDIRECT
    return status


# URL patterns ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # the URL name ("people:detail"), the admin's "admin:<app>.<model>:<view>" or "api:<operation id>"
    route: str  # the full route, for messages
    kind: str  # "page", "admin" or "api"
    methods: tuple[str, ...] = ()  # API: the operation's methods


def _walk(resolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry


ADMIN_MODEL_VIEW = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/(?P<rest>.*)$")


def _admin_key(route: str, entry: URLPattern) -> str:
    """`admin:<app>.<model>:<view>` for a model's pages ('changelist', 'add', 'change', 'delete', 'history',
    'redirect' for the bare `<object_id>/` and any extra view by its name); `admin:site:<name>` for the site's."""
    name = entry.name or ""
    match = ADMIN_MODEL_VIEW.match(route)
    if match and f"{match['app']}.{match['model']}" in admin_model_labels():
        label = f"{match['app']}.{match['model']}"
        prefix = f"{match['app']}_{match['model']}_"
        if name.startswith(prefix):
            return f"admin:{label}:{name[len(prefix) :]}"
        if not name and match["rest"] == "<path:object_id>/":
            return f"admin:{label}:redirect"
        return f"admin:{label}:{name or match['rest']}"
    if name == "auth_user_password_change":
        return "admin:accounts.user:password"
    return f"admin:site:{name or 'catch_all'}"


def admin_model_labels() -> set[str]:
    return {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin_site._registry}


def url_patterns() -> list[Pattern]:
    """Every URL pattern of the project, keyed for the table."""
    found: dict[str, Pattern] = {}
    for route, namespace, entry in _walk(get_resolver()):
        if route.startswith("admin/"):
            key = _admin_key(route, entry)
            kind = "admin"
        elif namespace == "api" or route.startswith("api/v1/"):
            continue  # from the OpenAPI schema below, one per operation
        else:
            name = entry.name or ""
            key = f"{namespace}:{name}" if namespace else (name or route)
            kind = "page"
        if key not in found:  # i18n/setlang/ is routed twice: the first one answers
            found[key] = Pattern(key=key, route=route, kind=kind)
    for key, (route, methods) in api_operations().items():
        found[key] = Pattern(key=key, route=route, kind="api", methods=methods)
    return sorted(found.values(), key=lambda p: p.key)


def api_operations() -> dict[str, tuple[str, tuple[str, ...]]]:
    """The API's operations from its OpenAPI schema: `api:<operation id>` -> (route, methods); and the API's own
    pages (the schema, the docs, the root)."""

    schema = api.get_openapi_schema()
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            op_id = operation.get("operationId") or f"{method}_{path}"
            # medtalent_catalog_api_programme_list -> catalog.programme_list
            short = re.sub(r"^medtalent_(\w+?)_api_", r"\1.", op_id)
            found[f"api:{short}"] = (path.lstrip("/"), (method.upper(),))
    for route, namespace, entry in _walk(get_resolver()):
        if namespace == "api" and entry.name in ("openapi-json", "openapi-view", "api-root"):
            found[f"api:{entry.name}"] = (route, ("GET",))
    return found


# Rows of every table ---------------------------------------------------------------------------------------------

# Tables a refused request may legitimately write: the session (the test client's login).
STATE_EXCLUDED = {"sessions.session"}


def _state_sql() -> str:
    parts = []
    quote = connection.ops.quote_name
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in STATE_EXCLUDED or not model._meta.managed or model._meta.proxy:
            continue
        pk = model._meta.pk
        largest = f"MAX({quote(pk.column)})" if isinstance(pk, models.AutoField | models.BigAutoField) else "NULL"
        parts.append(f"SELECT '{label}', COUNT(*), {largest} FROM {quote(model._meta.db_table)}")
    return " UNION ALL ".join(parts)


def db_state() -> dict[str, tuple[int, int | None]]:
    """The number of rows and the largest integer key of every table: what a refused write must leave as it was."""
    with connection.cursor() as cursor:
        cursor.execute(_state_sql())
        return {label: (count, largest) for label, count, largest in cursor.fetchall()}


# The world -------------------------------------------------------------------------------------------------------

INSIDE_COMMISSION = "zj-hc"  # 浙江省卫生健康委员会, 330000
INSIDE_SUPPORTING = "zju-first-hospital"  # 浙大一院: the unit administrator's hospital
INSIDE_SUPPORTED = "zj-h-331127-1"  # 景宁县人民医院, supported by 浙大一院 (seed pairing of zj-pairing-2014)
INSIDE_PROGRAMME = "zj-uk-clinical"  # published, owned by zj-hc
ALLIANCE = "bri-medical-talent-alliance"
COMMITTEE = "minimally-invasive-surgery"
OUTSIDE_COMMISSION = "gx-hc"  # 广西壮族自治区卫生健康委员会, 450000
OUTSIDE_PROGRAMME = "gx-excellent-young"
YEAR = 2015  # a year of the seed pairing's term (2014–2016)


@dataclass
class World:
    users: dict[str, Any]
    inside: dict[str, dict[str, Any]]  # object kind -> URL kwargs inside the roles' scope
    outside: dict[str, dict[str, Any]]  # object kind -> URL kwargs outside it (another province)
    admin_objects: dict[str, tuple[Any, Any]]  # admin model label -> (pk inside, pk outside or None)
    files: list[Any] = field(default_factory=list)  # stored files, deleted at the end
    content_type_of_person: int = 0
    sessions: dict[str, str] = field(default_factory=dict)  # role -> session key of its logged-in client


def _org(code: str):

    return Organisation.objects.select_related("region").get(code=code)


def build_world() -> World:
    """One user per role and one object of each kind inside and outside their scope (see the module docstring)."""

    commission = _org(INSIDE_COMMISSION)
    supporting = _org(INSIDE_SUPPORTING)
    supported = _org(INSIDE_SUPPORTED)
    alliance = _org(ALLIANCE)
    other_commission = _org(OUTSIDE_COMMISSION)

    users = {
        ANONYMOUS: None,
        APPLICANT: make_user(Role.APPLICANT, username="m-applicant"),
        UNIT_ADMIN: make_user(Role.UNIT_ADMIN, supporting, username="m-unit"),
        COMMISSION_ADMIN: make_user(Role.COMMISSION_ADMIN, commission, username="m-commission", is_staff=True),
        REVIEWER: make_user(Role.REVIEWER, username="m-reviewer"),
        ALLIANCE_SECRETARIAT: make_user(Role.ALLIANCE_SECRETARIAT, alliance, username="m-alliance", is_staff=True),
        REFERENCE_DATA_EDITOR: make_user(Role.REFERENCE_DATA_EDITOR, commission, username="m-refdata", is_staff=True),
        AUDITOR: make_user(Role.AUDITOR, commission, username="m-auditor", is_staff=True),
        SUPERUSER: make_user(username="m-superuser", is_staff=True, is_superuser=True),
    }
    root = users[SUPERUSER]

    # Inside: the commission's province. The applicant works at the unit administrator's hospital, applies to a
    # round of a programme of the commission, hosted by the host coordinator's hospital.
    host = OrganisationFactory(code="m-host", region=code("region", "330100"))
    users[HOST_COORDINATOR] = make_user(Role.HOST_COORDINATOR, host, username="m-host")
    programme = Programme.objects.get(code=INSIDE_PROGRAMME)
    round_ = RoundFactory(programme=programme, code="m-round", application_opens=dt.date(2020, 1, 1))
    OfferingFactory(round=round_, host=host)
    person = Person.objects.create(name="矩阵申请人", employer=supporting, user=users[APPLICANT], phone="13812345678")
    application = ApplicationFactory(person=person, round=round_, unit=supporting)

    # Outside: Guangxi. A hospital, a person of its staff and their application to the Guangxi programme.
    gx_region = code("region", "450100")
    gx_hospital = OrganisationFactory(code="m-gx-hospital", region=gx_region)
    gx_county = OrganisationFactory(code="m-gx-county", region=code("region", "450121"))
    gx_person = Person.objects.create(name="区外人员", employer=gx_hospital, phone="13912345678")
    gx_round = RoundFactory(programme=Programme.objects.get(code=OUTSIDE_PROGRAMME), code="m-gx-round")
    gx_application = ApplicationFactory(person=gx_person, round=gx_round, unit=gx_hospital)

    documents = {}
    for key, owner in (("inside", person), ("outside", gx_person)):
        document = Document(
            person=owner, kind="cv", original_name="cv.pdf", content_type="application/pdf", size=20, uploaded_by=root
        )
        document.file.save("matrix-cv.pdf", ContentFile(b"%PDF-1.4\n%matrix\n"), save=False)
        document.save()
        documents[key] = document

    # Pairings: the seed one inside; one of a Guangxi pairing-support programme outside.
    pairing = Pairing.objects.get(supporting=supporting, supported=supported)
    gx_programme = Programme.objects.create(
        code="m-gx-pairing",
        name_zh="区外对口支援",
        owner=other_commission,
        programme_type=ProgrammeType.PAIRING_SUPPORT,
        status="published",
        duration_min=1,
        duration_max=3,
    )
    # The rule preview of a category (issue 12): a seed category of Wenzhou inside, one of Guangxi's programme outside.
    category = Category.objects.filter(programme__owner__region__code__startswith="33").order_by("pk").first()
    gx_category = Category.objects.create(programme=gx_programme, code="m-gx-category", name_zh="区外类别")
    tag = Tag.objects.create(code="m-tag", name_zh="矩阵标签")
    gx_pairing = Pairing.objects.create(
        programme=gx_programme,
        supporting=gx_hospital,
        supported=gx_county,
        starts_on=dt.date(2014, 1, 1),
        ends_on=dt.date(2016, 12, 31),
    )
    agreement = agreement_create_from_template(actor=root, pairing=pairing)
    gx_agreement = agreement_create_from_template(actor=root, pairing=gx_pairing)
    clause = AgreementClause.objects.filter(agreement=agreement).order_by("pk").first()
    gx_clause = AgreementClause.objects.filter(agreement=gx_agreement).order_by("pk").first()

    doctor = Person.objects.create(name="派驻医生", employer=supporting, title=code("title", "232"))
    stint = Stint.objects.create(
        kind=StintKind.DISPATCH,
        person=doctor,
        home=supporting,
        host=supported,
        pairing=pairing,
        starts_on=dt.date(2025, 9, 1),
        ends_on=dt.date(2026, 2, 28),
    )
    gx_stint = Stint.objects.create(
        kind=StintKind.DISPATCH,
        person=gx_person,
        home=gx_hospital,
        host=gx_county,
        pairing=gx_pairing,
        starts_on=dt.date(2025, 9, 1),
        ends_on=dt.date(2026, 2, 28),
    )

    target = YearlyTarget.objects.create(pairing=pairing, year=YEAR, kind=TargetKind.TEAM, title="矩阵目标")
    gx_target = YearlyTarget.objects.create(pairing=gx_pairing, year=YEAR, kind=TargetKind.TEAM, title="区外目标")
    review = AnnualReview.objects.create(pairing=pairing, year=YEAR, kind=ReviewKind.SELF_SUPPORTING)
    AnnualReview.objects.create(pairing=gx_pairing, year=YEAR, kind=ReviewKind.SELF_SUPPORTING)
    IndicatorValue.objects.create(organisation=supported, year=YEAR, kind="in_county_visit_rate", value=80)
    gx_indicator = IndicatorValue.objects.create(
        organisation=gx_county, year=YEAR, kind="in_county_visit_rate", value=70
    )

    jobs = {}
    for key, unit, round_of_job in (("inside", supporting, round_), ("outside", gx_hospital, gx_round)):
        jobs[key] = ImportJob.objects.create(
            unit=unit,
            round=round_of_job,
            uploaded_by=root,
            file="imports/matrix.xlsx",
            original_name="matrix.xlsx",
            state=ImportJob.State.FAILED,
        )

    notice = Notice.objects.create(
        recipient=users[APPLICANT], kind="applications.submitted", object_type="x", object_id="1", title="t", link=""
    )
    gx_notice = Notice.objects.create(
        recipient=make_user(username="m-somebody"),
        kind="applications.submitted",
        object_type="x",
        object_id="1",
        title="t",
    )

    # The alliance: a member and an event of the secretariat's alliance; of another alliance outside.
    membership = Membership.objects.filter(alliance=alliance).order_by("pk").first()
    event = Event.objects.filter(alliance=alliance).order_by("pk").first()
    committee = Committee.objects.get(code=COMMITTEE)
    other_alliance = OrganisationFactory(code="m-other-alliance", kind=OrganisationKind.ASSOCIATION)
    gx_membership = Membership.objects.create(
        alliance=other_alliance, organisation=gx_hospital, kind=MembershipKind.MEMBER
    )
    gx_event = Event.objects.create(alliance=other_alliance, code="m-other-event", kind=EventKind.CONFERENCE)

    audit_event = AuditEvent.objects.order_by("pk").first()
    group = Group.objects.create(name="matrix")
    totp = TOTPDevice.objects.create(user=root, name="matrix")
    static = StaticDevice.objects.create(user=root, name="matrix")
    consent_notice = PrivacyNotice.objects.order_by("pk").first()
    consent = Consent.objects.create(person=person, notice=consent_notice) if consent_notice else None
    gx_consent = Consent.objects.create(person=gx_person, notice=consent_notice) if consent_notice else None

    pairing_year = {"pairing_pk": pairing.pk, "year": YEAR}
    gx_pairing_year = {"pairing_pk": gx_pairing.pk, "year": YEAR}
    inside = {
        "programme": {"code": programme.code},
        "host": {"code": host.code},
        "round": {"code": round_.code},
        "application": {"pk": application.pk},
        "document": {"pk": documents["inside"].pk},
        "person": {"pk": person.pk},
        "reveal": {"pk": person.pk, "field": "phone"},
        "verify": {"pk": person.pk, "fact": "title"},
        "import_job": {"pk": jobs["inside"].pk},
        "event": {"code": event.code},
        "committee": {"code": committee.code},
        "membership": {"pk": membership.pk},
        "pairing": {"pairing_pk": pairing.pk},
        "agreement": {"pk": agreement.pk},
        "clause": {"pk": agreement.pk, "clause_pk": clause.pk},
        "stint": {"pk": stint.pk},
        "pairing_year": pairing_year,
        "target": {**pairing_year, "pk": target.pk},
        "review": {**pairing_year, "kind": review.kind},
        "hospital": {"code": supported.code},
        "category": {"pk": category.pk},
        "notice": {"pk": notice.pk},
        # API arguments
        "api_programme": {"code": programme.code},
        "api_code_table": {"standard": CodeTable.objects.order_by("pk").first().standard},
        "api_pairing_year": {"pairing_id": pairing.pk, "year": YEAR},
        "api_review": {"pairing_id": pairing.pk, "year": YEAR, "kind": review.kind},
        "api_hospital": {"code": supported.code},
        "api_event": {"code": event.code},
    }
    outside = {
        "programme": {"code": "m-gx-pairing"},
        "round": {"code": gx_round.code},
        "application": {"pk": gx_application.pk},
        "document": {"pk": documents["outside"].pk},
        "person": {"pk": gx_person.pk},
        "reveal": {"pk": gx_person.pk, "field": "phone"},
        "verify": {"pk": gx_person.pk, "fact": "title"},
        "import_job": {"pk": jobs["outside"].pk},
        "event": {"code": gx_event.code},
        "membership": {"pk": gx_membership.pk},
        "pairing": {"pairing_pk": gx_pairing.pk},
        "agreement": {"pk": gx_agreement.pk},
        "clause": {"pk": gx_agreement.pk, "clause_pk": gx_clause.pk},
        "stint": {"pk": gx_stint.pk},
        "pairing_year": gx_pairing_year,
        "target": {**gx_pairing_year, "pk": gx_target.pk},
        "review": {**gx_pairing_year, "kind": review.kind},
        "hospital": {"code": gx_county.code},
        "category": {"pk": gx_category.pk},
        "notice": {"pk": gx_notice.pk},
        "api_pairing_year": {"pairing_id": gx_pairing.pk, "year": YEAR},
        "api_review": {"pairing_id": gx_pairing.pk, "year": YEAR, "kind": review.kind},
        "api_hospital": {"code": gx_county.code},
        "api_event": {"code": gx_event.code},
    }

    # Money, service and grading policy (issue 12): the seed rules of Wenzhou (inside Zhejiang) and Guangxi's seed
    # grading scale; the others made here, one inside (the commission's programme) and one outside (Guangxi's).
    gx_seed_programme = Programme.objects.get(code=OUTSIDE_PROGRAMME)
    policy_objects = {
        "policy.costsharerule": (
            CostShareRule.objects.filter(programme__code="wz-bysh").order_by("pk").first(),
            CostShareRule.objects.create(programme=gx_seed_programme),
        ),
        "policy.clawbackrule": (
            ClawbackRule.objects.filter(programme__code="wz-bysh").order_by("pk").first(),
            ClawbackRule.objects.create(programme=gx_seed_programme, trigger="failing_grade", payer="host"),
        ),
        "policy.serviceterms": (
            ServiceTerms.objects.create(programme=programme, service_years=2),
            ServiceTerms.objects.create(programme=gx_seed_programme, service_years=2),
        ),
        "policy.gradingscale": (
            GradingScale.objects.create(programme=programme, name_zh="矩阵考核"),
            GradingScale.objects.get(programme=gx_seed_programme, category=None),
        ),
    }

    def first(model):
        obj = model._default_manager.order_by("pk").first()
        return obj.pk if obj else 0

    admin_objects = {
        "core.auditevent": (audit_event.pk if audit_event else 0, None),
        "auth.group": (group.pk, None),
        "accounts.user": (users[APPLICANT].pk, None),
        "codes.codetable": (first(CodeTable), None),
        "codes.code": (first(Code), None),
        "codes.specialty": (first(Specialty), None),
        "orgs.organisation": (supporting.pk, gx_hospital.pk),
        "orgs.department": (first(Department), None),
        "orgs.tag": (tag.pk, None),
        "catalog.programme": (programme.pk, gx_programme.pk),
        "catalog.round": (round_.pk, gx_round.pk),
        "catalog.category": (first(Category), None),
        "catalog.offering": (round_.offerings.first().pk, None),
        "people.person": (person.pk, gx_person.pk),
        "people.document": (documents["inside"].pk, documents["outside"].pk),
        "people.consent": (consent.pk if consent else 0, gx_consent.pk if gx_consent else None),
        "people.privacynotice": (consent_notice.pk if consent_notice else 0, None),
        "alliance.membership": (membership.pk, gx_membership.pk),
        "alliance.committee": (committee.pk, None),
        "alliance.event": (event.pk, gx_event.pk),
        "stints.stint": (stint.pk, gx_stint.pk),
        "annual.yearfocus": (first(YearFocus), None),
        "annual.evaluationdimension": (first(EvaluationDimension), None),
        "annual.yearlytarget": (target.pk, gx_target.pk),
        "annual.annualreview": (review.pk, None),
        "indicators.indicatorvalue": (first(IndicatorValue), gx_indicator.pk),
        "otp_totp.totpdevice": (totp.pk, None),
        "otp_static.staticdevice": (static.pk, None),
        **{label: (inside.pk, outside.pk) for label, (inside, outside) in policy_objects.items()},
        "workdays.calendarday": (first(CalendarDay), None),
    }

    return World(
        content_type_of_person=ContentType.objects.get_for_model(Person).pk,
        users=users,
        inside=inside,
        outside=outside,
        admin_objects=admin_objects,
        files=[documents["inside"].file.name, documents["outside"].file.name],
    )


# URL arguments ---------------------------------------------------------------------------------------------------

# Which object of the world fills a route's arguments: the first rule whose pattern the route matches.
OBJECT_ROUTES: list[tuple[str, str]] = [
    (r"^programmes/<slug:code>/", "programme"),
    (r"^hosts/<slug:code>/", "host"),
    (r"^applications/start/<slug:code>/", "round"),
    (r"^applications/<int:pk>/", "application"),
    (r"^documents/<int:pk>/", "document"),
    (r"^people/<int:pk>/reveal/<slug:field>/", "reveal"),
    (r"^people/<int:pk>/verify/<slug:fact>/", "verify"),
    (r"^people/<int:pk>/", "person"),
    (r"^unit/imports/<int:pk>/", "import_job"),
    (r"^alliance/(manage/)?events/<slug:code>/", "event"),
    (r"^alliance/committees/<slug:code>/", "committee"),
    (r"^alliance/manage/members/<int:pk>/", "membership"),
    (r"^pairings/<int:pairing_pk>/years/<int:year>/targets/<int:pk>/", "target"),
    (r"^pairings/<int:pairing_pk>/years/<int:year>/reviews/<str:kind>/", "review"),
    (r"^pairings/<int:pairing_pk>/years/<int:year>/", "pairing_year"),
    (r"^pairings/<int:pairing_pk>/", "pairing"),
    (r"^agreements/<int:pk>/clauses/<int:clause_pk>/", "clause"),
    (r"^agreements/<int:pk>/", "agreement"),
    (r"^stints/<int:pk>/", "stint"),
    (r"^eligibility/preview/categories/<int:pk>/", "category"),
    (r"^hospitals/<str:code>/", "hospital"),
    (r"^me/notices/<int:pk>/", "notice"),
    (r"^accounts/reset/<uidb64>/<token>/", "reset_token"),
    # Issue 10's pages, classified for an object that does not exist (TODO: give the world a token, an invitation,
    # an account request and a consent of each kind, inside and outside the scope).
    (r"^me/tokens/<int:pk>/", "unknown_pk"),
    (r"^me/claim/<int:pk>/", "unknown_pk"),
    (r"^unit/accounts/\w+/<int:pk>/", "unknown_pk"),
    (r"^invitations/<str:token>/", "unknown_token"),
    (r"^me/privacy/withdraw/<slug:kind>/", "unknown_kind"),
    (r"^api/v1/programmes/\{code\}", "api_programme"),
    (r"^api/v1/code-tables/\{standard\}", "api_code_table"),
    (r"^api/v1/pairings/\{pairing_id\}/years/\{year\}/reviews/\{kind\}", "api_review"),
    (r"^api/v1/pairings/\{pairing_id\}/years/\{year\}", "api_pairing_year"),
    (r"^api/v1/hospitals/\{code\}/", "api_hospital"),
    (r"^api/v1/alliance/events/\{code\}", "api_event"),
]
FIXED_ARGS = {
    "reset_token": {"uidb64": "MQ", "token": "set-password"},
    "unknown_pk": {"pk": 987654},
    "unknown_token": {"token": "no-such-invitation"},
    "unknown_kind": {"kind": "no-such-kind"},
}


def object_kind(route: str) -> str | None:
    for pattern, kind in OBJECT_ROUTES:
        if re.match(pattern, route):
            return kind
    return None


def route_has_args(route: str) -> bool:
    return bool(re.search(r"<[^>]+>|\{[^}]+\}|\(\?P<", route))


def fill(route: str, kwargs: dict[str, Any]) -> str:
    """The path of a route with its arguments filled in (Django's `<conv:name>` or the API's `{name}`)."""

    def value(match: re.Match) -> str:
        name = match.group("name")
        if name not in kwargs:
            raise KeyError(f"no value for {name!r} in {route!r}")
        return str(kwargs[name])

    path = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, route)
    path = re.sub(r"\{(?:\w+:)?(?P<name>\w+)\}", value, path)
    return "/" + path


# Requests --------------------------------------------------------------------------------------------------------

ADMIN_SITE_PATHS = {
    "admin:site:app_list": "/admin/people/",
    "admin:site:catch_all": "/admin/no-such-page/",
}


def path_for(world: World, pattern: Pattern, scope: str, obj: str | None = None) -> str | None:
    """The path to request for `pattern` with the world's object inside or outside the scope (None: there is no
    object of that kind outside the scope, or the route takes no argument and `scope` is 'outside')."""
    if pattern.key in ADMIN_SITE_PATHS:
        return ADMIN_SITE_PATHS[pattern.key] if scope == "inside" else None
    if not route_has_args(pattern.route):
        return "/" + pattern.route if scope == "inside" else None
    if pattern.kind == "admin":
        return _admin_path(world, pattern, scope)
    kind = obj or object_kind(pattern.route)
    if kind is None:
        raise LookupError(
            f"the route {pattern.route!r} ({pattern.key}) takes arguments but no rule of matrix.OBJECT_ROUTES says "
            "which object of the world fills them: add one (and the object to matrix.build_world)"
        )
    if kind in FIXED_ARGS:
        return fill(pattern.route, FIXED_ARGS[kind]) if scope == "inside" else None
    kwargs = getattr(world, scope).get(kind)
    return None if kwargs is None else fill(pattern.route, kwargs)


def _admin_path(world: World, pattern: Pattern, scope: str) -> str | None:
    _, label, _view = pattern.key.split(":", 2)
    if label == "site":
        if pattern.key == "admin:site:view_on_site" and scope == "inside":
            return f"/admin/r/{world.content_type_of_person}/{world.inside['person']['pk']}/"
        return None
    inside, outside = world.admin_objects.get(label, (0, None))
    pk = inside if scope == "inside" else outside
    if pk is None:
        return None
    return fill(pattern.route, {"object_id": pk, "id": pk, "pk": pk})


def log_in_every_role(world: World) -> None:
    """One session per role (force_login, no password, no lockout counting), remembered by its key."""

    for role, user in world.users.items():
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        if role in STAFF_ROLES:  # staff work with two-factor authentication: their session passed the second step
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            device = device or TOTPDevice.objects.create(user=user, name="matrix", confirmed=True)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value


def send(world: World, role: str, method: str, path: str, body: Any = None):
    """The response to one request of `role` (a fresh client carrying the role's session: a logout or a session
    flush in one request cannot leak into the next)."""

    client = Client()
    if role in world.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    if body is not None:
        return client.generic(method, path, json.dumps(body), content_type="application/json")
    return client.generic(method, path) if method not in ("GET", "POST") else getattr(client, method.lower())(path)


# Rows of the table -----------------------------------------------------------------------------------------------

CELLS = (("GET", "inside"), ("POST", "inside"), ("GET", "outside"), ("POST", "outside"))


@dataclass(frozen=True)
class Entry:
    """What every role gets from one URL pattern: a row per (method, scope) requested. `obj` names the world's object
    that fills the route's arguments when `OBJECT_ROUTES` does not say."""

    cells: dict[tuple[str, str], dict[str, Any]]
    obj: str | None = None


def outside_of(row: dict[str, Any]) -> dict[str, Any]:
    """The usual answer for an object outside the scope: 404 for every logged-in non-superuser, the login page
    where the page asks for one, and the superuser's inside answer."""
    return {
        role: value if role == SUPERUSER or expected(value) in (LOGIN, ADMIN_LOGIN, NOT_ALLOWED) else NOT_FOUND
        for role, value in row.items()
    }


def entry(
    get: dict | None = None,
    post: dict | None = None,
    *,
    get_out: dict | str | None = "same",
    post_out: dict | str | None = "same",
    obj: str | None = None,
    method: str = "POST",
) -> Entry:
    """A row of the table. `get_out`/`post_out`: the answers for the object outside the scope; "same" (the default):
    `outside_of(get/post)` when the route takes an object, none otherwise. `method`: PUT for an API write."""
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    if get is not None:
        cells["GET", "inside"] = get
    if post is not None:
        cells[method, "inside"] = post
    for verb, row, out in (("GET", get, get_out), (method, post, post_out)):
        if isinstance(out, dict):
            cells[verb, "outside"] = out
        elif out == "same" and row is not None:
            cells[verb, "outside?"] = outside_of(row)  # only when the route takes an object (see `cells_for`)
    return Entry(cells=cells, obj=obj)


def cells_for(world: World, pattern: Pattern, item: Entry) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(method, scope, path, row) of every request of an entry."""
    found = []
    for (method, scope), row in item.cells.items():
        real_scope = scope.rstrip("?")
        if scope == "outside?" and pattern.kind == "admin" and pattern.key.rsplit(":", 1)[1] not in ADMIN_OUTSIDE:
            continue
        path = path_for(world, pattern, real_scope, item.obj)
        if path is None:
            if scope.endswith("?"):
                continue
            raise LookupError(f"{pattern.key}: no object outside the scope for {pattern.route!r}")
        found.append((write_method(pattern, method), real_scope, path, row))
    return found


def write_method(pattern: Pattern, method: str) -> str:
    """An API write is requested with its operation's method (PUT), whatever the table calls it."""
    return pattern.methods[0] if pattern.kind == "api" and method != "GET" else method


# The body of an API write: one the operation's schema accepts where that is cheap, so that the request reaches the
# permission check; else `{}` (the schema refuses it first: 422).
API_BODIES: dict[str, Any] = {"/hospitals/": []}


def observe(world: World, role: str, method: str, path: str) -> Any:
    body = None
    if path.startswith("/api/") and method != "GET":
        body = next((value for part, value in API_BODIES.items() if part in path), {})
    return answer_of(send(world, role, method, path, body))


# The admin's views that write (a changelist's POST runs an action on the selected rows: none selected, it writes
# nothing), and those worth requesting for an object outside the admin's queryset.
ADMIN_WRITES = {"add", "change", "delete", "password"}
ADMIN_OUTSIDE = {"change", "history"}
ADMIN_SITE_WRITES = {"admin:site:login", "admin:site:logout", "admin:site:password_change"}


def accepts_writes(pattern: Pattern) -> bool:
    if pattern.kind == "api":
        return pattern.methods[0] != "GET"
    if pattern.kind == "admin":
        return pattern.key.rsplit(":", 1)[1] in ADMIN_WRITES or pattern.key in ADMIN_SITE_WRITES
    view = resolver_entry(pattern).callback
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return True  # a function view: try it
    return any(hasattr(view_class, verb) for verb in ("post", "put", "patch", "delete"))


def accepts_reads(pattern: Pattern) -> bool:
    if pattern.kind == "api":
        return pattern.methods[0] == "GET"
    if pattern.kind == "page":
        view_class = getattr(resolver_entry(pattern).callback, "view_class", None)
        return view_class is None or hasattr(view_class, "get")
    return True


def resolver_entry(pattern: Pattern) -> URLPattern:
    for route, _namespace, found in _walk(get_resolver()):
        if route == pattern.route:
            return found
    raise LookupError(pattern.route)


def takes_object(pattern: Pattern) -> bool:
    return route_has_args(pattern.route) and pattern.key not in ADMIN_SITE_PATHS


def probe(pattern: Pattern) -> list[tuple[str, str]]:
    """The (method, scope) cells worth requesting for a pattern: GET where it reads, its write method where it
    writes (a refused write is what the matrix is for), and both for the object outside the scope."""
    write = pattern.methods[0] if pattern.kind == "api" and pattern.methods[0] != "GET" else "POST"
    methods = [m for m, ok in (("GET", accepts_reads(pattern)), (write, accepts_writes(pattern))) if ok]
    scopes = ["inside", "outside"] if takes_object(pattern) else ["inside"]
    if pattern.kind == "admin" and pattern.key.rsplit(":", 1)[1] not in ADMIN_OUTSIDE:
        scopes = ["inside"]
    return [(m, s) for s in scopes for m in methods]
