"""Pages of the alliance: the public member directory, event calendar, event and committee pages, and the
secretariat's pages to manage members, partners and events."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from medtalent.alliance import selectors, services
from medtalent.alliance.forms import (
    DirectoryFilterForm,
    EventFilterForm,
    EventForm,
    MembershipAddForm,
    MembershipEditForm,
)
from medtalent.alliance.models import Committee
from medtalent.alliance.tables import MembershipFilter, MembershipTable
from medtalent.core.errors import ApplicationError, require_perm
from medtalent.core.tables import BatchAction, KitListView
from medtalent.orgs.models import Organisation


class DirectoryView(View):
    """Members and partners, filterable by country and kind, searchable by name (HTMX updates the list)."""

    def get(self, request):
        alliance = selectors.alliance_get()
        form = DirectoryFilterForm(request.GET, countries=selectors.directory_country_choices(alliance=alliance))
        filters = form.filters()
        rows = list(selectors.memberships_for_directory(alliance=alliance, filters=filters))
        context = {
            "alliance": alliance,
            "counts": selectors.alliance_counts(alliance=alliance),
            "form": form,
            "filters": filters,
            "rows": rows,
            "may_manage": request.user.has_perm("alliance.manage", alliance),
        }
        template = "alliance/directory.html#results" if request.htmx else "alliance/directory.html"
        return render(request, template, context)


class EventCalendarView(View):
    """Events by year and month, filterable by year, kind and country."""

    def get(self, request):
        alliance = selectors.alliance_get()
        form = EventFilterForm(
            request.GET,
            years=selectors.event_years(alliance=alliance),
            countries=selectors.event_country_choices(alliance=alliance),
        )
        filters = form.filters()
        events = selectors.events_for_calendar(alliance=alliance, filters=filters)
        context = {
            "alliance": alliance,
            "form": form,
            "filters": filters,
            "count": len(events),
            "months": selectors.calendar_months(events),
            "may_manage": request.user.has_perm("alliance.manage", alliance),
        }
        template = "alliance/events.html#results" if request.htmx else "alliance/events.html"
        return render(request, template, context)


class EventDetailView(View):
    def get(self, request, code: str):
        event = selectors.event_detail(code=code)
        context = {"event": event, "may_manage": request.user.has_perm("alliance.manage", event)}
        return render(request, "alliance/event_detail.html", context)


class CommitteeDetailView(View):
    def get(self, request, code: str):
        committee = selectors.committee_detail(code=code)
        context = {"committee": committee, "may_manage": request.user.has_perm("alliance.manage", committee)}
        return render(request, "alliance/committee_detail.html", context)


# The secretariat's pages ------------------------------------------------------------------------------------
# For the alliance secretariat of THAT alliance (and superusers): `alliance.manage`. A visitor is sent to the
# login page, anybody else gets 403 and nothing changes. The services check the permission again.

ORGANISATION_OPTIONS_LIMIT = 300


def _alliance_for(request) -> Organisation:
    alliance = selectors.alliance_for_manager(user=request.user, code=(request.GET.get("alliance") or "")[:80])
    require_perm(request.user, "alliance.manage", alliance)
    return alliance


def _check(request, obj) -> None:
    require_perm(request.user, "alliance.manage", obj)


def _with_alliance(url: str, alliance: Organisation) -> str:
    """A secretariat page's address for this alliance (explicit: a user may serve more than one)."""
    return f"{url}?{urlencode({'alliance': alliance.code})}"


class ManageView(LoginRequiredMixin, View):
    """The secretariat's home: the alliance's counts by kind and country, its committees, upcoming events."""

    def get(self, request):
        alliance = _alliance_for(request)
        today = timezone.localdate()
        context = {
            "alliance": alliance,
            "alliances": selectors.alliances_managed_by(user=request.user),
            "counts": selectors.alliance_counts(alliance=alliance),
            "by_country": selectors.alliance_counts_by_country(alliance=alliance),
            "committees": selectors.committees_for_manager(alliance=alliance),
            "upcoming": selectors.events_upcoming(alliance=alliance, today=today),
            "recent": selectors.events_recent(alliance=alliance, today=today),
            "member_add_url": _with_alliance(reverse("alliance:member_add"), alliance),
            "event_add_url": _with_alliance(reverse("alliance:event_add"), alliance),
            "stints_url": reverse("stints:inbound"),
        }
        return render(request, "alliance/manage.html", context)


def _membership_add_form(alliance, data=None, initial=None) -> MembershipAddForm:
    return MembershipAddForm(
        data,
        initial=initial,
        organisations=selectors.organisations_for_membership(alliance=alliance),
        countries=selectors.country_codes(),
    )


