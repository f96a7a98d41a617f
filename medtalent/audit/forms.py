from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from medtalent.audit.selectors import AuditFilters


class AuditFilterForm(forms.Form):
    # Translators: 中文：操作人（用户名）
    actor = forms.CharField(label=_("Who (user name)"), max_length=150, required=False)
    # Translators: 中文：操作
    action = forms.CharField(label=_("Action"), max_length=80, required=False)
    # Translators: 中文：对象类型
    object_type = forms.CharField(label=_("Object type"), max_length=80, required=False)
    # Translators: 中文：对象编号
    object_id = forms.CharField(label=_("Object id"), max_length=64, required=False)
    # Translators: 中文：起始日期
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    # Translators: 中文：截止日期
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def filters(self) -> AuditFilters:
        """The valid filters (an invalid date is ignored, and shown as an error)."""
        self.is_valid()  # an invalid field is left out of cleaned_data
        data = getattr(self, "cleaned_data", {})
        return AuditFilters(
            actor=(data.get("actor") or "").strip(),
            action=(data.get("action") or "").strip(),
            object_type=(data.get("object_type") or "").strip(),
            object_id=(data.get("object_id") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
