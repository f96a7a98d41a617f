"""Pages of the yearly cycle of a pairing: the pairing-year (targets, the reviews' state), a review (the
self-assessments and the annual evaluation), and the overview of a programme's pairings for one year.

Every page needs a login; a pairing-year is for both hospitals' unit administrators and the commission
managing the programme (for anybody else the pairing is not found: 404, whether it exists or not). The actions are POSTs that call the services, which check
the permission again on the locked rows; a rule they refuse comes back next to the field, nothing saved.
The target rows are HTMX-friendly: an `hx-post` of a row's form gets the row back.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import roles_for_user
from medtalent.annual import selectors, services
from medtalent.annual.enums import FOUR_ONES, ReviewKind, ReviewState
from medtalent.annual.forms import (
    ReturnForm,
    ReviewForm,
    TargetEditForm,
    TargetForm,
    TargetStatusForm,
    specialty_choices,
)
from medtalent.annual.tables import OverviewFilter, OverviewTable
from medtalent.annual.workflow import REVIEW
from medtalent.catalog.rules import manages_programme
from medtalent.core.errors import ApplicationError, require_perm
from medtalent.core.services import audit_log
from medtalent.core.tables import KitListView
from medtalent.core.workflow import allowed_transitions
from medtalent.partnerships.selectors import (
    DEFAULT_PROGRAMME,
    pairing_cities,
    pairing_for_user,
    pairing_programme_for_user,
)


def _pairing_for(request, pairing_pk: int, permission: str = "annual.view_pairing_year"):
    """The pairing through the user's scope (its hospitals' administrators, the commission): 404 outside it."""
    pairing = pairing_for_user(user=request.user, pk=pairing_pk)
    require_perm(request.user, permission, pairing)
    return pairing


def _year_url(pairing_pk: int, year: int) -> str:
    return reverse("annual:year", kwargs={"pairing_pk": pairing_pk, "year": year})


# ---- the pairing-year ---------------------------------------------------------------------------------------------


def _year_context(request, pairing, year: int, *, add_forms=None, focus_form=None, bound_status=None) -> dict:
    """The page's context. `add_forms` / `focus_form` / `bound_status` (target pk → form) carry a refused
    form back with its errors; every other form is fresh."""
    data = selectors.pairing_year_get(user=request.user, pairing=pairing, year=year)
    may_change = request.user.has_perm("annual.change_targets", pairing)
    editable = may_change and not data.locked
    specialties = specialty_choices() if editable else []
    add_forms = add_forms or {}
    for slot in data.four_ones:
        slot.form = add_forms.get(slot.kind) or (
            TargetForm(specialties=specialties, four_ones_kind=slot.kind, prefix=f"add-{slot.kind}")
            if editable and slot.target is None
            else None
        )
    bound_status = bound_status or {}
    for target in data.targets:
        target.status_form = bound_status.get(target.pk) or TargetStatusForm(
            initial={"status": target.status, "evidence": target.evidence}, prefix=f"t{target.pk}"
        )
    return {
        "data": data,
        "pairing": pairing,
        "year": year,
        "editable": editable,
        "may_change": may_change,
        "focus_form": focus_form or (TargetForm(specialties=specialties, prefix="focus") if editable else None),
    }


def _render_year(request, pairing, year: int, **forms):
    return render(request, "annual/year.html", _year_context(request, pairing, year, **forms))


class PairingYearView(LoginRequiredMixin, View):
    def get(self, request, pairing_pk: int, year: int):
        pairing = _pairing_for(request, pairing_pk)
        return _render_year(request, pairing, year)


class TargetAddView(LoginRequiredMixin, View):
    """Add a target: a four-ones slot (`slot` = its kind) or a key specialty/technique (`slot` = focus)."""

    def post(self, request, pairing_pk: int, year: int):
        pairing = _pairing_for(request, pairing_pk, "annual.change_targets")
        selectors.check_year(pairing=pairing, year=year)
        slot = request.POST.get("slot", "focus")
        four_ones = slot if slot in FOUR_ONES else ""
        prefix = f"add-{four_ones}" if four_ones else "focus"
        form = TargetForm(request.POST, four_ones_kind=four_ones, prefix=prefix)
        if form.is_valid():
            kind = four_ones or form.cleaned_data["kind"]
            try:
                services.target_create(
                    actor=request.user,
                    pairing=pairing,
                    year=year,
                    kind=kind,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    specialty=form.cleaned_data["specialty"],
                )
            except ApplicationError as error:
                error.add_to_form(form)
            else:
                # Translators: 中文：目标已添加。
                messages.success(request, _("Target added."))
                return redirect(_year_url(pairing.pk, year))
        if four_ones:
            return _render_year(request, pairing, year, add_forms={four_ones: form})
        return _render_year(request, pairing, year, focus_form=form)


class TargetsFromFocusView(LoginRequiredMixin, View):
    def post(self, request, pairing_pk: int, year: int):
        pairing = _pairing_for(request, pairing_pk, "annual.change_targets")
        selectors.check_year(pairing=pairing, year=year)
        try:
            created = services.targets_from_focus(actor=request.user, pairing=pairing, year=year)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            if created:
                # Translators: 中文：已添加%(count)s项本年度省定重点工作。
                message = ngettext(
                    "Added %(count)s item of this year's provincial key work.",
                    "Added %(count)s items of this year's provincial key work.",
                    len(created),
                ) % {"count": len(created)}
                messages.success(request, message)
            else:
                # Translators: 中文：本年度省定重点工作均已添加。
                messages.info(request, _("This year's provincial key work is added already."))
        return redirect(_year_url(pairing.pk, year))


class TargetStatusView(LoginRequiredMixin, View):
    """A target's status and evidence; an HTMX request gets the row back (with its errors)."""

    def post(self, request, pairing_pk: int, year: int, pk: int):
        pairing = _pairing_for(request, pairing_pk, "annual.change_targets")
        target = selectors.target_get(pairing=pairing, year=year, pk=pk)
        form = TargetStatusForm(request.POST, request.FILES, prefix=f"t{target.pk}")
        saved = False
        if form.is_valid():
            try:
                target = services.target_set_status(
                    actor=request.user,
                    target=target,
                    status=form.cleaned_data["status"],
                    evidence=form.cleaned_data["evidence"],
                    evidence_file=form.cleaned_data["evidence_file"],
                )
                saved = True
            except ApplicationError as error:
                error.add_to_form(form)
        if saved:
            # Translators: 中文：目标状态已保存。
            messages.success(request, _("Target status saved."))
        if request.htmx:
            # The row, the page's counter and the message (both out of band): no reload needed.
            target = selectors.target_get(pairing=pairing, year=year, pk=pk)
            target.status_form = (
                TargetStatusForm(initial={"status": target.status, "evidence": target.evidence}, prefix=f"t{pk}")
                if saved
                else form
            )
            editable = not selectors.year_locked(pairing=pairing, year=year)
            achieved, total = selectors.target_counts(pairing=pairing, year=year)
            context = {
                "target": target,
                "pairing": pairing,
                "year": year,
                "editable": editable,
                "achieved": achieved,
                "total": total,
            }
            return render(request, "annual/year.html#target-status-response", context)
        if saved:
            return redirect(f"{_year_url(pairing.pk, year)}#target-{target.pk}")
        return _render_year(request, pairing, year, bound_status={target.pk: form})


