"""The REST API under /api/v1/. Each domain app contributes a router; all call the same services and
selectors as the web views. Every error is JSON: {"errors": [{"field": ..., "message": ...}]}.

Every operation declares how it authenticates (`medtalent.core.api_auth`): `SIGNED_IN` (a personal access token,
or a logged-in session with the CSRF token on writes) is the default for an operation that declares nothing;
public reads declare `PUBLIC`, shown in the schema with the empty requirement `{}`. Every operation is rate-limited
(`medtalent.api.throttling`). docs/security/api.md."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from medtalent.api.throttling import ApiRateThrottle
from medtalent.core.api_auth import SIGNED_IN, Anonymous
from medtalent.core.errors import ApplicationError


class MedTalentAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """ninja names every way of authenticating as a security scheme; "anybody" is not one: OpenAPI writes it
        as the empty requirement `{}` (authentication optional)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        name = Anonymous.__name__
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if isinstance(operation, dict) and "security" in operation:
                    operation["security"] = [({} if name in s else s) for s in operation["security"]]
        schema.get("components", {}).get("securitySchemes", {}).pop(name, None)
        return schema


api = MedTalentAPI(
    title="MedTalent API",
    version="1",
    description="医学人才培养与交流管理平台 · Medical talent training and exchange platform",
    urls_namespace="api",
    auth=SIGNED_IN,
    throttle=[ApiRateThrottle()],
)


def _location_to_field(loc: list) -> str:
    # ninja reports e.g. ["body", "payload", "id_number"] or ["query", "page"]: keep the field path.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "payload")]
    return ".".join(parts) or "request"


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = [{"field": _location_to_field(e.get("loc", [])), "message": e.get("msg", "")} for e in exc.errors]
    return api.create_response(request, {"errors": errors}, status=422)


@api.exception_handler(ApplicationError)
def on_application_error(request, exc: ApplicationError):
    return api.create_response(
        request, {"errors": [{"field": exc.field or "request", "message": exc.message}]}, status=400
    )


@api.exception_handler(Http404)
def on_not_found(request, exc: Http404):
    message = str(exc) or _("Not found.")
    return api.create_response(request, {"errors": [{"field": "path", "message": message}]}, status=404)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc: PermissionDenied):
    # Translators: 中文：您无权执行此操作。
    message = str(exc) or _("You may not do this.")
    return api.create_response(request, {"errors": [{"field": "request", "message": message}]}, status=403)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    # e.g. a body that is not JSON: ninja's own 400, in our error format.
    return api.create_response(request, {"errors": [{"field": "request", "message": str(exc)}]}, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    # ninja's own "Unauthorized" (no way of authenticating passed), or a refused token's message.
    # Translators: 中文：请先登录。
    message = str(exc) if str(exc) not in ("", "Unauthorized") else _("Please log in.")
    return api.create_response(request, {"errors": [{"field": "auth", "message": message}]}, status=401)


@api.exception_handler(Throttled)
def on_throttled(request, exc: Throttled):
    # Translators: 中文：请求过于频繁，请稍后再试。
    message = _("Too many requests: please wait a moment and try again.")
    return api.create_response(request, {"errors": [{"field": "request", "message": message}]}, status=429)


from medtalent.alliance.api import router as alliance_router  # noqa: E402
from medtalent.annual.api import router as annual_router  # noqa: E402
from medtalent.catalog.api import router as catalog_router  # noqa: E402
from medtalent.codes.api import router as codes_router  # noqa: E402
from medtalent.eligibility.api import router as eligibility_router  # noqa: E402
from medtalent.indicators.api import router as indicators_router  # noqa: E402
from medtalent.orgs.api import router as orgs_router  # noqa: E402
from medtalent.partnerships.api import router as partnerships_router  # noqa: E402
from medtalent.policy.api import router as policy_router  # noqa: E402
from medtalent.stints.api import router as stints_router  # noqa: E402
from medtalent.workdays.api import router as workdays_router  # noqa: E402

api.add_router("/", catalog_router)
api.add_router("/", orgs_router)
api.add_router("/", codes_router)
api.add_router("/", eligibility_router)
api.add_router("/", policy_router)
api.add_router("/", partnerships_router)
api.add_router("/", stints_router)
api.add_router("/", annual_router)
api.add_router("/", indicators_router)
api.add_router("/", alliance_router)
api.add_router("/", workdays_router)
