"""The ranks the code tables carry (`extra.rank` of education and title codes, a title's `grade` and `series`)
and the names of the codes rules compare with, as one plain value: read once by `codes.selectors.code_ranks`,
used by the eligibility engine and the dispatch-title rule of stints. No queries here.

`names` may also hold names the code tables do not (e.g. ("tag", code) of organisation tags, added by the
caller with `dataclasses.replace`): the engine names a code by `name(table, code)`, falling back to the code."""

from __future__ import annotations

from dataclasses import dataclass, field

from medtalent.core.models import pick_language


@dataclass(frozen=True)
class Ranks:
    """Ranks and names from the code tables (see codes/data/tables.yaml), loaded once by the selector."""

    education: dict[str, int] = field(default_factory=dict)  # education code → rank
    title: dict[str, int] = field(default_factory=dict)  # title code → rank (series headings have none)
    grades: dict[str, int] = field(default_factory=dict)  # title grade ("intermediate") → rank
    names: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # (table, code) → (zh, en)
    grade_names: dict[str, tuple[str, str]] = field(default_factory=dict)  # grade → (zh, en)
    series: dict[str, str] = field(default_factory=dict)  # title code → its series ("physician", "nurse" …)

    def name(self, table: str, code: str) -> str:
        zh, en = self.names.get((table, code), (code, code))
        return pick_language(zh, en)

    def title_series(self, code: str) -> str:
        """The series of a title code ("nurse" for 253 主管护师); "" when unknown."""
        return self.series.get(code, "")

    def grade_name(self, grade: str) -> str:
        zh, en = self.grade_names.get(grade, (grade, grade))
        return pick_language(zh, en)
