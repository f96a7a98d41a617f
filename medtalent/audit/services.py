"""The audit trail's export: itself audited."""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from openpyxl import Workbook

from medtalent.audit.selectors import EXPORT_LIMIT, AuditFilters, audit_events_filtered
from medtalent.core.auditchain import timestamp
from medtalent.core.excel import append_row
from medtalent.core.services import audit_log

COLUMNS = (
    "id",
    "created_at",
    "actor_id",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "from_state",
    "to_state",
    "region_code",
    "note",
    "data",
    "prev_hash",
    "hash",
)


def audit_export(*, actor, filters: AuditFilters) -> Workbook:
    """The events `actor` may read that match `filters` (at most EXPORT_LIMIT, newest first) as a workbook with
    every hashed field and both hashes, so a copy can be checked against the chain. The export is audited
    (`audit.export`, with the filters and the number of rows)."""
    events = audit_events_filtered(user=actor, filters=filters)[:EXPORT_LIMIT]
    workbook = Workbook(write_only=True)
    # Translators: 中文：审计日志
    sheet = workbook.create_sheet(_("Audit trail"))
    append_row(sheet, COLUMNS)
    count = 0
    for row in events.values_list(*COLUMNS).iterator(chunk_size=2000):
        values = list(row)
        values[1] = timestamp(values[1])
        values[11] = json.dumps(values[11], ensure_ascii=False, sort_keys=True)
        append_row(sheet, values)
        count += 1
    audit_log(
        actor=actor,
        action="audit.export",
        obj=actor,
        data={"filters": filters.as_data(), "rows": count},
    )
    return workbook
