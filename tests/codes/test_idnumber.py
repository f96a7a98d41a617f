"""GB 11643-1999 citizen ID numbers: each wrong part has its own message."""

import datetime as dt

import pytest

from medtalent.codes.idnumber import check_character, validate_id_number
from medtalent.codes.selectors import clear_code_caches

pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.django_db]


TODAY = dt.date(2025, 6, 1)


def make_id(prefix: str = "330106", birth: str = "19900307", sequence: str = "123") -> str:
    first17 = prefix + birth + sequence
    return first17 + check_character(first17)


def errors(value: str) -> list[tuple[str, str]]:
    return validate_id_number(value, today=TODAY).errors


def test_check_character_of_the_standards_example():
    # GB 11643-1999 appendix example: 11010519491231002X
    assert check_character("11010519491231002") == "X"


def test_valid_hangzhou_number():
    number = make_id()
    result = validate_id_number(number, today=TODAY)
    assert (result.valid, result.normalised, result.errors) == (True, number, [])
    assert (result.birth_date, result.sex, result.region.code, result.region.name_zh) == (
        dt.date(1990, 3, 7),
        "1",  # 17th digit 3 is odd
        "330106",
        "西湖区",
    )
    assert validate_id_number(make_id(sequence="124"), today=TODAY).sex == "2"


def test_wrong_check_digit_says_which_was_expected():
    number = make_id()
    wrong = "0" if number[-1] != "0" else "1"
    assert errors(number[:17] + wrong) == [
        (
            "check_digit",
            f"The last character is a check digit: it should be {number[-1]}, not {wrong}. "
            "Please check the number for a typing error.",
        )
    ]


def test_birth_date_in_the_future():
    assert errors(make_id(birth="20250602")) == [
        ("birth_date", "The date of birth in digits 7 to 14, 2025-06-02, is in the future.")
    ]
    assert errors(make_id(birth="20250601")) == []


def test_birth_date_that_does_not_exist():
    assert errors(make_id(birth="19990231")) == [
        ("birth_date", "Digits 7 to 14, 19990231, should be the date of birth but are not a real date.")
    ]


def test_birth_date_before_1900():
    assert errors(make_id(birth="18991231")) == [
        ("birth_date", "The date of birth in digits 7 to 14, 1899-12-31, is before 1900.")
    ]


def test_unknown_region():
    assert errors(make_id(prefix="999999")) == [
        ("region", "The first 6 digits, 999999, are not a known administrative division code.")
    ]


def test_known_province_but_unknown_county_names_the_province():
    assert errors(make_id(prefix="330199")) == [
        ("region", "The first 6 digits, 330199, are not a known county-level division code of Zhejiang.")
    ]


def test_historical_region_code_is_accepted():
    result = validate_id_number(make_id(prefix="330183"), today=TODAY)  # 富阳市, now 富阳区
    assert (result.valid, result.region.name_zh) == (True, "富阳市")


def test_several_wrong_parts_are_all_reported():
    number = "999999" + "19990231" + "123" + "0"
    assert [part for part, _ in errors(number)] == ["region", "birth_date", "check_digit"]


def test_old_15_digit_number_has_its_own_message():
    assert errors("330106900307123") == [
        ("length", "This is an old 15-digit ID number; please enter the current 18-digit number.")
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("33010619900307", "An ID number has 18 characters; this one has 14."),
        ("", "Please enter the ID number."),
        ("33010619900307123A", "An ID number is 17 digits followed by a digit or the letter X."),
        ("3301061990030712X5", "An ID number is 17 digits followed by a digit or the letter X."),
    ],
)
def test_length_and_characters(value, message):
    assert errors(value) == [("length", message)]


def test_lowercase_x_is_normalised():
    sequence = next(s for s in (f"{i:03d}" for i in range(1000)) if make_id(sequence=s).endswith("X"))
    number = make_id(sequence=sequence)
    result = validate_id_number(" " + number.lower() + " ", today=TODAY)
    assert (result.valid, result.normalised) == (True, number)


def test_full_width_digits_are_normalised():
    number = make_id()
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    assert validate_id_number(full_width, today=TODAY).normalised == number


@pytest.mark.parametrize(("prefix", "region"), [("810000", "810000"), ("820000", "820000"), ("830000", "710000")])
def test_residence_permits_of_hong_kong_macao_and_taiwan_residents(prefix, region):
    result = validate_id_number(make_id(prefix=prefix), today=TODAY)
    assert (result.valid, result.residence_permit, result.region.code) == (True, True, region)


@pytest.mark.parametrize("value", [None, 123, "x" * 10_000, "\x00" * 18, "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧", "３３０１０６"])
def test_never_raises(value):
    assert validate_id_number(value, today=TODAY).valid is False


def test_no_query_per_number_when_validating_many(django_assert_num_queries):
    clear_code_caches()
    validate_id_number(make_id(), today=TODAY)  # fills the cache: one query
    numbers = [make_id(prefix=p, sequence=f"{i:03d}") for i, p in enumerate(["330106", "450127", "999999"] * 100)]
    with django_assert_num_queries(0):
        results = [validate_id_number(n, today=TODAY) for n in numbers]
    assert sum(r.valid for r in results) == 200
