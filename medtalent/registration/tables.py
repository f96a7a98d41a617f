"""The unit's staff without an account, in the back office's table kit (core/tables.py): find by name, filter by
unit (by its name) and by invitation, sort, export, invite many at once."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from medtalent.core.search import text_match_q
from medtalent.core.tables import KitTable, SelectColumn
from medtalent.orgs.models import Organisation
from medtalent.registration.enums import InvitationState

INVITED = "invited"
NOT_INVITED = "not_invited"


class StaffFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        # Translators: 中文：按姓名查找
        label=_("Find by name"),
        method="by_name",
        max_length=50,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    unit = django_filters.ModelChoiceFilter(
        # Translators: 中文：单位
        label=pgettext_lazy("organisation", "Unit"),
        field_name="employer",
        queryset=Organisation.objects.none(),
        # Translators: 中文：全部单位
        empty_label=_("All units"),
    )
    invitation = django_filters.ChoiceFilter(
        # Translators: 中文：邀请
        label=pgettext_lazy("invitation state", "Invitation"),
        method="by_invitation",
        # Translators: 中文：全部
        empty_label=_("All"),
        choices=[
            # Translators: 中文：已邀请
            (INVITED, _("Invited")),
            # Translators: 中文：尚未邀请
            (NOT_INVITED, _("Not invited yet")),
        ],
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.filters["unit"].queryset = units
            self.filters["unit"].field.label_from_instance = lambda org: org.name

    def by_name(self, queryset, name, value):
        for term in value.split()[:5]:
            queryset = queryset.filter(text_match_q(term, "name"))
        return queryset

    def by_invitation(self, queryset, name, value):
        pending = {"invitations__state": InvitationState.PENDING}
        if value == INVITED:
            return queryset.filter(**pending).distinct()
        if value == NOT_INVITED:
            return queryset.exclude(**pending)
        return queryset


class StaffTable(KitTable):
    # Translators: 中文：尚无账户的人员
    export_name = _("Staff without an account")

    ids = SelectColumn()
    name = tables.Column(verbose_name=_("Name"), order_by=("name", "id"))
    # Translators: 中文：科室
    department = tables.Column(verbose_name=_("Department"), default="—")
    unit = tables.Column(
        # Translators: 中文：单位
        verbose_name=pgettext_lazy("organisation", "Unit"),
        accessor="employer",
        order_by=("employer__name_zh", "name", "id"),
    )
    invitation = tables.Column(
        # Translators: 中文：邀请
        verbose_name=pgettext_lazy("invitation state", "Invitation"),
        accessor="pk",
        orderable=False,
        empty_values=(),
    )

    class Meta(KitTable.Meta):
        attrs = {"class": "kit-table staff-table"}
        row_attrs = {"id": lambda record: f"person-{record.pk}"}
        # Translators: 中文：所有人员都已有账户。
        empty_text = _("Everybody has an account.")

    def selectable(self, record) -> bool:
        return not record.pending_invitations

    def row_label(self, record) -> str:
        return record.name

    def render_unit(self, value, record):
        return record.employer.name if record.employer_id else "—"

    def value_unit(self, value, record):
        return self.render_unit(value, record)

    def render_invitation(self, value, record):
        if record.pending_invitations:
            # Translators: 中文：已邀请
            return format_html('<span class="badge">{}</span> {}', _("Invited"), record.pending_invitations[0].email)
        request = self.request
        return format_html(
            '<form method="post" action="{}" class="inline-form">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="email" name="email" value="{}" maxlength="254" required aria-label="{} {}">'
            '<button type="submit" class="button">{}</button></form>',
            reverse("registration:invite", args=[record.pk]),
            get_token(request),
            record.email or "",
            # Translators: 中文：邀请发送到的电子邮箱
            _("Email for the invitation"),
            record.name,
            # Translators: 中文：邀请
            _("Invite"),
        )

    def value_invitation(self, value, record):
        if record.pending_invitations:
            return f"{_('Invited')} · {record.pending_invitations[0].email}"
        # Translators: 中文：尚未邀请
        return str(_("Not invited yet"))
