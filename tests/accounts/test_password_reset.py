"""Password reset by email: the link on the login page, the email with its one-time link, the new password, and
logging in with it."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_login_page_links_to_the_password_reset(client):
    html = client.get(reverse("login")).content.decode()

    assert f'href="{reverse("password_reset")}"' in html


def test_a_user_sets_a_new_password_through_the_emailed_link_and_logs_in_with_it(client):
    user = UserFactory(username="zhangsan", email="zhangsan@example.org")

    page = client.get(reverse("password_reset"))
    response = client.post(reverse("password_reset"), {"email": "zhangsan@example.org"})

    assert page.status_code == 200
    assert 'class="site-header"' in page.content.decode()  # in the site's layout
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert client.get(response.url).status_code == 200
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["zhangsan@example.org"]
    assert "MedTalent" in email.subject
    assert "zhangsan" in email.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", email.body).group(1)

    form = client.get(link, follow=True)  # Django swaps the token for a session key and redirects
    assert form.status_code == 200
    assert form.context["validlink"] is True
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "Xin-mima-2025", "new_password2": "Xin-mima-2025"})

    assert done.status_code == 302
    assert done.url == reverse("password_reset_complete")
    assert client.get(done.url).status_code == 200
    user.refresh_from_db()
    assert user.check_password("Xin-mima-2025")
    client.logout()
    login = client.post(reverse("login"), {"username": "zhangsan", "password": "Xin-mima-2025"})
    assert login.status_code == 302
    assert login.url == reverse("workspace:home")


def test_the_link_works_once(client):
    UserFactory(username="lisi", email="lisi@example.org")
    client.post(reverse("password_reset"), {"email": "lisi@example.org"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": "Xin-mima-2025", "new_password2": "Xin-mima-2025"})
    client.logout()

    again = client.get(link, follow=True)

    assert again.context["validlink"] is False


def test_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_the_email_is_in_the_language_of_the_page(client):
    UserFactory(username="wangwu", email="wangwu@example.org")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    client.post(reverse("password_reset"), {"email": "wangwu@example.org"})

    assert "Someone, most likely you, asked to set a new password" in mail.outbox[0].body
