"""Shared building blocks: timestamps, bilingual names and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def pick_language(zh: str, en: str) -> str:
    """The Chinese or English text for the active language, falling back to whichever exists."""
    if (translation.get_language() or "zh-hans").startswith("en"):
        return en or zh
    return zh or en


class BilingualNameMixin(models.Model):
    """`name_zh` and `name_en`; `name` is the one for the active language."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self.name_zh, self.name_en)


class AuditEvent(models.Model):
    """One row per change of an important object: who, when, what, from which state to which."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64)
    from_state = models.CharField(_("from"), max_length=40, blank=True)
    to_state = models.CharField(_("to"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class SeedRecord(models.Model):
    """What `load_seeds` last wrote into one row (the shipped values, as JSON).

    A later run updates the row only while it still holds those values: a row an administrator changed
    since (a policy number, a tolerance) is kept and reported, unless `load_seeds --overwrite` is asked for."""

    model = models.CharField(_("model"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64)
    values = models.JSONField(_("values written"), default=dict)

    class Meta:
        verbose_name = _("seed record")
        verbose_name_plural = _("seed records")
        constraints = [models.UniqueConstraint(fields=["model", "object_id"], name="unique_seed_record")]

    def __str__(self) -> str:
        return f"{self.model}#{self.object_id}"


class WorkerHeartbeat(models.Model):
    """A background worker process (`manage.py worker`) says it is alive, every few seconds.

    `/healthz` and the pages that wait for a task read it: a task whose worker stopped beating is failed
    with a message instead of being waited for forever."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    hostname = models.CharField(_("host"), max_length=200)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"
