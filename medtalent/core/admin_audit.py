"""Every change made in the admin leaves an audit row, for every model, in one place.

Django's admin writes a `LogEntry` for each addition, change and deletion (a deletion before the row goes). Its
`post_save` is received here and copied into the audit trail (`audit_log`, action `admin.add` / `admin.change` /
`admin.delete`, with the names of the changed fields, never their values). A deletion of several rows at once
(the "delete selected" action) writes its log entries in bulk, without `post_save`: `ModelAdmin.log_deletions` is
wrapped to audit those too. Connected by `CoreConfig.ready()`.

An admin whose every save and deletion (inline rows included) goes through services that write their own audit rows
says so with `audits_its_own_changes = True` (the catalogue's, the alliance's), so that no change is logged twice.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.admin import ModelAdmin, site
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.utils import translation
from django.utils.text import capfirst

from medtalent.core.services import audit_log

ACTIONS = {ADDITION: "admin.add", CHANGE: "admin.change", DELETION: "admin.delete"}
_AUDITED = "_medtalent_audited"


def _field_names(model, labels: list[str]) -> list[str]:
    """The field names behind the labels of the change message (written untranslated, from the verbose names)."""
    with translation.override(None):
        by_label = {
            capfirst(str(field.verbose_name)): field.name
            for field in model._meta.get_fields()
            if hasattr(field, "verbose_name")
        }
    return [by_label.get(label, label) for label in labels]


def _related_model(model, verbose_name: str):
    with translation.override(None):
        for relation in model._meta.related_objects:
            if str(relation.related_model._meta.verbose_name) == verbose_name:
                return relation.related_model
    return None


def change_data(entry: LogEntry, model) -> dict[str, Any]:
    """What the entry says was changed: the object's fields, and the inline rows added, changed or deleted (their
    model and fields; never the rows' text, which may name a person)."""
    try:
        message = json.loads(entry.change_message or "[]")
    except ValueError:
        message = []
    changed: list[str] = []
    related: list[dict[str, Any]] = []
    for item in message if isinstance(message, list) else []:
        for kind, detail in item.items():
            if not isinstance(detail, dict):
                continue
            if "name" not in detail:
                changed += _field_names(model, detail.get("fields", []))
                continue
            inline_model = _related_model(model, detail["name"])
            row: dict[str, Any] = {"action": kind, "model": inline_model._meta.label_lower if inline_model else ""}
            if "fields" in detail:
                row["fields"] = _field_names(inline_model, detail["fields"]) if inline_model else detail["fields"]
            related.append(row)
    data: dict[str, Any] = {"changed": changed}
    if related:
        data["related"] = related
    return data


def audit_entry(entry: LogEntry) -> None:
    """One audit row for one admin log entry."""
    if getattr(entry, _AUDITED, False):
        return
    setattr(entry, _AUDITED, True)
    action = ACTIONS.get(entry.action_flag)
    model = entry.content_type.model_class() if entry.content_type_id else None
    if action is None or model is None:
        return
    if getattr(site._registry.get(model), "audits_its_own_changes", False):
        return  # its saves and deletions go through services that write their own audit rows
    pk = model._meta.pk.to_python(entry.object_id)
    # The row itself (a deletion is logged before the row goes); a bare instance naming it if it is already gone.
    obj = model._base_manager.filter(pk=pk).first() or model(pk=pk)
    audit_log(actor=entry.user, action=action, obj=obj, data=change_data(entry, model))


def _log_entry_saved(sender, instance: LogEntry, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        audit_entry(instance)


def _audited_log_deletions(log_deletions):
    def wrapper(self, request, queryset):
        entries = log_deletions(self, request, queryset)
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry, LogEntry):
                audit_entry(entry)  # those written in bulk (a single entry was saved, and audited, already)
        return entries

    wrapper._medtalent_audited = True  # type: ignore[attr-defined]
    return wrapper


def connect() -> None:
    post_save.connect(_log_entry_saved, sender=LogEntry, dispatch_uid="core.admin_audit")
    if not getattr(ModelAdmin.log_deletions, _AUDITED, False):
        ModelAdmin.log_deletions = _audited_log_deletions(ModelAdmin.log_deletions)  # type: ignore[method-assign]
