"""The error pages (400, 403, CSRF failure, 404, 500) in the site's layout and language, each with a way back;
and the API's errors stay JSON. With DEBUG off, as in production.

This module is also the URLconf of the tests marked `urls`: the site plus routes that fail on purpose."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import include, path, reverse
from django.utils import translation

from medtalent.accounts.enums import Role
from medtalent.api.api import on_permission_denied
from tests.factories import RoleFactory

pytestmark = pytest.mark.django_db

SECRET = "Programme zj-secret-2026 exists but is not yours"


def _server_error(request):
    raise RuntimeError(SECRET)


def _denied_with_a_message(request):
    raise PermissionDenied(SECRET)


def _bad_request(request):
    raise SuspiciousOperation(SECRET)


urlpatterns = [
    path("test-errors/500/", _server_error),
    path("test-errors/403/", _denied_with_a_message),
    path("test-errors/400/", _bad_request),
    path("", include("config.urls")),
]
THIS_URLCONF = __name__

HOME = '<a class="button primary" href="/">返回首页</a>'
HOME_EN = '<a class="button primary" href="/">Go to the home page</a>'
WORKSPACE = '<a class="button" href="/me/">进入我的工作台</a>'
STYLESHEET = '<link rel="stylesheet" href="/static/css/medtalent.css">'


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False
    yield
    translation.activate(settings.LANGUAGE_CODE)  # a request in English must not leave English to other tests


@pytest.fixture
def applicant(client):
    client.force_login(RoleFactory(role=Role.APPLICANT).user)
    return client


def _html(response) -> str:
    return response.content.decode()


# ------------------------------------------------------------------------------------------------ 404


def test_404_is_in_chinese_in_the_layout_with_the_way_home(client):
    response = client.get("/nothing-here/")
    assert response.status_code == 404
    html = _html(response)
    assert '<html lang="zh-Hans">' in html
    assert "<title>页面不存在 · " in html
    assert '<h1 id="error-title">页面不存在</h1>' in html
    assert "您要打开的页面不存在，或者您的账户无权查看。" in html
    assert HOME in html
    assert '<header class="site-header">' in html
    assert STYLESHEET in html
    assert "/me/" not in html  # a visitor has no workspace
    assert "错误代码 404" in html


def test_404_is_in_english_for_a_user_who_chose_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/nothing-here/")
    assert response.status_code == 404
    html = _html(response)
    assert '<html lang="en">' in html
    assert '<h1 id="error-title">Page not found</h1>' in html
    assert HOME_EN in html
    assert "Error code 404" in html


def test_404_stays_chinese_for_an_english_browser_that_did_not_choose(client):
    # The locale middleware ignores Accept-Language outside the API: only the language switch (cookie) counts.
    response = client.get("/nothing-here/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert '<h1 id="error-title">页面不存在</h1>' in _html(response)


def test_404_offers_the_workspace_to_a_logged_in_user(applicant):
    response = applicant.get("/nothing-here/")
    assert response.status_code == 404
    assert WORKSPACE in _html(response)


# ------------------------------------------------------------------------------------------- back link


def test_back_link_goes_to_the_previous_page_of_this_site(client):
    response = client.get("/nothing-here/", HTTP_REFERER="http://testserver/programmes/?q=%E5%BF%83")
    html = _html(response)
    assert '<a class="button" href="http://testserver/programmes/?q=%E5%BF%83" rel="nofollow">返回上一页</a>' in html


@pytest.mark.parametrize(
    "referer",
    [
        "https://evil.example/phish",  # another site
        "//evil.example/phish",  # scheme-relative: another site
        "javascript:alert(1)",
        "/programmes/",  # not what a browser sends: no guess
        "http://testserver/nothing-here/",  # the page that failed itself
        "http://testserver/" + "a" * 2001,  # too long
    ],
)
def test_no_back_link_to_another_site_or_anything_odd(client, referer):
    html = _html(client.get("/nothing-here/", HTTP_REFERER=referer))
    assert "返回上一页" not in html
    assert "evil.example" not in html
    assert "javascript:" not in html


def test_back_link_is_escaped(client):
    html = _html(client.get("/nothing-here/", HTTP_REFERER='http://testserver/x?a="><script>alert(1)</script>'))
    assert "<script>alert(1)" not in html
    assert 'href="http://testserver/x?a=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html


# ------------------------------------------------------------------------------------------------ 403


def test_403_for_an_applicant_on_a_unit_administrator_page(applicant):
    response = applicant.get(reverse("applications:unit_list"))
    assert response.status_code == 403
    html = _html(response)
    assert "<title>您无权访问此页面 · " in html
    assert '<h1 id="error-title">您无权访问此页面</h1>' in html
    assert "您的账户没有打开此页面所需的角色或权限。" in html
    assert HOME in html
    assert WORKSPACE in html
    assert "错误代码 403" in html


def test_403_in_english(applicant, settings):
    applicant.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = applicant.get(reverse("applications:unit_list"))
    assert response.status_code == 403
    html = _html(response)
    assert '<h1 id="error-title">You do not have access to this page</h1>' in html
    assert '<a class="button" href="/me/">Go to my workspace</a>' in html


@pytest.mark.urls(THIS_URLCONF)
def test_403_never_shows_the_refusals_message(applicant):
    response = applicant.get("/test-errors/403/")
    assert response.status_code == 403
    html = _html(response)
    assert '<h1 id="error-title">您无权访问此页面</h1>' in html
    assert "zj-secret-2026" not in html


@pytest.mark.urls(THIS_URLCONF)
def test_403_asks_a_visitor_to_log_in(client):
    response = client.get("/test-errors/403/?a=1&b=2")
    assert response.status_code == 403
    html = _html(response)
    assert "此页面需要登录并具有相应的角色。" in html
    assert '<a href="/accounts/login/?next=/test-errors/403/%3Fa%3D1%26b%3D2">登录后重试</a>' in html
    assert "/me/" not in html


# ------------------------------------------------------------------------------------------------ 400


@pytest.mark.urls(THIS_URLCONF)
def test_400_in_the_layout_without_the_details(client):
    response = client.get("/test-errors/400/")
    assert response.status_code == 400
    html = _html(response)
    assert '<h1 id="error-title">无法处理此请求</h1>' in html
    assert HOME in html
    assert "zj-secret-2026" not in html


def test_400_for_a_host_we_do_not_serve_still_renders(client):
    response = client.get("/", HTTP_HOST="evil.example", HTTP_REFERER="http://evil.example/")
    assert response.status_code == 400
    html = _html(response)
    assert '<h1 id="error-title">无法处理此请求</h1>' in html
    assert "evil.example" not in html


# ------------------------------------------------------------------------------------------------ 500


@pytest.mark.urls(THIS_URLCONF)
def test_500_is_a_static_page_with_the_way_home_and_no_traceback():
    client = Client(raise_request_exception=False)
    response = client.get("/test-errors/500/", HTTP_REFERER="http://testserver/programmes/")
    assert response.status_code == 500
    html = _html(response)
    assert '<html lang="zh-Hans">' in html
    assert "<title>系统出错了 · " in html
    assert '<h1 id="error-title">系统出错了</h1>' in html
    assert HOME in html
    assert WORKSPACE in html  # the page cannot know the user: the workspace asks a visitor to log in
    assert STYLESHEET in html
    assert '<header class="site-header">' in html
    assert "错误代码 500" in html
    assert "Traceback" not in html
    assert "RuntimeError" not in html
    assert "zj-secret-2026" not in html
    assert "<form" not in html  # no language switch or log-out: they need a CSRF token the page does not have
    assert "<script" not in html


@pytest.mark.urls(THIS_URLCONF)
def test_500_in_english_for_a_user_who_chose_english(settings):
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/test-errors/500/")
    assert response.status_code == 500
    html = _html(response)
    assert '<html lang="en">' in html
    assert '<h1 id="error-title">Something went wrong</h1>' in html
    assert HOME_EN in html


# ------------------------------------------------------------------------------------------- CSRF failure


def test_csrf_failure_says_the_session_expired():
    client = Client(enforce_csrf_checks=True)
    login = reverse("login")
    response = client.post(login, {"username": "doctor", "password": "x"}, HTTP_REFERER=f"http://testserver{login}")
    assert response.status_code == 403
    html = _html(response)
    assert "<title>页面已过期 · " in html
    assert '<h1 id="error-title">页面已过期</h1>' in html
    assert "您的登录已过期，或页面打开的时间太长，因此刚才的提交没有成功，内容也没有保存。" in html
    assert "请返回上一页，刷新页面后重新提交。" in html
    # "Back" is the form's page (the same address, fetched again: a fresh token).
    assert f'<a class="button" href="http://testserver{login}" rel="nofollow">返回上一页</a>' in html
    assert HOME in html
    # Nothing the user reads names the mechanism (the page's own CSRF header for HTMX is an attribute of <body>).
    assert "CSRF" not in html.split('<header class="site-header">', 1)[1]


def test_csrf_failure_in_english(settings):
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("login"), {"username": "doctor", "password": "x"})
    assert response.status_code == 403
    html = _html(response)
    assert '<h1 id="error-title">The page has expired</h1>' in html
    assert "Your session expired or the page was open too long" in html


# ------------------------------------------------------------------------------------------------ API


def test_api_404_stays_json(client):
    response = client.get("/api/v1/programmes/no-such-programme")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["errors"][0]["field"] == "path"
    assert "<html" not in _html(response)


def test_api_403_stays_json(applicant):
    response = applicant.get("/api/v1/pairings")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["errors"][0]["field"] == "request"
    assert "<html" not in _html(response)


def test_api_unknown_path_stays_json(client):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"errors": [{"field": "path", "message": "没有此接口或对象。"}]}


def test_an_api_permission_denied_stays_json(rf):
    response = on_permission_denied(rf.get("/api/v1/x"), PermissionDenied())

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(response.content) == {"errors": [{"field": "request", "message": "您无权执行此操作。"}]}
