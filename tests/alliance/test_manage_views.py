"""The secretariat's pages: the management page, members and partners, events; every role on every page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from medtalent.alliance.enums import EventKind, MembershipKind
from medtalent.alliance.models import Committee, Event, Membership
from medtalent.core.models import AuditEvent
from medtalent.orgs.models import Organisation
from tests.alliance.conftest import ALLIANCE, ALLOWED, DENIED, EVENT, MEMBER, PARTNER, make_user, snapshot

pytestmark = pytest.mark.django_db


def _membership(code=PARTNER):
    return Membership.objects.get(alliance__code=ALLIANCE, organisation__code=code)


def _event_data(**changes):
    data = {
        "code": "",
        "kind": "conference",
        "name_zh": "第五届中美医院管理大会",
        "name_en": "Fifth China-US Hospital Management Conference",
        "starts_on": "2022-03-29",
        "ends_on": "2022-03-30",
        "date_note_zh": "",
        "date_note_en": "",
        "place_zh": "北京",
        "place_en": "Beijing",
        "countries": ["US"],
        "organisers": [ALLIANCE, PARTNER],
        "committee": "",
        "participants": "500",
        "description_zh": "",
        "description_en": "",
    }
    data.update(changes)
    return data


def _vienna_data(**changes):
    event = Event.objects.get(code=EVENT)
    data = _event_data(
        kind=event.kind,
        name_zh=event.name_zh,
        name_en=event.name_en,
        starts_on=event.starts_on.isoformat(),
        ends_on=event.ends_on.isoformat(),
        date_note_zh=event.date_note_zh,
        date_note_en=event.date_note_en,
        place_zh=event.place_zh,
        place_en=event.place_en,
        countries=["AT"],
        organisers=["vienna-hospital-association"],
        participants=str(event.participants),
        description_zh=event.description_zh,
        description_en=event.description_en,
    )
    data.pop("code")
    data.update(changes)
    return data


def _requests():
    """(method, url, data) for every page and action of the secretariat."""
    member = _membership().pk
    this = f"?alliance={ALLIANCE}"  # the secretariat of another alliance would otherwise land on its own
    return [
        ("get", reverse("alliance:manage") + this, None),
        ("get", reverse("alliance:member_add") + this, None),
        (
            "post",
            reverse("alliance:member_add") + this,
            {"source": "existing", "organisation": "zju-first-hospital", "kind": "member"},
        ),
        ("get", reverse("alliance:member_edit", args=[member]), None),
        ("post", reverse("alliance:member_edit", args=[member]), {"kind": "partner", "joined_on": "2020-01-01"}),
        ("post", reverse("alliance:member_remove", args=[member]), {}),
        ("get", reverse("alliance:event_add") + this, None),
        ("post", reverse("alliance:event_add") + this, _event_data()),
        ("get", reverse("alliance:event_edit", args=[EVENT]), None),
        ("post", reverse("alliance:event_edit", args=[EVENT]), _vienna_data(participants="99")),
    ]


def _call(client, method, url, data):
    return client.get(url) if method == "get" else client.post(url, data)


def test_visitors_are_sent_to_login_and_nothing_changes(client):
    before = snapshot()
    for method, url, data in _requests():
        response = _call(client, method, url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    assert snapshot() == before


@pytest.mark.parametrize("who", DENIED)
def test_other_users_are_refused_everywhere_and_nothing_changes(client, who):
    client.force_login(make_user(who))
    before = snapshot()
    for method, url, data in _requests():
        assert _call(client, method, url, data).status_code == 403, (method, url)
    assert snapshot() == before


def test_the_secretariat_of_another_alliance_is_refused_here_even_naming_this_alliance(client, other_alliance):
    client.force_login(make_user("secretariat_other_alliance", other_alliance=other_alliance))
    before = snapshot()
    assert client.get(reverse("alliance:manage"), {"alliance": ALLIANCE}).status_code == 403
    url = f"{reverse('alliance:event_add')}?alliance={ALLIANCE}"
    assert client.post(url, _event_data()).status_code == 403
    assert snapshot() == before
    # Their own alliance works.
    response = client.get(reverse("alliance:manage"))
    assert (response.status_code, response.context["alliance"]) == (200, other_alliance)


@pytest.mark.parametrize("who", ALLOWED)
def test_allowed_users_open_every_page(client, who):
    client.force_login(make_user(who))
    for method, url, _data in _requests():
        if method == "get":
            assert client.get(url).status_code == 200, url


# The management page ----------------------------------------------------------------------------------------


def test_manage_page_shows_counts_by_kind_and_country(secretariat_client, alliance):
    response = secretariat_client.get(reverse("alliance:manage"))
    assert response.status_code == 200
    assert response.context["alliance"] == alliance
    assert response.context["counts"] == {"members": 5, "partners": 27, "countries": 9}
    rows = {(r.code, r.members, r.partners) for r in response.context["by_country"]}
    assert rows == {
        ("", 5, 0),
        ("US", 0, 15),
        ("GB", 0, 4),
        ("IT", 0, 2),
        ("FR", 0, 1),
        ("HU", 0, 1),
        ("NL", 0, 1),
        ("AT", 0, 1),
        ("JP", 0, 1),
        ("SG", 0, 1),
    }
    assert [r.code for r in response.context["by_country"]][:3] == ["", "US", "GB"]
    assert [c.code for c in response.context["committees"]] == ["minimally-invasive-surgery"]
    html = response.content.decode()
    assert reverse("alliance:member_add") in html
    assert reverse("alliance:event_add") in html
    assert "微创外科技术发展专业委员会" in html
    assert "style=" not in html
    assert "<script>" not in html


def test_manage_page_lists_upcoming_and_recent_events(secretariat_client, alliance):
    today = timezone.localdate()
    Event.objects.create(
        alliance=alliance,
        code="next-month",
        kind=EventKind.CONFERENCE,
        name_zh="下月大会",
        starts_on=today + dt.timedelta(days=30),
    )
    Event.objects.create(
        alliance=alliance,
        code="running-now",
        kind=EventKind.ONLINE_COURSE,
        name_zh="正在进行的课程",
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=3),
    )
    response = secretariat_client.get(reverse("alliance:manage"))
    assert [e.code for e in response.context["upcoming"]] == ["running-now", "next-month"]
    assert [e.code for e in response.context["recent"]][:2] == [
        "2021-12-03-iss-memorandum",
        "2021-04-echocardiography-training",
    ]
    assert reverse("alliance:event_edit", args=["next-month"]) in response.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_manage_page_query_count_is_constant(client, alliance, django_assert_num_queries, rows):
    Event.objects.all().delete()
    Committee.objects.all().delete()
    today = timezone.localdate()
    for n in range(rows):
        for when, prefix in ((today + dt.timedelta(days=n + 1), "future"), (today - dt.timedelta(days=n + 1), "past")):
            event = Event.objects.create(
                alliance=alliance, code=f"{prefix}-{n}", kind=EventKind.CONFERENCE, name_zh=f"会{n}", starts_on=when
            )
            event.countries.add(Organisation.objects.get(code=PARTNER).country)
        committee = Committee.objects.create(alliance=alliance, code=f"committee-{n}", name_zh=f"委员会{n}")
        committee.members.add(Organisation.objects.get(code=MEMBER))
    client.force_login(make_user("secretariat"))
    with django_assert_num_queries(13):  # … and the header's unread notices
        response = client.get(reverse("alliance:manage"))
    assert (len(response.context["upcoming"]), len(response.context["recent"])) == (rows, rows)
    assert len(response.context["committees"]) == rows


def test_manage_page_offers_the_alliances_of_a_superuser(client, other_alliance):
    Event.objects.create(alliance=other_alliance, code="other-event", kind="conference", name_zh="会")
    client.force_login(make_user("superuser"))
    response = client.get(reverse("alliance:manage"))
    assert response.context["alliance"].code == ALLIANCE
    assert [a.code for a in response.context["alliances"]] == [ALLIANCE, "other-alliance"]
    other = client.get(reverse("alliance:manage"), {"alliance": "other-alliance"})
    assert other.context["alliance"] == other_alliance
    assert client.get(reverse("alliance:manage"), {"alliance": "no-such-alliance"}).status_code == 404


# Members and partners ---------------------------------------------------------------------------------------


def test_add_an_existing_institution(secretariat_client, secretariat):
    response = secretariat_client.post(
        reverse("alliance:member_add"),
        {"source": "existing", "organisation": "zju-first-hospital", "kind": "member", "joined_on": "2021-03-01"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('alliance:manage')}?alliance={ALLIANCE}"
    membership = Membership.objects.get(alliance__code=ALLIANCE, organisation__code="zju-first-hospital")
    assert (membership.kind, membership.joined_on) == ("member", dt.date(2021, 3, 1))
    assert AuditEvent.objects.get(action="membership.create").actor == secretariat
    page = secretariat_client.get(response["Location"])
    assert "浙江大学医学院附属第一医院" in page.content.decode()


def test_add_a_new_institution_abroad(secretariat_client):
    response = secretariat_client.post(
        reverse("alliance:member_add"),
        {
            "source": "new",
            "new_name_zh": "卡罗林斯卡学院",
            "new_name_en": "Karolinska Institutet",
            "new_kind": "university",
            "new_country": "SE",
            "new_city": "Stockholm",
            "kind": "partner",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(alliance__code=ALLIANCE, organisation__code="karolinska-institutet")
    assert (membership.kind, membership.organisation.country.code, membership.organisation.city) == (
        "partner",
        "SE",
        "Stockholm",
    )


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"source": "existing", "kind": "member"}, "organisation", "Choose an institution"),
        ({"source": "existing", "organisation": "no-such-org", "kind": "member"}, "organisation", "valid choice"),
        ({"source": "existing", "organisation": PARTNER, "kind": "member"}, "organisation", "valid choice"),
        (
            {"source": "existing", "organisation": "zju-first-hospital", "kind": "partner"},
            "kind",
            "Zhejiang University School of Medicine” has no country",
        ),
        (
            {"source": "existing", "organisation": "zju-first-hospital", "kind": "member", "joined_on": "2021-13-01"},
            "joined_on",
            "valid date",
        ),
        ({"source": "new", "new_kind": "university", "kind": "member"}, "new_name_zh", "name in Chinese or in English"),
        (
            {
                "source": "new",
                "new_name_zh": "梅奥诊所",
                "new_kind": "hospital",
                "new_country": "US",
                "kind": "partner",
            },
            "new_name_zh",
            "already on the platform",
        ),
        (
            {"source": "new", "new_name_en": "X", "new_kind": "hospital", "new_country": "ZZ", "kind": "partner"},
            "new_country",
            "valid choice",
        ),
        ({"source": "new", "new_name_zh": "某县医院", "new_kind": "hospital", "kind": "partner"}, "kind", "某县医院"),
    ],
)
def test_add_member_errors_are_shown_next_to_the_field(en_secretariat_client, data, field, text):
    before = snapshot()
    response = en_secretariat_client.post(reverse("alliance:member_add"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert text in " ".join(form.errors[field])
    html = response.content.decode()
    assert f'id="errors-{field}"><p class="error">' in html
    assert snapshot() == before


def test_add_member_search_narrows_the_list(secretariat_client):
    response = secretariat_client.get(reverse("alliance:member_add"), {"find": "浙江大学"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert 'value="zju-first-hospital"' in html
    assert 'value="mayo-clinic"' not in html  # already a partner
    assert "梅奥" not in html
    full = secretariat_client.get(reverse("alliance:member_add"))
    codes = [o.code for o in full.context["options"]]
    assert "zju-first-hospital" in codes
    assert PARTNER not in codes
    assert ALLIANCE not in codes


def test_add_member_search_without_javascript_saves_nothing(secretariat_client):
    before = snapshot()
    response = secretariat_client.post(
        reverse("alliance:member_add"), {"_find": "1", "find": "浙江大学医学院附属第一", "kind": "partner"}
    )
    assert response.status_code == 200
    assert [o.code for o in response.context["options"]] == ["zju-first-hospital"]
    assert response.context["form"].errors == {}
    assert snapshot() == before


def test_edit_a_membership(secretariat_client, secretariat):
    membership = _membership()
    response = secretariat_client.get(reverse("alliance:member_edit", args=[membership.pk]))
    assert response.context["form"].initial["kind"] == "partner"
    assert "梅奥诊所" in response.content.decode()
    response = secretariat_client.post(
        reverse("alliance:member_edit", args=[membership.pk]),
        {"kind": "member", "joined_on": "2019-06-25", "note_zh": "创始成员", "note_en": ""},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.kind, membership.joined_on, membership.note_zh) == ("member", dt.date(2019, 6, 25), "创始成员")
    assert AuditEvent.objects.get(action="membership.change").actor == secretariat


def test_edit_a_membership_errors_next_to_the_field(en_secretariat_client):
    membership = _membership(MEMBER)
    before = snapshot()
    response = en_secretariat_client.post(reverse("alliance:member_edit", args=[membership.pk]), {"kind": "partner"})
    assert response.status_code == 400
    assert "A partner abroad must be an institution outside China" in response.context["form"].errors["kind"][0]
    bad = en_secretariat_client.post(reverse("alliance:member_edit", args=[membership.pk]), {"kind": "nonsense"})
    assert list(bad.context["form"].errors) == ["kind"]
    assert snapshot() == before


def test_remove_a_membership(secretariat_client, secretariat):
    membership = _membership()
    response = secretariat_client.post(reverse("alliance:member_remove", args=[membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert Organisation.objects.filter(code=PARTNER).exists()
    assert AuditEvent.objects.get(action="membership.delete").actor == secretariat


def test_remove_is_post_only(secretariat_client):
    membership = _membership()
    assert secretariat_client.get(reverse("alliance:member_remove", args=[membership.pk])).status_code == 405
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_unknown_membership_is_404(secretariat_client):
    assert secretariat_client.get(reverse("alliance:member_edit", args=[999999])).status_code == 404


# Events -----------------------------------------------------------------------------------------------------


def test_record_an_event(secretariat_client, secretariat):
    response = secretariat_client.post(reverse("alliance:event_add"), _event_data())
    event = Event.objects.get(code="2022-03-fifth-china-us-hospital-management-conference")
    assert response.status_code == 302
    assert response["Location"] == reverse("alliance:event", args=[event.code])
    assert (event.date_note_zh, event.participants, event.place_zh) == ("2022年3月29—30日", 500, "北京")
    assert sorted(o.code for o in event.organisers.all()) == [ALLIANCE, PARTNER]
    assert [c.code for c in event.countries.all()] == ["US"]
    assert AuditEvent.objects.get(action="event.create").actor == secretariat
    page = secretariat_client.get(response["Location"]).content.decode()
    assert "第五届中美医院管理大会" in page
    assert reverse("alliance:event_edit", args=[event.code]) in page


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"ends_on": "2022-03-28"}, "ends_on", "before the start date"),
        ({"starts_on": "", "ends_on": "2022-03-28"}, "starts_on", "start date"),
        ({"name_zh": "", "name_en": ""}, "name_zh", "name"),
        ({"kind": ""}, "kind", "required"),
        ({"participants": "-3"}, "participants", "greater than or equal to 0"),
        ({"countries": ["ZZ"]}, "countries", "ZZ"),
        ({"organisers": ["zju-first-hospital"]}, "organisers", "zju-first-hospital"),
        ({"committee": "no-such"}, "committee", "valid choice"),
        ({"code": EVENT}, "code", EVENT),
        ({"starts_on": "yesterday"}, "starts_on", "valid date"),
    ],
)
def test_event_form_errors_are_shown_next_to_the_field(en_secretariat_client, changes, field, text):
    before = snapshot()
    response = en_secretariat_client.post(reverse("alliance:event_add"), _event_data(**changes))
    assert response.status_code == 400
    assert text in " ".join(response.context["form"].errors[field])
    html = response.content.decode()
    assert 'id="errors-' + field + '"><p class="error">' in html
    assert snapshot() == before


def test_edit_an_event(secretariat_client, secretariat):
    response = secretariat_client.get(reverse("alliance:event_edit", args=[EVENT]))
    form = response.context["form"]
    assert (form.initial["participants"], form.initial["countries"]) == (12, ["AT"])
    assert "code" not in form.fields
    response = secretariat_client.post(
        reverse("alliance:event_edit", args=[EVENT]),
        _vienna_data(participants="13", committee="minimally-invasive-surgery"),
    )
    assert response.status_code == 302
    event = Event.objects.get(code=EVENT)
    assert (event.participants, event.committee.code) == (13, "minimally-invasive-surgery")
    audit = AuditEvent.objects.get(action="event.change")
    assert (audit.actor, audit.data["fields"]) == (secretariat, ["committee", "participants"])


def test_edit_an_event_refuses_dates_out_of_order(en_secretariat_client):
    before = snapshot()
    response = en_secretariat_client.post(
        reverse("alliance:event_edit", args=[EVENT]), _vienna_data(ends_on="2019-10-01")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["ends_on"] == [
        "The end date (2019-10-01) is before the start date (2019-10-11)."
    ]
    assert snapshot() == before


def test_unknown_event_is_404(secretariat_client):
    assert secretariat_client.get(reverse("alliance:event_edit", args=["no-such-event"])).status_code == 404


# Links from the public pages ---------------------------------------------------------------------------------


def test_public_pages_link_to_edit_for_the_secretariat(secretariat_client):
    member = _membership()
    directory = secretariat_client.get(reverse("alliance:directory")).content.decode()
    assert reverse("alliance:member_edit", args=[member.pk]) in directory
    assert reverse("alliance:manage") in directory
    calendar = secretariat_client.get(reverse("alliance:events")).content.decode()
    assert reverse("alliance:event_edit", args=[EVENT]) in calendar
    assert reverse("alliance:event_add") in calendar
    event = secretariat_client.get(reverse("alliance:event", args=[EVENT])).content.decode()
    assert reverse("alliance:event_edit", args=[EVENT]) in event


@pytest.mark.parametrize("who", [None, *DENIED])
def test_public_pages_show_no_edit_links_to_others(client, who):
    if who:
        client.force_login(make_user(who))
    member = _membership()
    for url in (reverse("alliance:directory"), reverse("alliance:events"), reverse("alliance:event", args=[EVENT])):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200
        assert "/alliance/manage/members/add/" not in html  # (the menu may link the secretariat's own list)
        assert "/alliance/manage/events/" not in html
        # Another alliance's secretariat keeps its own menu link to its management page; nobody else has one.
        assert ('href="/alliance/manage/"' in html) == (who == "secretariat_other_alliance")
    assert (
        reverse("alliance:member_edit", args=[member.pk])
        not in client.get(reverse("alliance:directory")).content.decode()
    )


def test_secretariat_pages_have_no_inline_style_or_script(secretariat_client):
    for url in (
        reverse("alliance:manage"),
        reverse("alliance:member_add"),
        reverse("alliance:member_edit", args=[_membership().pk]),
        reverse("alliance:event_add"),
        reverse("alliance:event_edit", args=[EVENT]),
    ):
        html = secretariat_client.get(url).content.decode()
        assert "style=" not in html, url
        assert "<style" not in html, url
        assert "<script>" not in html, url
        assert " onclick" not in html, url


def test_membership_kinds_are_the_enum(secretariat_client):
    response = secretariat_client.get(reverse("alliance:member_add"))
    assert [v for v, _ in response.context["form"].fields["kind"].choices] == list(MembershipKind.values)


@pytest.mark.parametrize("rows", [1, 3])
def test_directory_with_edit_links_query_count_is_constant(client, alliance, django_assert_num_queries, rows):
    Membership.objects.all().delete()
    for n in range(rows):
        Membership.objects.create(
            alliance=alliance, organisation=Organisation.objects.get(code=["zju-first-hospital", MEMBER, PARTNER][n])
        )
    client.force_login(make_user("secretariat"))
    # session, user, the 4 of the page, the user's roles (may_manage), the header's unread notices
    with django_assert_num_queries(8):
        response = client.get(reverse("alliance:directory"))
    html = response.content.decode()
    assert html.count('class="edit-link"') == rows


def test_a_typed_new_name_with_nothing_chosen_means_a_new_institution(secretariat_client):
    response = secretariat_client.post(
        reverse("alliance:member_add"),
        {"source": "existing", "new_name_zh": "测试县中医院", "new_kind": "hospital", "kind": "member"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(alliance__code=ALLIANCE, organisation__name_zh="测试县中医院")
    assert (membership.kind, membership.organisation.country) == ("member", None)
