from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from medtalent.alliance.enums import EventKind, MembershipKind
from medtalent.alliance.selectors import DirectoryFilters, EventFilters
from medtalent.alliance.services import EventInput
from medtalent.core.limits import TEXT_LONG, TEXT_MEDIUM
from medtalent.orgs.enums import OrganisationKind


def _select(field: forms.Field, name: str, current) -> dict:
    choices = field.widget.choices if isinstance(field, forms.CharField) else field.choices
    return {"name": name, "label": field.label, "choices": choices, "current": current}


class DirectoryFilterForm(forms.Form):
    """The member directory's search box and filters. An invalid value is dropped, not an error."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = forms.CharField(label=_("Country"), required=False, max_length=2, widget=forms.Select)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Members and partners")), *MembershipKind.choices]
    )

    def __init__(self, *args, countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Translators: 中国（成员单位）
        china = ("CN", _("China (members)"))
        self.fields["country"].widget.choices = [
            ("", _("All countries")),
            china,
            *[(c.code, c.name) for c in countries],
        ]

    def filters(self) -> DirectoryFilters:
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return DirectoryFilters(
            q=(data.get("q") or "").strip(),
            country=(data.get("country") or "").upper(),
            kind=data.get("kind") or "",
        )

    @property
    def select_fields(self) -> list[dict]:
        filters = self.filters()
        return [_select(self.fields[n], n, getattr(filters, n)) for n in ("country", "kind")]


class EventFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *EventKind.choices])
    country = forms.CharField(label=_("Country"), required=False, max_length=2, widget=forms.Select)

    def __init__(self, *args, years=(), countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *[(str(y), str(y)) for y in years]]
        self.fields["country"].widget.choices = [("", _("All countries")), *[(c.code, c.name) for c in countries]]

    def filters(self) -> EventFilters:
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return EventFilters(
            year=data.get("year"), kind=data.get("kind") or "", country=(data.get("country") or "").upper()
        )

    @property
    def select_fields(self) -> list[dict]:
        filters = self.filters()
        current = {"year": str(filters.year or ""), "kind": filters.kind, "country": filters.country}
        return [_select(self.fields[n], n, current[n]) for n in ("year", "kind", "country")]


# The secretariat's forms ------------------------------------------------------------------------------------
# The forms check types and required fields; the rules (a partner is abroad, dates in order, no duplicate)
# are the services' — the view puts an ApplicationError next to the field it names.

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOTE_WIDGET = forms.Textarea(attrs={"rows": 3})
MEMBERSHIP_KIND_WIDGET = forms.RadioSelect


class MembershipFieldsMixin(forms.Form):
    kind = forms.ChoiceField(
        # Translators: 身份
        label=_("Membership"),
        choices=MembershipKind.choices,
        initial=MembershipKind.MEMBER,
        widget=MEMBERSHIP_KIND_WIDGET,
        # Translators: 境外合作机构须为中国以外的机构
        help_text=_("A partner abroad must be an institution outside China."),
    )
    # Translators: 加入日期
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=DATE_WIDGET)
    # Translators: 备注（中文）
    note_zh = forms.CharField(label=_("Note (Chinese)"), required=False, max_length=TEXT_MEDIUM, widget=NOTE_WIDGET)
    # Translators: 备注（英文）
    note_en = forms.CharField(label=_("Note (English)"), required=False, max_length=TEXT_MEDIUM, widget=NOTE_WIDGET)


class MembershipAddForm(MembershipFieldsMixin):
    """A new member or partner: an institution already on the platform, or a new one described here."""

    SOURCE_EXISTING = "existing"
    SOURCE_NEW = "new"

    source = forms.ChoiceField(
        # Translators: 机构
        label=_("Institution"),
        choices=[
            # Translators: 平台上已有的机构
            (SOURCE_EXISTING, _("An institution already on the platform")),
            # Translators: 新机构（在此填写）
            (SOURCE_NEW, _("A new institution (describe it below)")),
        ],
        initial=SOURCE_EXISTING,
        widget=forms.RadioSelect,
    )
    organisation = forms.ModelChoiceField(
        # Translators: 已有机构
        label=_("Existing institution"),
        queryset=None,
        required=False,
        to_field_name="code",
        # Translators: 输入名称的一部分可缩小列表，例如“梅奥”或 Mayo
        help_text=_("Type part of the name above to narrow the list, e.g. 梅奥 or Mayo."),
    )
    # Translators: 新机构名称（中文）
    new_name_zh = forms.CharField(label=_("New institution's name (Chinese)"), required=False, max_length=200)
    # Translators: 新机构名称（英文）
    new_name_en = forms.CharField(label=_("New institution's name (English)"), required=False, max_length=200)
    new_kind = forms.ChoiceField(
        # Translators: 新机构类型
        label=_("New institution's type"),
        choices=OrganisationKind.choices,
        initial=OrganisationKind.HOSPITAL,
        required=False,
    )
    new_country = forms.ChoiceField(
        # Translators: 新机构所在国家
        label=_("New institution's country"),
        required=False,
        # Translators: 境外机构请选择其国家；中国机构留空
        help_text=_("For an institution abroad choose its country; leave empty for a Chinese institution."),
    )
    # Translators: 城市（境外机构）
    new_city = forms.CharField(label=_("City (abroad)"), required=False, max_length=100)

    field_order = ["source", "organisation", "new_name_zh", "new_name_en", "new_kind", "new_country", "new_city"]

    def __init__(self, *args, organisations, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].label_from_instance = organisation_label
        # Translators: 中国（国内机构）
        self.fields["new_country"].choices = [("", _("China (Chinese institution)"))] + [
            (c.code, f"{c.code} · {c.name}") for c in countries if c.code != "CN"
        ]

    def clean(self):
        data = super().clean()
        typed_new = (data.get("new_name_zh") or "").strip() or (data.get("new_name_en") or "").strip()
        if data.get("source") == self.SOURCE_EXISTING and not self.data.get("organisation") and typed_new:
            # Nothing chosen in the list but a new name typed: the clerk means a new institution.
            data["source"] = self.SOURCE_NEW
        if (
            data.get("source") == self.SOURCE_EXISTING
            and not data.get("organisation")
            and "organisation" not in self.errors
        ):
            # Translators: 请选择一家机构，或选择“新机构”并填写
            self.add_error("organisation", _("Choose an institution, or choose “a new institution” and describe it."))
        if data.get("source") == self.SOURCE_NEW:
            if not (data.get("new_name_zh") or "").strip() and not (data.get("new_name_en") or "").strip():
                # Translators: 请填写新机构的中文名称或英文名称
                self.add_error("new_name_zh", _("Give the new institution's name in Chinese or in English."))
            if not data.get("new_kind"):
                # Translators: 请选择新机构的类型
                self.add_error("new_kind", _("Choose the new institution's type."))
        return data

    @property
    def is_new(self) -> bool:
        return self.cleaned_data.get("source") == self.SOURCE_NEW


def organisation_label(org) -> str:
    where = org.country.code if org.country_id else ""
    other = org.name_en if org.name_en and org.name_en != org.name else ""
    return " · ".join(p for p in (org.name, other, where) if p)


class MembershipEditForm(MembershipFieldsMixin):
    """A member's or partner's kind, join date and notes."""


class EventForm(forms.Form):
    """An event of the alliance. On the add form the code may be given; left empty it is made from the name."""

    code = forms.SlugField(
        # Translators: 代码（网址中使用）
        label=_("Code (used in the address)"),
        required=False,
        max_length=80,
        # Translators: 可留空，系统将根据日期和英文名称生成，例如 2019-10-vienna-delegation
        help_text=_(
            "May be left empty: it is made from the date and the English name, e.g. 2019-10-vienna-delegation."
        ),
    )
    # Translators: 活动类型
    kind = forms.ChoiceField(label=_("Kind of event"), choices=[("", "—"), *EventKind.choices])
    # Translators: 名称（中文）
    name_zh = forms.CharField(label=_("Name (Chinese)"), required=False, max_length=200)
    # Translators: 名称（英文）
    name_en = forms.CharField(label=_("Name (English)"), required=False, max_length=200)
    # Translators: 开始日期
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DATE_WIDGET)
    ends_on = forms.DateField(
        # Translators: 结束日期
        label=_("Ends on"),
        required=False,
        widget=DATE_WIDGET,
        # Translators: 不早于开始日期；一天的活动可留空
        help_text=_("Not before the start date; leave empty for a one-day event."),
    )
    date_note_zh = forms.CharField(
        # Translators: 日期文字（中文）
        label=_("Date as published (Chinese)"),
        required=False,
        max_length=100,
        # Translators: 留空则根据日期生成，例如“2019年10月11—20日”；只知道月份时可写“2019年7月”
        help_text=_(
            "Left empty, it is written from the dates, e.g. 2019年10月11—20日; write 2019年7月 if only the month is known."
        ),
    )
    # Translators: 日期文字（英文）
    date_note_en = forms.CharField(label=_("Date as published (English)"), required=False, max_length=100)
    # Translators: 地点（中文）
    place_zh = forms.CharField(label=_("Place (Chinese)"), required=False, max_length=200)
    # Translators: 地点（英文）
    place_en = forms.CharField(label=_("Place (English)"), required=False, max_length=200)
    countries = forms.ModelMultipleChoiceField(
        # Translators: 涉及国家
        label=_("Countries"),
        queryset=None,
        required=False,
        to_field_name="code",
        widget=forms.SelectMultiple(attrs={"size": 8}),
        # Translators: 按住 Ctrl（Mac 上为 ⌘）可多选
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    organisers = forms.ModelMultipleChoiceField(
        # Translators: 主办/组织单位
        label=_("Organisers"),
        queryset=None,
        required=False,
        to_field_name="code",
        widget=forms.SelectMultiple(attrs={"size": 8}),
        # Translators: 联盟、其主管单位及成员单位和合作机构；按住 Ctrl（Mac 上为 ⌘）可多选
        help_text=_(
            "The alliance, its parent body, its members and partners. Hold Ctrl (⌘ on a Mac) to choose several."
        ),
    )
    # Translators: 专业委员会
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=None, required=False, to_field_name="code")
    # Translators: 参加人数
    participants = forms.IntegerField(label=_("Participants"), required=False, min_value=0, max_value=10_000_000)
    description_zh = forms.CharField(
        # Translators: 介绍（中文）
        label=_("Description (Chinese)"),
        required=False,
        max_length=TEXT_LONG,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    description_en = forms.CharField(
        # Translators: 介绍（英文）
        label=_("Description (English)"),
        required=False,
        max_length=TEXT_LONG,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, countries, organisers, committees, with_code: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].queryset = countries
        self.fields["countries"].label_from_instance = lambda c: f"{c.code} · {c.name}"
        self.fields["organisers"].queryset = organisers
        self.fields["organisers"].label_from_instance = organisation_label
        self.fields["committee"].queryset = committees
        self.fields["committee"].empty_label = "—"
        if not with_code:
            del self.fields["code"]

    @classmethod
    def initial_for(cls, event) -> dict:
        names = [
            "kind",
            "name_zh",
            "name_en",
            "starts_on",
            "ends_on",
            "date_note_zh",
            "date_note_en",
            "place_zh",
            "place_en",
            "participants",
            "description_zh",
            "description_en",
        ]
        initial = {name: getattr(event, name) for name in names}
        initial["countries"] = [c.code for c in event.countries.all()]
        initial["organisers"] = [o.code for o in event.organisers.all()]
        initial["committee"] = event.committee.code if event.committee_id else None
        return initial

    def to_input(self):
        data = self.cleaned_data
        return EventInput(
            kind=data["kind"],
            name_zh=data["name_zh"],
            name_en=data["name_en"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            date_note_zh=data["date_note_zh"],
            date_note_en=data["date_note_en"],
            place_zh=data["place_zh"],
            place_en=data["place_en"],
            countries=tuple(c.code for c in data["countries"]),
            organisers=tuple(o.code for o in data["organisers"]),
            committee=data["committee"].code if data["committee"] else "",
            participants=data["participants"],
            description_zh=data["description_zh"],
            description_en=data["description_en"],
        )
