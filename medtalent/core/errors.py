"""The one error type that services raise for a rule a user broke.

Views turn it into a form error or a message, the API into JSON `{"errors": [{"field", "message"}]}`.
"""

from __future__ import annotations


class ApplicationError(Exception):
    def __init__(self, message: str, *, field: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}
