"""Permission predicates for the yearly cycle of a pairing (django-rules).

A pairing-year (its targets, the self-assessments once submitted, the evaluation once submitted) is for the
two hospitals' unit administrators and the commission managing the programme; nobody else, not even the
administrator of another hospital. Each review has one filer: the supporting hospital's administrator files
`self_supporting`, the supported hospital's `self_supported`, the commission the `evaluation`. A review is
seen by its filer at any time and by the others allowed on the pairing-year only once submitted (a party
never sees the other party's draft). The commission returns a submitted self-assessment, or reopens its
evaluation.

Objects: `annual.view_pairing_year` and `annual.change_targets` take a `Pairing`; the review permissions take
an `AnnualReview`, which may be unsaved (pairing, year, kind set) when nothing is filed yet.
"""

from __future__ import annotations

import rules

from medtalent.annual.enums import ReviewKind, ReviewState
from medtalent.partnerships.rules import agreement_sides, is_pairing_party_admin, manages_pairing

# The side whose unit administrator files each self-assessment.
FILER_SIDE = {ReviewKind.SELF_SUPPORTING: "supporting", ReviewKind.SELF_SUPPORTED: "supported"}


def review_filer(user, review) -> bool:
    """Whether the user files this review (for its kind, on its pairing)."""
    if review is None:
        return False
    if review.kind == ReviewKind.EVALUATION:
        return manages_pairing(user, review.pairing)
    side = FILER_SIDE.get(review.kind)
    return side is not None and side in agreement_sides(user, review.pairing)


@rules.predicate
def files_review(user, review) -> bool:
    return review_filer(user, review)


@rules.predicate
def sees_submitted_review(user, review) -> bool:
    return (
        review is not None
        and review.state == ReviewState.SUBMITTED
        and (is_pairing_party_admin(user, review.pairing) or manages_pairing(user, review.pairing))
    )


@rules.predicate
def manages_review(user, review) -> bool:
    return review is not None and manages_pairing(user, review.pairing)


rules.add_perm("annual.view_pairing_year", is_pairing_party_admin | manages_pairing)
rules.add_perm("annual.change_targets", is_pairing_party_admin | manages_pairing)
rules.add_perm("annual.view_review", files_review | sees_submitted_review)
rules.add_perm("annual.file_review", files_review)
rules.add_perm("annual.return_review", manages_review)
