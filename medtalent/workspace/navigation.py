"""The back office's navigation: one list of the staff pages, grouped by task, that draws the side menu and the
breadcrumbs of every staff page (issue 11).

A link names the roles that see it; a section with no link for the user is not drawn, and a user with no staff
link at all (an applicant, a visitor) keeps the light top bar. `under` lists the pages beneath a link (an
application's page is beneath the unit's list): their breadcrumbs run workspace › section › list › this page,
and the menu marks the list as where the user is. A later capability (selection, placement, money) adds its
section here and nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from medtalent.accounts.enums import Role

UNIT = (Role.UNIT_ADMIN,)
COMMISSION = (Role.COMMISSION_ADMIN,)
PAIRING = (Role.UNIT_ADMIN, Role.COMMISSION_ADMIN)
# Superusers see the pages these roles see (the alliance and the audit trail admit them today).
SUPERUSER = "superuser"
STAFF_FLAG = "is_staff"


@dataclass(frozen=True)
class Link:
    label: Any
    url_name: str
    roles: tuple[str, ...]
    under: tuple[str, ...] = ()
    # A link per organisation the user administers (a hospital's own indicators): the URL takes its code.
    per_unit: bool = False


@dataclass(frozen=True)
class Section:
    key: str
    label: Any
    links: tuple[Link, ...]


SECTIONS: tuple[Section, ...] = (
    # Translators: 中文：申报管理
    Section(
        "applications",
        pgettext_lazy("navigation", "Applications"),
        (
            # Translators: 中文：本单位申请
            Link(
                _("Unit applications"),
                "applications:unit_list",
                UNIT,
                under=("applications:detail", "applications:edit", "applications:start"),
            ),
            # Translators: 中文：本单位人员
            Link(_("Unit staff"), "people:unit_people", UNIT, under=("people:detail",)),
            # Translators: 中文：批量导入
            Link(_("Bulk import"), "imports:index", UNIT, under=("imports:job",)),
            # Translators: 中文：人员账户
            Link(_("Staff accounts"), "registration:unit_accounts", UNIT),
        ),
    ),
    # Translators: 中文：派驻与进修
    Section(
        "stints",
        pgettext_lazy("navigation", "Stints"),
        (
            # Translators: 中文：派驻与进修人员
            Link(
                _("Dispatched staff and trainees"),
                "stints:roster",
                UNIT,
                under=("stints:detail", "stints:update", "stints:pairing"),
            ),
            # Translators: 中文：来访进修人员
            Link(_("Visiting trainees"), "stints:inbound", (Role.ALLIANCE_SECRETARIAT,)),
        ),
    ),
    # Translators: 中文：对口支援
    Section(
        "pairing",
        pgettext_lazy("navigation", "Pairing support"),
        (
            # Translators: 中文：规则检查
            Link(_("Checks"), "partnerships:checks", COMMISSION),
            # Translators: 中文：支援关系
            Link(_("Relationships"), "partnerships:list", COMMISSION),
            # Translators: 中文：支援网络图
            Link(_("Network"), "partnerships:network", COMMISSION),
            # Translators: 中文：支援协议
            Link(
                _("Agreements"),
                "partnerships:agreements",
                PAIRING,
                under=("partnerships:agreement", "partnerships:agreement_create"),
            ),
            # Translators: 中文：年度目标与评估
            Link(
                _("Yearly targets and evaluations"),
                "annual:overview",
                PAIRING,
                under=("annual:year", "annual:review", "annual:target_edit"),
            ),
            # Translators: 中文：县域指标
            Link(_("Indicators"), "indicators:trend", COMMISSION),
            # Translators: 中文：本院指标
            Link(_("Our indicators"), "indicators:hospital", UNIT, per_unit=True),
        ),
    ),
    # Translators: 中文：国际联盟
    Section(
        "alliance",
        pgettext_lazy("navigation", "Alliance"),
        (
            # Translators: 中文：联盟秘书处
            Link(
                _("Alliance secretariat"),
                "alliance:manage",
                (Role.ALLIANCE_SECRETARIAT, SUPERUSER),
                under=("alliance:event_add", "alliance:event_edit"),
            ),
            # Translators: 中文：成员单位和合作机构
            Link(
                _("Members and partners"),
                "alliance:members",
                (Role.ALLIANCE_SECRETARIAT, SUPERUSER),
                under=("alliance:member_add", "alliance:member_edit"),
            ),
        ),
    ),
    # Translators: 中文：系统管理
    Section(
        "administration",
        pgettext_lazy("navigation", "Administration"),
        (
            # Translators: 中文：审计日志
            Link(_("Audit trail"), "audit:events", (Role.AUDITOR, SUPERUSER)),
            # Translators: 中文：数据管理后台
            Link(_("Data administration"), "admin:index", (STAFF_FLAG,)),
        ),
    ),
)


@dataclass
class Entry:
    """A link as one user sees it: its address, and whether the page shown is it or beneath it."""

    label: Any
    url: str
    current: bool = False
    children: list = field(default_factory=list)


@dataclass
class Group:
    key: str
    label: Any
    entries: list[Entry]

    @property
    def current(self) -> bool:
        return any(e.current for e in self.entries)


class Navigation:
    """The side menu and the breadcrumbs of one request, worked out only when a page draws them."""

    def __init__(self, *, user, held: set[str], unit_organisations: list, view_name: str, kwargs: dict):
        self.user = user
        self.held = set(held)
        if getattr(user, "is_superuser", False):
            self.held.add(SUPERUSER)
        if getattr(user, "is_staff", False):
            self.held.add(STAFF_FLAG)
        self.unit_organisations = unit_organisations
        self.view_name = view_name
        self.kwargs = kwargs

    @cached_property
    def groups(self) -> list[Group]:
        groups = []
        for section in SECTIONS:
            entries = []
            for link in section.links:
                if not self.held.intersection(link.roles):
                    continue
                entries.extend(self._entries(link))
            if entries:
                groups.append(Group(section.key, section.label, entries))
        return groups

    def _entries(self, link: Link) -> list[Entry]:
        here = self.view_name == link.url_name or self.view_name in link.under
        if link.per_unit:
            many = len(self.unit_organisations) > 1
            return [
                Entry(
                    f"{link.label} · {organisation.name}" if many else link.label,
                    reverse(link.url_name, args=[organisation.code]),
                    current=here and self.kwargs.get("code") == organisation.code,
                )
                for organisation in self.unit_organisations
            ]
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:  # pragma: no cover - a link to an app that is not installed
            return []
        return [Entry(link.label, url, current=here)]

    @property
    def is_staff(self) -> bool:
        """Whether the user gets the back office's side menu (holds a staff link)."""
        return bool(self.groups)

    @cached_property
    def crumbs(self) -> list[Entry]:
        """Workspace › section › list (a link unless it is the page shown). The page's own name, for a page
        beneath a list, is the template's `{% block crumb %}`."""
        for group in self.groups:
            for entry in group.entries:
                if entry.current:
                    # Translators: 中文：工作台
                    trail = [Entry(_("Workspace"), reverse("workspace:home")), Entry(group.label, "")]
                    exact = self.view_name in {link.url_name for s in SECTIONS for link in s.links}
                    trail.append(Entry(entry.label, "" if exact else entry.url, current=exact))
                    return trail
        return []
