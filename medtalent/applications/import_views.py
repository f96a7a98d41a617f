"""Pages of the bulk import by a unit: the template, the upload, the job with its progress and problems.

Only sending-unit administrators, for their own units: anybody else gets 403 (a job of another unit: 404),
an anonymous visitor the login page.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from medtalent.applications import import_workbooks, imports
from medtalent.core.errors import ApplicationError
from medtalent.core.excel import workbook_response
from medtalent.core.services import audit_log
from medtalent.core.workers import queue_waiting_for_worker
from medtalent.people.selectors import proposals_count_for_import

RECENT_JOBS = 20


class ImportForm(forms.Form):
    target = forms.ChoiceField(label=_("Round and category"))
    unit = forms.TypedChoiceField(label=_("Sending unit"), coerce=int)
    file = forms.FileField(
        label=_("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args, targets, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {t.key: t for t in targets}
        self.fields["target"].choices = [(t.key, t.label) for t in targets]
        self.units = {u.pk: u for u in units}
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk
            self.fields["unit"].widget = forms.HiddenInput()

    def clean_target(self):
        return self.targets[self.cleaned_data["target"]]

    def clean_unit(self):
        return self.units[self.cleaned_data["unit"]]


class UnitImportMixin(LoginRequiredMixin):
    """Logged in, and administrator of at least one sending unit."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not imports.import_unit_ids(user=request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportIndexView(UnitImportMixin, View):
    """Download the template for an open round, upload a filled-in file, see the unit's recent imports."""

    def get(self, request):
        return self._render(request, self._form(request))

    def post(self, request):
        form = self._form(request, data=request.POST, files=request.FILES)
        if form.is_valid():
            target = form.cleaned_data["target"]
            try:
                job = imports.import_job_create(
                    actor=request.user,
                    unit=form.cleaned_data["unit"],
                    round_=target.round,
                    category=target.category,
                    upload=form.cleaned_data["file"],
                )
            except ApplicationError as exc:
                exc.add_to_form(form)
            else:
                return redirect("imports:job", pk=job.pk)
        return self._render(request, form, status=400)

    def _form(self, request, **kwargs) -> ImportForm:
        units = list(imports.import_units(user=request.user))
        return ImportForm(targets=imports.import_targets(), units=units, **kwargs)

    def _render(self, request, form, status=200):
        jobs = list(imports.import_jobs_for(user=request.user).order_by("-created_at", "-id")[:RECENT_JOBS])
        return render(request, "imports/index.html", {"form": form, "jobs": jobs}, status=status)


class ImportTemplateView(UnitImportMixin, View):
    """The Excel template for `?target=<round>:<category>` (an open round)."""

    def get(self, request):
        target = imports.import_target_get(key=request.GET.get("target", ""))
        if target is None:
            raise Http404
        workbook = import_workbooks.import_template(round_=target.round, category=target.category)
        return workbook_response(
            workbook, import_workbooks.import_template_filename(round_=target.round, category=target.category)
        )


class ImportJobView(UnitImportMixin, View):
    """One import: progress while it runs (the status block polls itself every second), then the outcome."""

    def get(self, request, pk: int):
        job = imports.import_job_watch(job=get_object_or_404(imports.import_jobs_for(user=request.user), pk=pk))
        waiting = job.state == job.State.PENDING and queue_waiting_for_worker(job.task_id)
        template = "imports/job.html#status" if request.htmx else "imports/job.html"
        proposed = proposals_count_for_import(import_job_id=job.pk) if job.state == job.State.DONE else 0
        context = {"job": job, "State": job.State, "no_worker": waiting, "proposed": proposed}
        return render(request, template, context)


class ImportErrorsView(UnitImportMixin, View):
    """The problems of a rejected file as a workbook, to work through next to the file."""

    def get(self, request, pk: int):
        job = get_object_or_404(imports.import_jobs_for(user=request.user), pk=pk)
        if not job.errors:
            raise Http404
        audit_log(actor=request.user, action="import.errors_export", obj=job)
        return workbook_response(import_workbooks.import_errors_workbook(job=job), f"导入问题_{job.pk}.xlsx")
