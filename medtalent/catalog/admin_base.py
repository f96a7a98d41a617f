"""Pieces of the catalogue admin that its other admin modules (quotas) build on without importing `admin.py`
(which imports them)."""

from __future__ import annotations

from medtalent.accounts.rules import is_commission_admin
from medtalent.catalog.models import Programme


class ProgrammeScopedInline:
    """Inlines follow their parent's rule: whoever may change the programme may edit what it holds."""

    def _allowed(self, request, obj=None) -> bool:
        if request.user.is_superuser:
            return True
        if obj is None:
            return is_commission_admin(request.user)
        programme = obj if isinstance(obj, Programme) else obj.programme
        return request.user.has_perm("catalog.change_programme", programme)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)
