"""Permission predicates for the catalogue (django-rules)."""

from __future__ import annotations

import rules

from medtalent.accounts.rules import is_commission_admin
from medtalent.accounts.selectors import commission_covers
from medtalent.catalog.enums import ProgrammeStatus


@rules.predicate
def manages_programme(user, programme) -> bool:
    """A commission administrator manages the programmes owned inside their jurisdiction."""
    return programme is not None and commission_covers(user=user, organisation=programme.owner)


@rules.predicate
def is_published(user, programme) -> bool:
    return programme is not None and programme.status == ProgrammeStatus.PUBLISHED


rules.add_perm("catalog.view_programme", is_published | manages_programme)
rules.add_perm("catalog.add_programme", is_commission_admin)
rules.add_perm("catalog.change_programme", manages_programme)
rules.add_perm("catalog.publish_programme", manages_programme)
