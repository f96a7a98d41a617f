"""Ways to an account: a unit's invitation, a self-registration confirmed by the unit, a claim of an imported
profile confirmed by the unit; and the record of claim attempts that limits guessing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medtalent.core.limits import TEXT_NOTE, limited_text_field
from medtalent.core.models import TimeStampedModel
from medtalent.registration.enums import InvitationState, RequestKind, RequestState


class Invitation(TimeStampedModel):
    """A unit invites one of its staff (a profile without an account) by a one-time link sent by email.

    Only the SHA-256 of the link's token is stored; the token itself is made by the worker that sends the
    email and exists nowhere else. Sending again makes a new token (the old link stops working) and a new
    expiry. Accepted or revoked: the link is dead."""

    person = models.ForeignKey(
        # Translators: 中文：人员
        "people.Person",
        verbose_name=_("person"),
        related_name="invitations",
        on_delete=models.CASCADE,
    )
    # Translators: 中文：单位
    unit = models.ForeignKey("orgs.Organisation", verbose_name=_("unit"), related_name="+", on_delete=models.PROTECT)
    # Translators: 中文：电子邮箱
    email = models.EmailField(_("email"))
    state = models.CharField(
        # Translators: 中文：状态
        _("state"),
        max_length=12,
        choices=InvitationState.choices,
        default=InvitationState.PENDING,
    )
    # Translators: 中文：令牌摘要
    token_hash = models.CharField(_("token hash"), max_length=64, blank=True, editable=False)
    # Translators: 中文：有效期至
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    # Translators: 中文：已发送邮件数
    sent_count = models.PositiveSmallIntegerField(_("emails sent"), default=0)
    # Translators: 中文：最近发送时间
    sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)
    invited_by = models.ForeignKey(
        # Translators: 中文：邀请人
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Translators: 中文：所建账户
        verbose_name=_("account created"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        # Translators: 中文：邀请
        verbose_name = _("invitation")
        # Translators: 中文：邀请
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(state="pending"), name="one_pending_invitation_per_person"
            ),
            models.UniqueConstraint(fields=["token_hash"], condition=~Q(token_hash=""), name="unique_invitation_token"),
        ]
        indexes = [models.Index(fields=["unit", "state"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.email}"

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class AccountRequest(TimeStampedModel):
    """A person asks their unit to confirm them: a self-registration (attach the new account's profile to the
    unit) or a claim (link the account to the profile the unit imported). pending → confirmed | refused |
    withdrawn, through `workflow.ACCOUNT_REQUEST`."""

    # Translators: 中文：类型
    kind = models.CharField(_("kind"), max_length=16, choices=RequestKind.choices)
    # Translators: 中文：状态
    state = models.CharField(_("state"), max_length=12, choices=RequestState.choices, default=RequestState.PENDING)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Translators: 中文：账户
        verbose_name=_("account"),
        related_name="account_requests",
        on_delete=models.CASCADE,
    )
    # A registration: the account's own new profile; a claim: the imported profile claimed.
    person = models.ForeignKey(
        # Translators: 中文：档案
        "people.Person",
        verbose_name=_("profile"),
        related_name="account_requests",
        on_delete=models.CASCADE,
    )
    # Translators: 中文：单位
    unit = models.ForeignKey("orgs.Organisation", verbose_name=_("unit"), related_name="+", on_delete=models.PROTECT)
    # Translators: 中文：IP 地址
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Translators: 中文：处理人
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    # Translators: 中文：处理时间
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Translators: 中文：原因
    reason = limited_text_field(_("reason"), blank=True, max_length=TEXT_NOTE)

    class Meta:
        # Translators: 中文：账户申请
        verbose_name = _("account request")
        # Translators: 中文：账户申请
        verbose_name_plural = _("account requests")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(state="pending"), name="one_pending_request_per_user"),
        ]
        indexes = [models.Index(fields=["unit", "state"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.person}"


class ClaimAttempt(models.Model):
    """One try at claiming a profile, kept to limit guessing (per account and per address, over a window)."""

    user = models.ForeignKey(
        # Translators: 中文：账户
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        related_name="+",
        on_delete=models.CASCADE,
    )
    # Translators: 中文：IP 地址
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # Translators: 中文：是否成功
    succeeded = models.BooleanField(_("succeeded"), default=False)
    # Translators: 中文：时间
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        # Translators: 中文：认领尝试
        verbose_name = _("claim attempt")
        # Translators: 中文：认领尝试
        verbose_name_plural = _("claim attempts")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "at"]), models.Index(fields=["ip_address", "at"])]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.at:%Y-%m-%d %H:%M}"
