"""A submitted review says 已提交 (Submitted) beside its time and who submitted it, in both languages (issue 11)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from medtalent.annual import services
from medtalent.annual.enums import ReviewKind
from tests.annual.conftest import OPEN_DAY, full_scores

pytestmark = pytest.mark.django_db

YEAR = 2015


@pytest.mark.parametrize(("language", "label"), [("zh-hans", "已提交"), ("en", "Submitted")])
def test_a_submitted_review_says_submitted(client, pairing, supporting_admin, dimensions, language, label):
    services.review_file(
        actor=supporting_admin,
        pairing=pairing,
        year=YEAR,
        kind=ReviewKind.SELF_SUPPORTING,
        summary="总结",
        scores=full_scores(dimensions),
        submit=True,
        today=OPEN_DAY,
    )
    client.force_login(supporting_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("annual:review", kwargs={"pairing_pk": pairing.pk, "year": YEAR, "kind": ReviewKind.SELF_SUPPORTING})

    html = client.get(url).content.decode()

    assert re.search(rf"<div><dt>{label}</dt><dd>\d{{4}}-\d\d-\d\d \d\d:\d\d · ", html)
    assert "<dt>提交时间</dt>" not in html
