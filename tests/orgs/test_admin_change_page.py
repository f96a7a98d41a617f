"""The organisation admin's change page renders (the website field assumes https:// for a bare domain)."""

from __future__ import annotations

from django.urls import reverse

from medtalent.orgs.models import Organisation
from tests.factories import OrganisationFactory, UserFactory


def test_the_change_page_renders_and_a_bare_website_is_saved_as_https(client, db):
    admin = UserFactory(is_staff=True, is_superuser=True)
    organisation = OrganisationFactory(name_zh="网站测试医院")
    client.force_login(admin)
    url = reverse("admin:orgs_organisation_change", args=[organisation.pk])

    page = client.get(url)

    assert page.status_code == 200
    form = page.context["adminform"].form
    assert form.fields["website"].assume_scheme == "https"
    assert form.fields["website"].clean("www.example.cn") == "https://www.example.cn"
    assert Organisation.objects.get(pk=organisation.pk).website == organisation.website