def _organisation_options(alliance, find: str, selected: str = "") -> list:
    """The institutions the list offers: those matching the search (at most a few hundred), and the chosen one."""
    qs = selectors.organisations_for_membership(alliance=alliance, q=find)
    options = list(qs[:ORGANISATION_OPTIONS_LIMIT])
    if selected and all(o.code != selected for o in options):
        options = list(qs.model.objects.filter(code=selected).select_related("country")) + options
    return options


class MembershipAddView(LoginRequiredMixin, View):
    """Add a member or partner: an existing institution (searchable list) or a new one created with it.

    The search box narrows the list live (HTMX asks this view for the options only); without JavaScript its
    button posts the form with `_find`, which shows the narrowed list again and saves nothing."""

    def _render(self, request, alliance, form, find, status=200):
        selected = str(form["organisation"].value() or "")
        context = {
            "alliance": alliance,
            "form": form,
            "find": find,
            "options": _organisation_options(alliance, find, selected),
            "selected": selected,
            "action": _with_alliance(reverse("alliance:member_add"), alliance),
            "manage_url": _with_alliance(reverse("alliance:manage"), alliance),
        }
        return render(request, "alliance/member_form.html", context, status=status)

    def get(self, request):
        alliance = _alliance_for(request)
        find = (request.GET.get("find") or "").strip()[:100]
        if request.htmx and "find" in request.GET:
            selected = (request.GET.get("organisation") or "")[:80]
            context = {"options": _organisation_options(alliance, find, selected), "selected": selected}
            return render(request, "alliance/member_form.html#organisation-options", context)
        return self._render(request, alliance, _membership_add_form(alliance), find)

    def post(self, request):
        alliance = _alliance_for(request)
        find = (request.POST.get("find") or "").strip()[:100]
        if "_find" in request.POST:
            return self._render(request, alliance, _membership_add_form(alliance, initial=request.POST.dict()), find)
        form = _membership_add_form(alliance, request.POST)
        if not form.is_valid():
            return self._render(request, alliance, form, find, status=400)
        data = form.cleaned_data
        new = None
        if form.is_new:
            new = services.NewOrganisation(
                name_zh=data["new_name_zh"],
                name_en=data["new_name_en"],
                kind=data["new_kind"],
                country=data["new_country"],
                city=data["new_city"],
            )
        try:
            membership = services.membership_create(
                actor=request.user,
                alliance=alliance,
                kind=data["kind"],
                organisation=None if form.is_new else data["organisation"],
                new_organisation=new,
                joined_on=data["joined_on"],
                note_zh=data["note_zh"],
                note_en=data["note_en"],
            )
        except ApplicationError as error:
            error.add_to_form(form)
            return self._render(request, alliance, form, find, status=400)
        messages.success(
            request,
            # Translators: 已将“%(name)s”加入联盟（%(kind)s）
            _("“%(name)s” was added to the alliance (%(kind)s).")
            % {"name": membership.organisation.name, "kind": membership.get_kind_display()},
        )
        return redirect(_with_alliance(reverse("alliance:manage"), alliance))


class MembershipEditView(LoginRequiredMixin, View):
    def _render(self, request, membership, form, status=200):
        context = {
            "alliance": membership.alliance,
            "membership": membership,
            "form": form,
            "manage_url": _with_alliance(reverse("alliance:manage"), membership.alliance),
        }
        return render(request, "alliance/member_edit.html", context, status=status)

    def _membership(self, request, pk):
        membership = selectors.membership_for_manager(pk=pk)
        _check(request, membership)
        return membership

    def get(self, request, pk):
        membership = self._membership(request, pk)
        initial = {name: getattr(membership, name) for name in services.MEMBERSHIP_FIELDS}
        return self._render(request, membership, MembershipEditForm(initial=initial))

    def post(self, request, pk):
        membership = self._membership(request, pk)
        form = MembershipEditForm(request.POST)
        if not form.is_valid():
            return self._render(request, membership, form, status=400)
        try:
            services.membership_update(actor=request.user, membership=membership, **form.cleaned_data)
        except ApplicationError as error:
            error.add_to_form(form)
            return self._render(request, membership, form, status=400)
        # Translators: 已保存“%(name)s”的联盟信息
        messages.success(request, _("Saved “%(name)s”.") % {"name": membership.organisation.name})
        return redirect(_with_alliance(reverse("alliance:manage"), membership.alliance))


class MembershipRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        membership = selectors.membership_for_manager(pk=pk)
        _check(request, membership)
        name = membership.organisation.name
        services.membership_delete(actor=request.user, membership=membership)
        messages.success(
            request,
            # Translators: 已将“%(name)s”移出联盟（该机构仍保留在平台上）
            _("“%(name)s” was removed from the alliance (the institution stays on the platform).") % {"name": name},
        )
        return redirect(_with_alliance(reverse("alliance:manage"), membership.alliance))


def _event_form(alliance, data=None, event=None, initial=None):
    return EventForm(
        data,
        initial=initial,
        countries=selectors.country_codes(),
        organisers=selectors.event_organiser_choices(alliance=alliance, event=event),
        committees=Committee.objects.filter(alliance=alliance).order_by("code"),
        with_code=event is None,
    )


