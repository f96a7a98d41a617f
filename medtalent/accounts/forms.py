"""Forms of the security pages (issue 10)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    # Translators: 中文：验证码
    code = forms.CharField(label=_("Verification code"), max_length=20, strip=True)


class EnrolForm(CodeForm):
    device = forms.IntegerField(widget=forms.HiddenInput)
