"""The requests table's time column (issue 11): its own message, 发送时间 in Chinese, not the 提交时间 of a
submitted review."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medtalent.registration.enums import RequestKind
from medtalent.registration.models import AccountRequest
from tests.factories import PersonFactory
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


def _page(world, login, language: str) -> str:
    requester = make_user()
    AccountRequest.objects.create(
        kind=RequestKind.REGISTRATION, user=requester, person=PersonFactory(user=requester), unit=world.unit
    )
    client = login(world.admin)
    client.cookies["django_language"] = language
    html = client.get(reverse("registration:unit_accounts")).content.decode()
    return html[html.index('id="requests"') : html.index('id="staff"')]


def test_the_requests_table_says_sent_in_english(world, login):
    assert "<th>Sent</th>" in _page(world, login, "en")


def test_the_requests_table_does_not_say_submitted_in_chinese(world, login):
    table = _page(world, login, "zh-hans")
    assert "提交时间" not in table
    # "发送时间" once the lead's `make translations` has filled the new message from its Translators comment.
    assert "<th>发送时间</th>" in table or "<th>Sent</th>" in table
