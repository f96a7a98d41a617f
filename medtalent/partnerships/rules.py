"""Permission predicates for pairing support (django-rules).

The pairing network of a programme (its relationships and the checks) is for the commission
administrators in whose jurisdiction the programme lies (`catalog.rules.manages_programme`).
"""

from __future__ import annotations

import rules

from medtalent.catalog.rules import manages_programme

rules.add_perm("partnerships.view_pairings", manages_programme)