class EventAddView(LoginRequiredMixin, View):
    def _render(self, request, alliance, form, status=200):
        context = {
            "alliance": alliance,
            "form": form,
            "event": None,
            "action": _with_alliance(reverse("alliance:event_add"), alliance),
            "manage_url": _with_alliance(reverse("alliance:manage"), alliance),
        }
        return render(request, "alliance/event_form.html", context, status=status)

    def get(self, request):
        alliance = _alliance_for(request)
        return self._render(request, alliance, _event_form(alliance))

    def post(self, request):
        alliance = _alliance_for(request)
        form = _event_form(alliance, request.POST)
        if not form.is_valid():
            return self._render(request, alliance, form, status=400)
        try:
            event = services.event_create(
                actor=request.user, alliance=alliance, data=form.to_input(), code=form.cleaned_data.get("code") or ""
            )
        except ApplicationError as error:
            error.add_to_form(form)
            return self._render(request, alliance, form, status=400)
        # Translators: 已记录活动“%(name)s”
        messages.success(request, _("The event “%(name)s” was recorded.") % {"name": event.name})
        return redirect("alliance:event", code=event.code)


class EventEditView(LoginRequiredMixin, View):
    def _render(self, request, event, form, status=200):
        context = {
            "alliance": event.alliance,
            "form": form,
            "event": event,
            "action": reverse("alliance:event_edit", args=[event.code]),
            "manage_url": _with_alliance(reverse("alliance:manage"), event.alliance),
        }
        return render(request, "alliance/event_form.html", context, status=status)

    def _event(self, request, code):
        event = selectors.event_for_manager(code=code)
        _check(request, event)
        return event

    def get(self, request, code):
        event = self._event(request, code)
        return self._render(
            request, event, _event_form(event.alliance, event=event, initial=EventForm.initial_for(event))
        )

    def post(self, request, code):
        event = self._event(request, code)
        form = _event_form(event.alliance, request.POST, event=event)
        if not form.is_valid():
            return self._render(request, event, form, status=400)
        try:
            services.event_update(actor=request.user, event=event, data=form.to_input())
        except ApplicationError as error:
            error.add_to_form(form)
            return self._render(request, event, form, status=400)
        # Translators: 已保存活动“%(name)s”
        messages.success(request, _("The event “%(name)s” was saved.") % {"name": event.name})
        return redirect("alliance:event", code=event.code)


def _remove_memberships(request, rows) -> str:
    """The batch action: remove the ticked institutions from the alliance (each audited; all or nothing)."""
    memberships = list(rows.select_related("alliance", "organisation"))
    with transaction.atomic():
        for membership in memberships:
            services.membership_delete(actor=request.user, membership=membership)
    # Translators: 中文：已将 %(count)s 家机构移出联盟（这些机构仍保留在平台上）。
    return ngettext(
        "%(count)s institution was removed from the alliance (it stays on the platform).",
        "%(count)s institutions were removed from the alliance (they stay on the platform).",
        len(memberships),
    ) % {"count": len(memberships)}


class MembershipListView(KitListView):
    """The secretariat's list of members and partners: search by any name, filter, sort, export, remove many."""

    table_class = MembershipTable
    filterset_class = MembershipFilter
    template_name = "alliance/members.html"
    # Translators: 中文：成员单位和合作机构
    title = gettext_lazy("Members and partners")
    # Translators: 中文：按任一名称或简称查找机构，按类型和国家筛选，导出 Excel，或勾选多家一并移出联盟。
    intro = gettext_lazy(
        "Find an institution by any of its names or abbreviations, filter by kind and country, export to Excel, "
        "or tick several to remove them from the alliance at once."
    )
    batch_actions = (
        BatchAction(
            "remove",
            # Translators: 中文：移出联盟
            gettext_lazy("Remove from the alliance"),
            run=_remove_memberships,
        ),
    )

    def permission_check(self, request) -> None:
        params = request.POST if request.method == "POST" else request.GET
        code = (params.get("alliance") or "").strip()[:80]
        if not code and request.method == "POST":
            code = QueryDict(request.POST.get("query", "")).get("alliance", "")[:80]
        self.alliance = selectors.alliance_for_manager(user=request.user, code=code)
        require_perm(request.user, "alliance.manage", self.alliance)

    def get_queryset(self):
        return selectors.memberships_for_manager(alliance=self.alliance)

    def filterset_kwargs(self) -> dict:
        return {"countries": selectors.directory_country_choices(alliance=self.alliance)}

    def extra_context(self) -> dict:
        return {
            "alliance": self.alliance,
            "manage_url": _with_alliance(reverse("alliance:manage"), self.alliance),
            "member_add_url": _with_alliance(reverse("alliance:member_add"), self.alliance),
        }
