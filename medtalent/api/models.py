"""Personal access tokens: how a hospital's HR system calls the API without a browser (issue 10).

Only the SHA-256 digest of a token is kept; the token itself is shown once, when it is created. Its short prefix
(`mt_ab12cd34`) names it in lists and logs. A token acts with ONE of its holder's role assignments, expires, may be
revoked, and remembers when and from where it was last used (written at most once a minute).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), related_name="access_tokens", on_delete=models.CASCADE
    )
    # The one role the token acts with; a withdrawn role leaves the token unusable (kept for the record).
    role = models.ForeignKey(
        "accounts.RoleAssignment",
        verbose_name=_("role"),
        related_name="access_tokens",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("last used from"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.role_id is not None and self.expires_at > timezone.now()
