"""The REST API under /api/v1/ and the personal access tokens other systems call it with (issue 10)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "medtalent.api"
    verbose_name = _("API")

    def ready(self) -> None:
        # The apps' routers declare `auth=` with core's objects; the token look-up and the two-factor check of a
        # session are this app's, registered here (core knows no app above it).
        from medtalent.api.auth import session_verified, token_user
        from medtalent.core.api_auth import register

        register(token_user=token_user, session_allowed=session_verified)
