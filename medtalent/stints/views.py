"""Pages of stints: a pairing's dispatched staff and upward trainees, one stint (schedule, changes, state),
a hospital's roster, and the alliance's inbound foreign trainees.

Every page needs a login (a visitor goes to the login page) and the rule of `rules.py`: a stint or a pairing
outside the user's scope is not found (404, whether it exists or not), an action the user may not make on one
they see is refused (403); lists come from selectors scoped to the user. Forms post to the services, which check
the permission again on the locked row; a rule they refuse comes back next to the field it concerns and nothing
is saved. The state buttons are the moves `core.workflow.allowed_transitions` offers the user.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import organisation_ids_for_role
from medtalent.core.errors import ApplicationError, require_perm
from medtalent.core.tables import KitListView
from medtalent.core.workflow import allowed_transitions, transition_label
from medtalent.partnerships.selectors import pairing_for_user
from medtalent.stints import selectors, services
from medtalent.stints.enums import StintKind, StintState
from medtalent.stints.forms import (
    InboundTraineeForm,
    PairingStintForm,
    StintScheduleForm,
    StintTransitionForm,
    StintUpdateForm,
)
from medtalent.stints.tables import InboundTable, RosterFilter, StintFilter, StintTable
from medtalent.stints.workflow import STINT

PAIRING_FORM_PERMISSIONS = {StintKind.DISPATCH: "stints.add_dispatch", StintKind.UPWARD: "stints.add_upward"}


# A pairing's dispatched staff and upward trainees ------------------------------------------------------------


class PairingStintsView(LoginRequiredMixin, View):
    template_name = "stints/pairing.html"

    def _pairing(self, request, pairing_pk):
        pairing = pairing_for_user(user=request.user, pk=pairing_pk)  # both hospitals' administrators, the commission
        require_perm(request.user, "stints.view_pairing_stints", pairing)
        return pairing

    def _render(self, request, pairing, bound=None, status=200):
        forms = {}
        for kind, permission in PAIRING_FORM_PERMISSIONS.items():
            if request.user.has_perm(permission, pairing):
                forms[kind.value] = (
                    bound if bound is not None and bound.kind == kind else PairingStintForm(kind=kind, pairing=pairing)
                )
        context = {
            "pairing": pairing,
            "rows": list(selectors.stints_for_pairing(pairing=pairing, user=request.user)),
            "counts": selectors.stint_counts_by_year(pairing=pairing),
            "dispatch_form": forms.get(StintKind.DISPATCH.value),
            "upward_form": forms.get(StintKind.UPWARD.value),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pairing_pk):
        return self._render(request, self._pairing(request, pairing_pk))

    def post(self, request, pairing_pk):
        pairing = self._pairing(request, pairing_pk)
        kind = request.POST.get("kind", "")
        if kind not in PAIRING_FORM_PERMISSIONS:
            return HttpResponseBadRequest()
        require_perm(request.user, PAIRING_FORM_PERMISSIONS[kind], pairing)
        form = PairingStintForm(request.POST, kind=kind, pairing=pairing)
        if form.is_valid():
            data = form.cleaned_data
            try:
                stint = services.stint_create(
                    actor=request.user,
                    kind=kind,
                    person=data["person"],
                    home=form.home,
                    host=form.host,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    pairing=pairing,
                    home_department=data["home_department"],
                    host_department=data["host_department"],
                    role=data.get("role", ""),
                    mentor=data["mentor"],
                    note=data["note"],
                )
            except ApplicationError as error:
                error.add_to_form(form)
            else:
                # Translators: 已登记：%(person)s。
                messages.success(request, _("Recorded: %(person)s.") % {"person": stint.person.name})
                return redirect("stints:pairing", pairing_pk=pairing.pk)
        return self._render(request, pairing, bound=form)


# One stint ---------------------------------------------------------------------------------------------------


def _stint_for(request, pk: int, permission: str = "stints.view_stint"):
    stint = selectors.stint_for_user(user=request.user, pk=pk)
    if permission != "stints.view_stint":
        require_perm(request.user, permission, stint)
    return stint


def _detail(request, stint, *, schedule_form=None, update_form=None, transition_error=None, status=200):
    user = request.user
    may_schedule = stint.state in (StintState.PLANNED, StintState.ACTIVE) and user.has_perm(
        "stints.schedule_stint", stint
    )
    may_update = stint.state == StintState.PLANNED and user.has_perm("stints.change_stint", stint)
    if may_schedule and schedule_form is None:
        schedule_form = StintScheduleForm(
            stint=stint,
            initial={
                "host_department": stint.host_department,
                "role": stint.role,
                "schedule": stint.schedule,
                "mentor": stint.mentor,
            },
        )
    if may_update and update_form is None:
        update_form = StintUpdateForm(
            initial={
                "starts_on": stint.starts_on,
                "ends_on": stint.ends_on,
                "home_department": stint.home_department,
                "host_department": stint.host_department,
            }
        )
    transitions = [
        {
            "to": move.target,
            "label": transition_label(STINT, move),
            "style": move.style,
            "needs_note": move.note_required,
        }
        for move in allowed_transitions(STINT, stint, user)
    ]
    context = {
        "stint": stint,
        "schedule_form": schedule_form if may_schedule else None,
        "update_form": update_form if may_update else None,
        "transitions": transitions,
        "transition_error": transition_error,
        "is_pairing_kind": stint.kind in selectors.PAIRING_KINDS,
    }
    return render(request, "stints/detail.html", context, status=status)


class StintDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        return _detail(request, _stint_for(request, pk))


class StintScheduleView(LoginRequiredMixin, View):
    def post(self, request, pk):
        stint = _stint_for(request, pk, "stints.schedule_stint")
        form = StintScheduleForm(request.POST, stint=stint)
        if form.is_valid():
            try:
                services.stint_schedule(actor=request.user, stint=stint, **form.cleaned_data)
            except ApplicationError as error:
                error.add_to_form(form)
            else:
                # Translators: 已保存排班。
                messages.success(request, _("Schedule saved."))
                return redirect("stints:detail", pk=stint.pk)
        return _detail(request, stint, schedule_form=form)


class StintUpdateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        stint = _stint_for(request, pk, "stints.change_stint")
        form = StintUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.stint_update(actor=request.user, stint=stint, **form.cleaned_data)
            except ApplicationError as error:
                error.add_to_form(form)
            else:
                # Translators: 已保存修改。
                messages.success(request, _("Changes saved."))
                return redirect("stints:detail", pk=stint.pk)
        return _detail(request, stint, update_form=form)


class StintTransitionView(LoginRequiredMixin, View):
    def post(self, request, pk):
        stint = _stint_for(request, pk)
        form = StintTransitionForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest()
        to = form.cleaned_data["to"]
        try:  # a move the user may not make: PermissionDenied (403), nothing changed
            services.stint_transition(actor=request.user, stint=stint, to=to, note=form.cleaned_data["note"])
        except ApplicationError as error:
            return _detail(request, stint, transition_error={"to": to, "field": error.field, "message": error.message})
        # Translators: 状态已更新为“%(state)s”。
        messages.success(request, _("The state is now “%(state)s”.") % {"state": StintState(to).label})
        return redirect("stints:detail", pk=stint.pk)


# A hospital's roster -----------------------------------------------------------------------------------------


class RosterView(KitListView):
    """People the unit administrator's hospital hosts (open one to schedule them) and people it sent."""

    table_class = StintTable
    filterset_class = RosterFilter
    template_name = "stints/roster.html"
    # Translators: 本院派驻与进修人员
    title = gettext_lazy("Stints of my hospital")
    # Translators: 派驻到本院的医生和来本院进修的人员；打开一人即可安排科室、岗位和排班。
    intro = gettext_lazy(
        "Doctors dispatched to us and trainees with us: open a person to give them a department, a post and a schedule."
    )
    export_audit_action = "stints.export"

    def permission_check(self, request):
        self.units = organisation_ids_for_role(user=request.user, role=Role.UNIT_ADMIN)
        if not self.units:
            raise PermissionDenied

    def get_queryset(self):
        return selectors.stints_roster(organisation=self.units)

    def filterset_kwargs(self) -> dict:
        return {"units": self.units}


