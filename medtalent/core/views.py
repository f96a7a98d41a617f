from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from medtalent.core.health import health_checks


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, every migration is applied and a worker beat within a minute; else 503,
    saying which part is down. For load balancers and supervisors: JSON, no login, no session."""
    checks = health_checks()
    ok = all(check.ok for check in checks)
    body = {
        "status": "ok" if ok else "down",
        "checks": {check.name: {"ok": check.ok, "message": check.message} for check in checks},
    }
    return JsonResponse(body, status=200 if ok else 503)


def page_not_found(request, exception):
    """404: JSON in the API's error format under /api/ (a path no endpoint matches), else the site's page."""
    if request.path.startswith("/api/"):
        # Translators: 中文：没有此接口或对象。
        body = {"errors": [{"field": "path", "message": gettext("No such endpoint or object.")}]}
        return JsonResponse(
            body, status=404, content_type="application/json; charset=utf-8", json_dumps_params={"ensure_ascii": False}
        )
    return defaults.page_not_found(request, exception)
