"""Writes for pairing support: the 3-year agreements between the two hospitals of a pairing.

An agreement is built from a template (Annex 3 of the 2014 plan): every template clause is copied and is
mandatory, the parties may add clauses (四、其他事项) while it is a draft. Each side's unit administrator
approves; the first approval locks the text (awaiting approval), the second makes it approved. A change
means a new version (a copy with its clauses); when that is approved the old one becomes superseded, and
every version is kept. Every change of state goes through `agreement_transition`, which applies the machine
`workflow.AGREEMENT` with `core.workflow.transition`.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from medtalent.core.errors import ApplicationError, require_perm
from medtalent.core.limits import check_lengths
from medtalent.core.services import audit_log
from medtalent.core.workflow import transition
from medtalent.partnerships.enums import AgreementState
from medtalent.partnerships.models import Agreement, AgreementClause, AgreementTemplate, Pairing
from medtalent.partnerships.rules import agreement_sides
from medtalent.partnerships.workflow import AGREEMENT

S = AgreementState

DEFAULT_TEMPLATE = "zj-pairing-2014-annex3"
# Added clauses sort between the term (三、协议期限) and the closing clause (五、…生效) of the template.
ADDED_SECTION = "四、其他事项"
ADDED_SORT_FIRST = 500
ADDED_SORT_LAST = 899


def _locked(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("pairing__supporting", "pairing__supported", "pairing__programme__owner__region")
        .get(pk=agreement.pk)
    )


def _require_draft(agreement: Agreement) -> None:
    if agreement.state != S.DRAFT:
        raise ApplicationError(_("Only a draft agreement can be changed."), field="state")


def agreement_transition(
    *, actor, agreement: Agreement, to: str, changes: dict | None = None, note: str = ""
) -> Agreement:
    """Apply one transition of `AGREEMENT`: the table and the actor's permission on the locked row, the
    approvals it needs (`changes`: the approval the service records with the move), save, audit, notify."""
    return transition(AGREEMENT, agreement, to=to, actor=actor, note=note, changes=changes)


@transaction.atomic
def agreement_create_from_template(
    *,
    actor,
    pairing: Pairing,
    template: AgreementTemplate | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Agreement:
    """Version 1 of the pairing's agreement, a draft with every clause of the template."""
    require_perm(actor, "partnerships.add_agreement", pairing, _("You may not start an agreement for this pairing."))
    if template is None:
        template = AgreementTemplate.objects.filter(code=DEFAULT_TEMPLATE).first()
        if template is None:
            raise ApplicationError(_("The agreement template is not loaded."), field="template")
    if Agreement.objects.filter(pairing=pairing).exists():
        raise ApplicationError(_("This pairing has an agreement already: start a new version of it."))
    starts_on = starts_on or pairing.starts_on or timezone.localdate()
    ends_on = ends_on or pairing.ends_on or starts_on.replace(year=starts_on.year + 3) - dt.timedelta(days=1)
    if ends_on < starts_on:
        raise ApplicationError(_("The term cannot end before it starts."), field="ends_on")
    agreement = Agreement.objects.create(
        pairing=pairing, template=template, version=1, starts_on=starts_on, ends_on=ends_on
    )
    AgreementClause.objects.bulk_create(
        AgreementClause(
            agreement=agreement,
            template_clause=clause,
            section=clause.section,
            text_zh=clause.text_zh,
            sort=clause.sort,
        )
        for clause in template.clauses.all()
    )
    audit_log(actor=actor, action="agreement.create", obj=agreement, to_state=S.DRAFT, data={"template": template.code})
    return agreement


@transaction.atomic
def agreement_add_clause(*, actor, agreement: Agreement, text_zh: str) -> AgreementClause:
    """A clause the parties add (四、其他事项), while the agreement is a draft."""
    locked = _locked(agreement)
    require_perm(actor, "partnerships.change_agreement", locked, _("You may not change this agreement."))
    _require_draft(locked)
    text_zh = (text_zh or "").strip()
    if not text_zh:
        raise ApplicationError(_("Write the clause."), field="text_zh")
    check_lengths(AgreementClause, {"text_zh": text_zh})
    last = locked.clauses.filter(sort__gte=ADDED_SORT_FIRST, sort__lte=ADDED_SORT_LAST).aggregate(m=Max("sort"))["m"]
    sort = ADDED_SORT_FIRST if last is None else last + 1
    if sort > ADDED_SORT_LAST:
        raise ApplicationError(_("This agreement has as many added clauses as it can hold."), field="text_zh")
    clause = AgreementClause.objects.create(agreement=locked, section=ADDED_SECTION, text_zh=text_zh, sort=sort)
    audit_log(actor=actor, action="agreement.add_clause", obj=locked, data={"clause": clause.pk, "text_zh": text_zh})
    return clause