# The alliance's inbound foreign trainees ---------------------------------------------------------------------


class InboundView(KitListView):
    """For the alliance secretariat: the inbound foreign trainees of its alliance, and the form to add one."""

    table_class = InboundTable
    filterset_class = StintFilter
    template_name = "stints/inbound.html"
    # Translators: 来华进修的国外学员
    title = gettext_lazy("Inbound foreign trainees")
    export_audit_action = "stints.export"

    def permission_check(self, request):
        self.alliances = organisation_ids_for_role(user=request.user, role=Role.ALLIANCE_SECRETARIAT)
        if not self.alliances:
            raise PermissionDenied

    def get_queryset(self):
        return selectors.stints_inbound_for_alliances(alliance_ids=self.alliances).order_by("-starts_on", "id")

    def extra_context(self) -> dict:
        return {"form": InboundTraineeForm(alliance_ids=self.alliances)}

    def post(self, request, *args, **kwargs):
        """The form above the list records a trainee (the list has no batch action)."""
        form = InboundTraineeForm(request.POST, alliance_ids=self.alliances)
        if form.is_valid():
            data = form.cleaned_data
            try:
                stint = services.inbound_trainee_create(actor=request.user, **data)
            except ApplicationError as error:
                error.add_to_form(form)
            except PermissionDenied:
                # Translators: 您无权为该医院登记国外学员。
                form.add_error("host", _("You may not record a trainee at this hospital."))
            else:
                messages.success(request, _("Recorded: %(person)s.") % {"person": stint.person.name})
                return redirect("stints:inbound")
        return self.render_list(request, request.GET, form=form)