class TargetEditView(LoginRequiredMixin, View):
    """The title, description and specialty of a target (a page of its own: opened from its row)."""

    def _render(self, request, pairing, year, target, form):
        context = {"pairing": pairing, "year": year, "target": target, "form": form}
        return render(request, "annual/target_edit.html", context)

    def get(self, request, pairing_pk: int, year: int, pk: int):
        pairing = _pairing_for(request, pairing_pk, "annual.change_targets")
        target = selectors.target_get(pairing=pairing, year=year, pk=pk)
        initial = {"title": target.title, "description": target.description, "specialty": target.specialty_id or ""}
        return self._render(request, pairing, year, target, TargetEditForm(initial=initial))

    def post(self, request, pairing_pk: int, year: int, pk: int):
        pairing = _pairing_for(request, pairing_pk, "annual.change_targets")
        target = selectors.target_get(pairing=pairing, year=year, pk=pk)
        form = TargetEditForm(request.POST)
        if form.is_valid():
            try:
                services.target_update(
                    actor=request.user,
                    target=target,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    specialty=form.cleaned_data["specialty"],
                )
            except ApplicationError as error:
                error.add_to_form(form)
            else:
                # Translators: 中文：目标已保存。
                messages.success(request, _("Target saved."))
                return redirect(f"{_year_url(pairing.pk, year)}#target-{target.pk}")
        return self._render(request, pairing, year, target, form)


