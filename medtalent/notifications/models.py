"""What users are told: a notice per recipient of each transition that notifies, and who muted which email."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from medtalent.core.limits import TEXT_MEDIUM, limited_text_field


class Notice(models.Model):
    """One thing that happened to an object, told to one user: "张三's application was recommended by 李四"."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Translators: 中文：接收人
        verbose_name=_("recipient"),
        related_name="notices",
        on_delete=models.CASCADE,
    )
    # `<machine>.<target state>`: "application.submitted", "agreement.approved"; what a user mutes.
    kind = models.CharField(_("kind"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=80)  # "applications.application"
    object_id = models.CharField(_("object id"), max_length=64)
    # The object as the machine describes it, in the recipient's language when the notice was made.
    # Translators: 中文：标题
    title = models.CharField(_("title"), max_length=300)
    # Translators: 中文：链接
    link = models.CharField(_("link"), max_length=500, blank=True)  # a path on this site: "/applications/7/"
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Translators: 中文：操作人
        verbose_name=_("by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    note = limited_text_field(_("note"), blank=True, max_length=TEXT_MEDIUM)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    # Translators: 中文：阅读时间
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        # Translators: 中文：通知
        verbose_name = _("notice")
        # Translators: 中文：通知
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The header's unread count: a partial index holds only the unread notices.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notice_unread"),
            # A user's list, newest first.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notice_recipient_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.title}"

    @property
    def unread(self) -> bool:
        return self.read_at is None


class EmailPreference(models.Model):
    """Whether a user gets an email for one kind of notice. No row: yes (the notice is always kept in-app)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), related_name="email_preferences", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=80)
    email = models.BooleanField(_("email"), default=True)

    class Meta:
        # Translators: 中文：邮件设置
        verbose_name = _("email preference")
        # Translators: 中文：邮件设置
        verbose_name_plural = _("email preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="unique_email_preference")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}: {'on' if self.email else 'off'}"
