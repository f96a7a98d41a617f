"""The back office's navigation (workspace/navigation.py): a side menu grouped by task for staff roles, the light
top bar for everyone else, breadcrumbs from the same list, the CSRF header for HTMX set once on <body>."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from medtalent.accounts.enums import Role
from medtalent.workspace.navigation import SECTIONS
from tests.factories import ApplicationFactory, OrganisationFactory, PersonFactory
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>')


def side_menu(html: str) -> dict[str, list[str]]:
    """The side menu as headings and their links' labels, in order."""
    if 'id="sidenav"' not in html:
        return {}
    menu = html.split('id="sidenav"', 1)[1].split("</nav>", 1)[0]
    groups = {}
    for group in menu.split('<h2 class="sidenav-heading"')[1:]:
        heading = group.split(">", 1)[1].split("<", 1)[0]
        groups[heading] = [label for _, _, label in LINK.findall(group)]
    return groups


def crumbs(html: str) -> list[str]:
    if 'class="breadcrumbs"' not in html:
        return []
    trail = html.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in re.findall(r"<li[^>]*>(.*?)</li>", trail)]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_unit_administrator_gets_the_side_menu_of_their_tasks():
    unit = OrganisationFactory()
    user = make_user(Role.UNIT_ADMIN, unit)

    html = client_for(user).get(reverse("applications:unit_list")).content.decode()

    assert '<body class="backoffice"' in html
    assert side_menu(html) == {
        "申报管理": ["本单位申请", "本单位人员", "批量导入", "本单位人员账户"],
        "派驻与进修": ["派驻与进修人员"],
        "对口支援": ["支援协议", "年度目标与评估", "本院指标"],
        "我的": ["我的工作台", "我的申请", "我的档案", "账户安全"],
    }
    assert '<a href="/unit/applications/" aria-current="page">本单位申请</a>' in html
    assert crumbs(html) == ["工作台", "申报管理", "本单位申请", ""]


def test_a_commission_sees_pairing_support_and_no_unit_pages():
    user = make_user(Role.COMMISSION_ADMIN, OrganisationFactory())

    html = client_for(user).get(reverse("partnerships:checks")).content.decode()

    assert side_menu(html) == {
        "对口支援": ["规则检查", "支援关系", "支援网络图", "支援协议", "年度目标与评估", "县域指标"],
        "我的": ["我的工作台", "我的申请", "我的档案", "账户安全"],
    }
    assert crumbs(html) == ["工作台", "对口支援", "规则检查", ""]


def test_an_applicant_keeps_the_light_top_bar():
    user = make_user()

    html = client_for(user).get(reverse("workspace:home")).content.decode()

    assert '<body class="frontoffice"' in html
    assert side_menu(html) == {}
    assert crumbs(html) == []
    top = html.split('id="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert [label for _, _, label in LINK.findall(top)] == [
        "项目",
        "联盟",
        "API",
        "我的工作台",
        "我的申请",
        "我的档案",
        "账户安全",
    ]


def test_a_page_beneath_a_list_links_back_to_it():
    unit = OrganisationFactory()
    user = make_user(Role.UNIT_ADMIN, unit)
    application = ApplicationFactory(person=PersonFactory(employer=unit, name="安然"))

    html = client_for(user).get(reverse("applications:detail", args=[application.pk])).content.decode()

    assert '<a href="/unit/applications/" aria-current="page">本单位申请</a>' in html
    trail = html.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/unit/applications/">本单位申请</a>' in trail
    assert crumbs(html)[:3] == ["工作台", "申报管理", "本单位申请"]
    assert crumbs(html)[3].startswith("安然")


def test_the_language_switch_and_the_csrf_header_are_set_once_in_the_layout():
    user = make_user(Role.UNIT_ADMIN, OrganisationFactory())

    response = client_for(user).get(reverse("applications:unit_list"))
    html = response.content.decode()

    header = html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    # The switch sits in the header's tools, which never wrap (static/css/kit.css).
    assert header.index('class="header-tools"') < header.index('class="lang-switch"')
    token = re.search(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'", html)
    assert token is not None
    assert html.count("X-CSRFToken") == 1


def test_every_link_of_the_menu_names_a_page_that_exists():
    names = [link.url_name for section in SECTIONS for link in section.links]
    assert len(names) == len(set(names))
    for section in SECTIONS:
        for link in section.links:
            if not link.per_unit:
                assert reverse(link.url_name).startswith("/")
