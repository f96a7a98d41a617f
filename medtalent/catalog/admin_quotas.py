"""The quotas of a programme in its admin page: who each quota counts, its places, and the places reserved
inside another quota (`catalog.quotas` explains how they are counted).

Every choice is limited to the programme's own rounds, categories, offerings and quotas. A new programme has none
of these yet: on its add page the quota says so and asks the administrator to save the programme first (a quota
added then counts across every round). Mistakes are refused with a sentence naming the field: a minimum above
the maximum, reserved places above the places of the quota they are reserved in (alone or together), a quota
reserved in itself or in one reserved in it, a quota of another programme or round, a sending region that is not a
region.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from medtalent.catalog.admin_base import ProgrammeScopedInline
from medtalent.catalog.models import Category, Offering, Quota, Round
from medtalent.catalog.selectors import QUOTA_RELATIONS

QUOTA_FIELDS = [
    "round",
    "parent",
    "unused",
    "sort",
    "minimum",
    "maximum",
    "approximate",
    "category",
    "track",
    "offering",
    "host",
    "sending_unit",
    "sending_region",
    "tag",
    "note_zh",
    "note_en",
]

QUOTA_FIELDSETS: list[tuple[Any, dict[str, Any]]] = [
    (None, {"fields": [("round", "sort"), ("minimum", "maximum", "approximate")]}),
    (
        # Translators: 中文：计入本名额的人员
        _("Who it counts"),
        {
            "fields": [("category", "track"), ("offering", "host"), ("sending_unit", "sending_region", "tag")],
            # Translators: 中文：留空的项目不作限制：只填“人员类别：医生”即计入全部医生。
            "description": _(
                "An empty field does not narrow the quota: with only “track: doctor” it counts every doctor."
            ),
        },
    ),
    (
        # Translators: 中文：预留名额
        _("Reserved places"),
        {
            "fields": [("parent", "unused")],
            # Translators: 中文：本名额为某一名额中的预留名额时（如 30 人中为山区海岛县预留 5 人），选择该名额。符合条件的人员先占用预留名额，其余人员与其他人一起竞争上级名额。
            "description": _(
                "When these places are reserved within another quota (e.g. 5 of 30 for mountain-area and island "
                "counties), choose that quota. Applicants who qualify take the reserved places first; the others "
                "compete for the rest of the parent's places."
            ),
        },
    ),
    # Translators: 中文：备注
    (_("Notes"), {"fields": [("note_zh", "note_en")]}),
]


# Translators: 中文：请先保存项目：保存后，本项目的批次、人才类别、岗位和其他名额才能在此选择。在此之前，名额按项目全部批次计算。
SAVE_PROGRAMME_FIRST = _(
    "Save the programme first: its rounds, categories, offerings and other quotas can be chosen here once it is "
    "saved. Until then a quota counts across all rounds."
)


class QuotaForm(forms.ModelForm):
    """One quota; the checks that need the other quotas of the programme are the formset's (QuotaFormSet)."""

    class Meta:
        model = Quota
        fields = QUOTA_FIELDS

    def clean_sending_region(self):
        region = self.cleaned_data.get("sending_region")
        if region is not None and region.table.slug != "region":
            # Translators: 中文：“%(code)s”不是行政区划代码，请选择一个地区。
            message = gettext("“%(code)s” is not a region code: choose a region.")
            raise forms.ValidationError(message % {"code": region.code})
        return region

    def clean(self):
        cleaned = super().clean() or {}
        minimum, maximum = cleaned.get("minimum"), cleaned.get("maximum")
        if minimum is not None and maximum is not None and minimum > maximum:
            # Translators: 中文：最少人数（%(minimum)s）大于最多人数（%(maximum)s）。
            message = gettext("The minimum (%(minimum)s) is larger than the maximum (%(maximum)s).")
            self.add_error("minimum", message % {"minimum": minimum, "maximum": maximum})
        programme_id = self.instance.programme_id
        parent, round_, offering = cleaned.get("parent"), cleaned.get("round"), cleaned.get("offering")
        owners = {name: cleaned.get(name) for name in ("round", "category", "parent")}
        owners_programmes = {name: value.programme_id for name, value in owners.items() if value is not None}
        if offering is not None:
            owners_programmes["offering"] = offering.round.programme_id
        for name, owner_programme_id in owners_programmes.items():
            if programme_id is not None and owner_programme_id != programme_id:
                # Translators: 中文：请选择本项目自己的选项。
                self.add_error(name, gettext("Choose one of this programme's own."))
        if parent is not None and self.instance.pk is not None and parent.pk == self.instance.pk:
            # Translators: 中文：名额不能预留在自身之中。
            self.add_error("parent", gettext("A quota cannot be reserved within itself."))
        elif parent is not None and parent.round_id is not None and (round_ is None or round_.pk != parent.round_id):
            # Translators: 中文：预留在某一批次名额中的名额须属于同一批次（%(round)s）。
            message = gettext("Places reserved within a round's quota belong to the same round (%(round)s).")
            self.add_error("round", message % {"round": parent.round})
        if offering is not None and round_ is not None and offering.round_id != round_.pk:
            # Translators: 中文：所选岗位不属于所选批次。
            self.add_error("offering", gettext("The offering is not one of the chosen round's."))
        return cleaned


