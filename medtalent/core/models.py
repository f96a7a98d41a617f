"""Shared building blocks: timestamps, bilingual names and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
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


class AppendOnlyError(Exception):
    """An attempt to change or delete an audit event: the trail only grows (docs/security/audit.md)."""


class AuditEventQuerySet(models.QuerySet):
    """No `update()` nor `delete()` of audit events through the ORM (the database's trigger refuses them too)."""

    def update(self, **kwargs):
        raise AppendOnlyError("The audit trail is append-only: audit events cannot be updated.")

    def delete(self):
        raise AppendOnlyError("The audit trail is append-only: audit events cannot be deleted.")

    update.queryset_only = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


class AuditEvent(models.Model):
    """One row per change of an important object: who, when, what, from which state to which.

    Append-only and hash-chained (`core.auditchain`): written only by `core.services.audit_log`. `actor` keeps
    the account's id even after the account is deleted (no database constraint, nothing done on delete: an
    UPDATE to NULL would be refused), and `actor_username` its name. `region_code` is the GB/T 2260 code of
    the organisation the object belongs to (the model's `audit_region_code()`), which scopes auditors."""

    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
    )
    actor_username = models.CharField(_("actor's user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64)
    from_state = models.CharField(_("from"), max_length=40, blank=True)
    to_state = models.CharField(_("to"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    region_code = models.CharField(_("region code"), max_length=12, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # The auditor's page: newest first, filtered by who, what, or jurisdiction (a region prefix).
            models.Index(fields=["actor_username", "-id"], name="audit_actor_id"),
            models.Index(fields=["action", "-id"], name="audit_action_id"),
            models.Index(fields=["object_type", "-id"], name="audit_type_id"),
            models.Index(
                fields=["region_code", "-id"], name="audit_region_id", opclasses=["varchar_pattern_ops", "int8_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The audit trail is append-only: an audit event cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit trail is append-only: an audit event cannot be deleted.")


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
