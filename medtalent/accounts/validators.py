"""Password rules (issue 10, 等保 level 3): letters and digits, no personal information, not one of the last few.

Configured in `settings.AUTH_PASSWORD_VALIDATORS`, so every form that sets a password (change, reset, the admin)
applies them. `PasswordHistoryValidator.password_changed` is Django's hook after a password is saved: it keeps the
new hash and the time it was set (`User.password_changed_at`, read by the expiry middleware).
"""

from __future__ import annotations

import re
from datetime import date

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medtalent.accounts.models import PasswordHistory, User

SEPARATORS = re.compile(r"[\s\-./_:]")


class LettersAndDigitsValidator:
    """At least one letter and one digit."""

    def validate(self, password: str, user=None) -> None:
        if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
            raise ValidationError(
                # Translators: 中文：密码必须同时包含字母和数字。
                _("The password must contain both letters and digits."),
                code="password_letters_and_digits",
            )

    def get_help_text(self) -> str:
        # Translators: 中文：密码必须同时包含字母和数字。
        return _("The password must contain both letters and digits.")


def _birth_date_forms(birth: date) -> set[str]:
    """The ways a birth date is commonly typed in a password: 19850312, 850312, 12031985, 03121985."""
    y, m, d = f"{birth.year:04d}", f"{birth.month:02d}", f"{birth.day:02d}"
    return {y + m + d, y[2:] + m + d, d + m + y, m + d + y}


def personal_fragments(user) -> list[str]:
    """What a password must not contain: the username, the names, the email's name, and for a user with a profile
    (reached as `user.person`, without importing the people app) the ID number, its last 6 digits, the phone
    number and the birth date in its common forms. Short fragments (under 3 characters) are left out."""
    fragments: list[str] = []
    for attribute in ("username", "first_name", "last_name", "display_name"):
        fragments.append(str(getattr(user, attribute, "") or ""))
    email = str(getattr(user, "email", "") or "")
    fragments.append(email.split("@", 1)[0])
    person = getattr(user, "person", None) if getattr(user, "pk", None) else None
    if person is not None:
        fragments.append(str(getattr(person, "name", "") or ""))
        id_number = str(getattr(person, "id_number", "") or "")
        if id_number:
            fragments += [id_number, id_number[-6:]]
            if len(id_number) == 18:
                fragments.append(id_number[6:14])  # the birth date inside the ID number
        phone = re.sub(r"\D", "", str(getattr(person, "phone", "") or ""))
        if len(phone) >= 7:
            fragments.append(phone)
        birth = getattr(person, "birth_date", None)
        if isinstance(birth, date):
            fragments += sorted(_birth_date_forms(birth))
    return [f.lower() for f in fragments if len(f) >= 3]


class PersonalInformationValidator:
    """No username, name, email name, ID number (or its last 6 digits), phone or birth date in the password."""

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        typed = password.lower()
        compact = SEPARATORS.sub("", typed)  # 1985-03-12 is 19850312
        for fragment in personal_fragments(user):
            if fragment in typed or SEPARATORS.sub("", fragment) in compact:
                raise ValidationError(
                    # Translators: 中文：密码不能包含您的个人信息（用户名、姓名、身份证号、手机号或出生日期）。
                    _(
                        "The password must not contain your personal information "
                        "(username, name, ID number, phone number or date of birth)."
                    ),
                    code="password_personal_information",
                )

    def get_help_text(self) -> str:
        # Translators: 中文：密码不能包含您的个人信息（用户名、姓名、身份证号、手机号或出生日期）。
        return _(
            "The password must not contain your personal information "
            "(username, name, ID number, phone number or date of birth)."
        )


class PasswordHistoryValidator:
    """Not one of the user's last `count` passwords (the current one included); keeps each new one's hash."""

    def __init__(self, count: int = 5):
        self.count = count

    def _recent_hashes(self, user) -> list[str]:
        hashes = list(
            PasswordHistory.objects.filter(user=user)
            .order_by("-created_at", "-id")
            .values_list("password", flat=True)[: self.count]
        )
        return hashes

    def validate(self, password: str, user=None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        hashes = self._recent_hashes(user)
        current = getattr(user, "password", "")
        if current and current not in hashes:
            hashes.append(current)  # a password set before the history was kept
        if any(check_password(password, encoded) for encoded in hashes if encoded):
            raise ValidationError(
                # Translators: 中文：新密码不能与最近 %(count)d 次使用过的密码相同。
                ngettext(
                    "The new password must not be your current one.",
                    "The new password must not be one of your last %(count)d passwords.",
                    self.count,
                ),
                code="password_reused",
                params={"count": self.count},
            )

    def password_changed(self, password: str, user=None) -> None:
        """Django calls this once the new password is saved: keep its hash, the time, and only the last few."""
        if user is None or not getattr(user, "pk", None) or not user.password:
            return
        now = timezone.now()
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = list(
            PasswordHistory.objects.filter(user=user)
            .order_by("-created_at", "-id")
            .values_list("pk", flat=True)[: self.count]
        )
        PasswordHistory.objects.filter(user=user).exclude(pk__in=keep).delete()
        User.objects.filter(pk=user.pk).update(password_changed_at=now)
        user.password_changed_at = now

    def get_help_text(self) -> str:
        # Translators: 中文：新密码不能与最近 %(count)d 次使用过的密码相同。
        return ngettext(
            "The new password must not be your current one.",
            "The new password must not be one of your last %(count)d passwords.",
            self.count,
        ) % {"count": self.count}
