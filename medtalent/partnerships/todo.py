"""What waits for a user in pairing support (the workspace's to-do list, `core.todo`): for a hospital's unit
administrator, the agreement versions their side has still to approve (from the states in which they may
approve: awaiting the second approval first, then drafts). One query whatever the number of items."""

from __future__ import annotations

from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _

from medtalent.accounts.enums import Role
from medtalent.accounts.selectors import organisation_ids_for_role
from medtalent.core.todo import TodoItem, first_rows, may, todo_lines
from medtalent.partnerships.enums import AgreementState
from medtalent.partnerships.models import Agreement
from medtalent.partnerships.selectors import agreements_visible_to
from medtalent.partnerships.workflow import AGREEMENT

APPROVE = "partnerships.approve_agreement"


def todo_items(*, user) -> list[TodoItem]:
    units = organisation_ids_for_role(user=user, role=Role.UNIT_ADMIN)
    if not units:
        return []
    return _to_approve(user, units)


def _to_approve(user, units: list[int]) -> list[TodoItem]:
    kind = "partnerships.approve"
    # Translators: 中文：等待本院批准的对口支援协议
    heading = _("Agreements waiting for your hospital's approval")
    my_side_open = Q(pairing__supporting_id__in=units, approved_by_supporting__isnull=True) | Q(
        pairing__supported_id__in=units, approved_by_supported__isnull=True
    )
    awaiting_first = Case(When(state=AgreementState.AWAITING_APPROVAL, then=Value(0)), default=Value(1))
    rows, total = first_rows(
        agreements_visible_to(user=user)
        .filter(my_side_open, state__in=AGREEMENT.states_with_moves(APPROVE))
        .select_related("pairing__programme"),
        awaiting_first,
        "updated_at",
        "id",
    )
    rows = [a for a in rows if may(AGREEMENT, a, user, APPROVE)]

    def line(agreement: Agreement) -> TodoItem:
        if agreement.state == AgreementState.AWAITING_APPROVAL:
            # Translators: 中文：对方医院已批准，等待本院批准
            detail = _("The other hospital approved; yours is awaited")
        else:
            detail = agreement.get_state_display()
        return TodoItem(
            kind=kind,
            heading=heading,
            title=f"{agreement.pairing} · v{agreement.version}",
            detail=f"{agreement.pairing.programme.name} · {detail}",
            url=reverse("partnerships:agreement", args=[agreement.pk]),
            since=agreement.updated_at,
        )

    more_url = f"{reverse('partnerships:agreements')}?state={AgreementState.AWAITING_APPROVAL}"
    return todo_lines(kind=kind, heading=heading, rows=rows, total=total, line=line, more_url=more_url)
