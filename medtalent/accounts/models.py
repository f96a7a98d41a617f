from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from medtalent.accounts.enums import ORGANISATION_ROLES, Role


class User(AbstractUser):
    """A person who logs in. What they may see is given by their role assignments."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    # The language of the notice emails the user gets: the one they last chose with the
    # language switch or in their notice settings; empty: the site's default (settings.LANGUAGE_CODE).
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    # When the password was last set (issue 10: expiry after PASSWORD_MAX_AGE_DAYS); empty: since the account was
    # created (`date_joined`). Written by `validators.PasswordHistoryValidator.password_changed`.
    # Translators: 中文：密码修改时间
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class RoleAssignment(models.Model):
    """One role held by one user, scoped to an organisation where the role needs one.

    A commission administrator's organisation is the commission; its jurisdiction is the commission's
    region and everything below it. A unit administrator's and a host coordinator's organisation is
    their hospital. A user may hold several roles.
    """

    user = models.ForeignKey(User, verbose_name=_("user"), related_name="roles", on_delete=models.CASCADE)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        related_name="role_assignments",
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organisation"], name="unique_role_per_org"),
            models.CheckConstraint(
                condition=~Q(role__in=[r.value for r in ORGANISATION_ROLES]) | Q(organisation__isnull=False),
                name="organisation_role_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        if self.organisation_id:
            return f"{self.get_role_display()} · {self.organisation}"
        return str(self.get_role_display())


class PasswordHistory(models.Model):
    """The hash of one password a user has had: a new password may not be one of the last few (issue 10)."""

    user = models.ForeignKey(User, verbose_name=_("user"), related_name="password_history", on_delete=models.CASCADE)
    # Translators: 中文：密码哈希
    password = models.CharField(_("password hash"), max_length=128)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        # Translators: 中文：历史密码
        verbose_name = _("password history entry")
        # Translators: 中文：历史密码
        verbose_name_plural = _("password history")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"
