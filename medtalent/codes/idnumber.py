"""Citizen ID numbers (公民身份号码, GB 11643-1999): check one and say which part is wrong.

An ID number is 18 characters: a GB/T 2260 region code (1–6), the date of birth YYYYMMDD (7–14), a
sequence number whose last digit is odd for men and even for women (15–17) and an ISO 7064 MOD 11-2
check character, a digit or X (18). Residence permits of Hong Kong, Macao and Taiwan residents use the
same format with the prefixes 810000, 820000 and 830000.

`validate_id_number` never raises and does not query the database per call (the set of known region
codes is cached, see `medtalent.codes.selectors.known_region_codes`), so bulk imports can call it for
every row; only reading `IdNumberResult.region` fetches the Code.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _

from medtalent.codes.models import Code
from medtalent.codes.selectors import REGION, code_get, known_region_codes, region_index
from medtalent.core.models import pick_language

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
# Residence permits for Hong Kong, Macao and Taiwan residents → the region they stand for.
RESIDENCE_PERMIT_REGIONS = {"810000": "810000", "820000": "820000", "830000": "710000"}
EARLIEST_BIRTH = dt.date(1900, 1, 1)
_FORMAT = re.compile(r"^[0-9]{17}[0-9X]$")

# Parts of the number an error can be about.
LENGTH, REGION_PART, BIRTH_DATE, CHECK_DIGIT = "length", "region", "birth_date", "check_digit"


@dataclass
class IdNumberResult:
    valid: bool
    normalised: str
    errors: list[tuple[str, str]] = field(default_factory=list)
    birth_date: dt.date | None = None
    sex: str | None = None  # GB/T 2261.1 code: "1" male, "2" female
    region_code: str | None = None
    residence_permit: bool = False

    @cached_property
    def region(self) -> Code | None:
        """The region the number was issued for (Taiwan for an 83 residence permit); one query."""
        return code_get(table_slug=REGION, code=self.region_code) if self.region_code else None


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def normalise_id_number(value: object) -> str:
    """Full-width characters to ASCII, spaces removed, x upper-cased."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", value if isinstance(value, str) else str(value))
    return re.sub(r"\s+", "", text).upper()


def validate_id_number(value: str, *, today: dt.date | None = None) -> IdNumberResult:
    number = normalise_id_number(value)
    result = IdNumberResult(valid=False, normalised=number)
    errors = result.errors

    if not number:
        # Translators: 中文：请填写身份证号码。
        errors.append((LENGTH, _("Please enter the ID number.")))
        return result
    if re.fullmatch(r"[0-9]{15}", number):
        # Translators: 中文：这是旧的15位身份证号码，请填写现行的18位公民身份号码。
        errors.append((LENGTH, _("This is an old 15-digit ID number; please enter the current 18-digit number.")))
        return result
    if len(number) != 18:
        errors.append(
            (
                LENGTH,
                # Translators: 中文：身份证号码应为18位，您输入了%(count)d位。
                _("An ID number has 18 characters; this one has %(count)d.") % {"count": len(number)},
            )
        )
        return result
    if not _FORMAT.match(number):
        # Translators: 中文：身份证号码应为17位数字，最后一位为数字或字母X。
        errors.append((LENGTH, _("An ID number is 17 digits followed by a digit or the letter X.")))
        return result

    _check_region(number[:6], result)
    _check_birth_date(number[6:14], today or timezone.localdate(), result)
    result.sex = "1" if int(number[16]) % 2 else "2"
    expected = check_character(number[:17])
    if number[17] != expected:
        errors.append(
            (
                CHECK_DIGIT,
                # Translators: 中文：最后一位校验码应为%(expected)s，而不是%(actual)s，请检查号码是否输错。
                _(
                    "The last character is a check digit: it should be %(expected)s, not %(actual)s. Please check the number for a typing error."
                )
                % {"expected": expected, "actual": number[17]},
            )
        )
    result.valid = not errors
    return result


def _check_region(code: str, result: IdNumberResult) -> None:
    if code in RESIDENCE_PERMIT_REGIONS:
        result.residence_permit = True
        result.region_code = RESIDENCE_PERMIT_REGIONS[code]
        return
    known = known_region_codes()
    if code in known:
        result.region_code = code
        return
    province = code[:2] + "0000"
    if province in known:
        entry = region_index().entries[province]
        result.errors.append(
            (
                REGION_PART,
                # Translators: 中文：前6位%(code)s不是%(province)s已知的县级行政区划代码。
                _("The first 6 digits, %(code)s, are not a known county-level division code of %(province)s.")
                % {"code": code, "province": pick_language(entry.name_zh, entry.name_en)},
            )
        )
    else:
        result.errors.append(
            (
                REGION_PART,
                # Translators: 中文：前6位%(code)s不是已知的行政区划代码。
                _("The first 6 digits, %(code)s, are not a known administrative division code.") % {"code": code},
            )
        )


def _check_birth_date(digits: str, today: dt.date, result: IdNumberResult) -> None:
    try:
        born = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        result.errors.append(
            (
                BIRTH_DATE,
                # Translators: 中文：第7至14位%(digits)s应为出生日期，但不是有效的日期。
                _("Digits 7 to 14, %(digits)s, should be the date of birth but are not a real date.")
                % {"digits": digits},
            )
        )
        return
    if born > today:
        # Translators: 中文：第7至14位的出生日期%(date)s晚于今天。
        message = _("The date of birth in digits 7 to 14, %(date)s, is in the future.")
    elif born < EARLIEST_BIRTH:
        # Translators: 中文：第7至14位的出生日期%(date)s早于1900年。
        message = _("The date of birth in digits 7 to 14, %(date)s, is before 1900.")
    else:
        result.birth_date = born
        return
    result.errors.append((BIRTH_DATE, message % {"date": born.isoformat()}))