class QuotaFormSet(forms.BaseInlineFormSet):
    """Checks the quotas of the programme together: its saved quotas, as the forms change them."""

    def clean(self):
        super().clean()
        if any(self.errors) or self.instance.pk is None:
            return
        rows = self._rows()
        for key, (parent_id, maximum, form) in rows.items():
            if form is None or parent_id is None:
                continue
            if self._reaches(rows, start=parent_id, target=key):
                # Translators: 中文：名额不能预留在自身或其下的预留名额之中。
                message = gettext("A quota cannot be reserved within itself or within its own reserved places.")
                form.add_error("parent", message)
            elif parent_id not in rows:
                # Translators: 中文：所选的上级名额正被删除。
                form.add_error("parent", gettext("The quota chosen is being deleted."))
            elif maximum is not None and rows[parent_id][1] is not None and maximum > rows[parent_id][1]:
                # Translators: 中文：预留名额（%(maximum)s 人）多于其所在名额（%(parent)s 人）。
                message = gettext("The reserved places (%(maximum)s) are more than the %(parent)s places they are in.")
                form.add_error("maximum", message % {"maximum": maximum, "parent": rows[parent_id][1]})
        for parent_id, (_grand, parent_maximum, parent_form) in rows.items():
            children = [row for row in rows.values() if row[0] == parent_id and row[1] is not None]
            reserved = sum(row[1] for row in children)
            if len(children) < 2 or parent_maximum is None or reserved <= parent_maximum:
                continue  # one reserved quota above its parent's maximum is told on its own form, above
            values = {"reserved": reserved, "maximum": parent_maximum}
            if parent_form is not None and "maximum" not in parent_form.errors:
                # Translators: 中文：在本名额中预留的名额合计 %(reserved)s 人，多于本名额的最多人数（%(maximum)s 人）。
                message = gettext(
                    "The places reserved within this quota add up to %(reserved)s, more than its %(maximum)s."
                )
                parent_form.add_error("maximum", message % values)
            for row in children:
                if row[2] is not None and "maximum" not in row[2].errors:
                    # Translators: 中文：同一名额中预留的名额合计 %(reserved)s 人，多于该名额的 %(maximum)s 人。
                    message = gettext(
                        "The places reserved within the same quota add up to %(reserved)s, more than its %(maximum)s."
                    )
                    row[2].add_error("maximum", message % values)

    def _rows(self) -> dict[object, list]:
        """id → [parent id, maximum, form or None]: the saved quotas as the forms change them, without the ones
        being deleted; a new row (key ("new", n)) cannot be a parent, having no id yet."""
        rows: dict[object, list] = {
            pk: [parent_id, maximum, None]
            for pk, parent_id, maximum in Quota.objects.filter(programme=self.instance).values_list(
                "pk", "parent_id", "maximum"
            )
        }
        for index, form in enumerate(self.forms):
            if form.instance.pk is None and not form.has_changed():
                continue
            key = form.instance.pk if form.instance.pk is not None else ("new", index)
            if self.can_delete and self._should_delete_form(form):  # type: ignore[attr-defined]
                rows.pop(key, None)
                continue
            parent = form.cleaned_data.get("parent")
            rows[key] = [parent.pk if parent else None, form.cleaned_data.get("maximum"), form]
        return rows

    @staticmethod
    def _reaches(rows: dict, *, start, target) -> bool:
        """Whether following parents from `start` comes back to `target` (or loops)."""
        seen = set()
        current = start
        while current is not None and current in rows:
            if current == target or current in seen:
                return True
            seen.add(current)
            current = rows[current][0]
        return False


class QuotaInline(ProgrammeScopedInline, admin.StackedInline):
    """The programme's quotas, one box each in four short lines (a table of sixteen columns overflows a 1366 px
    screen)."""

    model = Quota
    form = QuotaForm
    formset = QuotaFormSet
    fk_name = "programme"
    extra = 0
    autocomplete_fields = ["host", "sending_unit", "sending_region"]

    def get_fieldsets(self, request, obj=None):
        if obj is not None and obj.pk is not None:
            return QUOTA_FIELDSETS
        (name, options), *others = QUOTA_FIELDSETS
        return [(name, {**options, "description": SAVE_PROGRAMME_FIRST}), *others]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        match = getattr(request, "resolver_match", None)
        programme_id = match.kwargs.get("object_id") if match else None
        if not programme_id:
            programme_id = 0  # the add page: no programme yet, nothing of its own to choose
        querysets = {
            "round": Round.objects.filter(programme_id=programme_id),
            "category": Category.objects.filter(programme_id=programme_id),
            "offering": Offering.objects.filter(round__programme_id=programme_id).select_related(
                "host", "department", "specialty"
            ),
            "parent": Quota.objects.filter(programme_id=programme_id).select_related(*QUOTA_RELATIONS),
        }
        if db_field.name in querysets:
            kwargs["queryset"] = querysets[db_field.name]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
