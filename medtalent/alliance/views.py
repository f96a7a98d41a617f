"""Public pages of the alliance: member directory, event calendar, an event, a committee."""

from __future__ import annotations

from django.shortcuts import render
from django.views import View

from medtalent.alliance import selectors
from medtalent.alliance.forms import DirectoryFilterForm, EventFilterForm


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
        }
        template = "alliance/events.html#results" if request.htmx else "alliance/events.html"
        return render(request, template, context)


class EventDetailView(View):
    def get(self, request, code: str):
        return render(request, "alliance/event_detail.html", {"event": selectors.event_detail(code=code)})


class CommitteeDetailView(View):
    def get(self, request, code: str):
        return render(request, "alliance/committee_detail.html", {"committee": selectors.committee_detail(code=code)})
