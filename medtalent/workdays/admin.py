"""The working-day calendar in the admin: commission administrators (whoever holds `CALENDAR_EDIT_PERMISSION`,
granted by `accounts.rules`) and superusers list the days by year and add, change and delete them (a later year's
public holidays, local days off). Every save and deletion is audited by `core.admin_audit`, as every admin change;
a saved or deleted day clears the cached calendar (`workdays.signals`)."""

from __future__ import annotations

import rules
from django import forms
from django.contrib import admin
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from medtalent.core.admin import PersonalDataLookupsMixin
from medtalent.workdays.enums import DayKind
from medtalent.workdays.models import CalendarDay
from medtalent.workdays.rules import CALENDAR_EDIT_PERMISSION
from medtalent.workdays.workcalendar import WEEKEND


class YearFilter(admin.SimpleListFilter):
    # Translators: 中文：年份
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name_zh", "name_en", "source"]

    def clean(self):
        cleaned = super().clean() or {}
        day, kind = cleaned.get("date"), cleaned.get("kind")
        if day is not None and kind == DayKind.WORKDAY and day.weekday() not in WEEKEND:
            # Translators: 中文：调休上班日应为星期六或星期日：%(date)s 是%(weekday)s，本来就是工作日。
            message = _("A make-up working day is a Saturday or Sunday: %(date)s is a %(weekday)s, a working day.")
            self.add_error("kind", message % {"date": day.isoformat(), "weekday": WEEKDAYS[day.weekday()]})
        return cleaned


@admin.register(CalendarDay)
class CalendarDayAdmin(PersonalDataLookupsMixin, admin.ModelAdmin):
    form = CalendarDayForm
    list_display = ("date", "weekday", "kind", "name_zh", "name_en", "source")
    list_filter = (YearFilter, "kind", "source")
    date_hierarchy = "date"
    search_fields = ("name_zh", "name_en")
    ordering = ("date",)
    list_per_page = 100

    # Translators: 中文：星期
    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        return str(WEEKDAYS[obj.date.weekday()])

    def _allowed(self, request) -> bool:
        return request.user.is_superuser or rules.has_perm(CALENDAR_EDIT_PERMISSION, request.user)

    def has_module_permission(self, request) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._allowed(request)
