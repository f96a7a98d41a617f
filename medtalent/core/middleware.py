from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are in Chinese unless the user picked English with the language switch (the cookie).

    Hospital PCs often run English-language browsers; their Accept-Language header must not turn the UI
    English for a clerk who never asked. API clients still negotiate with Accept-Language.
    """

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class NoStoreMiddleware:
    """`Cache-Control: no-store` (and `Pragma: no-cache` for old proxies) on every response to a logged-in user or
    an authenticated API call, unless the view chose its own Cache-Control: pages, HTMX fragments (a revealed ID
    number), PDFs and files that show personal data are kept by no browser cache, proxy or shared PC's history.

    Place it after AuthenticationMiddleware (it reads `request.user`). Anonymous pages (the catalogue) keep
    whatever caching they have; static files are served by WhiteNoise before this runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False) or getattr(request, "auth", None) is not None:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
