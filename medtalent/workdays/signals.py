"""Receivers: a calendar day saved or deleted (in the admin, by the seed) clears the cached working-day calendar."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from medtalent.workdays.models import CalendarDay
from medtalent.workdays.selectors import clear_work_calendar


@receiver(post_save, sender=CalendarDay, dispatch_uid="workdays_calendar_saved")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="workdays_calendar_deleted")
def calendar_day_changed(sender, **kwargs) -> None:
    clear_work_calendar()
