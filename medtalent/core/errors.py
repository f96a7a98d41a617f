"""The one error type that services raise for a rule a user broke.

Views turn it into a form error or a message, the API into JSON `{"errors": [{"field", "message"}]}`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class ApplicationError(Exception):
    def __init__(self, message: str, *, field: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}

    def add_to_form(self, form) -> None:
        """Show the refusal next to the field it names, or above the form when the form has no such field."""
        form.add_error(self.field if self.field in form.fields else None, self.message)


def require_perm(actor, permission: str, obj=None, message: str = "") -> None:
    """The one permission check: PermissionDenied (with `message`, which the API shows; the 403 page never does)
    unless `actor` holds `permission` on `obj` (django-rules). Services call it on the locked object, views on the
    object the caller may see: 403 is for what a user may see but not change, 404 (the `<entity>_for_user`
    selectors) for what they may not see."""
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(message) if message else PermissionDenied
