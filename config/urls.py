from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from medtalent.api.api import api
from medtalent.core.views import healthz
from medtalent.workspace.views import set_language

admin.site.site_header = "MedTalent 医学人才培养与交流管理平台"
admin.site.site_title = "MedTalent"
admin.site.index_title = settings.SITE_NAME

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.svg", permanent=True)),
    path("i18n/setlang/", set_language, name="set_language"),  # also remembers the language for emails
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # The password reset email names the site as the pages do, not by its host name.
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(extra_email_context={"site_name": settings.SITE_NAME}),
        name="password_reset",
    ),
    path("", include("medtalent.accounts.urls")),  # two-factor authentication, sessions, passwords (issue 10)
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("medtalent.catalog.urls")),
    path("", include("medtalent.eligibility.urls")),  # the rule preview of the catalogue admin (issue 12)
    path("", include("medtalent.people.urls")),
    path("", include("medtalent.applications.urls")),
    path("unit/imports/", include("medtalent.applications.import_urls")),
    path("", include("medtalent.alliance.urls")),
    path("", include("medtalent.partnerships.urls")),
    path("", include("medtalent.stints.urls")),
    path("", include("medtalent.annual.urls")),
    path("", include("medtalent.indicators.urls")),
    path("", include("medtalent.notifications.urls")),
    path("", include("medtalent.registration.urls")),
    path("", include("medtalent.privacy.urls")),
    path("", include("medtalent.audit.urls")),
    path("", include("medtalent.api.urls")),  # personal access tokens for the API (issue 10)
    path("", include("medtalent.workspace.urls")),
]

handler404 = "medtalent.core.views.page_not_found"
