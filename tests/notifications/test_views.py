"""The notice pages: the user's own list (newest first, unread marked, 50 a page), opening one (read, then its
object), marking all read, the email settings; the header's unread count. Another user's notice is a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medtalent.notifications.models import EmailPreference, Notice
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def notice(recipient, **fields) -> Notice:
    values = {
        "kind": "application.recommended",
        "object_type": "applications.application",
        "object_id": "7",
        "title": "张三 · 2025",
        "link": "/applications/7/",
    }
    return Notice.objects.create(recipient=recipient, **{**values, **fields})


@pytest.fixture
def user():
    return UserFactory()


def test_the_list_shows_the_users_notices_newest_first_unread_marked(client, user):
    older = notice(user, title="旧的", read_at="2025-01-02T00:00:00Z")
    newer = notice(user, title="新的")
    notice(UserFactory(), title="别人的")
    client.force_login(user)

    response = client.get(reverse("notifications:list"))

    assert response.status_code == 200
    assert [n.pk for n in response.context["notices"]] == [newer.pk, older.pk]
    html = response.content.decode()
    assert "别人的" not in html
    assert html.count('class="notice unread"') == 1


def test_the_list_needs_a_login(client):
    response = client.get(reverse("notifications:list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_costs_the_same_queries_for_1_and_3_notices(client, user, count, django_assert_num_queries):
    actor = UserFactory(display_name="李四")
    for _ in range(count):
        notice(user, actor=actor)
    client.force_login(user)

    # session, user, roles (navigation), count, page of notices with their actors, unread count (header)
    with django_assert_num_queries(6):
        response = client.get(reverse("notifications:list"))

    assert len(response.context["notices"]) == count


def test_the_list_pages_by_50(client, user):
    Notice.objects.bulk_create(
        Notice(recipient=user, kind="k", object_type="t", object_id=str(i), title=f"n{i}") for i in range(51)
    )
    client.force_login(user)

    first = client.get(reverse("notifications:list"))
    second = client.get(reverse("notifications:list"), {"page": 2})

    assert len(first.context["notices"]) == 50
    assert len(second.context["notices"]) == 1


def test_opening_a_notice_marks_it_read_and_goes_to_its_object(client, user):
    item = notice(user)
    client.force_login(user)

    response = client.get(reverse("notifications:open", args=[item.pk]))

    assert response.status_code == 302
    assert response.url == "/applications/7/"
    item.refresh_from_db()
    assert item.read_at is not None


def test_a_notice_without_a_safe_link_goes_back_to_the_list(client, user):
    empty = notice(user, link="")
    elsewhere = notice(user, link="https://evil.example.com/")
    client.force_login(user)

    assert client.get(reverse("notifications:open", args=[empty.pk])).url == reverse("notifications:list")
    assert client.get(reverse("notifications:open", args=[elsewhere.pk])).url == reverse("notifications:list")


def test_another_users_notice_cannot_be_opened(client, user):
    theirs = notice(UserFactory())
    client.force_login(user)

    response = client.get(reverse("notifications:open", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_touches_only_the_users_notices(client, user):
    mine = [notice(user), notice(user)]
    theirs = notice(UserFactory())
    client.force_login(user)

    response = client.post(reverse("notifications:read_all"))

    assert response.status_code == 302
    assert Notice.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_is_a_post(client, user):
    item = notice(user)
    client.force_login(user)

    assert client.get(reverse("notifications:read_all")).status_code == 405
    item.refresh_from_db()
    assert item.read_at is None


def test_the_header_counts_the_unread_notices(client, user):
    notice(user)
    notice(user)
    notice(user, read_at="2025-01-02T00:00:00Z")
    client.force_login(user)

    html = client.get(reverse("notifications:list")).content.decode()

    assert html.count('class="nav-count"') == 1
    assert ">2</span></a>" in html


def test_the_header_has_no_count_when_everything_is_read(client, user):
    notice(user, read_at="2025-01-02T00:00:00Z")
    client.force_login(user)

    html = client.get(reverse("notifications:list")).content.decode()

    assert "nav-count" not in html


def test_settings_mute_the_email_of_a_kind_and_choose_the_language(client, user):
    notice(user, kind="application.recommended")
    notice(user, kind="agreement.approved")
    client.force_login(user)

    page = client.get(reverse("notifications:settings"))
    kinds = [s.kind for s in page.context["kind_settings"]]
    response = client.post(reverse("notifications:settings"), {"email": ["agreement.approved"], "language": "en"})

    assert {"application.recommended", "agreement.approved"} <= set(kinds)
    assert response.status_code == 302
    assert set(EmailPreference.objects.filter(user=user).values_list("kind", "email")) == {
        (kind, False) for kind in kinds if kind != "agreement.approved"
    }
    user.refresh_from_db()
    assert user.language == "en"
    settings_page = client.get(reverse("notifications:settings"))
    assert {s.kind: s.email for s in settings_page.context["kind_settings"]}["agreement.approved"] is True
    assert {s.kind: s.email for s in settings_page.context["kind_settings"]}["application.recommended"] is False


def test_settings_refuse_an_unknown_language(client, user):
    client.force_login(user)

    client.post(reverse("notifications:settings"), {"language": "fr"})

    user.refresh_from_db()
    assert user.language == ""


def test_the_language_switch_remembers_the_choice_of_a_logged_in_user(client, user):
    client.force_login(user)

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"


def test_the_language_switch_still_works_for_a_visitor(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
