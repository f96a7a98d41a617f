"""Reading the code tables: find a table by slug or (loosely written) standard, list its codes, resolve a
region name to the division in force.

The region name index, the set of known region codes and the ranks of education and title codes
(`code_ranks`) are kept per process for a few minutes (core.caching; they change only when the seed data does);
`load_code_tables` clears them after a change, tests may call `clear_code_caches`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from medtalent.codes.models import Code, CodeTable
from medtalent.codes.ranks import Ranks
from medtalent.codes.regionnames import region_prefix, region_short_name
from medtalent.core.caching import process_cache

REGION = "region"

_YEAR = re.compile(r"-(19|20)\d{2}$")
_PART = re.compile(r"-\d+$")


def _norm(text: str) -> str:
    """Lower case, letters and digits only: "GB/T 2261.1-2003" → "gbt226112003"."""
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]", "", (text or "").lower())


def table_keys(table: CodeTable) -> set[str]:
    """Everything a table may be asked for by: its slug and its standard with or without year, "/T" and part.

    "GB/T 2261.1-2003" answers to gbt226112003, gbt22611, gb22611, 22611 …; "ISO 3166-1" to iso31661, iso3166.
    """
    keys = {_norm(table.slug)}
    base = _YEAR.sub("", table.standard.strip())
    for variant in (table.standard, base, _PART.sub("", base) if base.upper().startswith("ISO") else base):
        normalised = _norm(variant)
        keys |= {normalised, normalised.replace("gbt", "gb", 1)}
        keys.add(re.sub(r"^(gbt|gb|iso)", "", normalised))
    keys.discard("")
    return keys


def _match_table(tables: list[CodeTable], key: str) -> CodeTable | None:
    wanted = _norm(key)
    if not wanted:
        return None
    for table in tables:
        if table.slug == key:
            return table
    matches = [t for t in tables if wanted in table_keys(t)]
    return matches[0] if len(matches) == 1 else None


def code_tables_with_counts() -> QuerySet[CodeTable]:
    return CodeTable.objects.annotate(code_count=Count("codes")).order_by("slug")


def code_table_get(*, key: str, with_count: bool = False) -> CodeTable | None:
    """The table for a slug ("ethnicity") or a standard written loosely ("GB3304", "gb-t-2261.1", "iso3166").

    One query. With `with_count` the table carries `code_count`.
    """
    qs = code_tables_with_counts() if with_count else CodeTable.objects.all()
    return _match_table(list(qs), key or "")


def codes_for_table(
    *,
    table: CodeTable | str,
    parent: Code | str | None = None,
    q: str | None = None,
    include_historical: bool = True,
) -> QuerySet[Code]:
    """The codes of a table (a CodeTable or anything `code_table_get` accepts), in the standard's order.

    `parent`: only the direct children of that code; `q`: code prefix or part of a name.
    """
    if isinstance(table, str):
        found = code_table_get(key=table)
        if found is None:
            return Code.objects.none()
        table = found
    qs = Code.objects.filter(table=table).select_related("parent", "successor")
    if isinstance(parent, Code):
        qs = qs.filter(parent=parent)
    elif parent:
        qs = qs.filter(parent__code=parent)
    if q:
        q = q.strip()
        qs = qs.filter(Q(code__startswith=q) | Q(name_zh__icontains=q) | Q(name_en__icontains=q))
    if not include_historical:
        qs = qs.filter(valid_to__isnull=True)
    return qs.order_by("sort", "code")


def code_get(*, table_slug: str, code: str) -> Code | None:
    return (
        Code.objects.select_related("table", "parent", "successor")
        .filter(table__slug=table_slug, code=(code or "").strip())
        .first()
    )


# ---- Ranks ---------------------------------------------------------------------------------------------------

RANKED_TABLES = ("education", "title", "designation")


@process_cache()
def code_ranks() -> Ranks:
    """Education and title ranks, title grades and series, and the names of education, title and designation
    codes."""
    education: dict[str, int] = {}
    title: dict[str, int] = {}
    grades: dict[str, int] = {}
    grade_names: dict[str, tuple[str, str]] = {}
    names: dict[tuple[str, str], tuple[str, str]] = {}
    series: dict[str, str] = {}
    rows = Code.objects.filter(table__slug__in=RANKED_TABLES).values_list(
        "table__slug", "code", "name_zh", "name_en", "extra"
    )
    for table, code, name_zh, name_en, extra in rows:
        names[(table, code)] = (name_zh, name_en)
        if table == "title" and (extra or {}).get("series"):
            series[code] = extra["series"]
        rank = (extra or {}).get("rank")
        if rank is None:
            continue
        if table == "education":
            education[code] = rank
        elif table == "title":
            title[code] = rank
            grade = extra.get("grade")
            if grade and rank <= grades.get(grade, rank):
                grades[grade] = rank
                grade_names[grade] = (extra.get("grade_zh") or grade, grade.replace("_", " "))
    return Ranks(education=education, title=title, grades=grades, names=names, grade_names=grade_names, series=series)


# ---- Regions -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionEntry:
    code: str
    name_zh: str
    name_en: str
    level: int
    current: bool
    successor: str


@dataclass(frozen=True)
class RegionIndex:
    entries: dict[str, RegionEntry]
    by_name: dict[str, tuple[str, ...]]
    by_former_name: dict[str, tuple[str, ...]]
    by_short_name: dict[str, tuple[str, ...]]

    def lookups(self) -> tuple[dict[str, tuple[str, ...]], ...]:
        """In order of preference: the name now, a former name, the short form of either."""
        return (self.by_name, self.by_former_name, self.by_short_name)


@process_cache()
def region_index() -> RegionIndex:
    """Every region code (current and historical) with its names, in memory: one query per process."""
    entries: dict[str, RegionEntry] = {}
    by_name: dict[str, list[str]] = defaultdict(list)
    by_former: dict[str, list[str]] = defaultdict(list)
    by_short: dict[str, list[str]] = defaultdict(list)
    rows = Code.objects.filter(table__slug=REGION).values_list(
        "code", "name_zh", "name_en", "level", "valid_to", "successor__code", "extra"
    )
    for code, name_zh, name_en, level, valid_to, successor, extra in rows:
        entries[code] = RegionEntry(code, name_zh, name_en, level, valid_to is None, successor or "")
        former = (extra or {}).get("former_names", [])
        by_name[name_zh].append(code)
        for name in former:
            by_former[name].append(code)
        for name in (name_zh, *former):
            short = region_short_name(name)
            if short and short != name:
                by_short[short].append(code)
    return RegionIndex(
        entries=entries,
        by_name={k: tuple(v) for k, v in by_name.items()},
        by_former_name={k: tuple(v) for k, v in by_former.items()},
        by_short_name={k: tuple(v) for k, v in by_short.items()},
    )


def known_region_codes() -> frozenset[str]:
    """All GB/T 2260 codes MedTalent knows, historical ones included (cached with the region index)."""
    return _known_region_codes()


@process_cache()
def _known_region_codes() -> frozenset[str]:
    return frozenset(region_index().entries)


def clear_code_caches() -> None:
    region_index.cache_clear()
    _known_region_codes.cache_clear()
    code_ranks.cache_clear()


def _in_force(index: RegionIndex, code: str) -> str:
    """Follow `successor` to the division in force (or the last one known)."""
    seen = {code}
    entry = index.entries[code]
    while entry.successor and entry.successor not in seen and entry.successor in index.entries:
        seen.add(entry.successor)
        entry = index.entries[entry.successor]
    return entry.code


def _resolve(index: RegionIndex, text: str, prefix: str, depth: int = 0) -> str | None:
    for lookup in index.lookups():
        candidates = [c for c in lookup.get(text, ()) if c.startswith(prefix)]
        if candidates:
            return _unique(index, candidates)
    if depth >= 3:
        return None
    # "浙江省杭州市富阳区", "杭州富阳": a known name in front, the rest resolved inside it.
    found: set[str] = set()
    for cut in range(len(text) - 2, 1, -1):
        head, tail = text[:cut], text[cut:]
        heads = next((codes for lookup in index.lookups() if (codes := lookup.get(head))), ())
        for head_code in heads:
            if not head_code.startswith(prefix):
                continue
            for scope in {region_prefix(head_code), region_prefix(_in_force(index, head_code))}:
                result = _resolve(index, tail, scope, depth + 1)
                if result:
                    found.add(result)
        if found:
            break
    return found.pop() if len(found) == 1 else None


def _unique(index: RegionIndex, candidates: list[str]) -> str | None:
    finals = {_in_force(index, c) for c in candidates}
    if len(finals) == 1:
        return finals.pop()
    # Several divisions of that name: a single one still in force under that very name wins.
    current = {c for c in candidates if index.entries[c].current}
    return current.pop() if len(current) == 1 else None


def region_resolve(*, name: str, parent_code: str | None = None) -> Code | None:
    """The region in force that `name` designates, or None when unknown or ambiguous.

    Accepts current and historical names, full or short ("富阳市", "富阳", "富阳区") and chains of names
    ("杭州市富阳区", "浙江杭州富阳"); a historical division leads to its successor (富阳市 → 富阳区).
    `parent_code` limits the search to the divisions under that code.
    """
    text = re.sub(r"\s+", "", name or "")
    if not text:
        return None
    index = region_index()
    code = _resolve(index, text, region_prefix(parent_code or ""))
    if code is None:
        return None
    return code_get(table_slug=REGION, code=code)
