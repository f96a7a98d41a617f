"""The annual review machine as the notices and the to-do list read it: who is told of each move and who they are."""

from __future__ import annotations

import pytest

from medtalent.annual import services
from medtalent.annual.enums import ReviewKind, ReviewState
from medtalent.annual.models import AnnualReview
from medtalent.annual.workflow import REVIEW
from medtalent.core.workflow import allowed_transitions

pytestmark = pytest.mark.django_db
R = ReviewState
K = ReviewKind


def test_who_is_told_of_each_move():
    assert {key: move.notify for key, move in REVIEW.table.items()} == {
        (R.DRAFT, R.SUBMITTED): ("commission", "parties"),
        (R.SUBMITTED, R.DRAFT): ("filer",),
    }


@pytest.mark.parametrize("kind", list(K))
def test_the_audiences_of_a_review(pairing, supporting_admin, supported_admin, commission, kind):
    review = AnnualReview(pairing=pairing, year=2015, kind=kind)
    assert set(REVIEW.recipients(review, "parties")) == {supporting_admin, supported_admin}
    assert list(REVIEW.recipients(review, "commission")) == [commission]
    filer = {K.SELF_SUPPORTING: supporting_admin, K.SELF_SUPPORTED: supported_admin, K.EVALUATION: commission}[kind]
    assert list(REVIEW.recipients(review, "filer")) == [filer]
    with pytest.raises(ValueError, match="unknown audience"):
        REVIEW.recipients(review, "everybody")


def test_the_moves_offered(pairing, supporting_admin, supported_admin, commission):
    review = services.review_save(actor=supported_admin, pairing=pairing, year=2015, kind=K.SELF_SUPPORTED)
    assert [m.target for m in allowed_transitions(REVIEW, review, supported_admin)] == [R.SUBMITTED]
    assert allowed_transitions(REVIEW, review, supporting_admin) == []
    assert allowed_transitions(REVIEW, review, commission) == []
    review.state = R.SUBMITTED
    assert [m.target for m in allowed_transitions(REVIEW, review, commission)] == [R.DRAFT]
    assert allowed_transitions(REVIEW, review, supported_admin) == []