class TargetDeleteView(LoginRequiredMixin, View):
    def post(self, request, pairing_pk: int, year: int, pk: int):
        pairing = _pairing_for(request, pairing_pk, "annual.change_targets")
        target = selectors.target_get(pairing=pairing, year=year, pk=pk)
        try:
            services.target_delete(actor=request.user, target=target)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            # Translators: 中文：目标已删除。
            messages.success(request, _("Target removed."))
        return redirect(_year_url(pairing.pk, year))


class TargetEvidenceView(LoginRequiredMixin, View):
    """A target's evidence file, for those who may see the pairing-year; streamed, never a public URL."""

    def get(self, request, pairing_pk: int, year: int, pk: int):
        pairing = _pairing_for(request, pairing_pk)
        target = selectors.target_get(pairing=pairing, year=year, pk=pk)
        if not target.evidence_file:
            raise Http404("No evidence file.")
        try:
            handle = target.evidence_file.open("rb")
        except FileNotFoundError as error:
            raise Http404("No evidence file.") from error
        extension = target.evidence_file.name.rsplit(".", 1)[-1]
        audit_log(actor=request.user, action="annual_target.evidence_download", obj=target)
        response = FileResponse(handle, as_attachment=True, filename=f"evidence-{target.pk}.{extension}")
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


# ---- a review ------------------------------------------------------------------------------------------------------


def _kind(kind: str) -> str:
    if kind not in ReviewKind.values:
        raise Http404("No such review.")
    return kind


class ReviewView(LoginRequiredMixin, View):
    """A self-assessment or the annual evaluation of a pairing-year: the form for its filer while a draft
    (Save draft, Submit), read-only once submitted; the commission's Return button on a submitted one."""

    def _review(self, request, pairing_pk: int, year: int, kind: str):
        pairing = _pairing_for(request, pairing_pk)
        selectors.check_year(pairing=pairing, year=year)
        review = selectors.review_get_or_new(pairing=pairing, year=year, kind=_kind(kind))
        require_perm(request.user, "annual.view_review", review)  # another party's draft: 403, filed or not
        return pairing, review

    def _render(self, request, pairing, review, *, form=None, return_form=None):
        user = request.user
        moves = allowed_transitions(REVIEW, review, user)
        editable = any(move.target == ReviewState.SUBMITTED for move in moves)  # its filer, while a draft
        dimensions = selectors.dimensions_for(programme=pairing.programme)
        if form is None and editable:
            form = ReviewForm(initial=ReviewForm.initial_for(review), dimensions=dimensions, kind=review.kind)
        scores = {s.dimension_id: s for s in review.scores.all()} if review.pk else {}
        calendar = selectors.annual_calendar(programme=pairing.programme)
        context = {
            "pairing": pairing,
            "year": review.year,
            "review": review,
            "form": form if editable else None,
            "score_rows": [(d, scores.get(d.pk)) for d in dimensions],
            "opens_on": selectors.review_opens_on(calendar=calendar, year=review.year, kind=review.kind),
            "may_return": any(move.target == ReviewState.DRAFT for move in moves),
            "return_form": return_form or ReturnForm(),
            "is_evaluation": review.kind == ReviewKind.EVALUATION,
        }
        return render(request, "annual/review.html", context)

    def get(self, request, pairing_pk: int, year: int, kind: str):
        pairing, review = self._review(request, pairing_pk, year, kind)
        return self._render(request, pairing, review)

    def post(self, request, pairing_pk: int, year: int, kind: str):
        pairing, review = self._review(request, pairing_pk, year, kind)
        require_perm(request.user, "annual.file_review", review)
        if review.state != ReviewState.DRAFT:
            messages.error(
                request, _("This review is submitted and cannot be changed; ask the commission to return it.")
            )
            return redirect("annual:review", pairing_pk=pairing.pk, year=year, kind=kind)
        dimensions = selectors.dimensions_for(programme=pairing.programme)
        form = ReviewForm(request.POST, dimensions=dimensions, kind=kind)
        submit = request.POST.get("action") == "submit"
        if form.is_valid():
            try:
                services.review_file(
                    actor=request.user,
                    pairing=pairing,
                    year=year,
                    kind=kind,
                    summary=form.cleaned_data["summary"],
                    problems=form.cleaned_data["problems"],
                    plan=form.cleaned_data["plan"],
                    scores=form.scores(),
                    conclusion=form.cleaned_data.get("conclusion", ""),
                    submit=submit,
                )
            except ApplicationError as error:
                error.add_to_form(form)
            else:
                if submit:
                    # Translators: 中文：已提交。
                    messages.success(request, _("Submitted."))
                else:
                    # Translators: 中文：草稿已保存。
                    messages.success(request, _("Draft saved."))
                return redirect("annual:review", pairing_pk=pairing.pk, year=year, kind=kind)
        return self._render(request, pairing, review, form=form)


