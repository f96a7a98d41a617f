"""load_code_tables is idempotent: the session fixture loaded everything, so another run changes nothing."""

import pytest

from medtalent.codes.loaders import load_code_tables, read_tables
from medtalent.codes.models import Code, CodeTable
from medtalent.codes.selectors import code_get
from medtalent.core.seeding import SeedReport

pytestmark = pytest.mark.django_db


def test_second_run_creates_and_updates_nothing(django_assert_max_num_queries):
    report = SeedReport()
    with django_assert_max_num_queries(4):  # read tables, read codes, savepoint in and out at most
        load_code_tables(report)
    rows = sum(len(t.rows) for t in read_tables())
    assert (report.created["codes.Code"], report.updated["codes.Code"], report.unchanged["codes.Code"]) == (0, 0, rows)
    assert (report.created["codes.CodeTable"], report.updated["codes.CodeTable"]) == (0, 0)
    assert report.changed is False


def test_every_shipped_row_is_in_the_database():
    for table in read_tables():
        stored = set(Code.objects.filter(table__slug=table.slug).values_list("code", flat=True))
        assert stored >= {row.code for row in table.rows}, table.slug


def test_a_changed_row_is_put_back_and_counted_once():
    han = code_get(table_slug="ethnicity", code="01")
    Code.objects.filter(pk=han.pk).update(name_en="Hans", extra={})
    Code.objects.filter(table__slug="region", code="330183").update(successor=None)
    CodeTable.objects.filter(slug="sex").update(version="1999")

    report = SeedReport()
    load_code_tables(report)

    assert (report.created["codes.Code"], report.updated["codes.Code"], report.updated["codes.CodeTable"]) == (0, 2, 1)
    assert code_get(table_slug="ethnicity", code="01").name_en == "Han"
    assert code_get(table_slug="region", code="330183").successor.code == "330111"
    assert CodeTable.objects.get(slug="sex").version == "2003"
