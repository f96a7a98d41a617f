from decimal import Decimal

import pytest
from django.utils import translation

from medtalent.catalog.formatting import format_cost, format_duration


@pytest.mark.parametrize(
    ("args", "english"),
    [
        ((1, 2, "month"), "1–2 months"),
        ((3, 3, "month"), "3 months"),
        ((None, 1, "week"), "1 week"),
        ((7, 90, "day"), "1 week – 3 months"),
        ((14, 28, "day"), "2–4 weeks"),
        ((None, None, "month"), ""),
    ],
)
def test_format_duration_in_english(args, english):
    with translation.override("en"):
        assert format_duration(*args) == english


def test_format_duration_in_chinese():
    with translation.override("zh-hans"):
        assert format_duration(7, 90, "day") == "1 周 – 3 个月"
        assert format_duration(1, 2, "month") == "1–2 个月"


def test_format_cost_in_ten_thousand_yuan():
    with translation.override("zh-hans"):
        assert format_cost(Decimal(75000), Decimal(85000)) == "7.5–8.5 万元/人"
        assert format_cost(Decimal(62000), Decimal(62000)) == "约 6.2 万元/人"
    with translation.override("en"):
        assert format_cost(Decimal(75000), Decimal(85000)) == "75,000–85,000 yuan per person"