class ReviewReturnView(ReviewView):
    """The commission returns a submitted self-assessment (with a note) or reopens its evaluation."""

    http_method_names = ["post"]

    def post(self, request, pairing_pk: int, year: int, kind: str):
        pairing, review = self._review(request, pairing_pk, year, kind)
        if review.pk is None:  # nothing filed, nothing to return
            raise PermissionDenied
        require_perm(request.user, "annual.return_review", review)
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                services.review_return(actor=request.user, review=review, note=form.cleaned_data["note"])
            except ApplicationError as error:
                error.add_to_form(form)
            else:
                if kind == ReviewKind.EVALUATION:
                    # Translators: 中文：年度评估已重新打开。
                    messages.success(request, _("The evaluation is reopened."))
                else:
                    # Translators: 中文：自评已退回医院修改。
                    messages.success(request, _("The self-assessment is returned to the hospital."))
                return redirect("annual:review", pairing_pk=pairing.pk, year=year, kind=kind)
        return self._render(request, pairing, review, return_form=form)


# ---- the overview --------------------------------------------------------------------------------------------------


class OverviewView(KitListView):
    """Every pairing of a programme with the state of its reviews and targets for a year: all of them for the
    commission managing it, the hospital's own for a unit administrator; 403 for anybody else. The year's
    select stays (the years of the pairings' terms); an unknown year is an error beside it, and the default year
    is shown."""

    table_class = OverviewTable
    filterset_class = OverviewFilter
    template_name = "annual/overview.html"
    # Translators: 中文：对口支援年度情况
    title = gettext_lazy("Yearly pairing support work")

    def permission_check(self, request):
        self.programme = pairing_programme_for_user(
            user=request.user, code=request.GET.get("programme") or DEFAULT_PROGRAMME
        )
        user = request.user
        self.manages = manages_programme(user, self.programme)
        self.units = {r.organisation_id for r in roles_for_user(user=user) if r.role == Role.UNIT_ADMIN}
        if not self.manages and (
            not self.units or not selectors.pairings_for_user(user=user, programme=self.programme).exists()
        ):
            raise PermissionDenied
        self.years = selectors.overview_years(user=user, programme=self.programme)
        raw = (request.GET.get("year") or "").strip()
        self.year = int(raw) if raw.isdigit() and int(raw) in self.years else selectors.default_year(years=self.years)

    def get_queryset(self):
        return selectors.overview_pairings(user=self.request.user, programme=self.programme, year=self.year)

    def filterset_kwargs(self) -> dict:
        if not hasattr(self, "_cities"):
            self._cities = pairing_cities(programme=self.programme) if self.manages else None
        # The default year (none asked for) is a year like the others: in the select, in the links.
        years = self.years if self.year in self.years else [*self.years, self.year]
        return {"years": sorted(years), "cities": self._cities}

    def filtered(self, params):
        if not params.get("year"):
            params = params.copy()
            params["year"] = str(self.year)
        return super().filtered(params)

    def build_table(self, params, *, paginate: bool = True):
        table, filterset = super().build_table(params, paginate=paginate)
        table.year, table.units, table.manages = self.year, self.units, self.manages
        return table, filterset

    def extra_context(self) -> dict:
        return {"programme": self.programme, "year": self.year}
