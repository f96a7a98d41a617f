from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class TokenCreateForm(forms.Form):
    """Name, role and lifetime of a new token; the service checks the role is the user's and the lifetime."""

    # Translators: 中文：名称
    name = forms.CharField(label=_("Name"), max_length=100)
    # Translators: 中文：角色
    role = forms.TypedChoiceField(label=_("Role"), coerce=int)
    # Translators: 中文：有效期（天）
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1)

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = {r.pk: r for r in roles}
        self.fields["role"].choices = [(r.pk, str(r)) for r in roles]
        self.fields["days"].initial = settings.API_TOKEN_MAX_DAYS
        self.fields["days"].widget.attrs["max"] = settings.API_TOKEN_MAX_DAYS