@transaction.atomic
def agreement_remove_clause(*, actor, clause: AgreementClause) -> None:
    """Remove a clause the parties added; a template clause is mandatory and stays."""
    locked = _locked(clause.agreement)
    require_perm(actor, "partnerships.change_agreement", locked, _("You may not change this agreement."))
    _require_draft(locked)
    clause = AgreementClause.objects.get(pk=clause.pk, agreement=locked)
    if clause.template_clause_id is not None:
        raise ApplicationError(_("Mandatory clauses cannot be removed."), field="clause")
    data = {"clause": clause.pk, "text_zh": clause.text_zh}
    clause.delete()
    audit_log(actor=actor, action="agreement.remove_clause", obj=locked, data=data)


@transaction.atomic
def agreement_approve(*, actor, agreement: Agreement) -> Agreement:
    """The actor approves for their side (the supporting or the supported hospital). The agreement is
    approved once both sides have; a previous approved version then becomes superseded."""
    locked = _locked(agreement)
    require_perm(actor, "partnerships.approve_agreement", locked, _("You may not approve this agreement."))
    sides = [
        side for side in agreement_sides(actor, locked.pairing) if getattr(locked, f"approved_by_{side}_id") is None
    ]
    side = sides[0]
    other = "supported" if side == "supporting" else "supporting"
    changes = {f"approved_by_{side}": actor, f"approved_by_{side}_at": timezone.now()}
    both = getattr(locked, f"approved_by_{other}_id") is not None
    if both and locked.previous_id is not None:
        previous = Agreement.objects.get(pk=locked.previous_id)
        if previous.state == S.APPROVED:  # a system move: the actor's approval of this version makes it
            agreement_transition(actor=actor, agreement=previous, to=S.SUPERSEDED, note=f"v{locked.version}")
    to = S.APPROVED if both else S.AWAITING_APPROVAL
    result = agreement_transition(actor=actor, agreement=locked, to=to, changes=changes, note=side)
    agreement.state = result.state
    return result


def agreement_reopen(*, actor, agreement: Agreement) -> Agreement:
    """Back to a draft for changes, while awaiting the second approval; the approval given is cleared."""
    return agreement_transition(actor=actor, agreement=agreement, to=S.DRAFT)


@transaction.atomic
def agreement_new_version(*, actor, agreement: Agreement) -> Agreement:
    """A draft copy of the approved agreement and its clauses, to be changed and approved again."""
    locked = _locked(agreement)
    require_perm(actor, "partnerships.change_agreement", locked, _("You may not change this agreement."))
    if locked.state != S.APPROVED:
        raise ApplicationError(_("Only the approved agreement can have a new version."), field="state")
    if Agreement.objects.filter(pairing_id=locked.pairing_id, state__in=[S.DRAFT, S.AWAITING_APPROVAL]).exists():
        raise ApplicationError(_("A new version of this agreement is being prepared already."), field="state")
    version = Agreement.objects.filter(pairing_id=locked.pairing_id).aggregate(m=Max("version"))["m"] + 1
    new = Agreement.objects.create(
        pairing_id=locked.pairing_id,
        template_id=locked.template_id,
        version=version,
        starts_on=locked.starts_on,
        ends_on=locked.ends_on,
        previous=locked,
    )
    AgreementClause.objects.bulk_create(
        AgreementClause(
            agreement=new,
            template_clause_id=clause.template_clause_id,
            section=clause.section,
            text_zh=clause.text_zh,
            sort=clause.sort,
        )
        for clause in locked.clauses.all()
    )
    audit_log(actor=actor, action="agreement.new_version", obj=new, to_state=S.DRAFT, data={"previous": locked.pk})
    return new


@transaction.atomic
def agreement_set_term(*, actor, agreement: Agreement, starts_on: dt.date | None, ends_on: dt.date | None) -> Agreement:
    """Change the term of a draft agreement; the audit row keeps the old and the new dates. Nothing is
    written (nor logged) when the dates are the same."""
    locked = _locked(agreement)
    require_perm(actor, "partnerships.change_agreement", locked, _("You may not change this agreement."))
    _require_draft(locked)
    if starts_on is None:
        # Translators: 请填写协议期限的开始日期。
        raise ApplicationError(_("Give the date the term starts."), field="starts_on")
    if ends_on is None:
        # Translators: 请填写协议期限的结束日期。
        raise ApplicationError(_("Give the date the term ends."), field="ends_on")
    if ends_on < starts_on:
        raise ApplicationError(_("The term cannot end before it starts."), field="ends_on")
    old = {"starts_on": locked.starts_on.isoformat(), "ends_on": locked.ends_on.isoformat()}
    new = {"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()}
    if old == new:
        return locked
    locked.starts_on, locked.ends_on = starts_on, ends_on
    locked.save(update_fields=["starts_on", "ends_on", "updated_at"])
    audit_log(actor=actor, action="agreement.set_term", obj=locked, data={"old": old, "new": new})
    agreement.starts_on, agreement.ends_on = starts_on, ends_on
    return locked
