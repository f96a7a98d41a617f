"""The state machine of a deletion request: requested → completed (anonymised now) | kept (partly kept until a
date) | refused (with the reason: records in progress); kept → completed when `anonymise_expired` anonymises the
person at the end of the period. Every move is a system move, made by `services.deletion_request_answer` from the
retention rules (the person asks, the rules answer); applied by `core.workflow`, one audit row per move."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from medtalent.core.workflow import Machine, Transition
from medtalent.privacy.enums import DeletionRequestState as D
from medtalent.privacy.models import DeletionRequest

DELETION_REQUEST = Machine(
    name="deletion_request",
    model=DeletionRequest,
    transitions=(
        Transition(D.REQUESTED, D.COMPLETED, ""),
        Transition(D.REQUESTED, D.KEPT, ""),
        Transition(
            D.REQUESTED,
            D.REFUSED,
            "",
            note_required=True,
            # Translators: 中文：拒绝删除申请时请说明原因。
            note_message=gettext_lazy("Say why the deletion request is refused."),
        ),
        Transition(D.KEPT, D.COMPLETED, ""),
    ),
    # Translators: 中文：删除申请不能从“%(from)s”变为“%(to)s”。
    cannot_message=gettext_lazy("A deletion request cannot go from “%(from)s” to “%(to)s”."),
    link=lambda request: reverse("privacy:home"),
)
