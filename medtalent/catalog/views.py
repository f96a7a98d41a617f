from __future__ import annotations

from django.shortcuts import render
from django.views import View

from medtalent.catalog import selectors
from medtalent.catalog.forms import CatalogueFilterForm


class CatalogueView(View):
    """The home page for visitors: every published programme, searchable and filterable.

    An HTMX request (typing in the search box, changing a filter) gets only the results fragment; the
    form pushes the filters into the URL, so a filtered list can be bookmarked and shared.
    """

    def get(self, request):
        if request.htmx:
            form = CatalogueFilterForm(request.GET)
            template = "catalog/catalogue.html#results"
        else:
            form = CatalogueFilterForm(request.GET, **selectors.filter_choices())
            template = "catalog/catalogue.html"
        filters = form.filters()
        page, rows = selectors.catalogue_page(user=request.user, filters=filters, page=request.GET.get("page", 1))
        query = request.GET.copy()
        query.pop("page", None)
        context = {"form": form, "filters": filters, "page": page, "rows": rows, "query": query.urlencode()}
        return render(request, template, context)


class ProgrammeDetailView(View):
    def get(self, request, code: str):
        programme = selectors.programme_detail(user=request.user, code=code)
        return render(request, "catalog/programme_detail.html", {"programme": programme})
