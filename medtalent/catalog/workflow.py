"""The state machine of a programme's publication: draft ⇄ published ⇄ archived, by the commission administrators
who manage the programme (its owner inside their jurisdiction).

Applied by `core.workflow`; `services.programme_set_status` calls it. Its audit rows keep the action they had
before the workflow core, "programme.status".
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from medtalent.catalog.enums import ProgrammeStatus
from medtalent.catalog.models import Programme
from medtalent.core.workflow import Machine, Transition

P = ProgrammeStatus
PUBLISH = "catalog.publish_programme"

PROGRAMME = Machine(
    name="programme",
    model=Programme,
    state_field="status",
    transitions=(
        Transition(P.DRAFT, P.PUBLISHED, PUBLISH, style="primary"),
        Transition(P.PUBLISHED, P.DRAFT, PUBLISH),
        Transition(P.PUBLISHED, P.ARCHIVED, PUBLISH),
        Transition(P.ARCHIVED, P.PUBLISHED, PUBLISH, style="primary"),
    ),
    lock=lambda qs: qs.select_related("owner__region"),  # what `manages_programme` reads
    link=lambda programme: reverse("catalog:programme", args=[programme.code]),
    cannot_message=gettext_lazy("A programme cannot go from %(from)s to %(to)s."),
    denied_message=gettext_lazy("You may not change the status of this programme."),
    audit_action="programme.status",
)
