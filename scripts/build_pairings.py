"""Regenerate medtalent/partnerships/data/pairings.yaml from Annex 1 and Annex 2 of seed document 003.

A developer tool: neither the application nor the tests run it (the project never reads /work/shared at
run time). Its output is committed data that `medtalent.partnerships.loaders.load_pairings` loads:

    .venv/bin/python scripts/build_pairings.py [path/to/003_59369f0d1938710d.txt]

It builds a throw-away SQLite database (var/build_pairings.sqlite3) with the code tables and organisations,
so that names resolve exactly as the application resolves them:

- an organisation that exists already (organisations.yaml: the 18 provincial hospitals, 建德市第一人民医院 with
  its misspelt alias) is reused by name or alias (`medtalent.orgs.selectors.organisation_resolve`);
- a supported hospital gets its county-level division from the longest prefix of its published name that
  `medtalent.codes.selectors.region_resolve` knows (富阳市第二人民医院 → 富阳市 → 富阳区 330111;
  桐庐富春江中心卫生院 → 桐庐 → 桐庐县), inside Zhejiang; REGION_OVERRIDES holds the few the names cannot say;
- a supporting hospital of Annex 2 gets the district its name says, else its city.

Published names are kept as they are (historical 富阳市 …, the misspelt 建德市第一人医院); hospital types are
read from the name (中医 → tcm, 中西医结合 → integrated, 妇幼保健院 / 妇女儿童 → maternal_child) with the
specialty hospitals (psychiatric, infectious diseases, eye …) named in HOSPITAL_TYPES. It prints the counts
per annex and per city and writes them into the header of the YAML.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = Path("/work/shared/seeds/003_59369f0d1938710d.txt")
OUTPUT = ROOT / "medtalent" / "partnerships" / "data" / "pairings.yaml"
PROVINCE = "330000"

# Published name → GB/T 2260 code, for names that do not say their county (or say one that split since).
REGION_OVERRIDES = {
    # 余杭区 split in 2021: its hospital of Chinese medicine, in 临平, is now 临平区中医院.
    "余杭区中医院": ("330113", "in 临平, which became 临平区 in 2021 (now 临平区中医院)"),
    "宁波市第九医院": ("330205", "in 江北区 (庄桥)"),
    "宁波大榭开发区医院": ("330206", "大榭开发区 is administered under 北仑区"),
}

# Supporting hospitals whose type the name does not tell (Annex 2 says only 三级医院).
HOSPITAL_TYPES = {
    "杭州市第七人民医院": "specialty",  # psychiatric (杭州市精神卫生中心)
    "杭州市西溪医院": "specialty",  # infectious diseases (杭州市第六人民医院)
    "宁波市康宁医院": "specialty",  # psychiatric
    "温州市第七人民医院": "specialty",  # psychiatric
    "湖州市第三人民医院": "specialty",  # psychiatric
    "绍兴市第六人民医院": "specialty",  # infectious diseases
    "绍兴市第七人民医院": "specialty",  # psychiatric
    "金华市第二医院": "specialty",  # psychiatric
    "衢州市第三医院": "specialty",  # psychiatric
    "杭州市红十字会医院": "integrated",  # 浙江省中西医结合医院
}

HEADERS = {"支援医院", "支援数", "受援医院", "地区"}


def _cells(lines: list[str]) -> list[str]:
    """The non-empty cells, stripped of tabs and (full-width) spaces, in document order."""
    return [c for c in (line.strip().replace("\u3000", "").strip() for line in lines) if c]


def parse(text: str) -> list[dict]:
    """Every relationship of Annex 1 and Annex 2 in document order: annex, city name, supporting, supported, no."""
    lines = text.split("\n")
    start1 = lines.index("附件1")
    start2 = lines.index("附件2")
    start3 = lines.index("附件3")
    rows: list[dict] = []
    for annex, block in (("annex1", lines[start1 + 2 : start2]), ("annex2", lines[start2 + 2 : start3])):
        city, city_buffer, supporting, expect_supported = "", "", "", None
        for cell in _cells(block):
            if cell in HEADERS:
                continue
            if expect_supported is not None:
                rows.append(
                    {"annex": annex, "city": city, "supporting": supporting, "supported": cell, "no": expect_supported}
                )
                expect_supported = None
            elif cell.isdigit():
                expected = 1 + sum(1 for r in rows if r["annex"] == annex and r["supporting"] == supporting)
                if int(cell) != expected:
                    raise SystemExit(f"{annex}: {supporting} row {cell}, expected {expected}")
                expect_supported = int(cell)
            elif annex == "annex2" and len(cell) == 1:
                # The city column prints one character per line: 杭 / 州 / 市.
                city_buffer += cell
                if cell == "市":
                    city, city_buffer = city_buffer, ""
            else:
                supporting = cell
    return rows


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    (ROOT / "var").mkdir(exist_ok=True)
    db = ROOT / "var" / "build_pairings.sqlite3"
    db.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from django.core.management import call_command

    from medtalent.codes.loaders import load_code_tables
    from medtalent.codes.specialties import load_specialties
    from medtalent.core.seeding import SeedReport
    from medtalent.orgs.loaders import load_organisations

    call_command("migrate", verbosity=0)
    report = SeedReport()
    for loader in (load_code_tables, load_specialties, load_organisations):
        loader(report)


def _region_by_prefix(name: str, parent: str):
    from medtalent.codes.selectors import region_resolve

    for cut in range(len(name), 1, -1):
        region = region_resolve(name=name[:cut], parent_code=parent)
        if region is not None:
            return region
    return None


def _hospital_type(name: str) -> str:
    if name in HOSPITAL_TYPES:
        return HOSPITAL_TYPES[name]
    if "中西医结合" in name:
        return "integrated"
    if "中医" in name:
        return "tcm"
    if "妇幼保健" in name or "妇女儿童" in name:
        return "maternal_child"
    if "精神" in name or "口腔" in name or "眼" in name:
        return "specialty"
    return "general"


def build(rows: list[dict]) -> tuple[str, list[str]]:
    from medtalent.codes.selectors import region_resolve
    from medtalent.orgs.selectors import organisation_resolve

    city_codes = {
        city: region_resolve(name=city, parent_code=PROVINCE).code for city in {r["city"] for r in rows} if city
    }
    hospitals: dict[str, dict] = {}
    notes: list[str] = []
    per_region: Counter = Counter()

    def hospital(name: str, *, role: str, city: str) -> None:
        if name in hospitals:
            hospitals[name]["roles"].add(role)
            return
        existing = organisation_resolve(name=name)
        entry: dict = {"name": name, "roles": {role}}
        if existing is not None:
            entry.update(code=existing.code, existing=True, region=existing.region.code if existing.region else "")
            if existing.name_zh != name:
                entry["note"] = f"published as {name}; the organisation is {existing.name_zh}"
            hospitals[name] = entry
            return
        note = ""
        if name in REGION_OVERRIDES:
            region_code, note = REGION_OVERRIDES[name]
        else:
            region = _region_by_prefix(name, city_codes.get(city, PROVINCE) if role == "supporting" else PROVINCE)
            region_code = region.code if region else (city_codes.get(city, "") if role == "supporting" else "")
            if role == "supported" and (region is None or region.level != 3):
                region_code = region.code if region else ""
                note = "the name does not say its county: add it to REGION_OVERRIDES"
                notes.append(f"{name}: {note}")
        per_region[region_code] += 1
        entry.update(
            code=f"zj-h-{region_code or PROVINCE}-{per_region[region_code]}",
            existing=False,
            region=region_code,
            hospital_type=_hospital_type(name),
        )
        if role == "supporting":
            entry["level"] = "3"
        if note:
            entry["note"] = note
        hospitals[name] = entry

    for r in rows:
        hospital(r["supporting"], role="supporting", city=r["city"])
    for r in rows:
        hospital(r["supported"], role="supported", city=r["city"])

    return _render(rows, hospitals, city_codes), notes


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def counts(rows: list[dict]) -> list[tuple[str, int, int, int]]:
    """(label, relationships, supporting hospitals, supported hospitals) per annex and per Annex 2 city."""
    out = []
    groups: list[tuple[str, list[dict]]] = [
        ("annex1", [r for r in rows if r["annex"] == "annex1"]),
        ("annex2", [r for r in rows if r["annex"] == "annex2"]),
    ]
    cities = list(dict.fromkeys(r["city"] for r in rows if r["annex"] == "annex2"))
    groups += [(f"annex2 {city}", [r for r in rows if r["city"] == city]) for city in cities]
    groups.append(("total", rows))
    for label, group in groups:
        out.append((label, len(group), len({r["supporting"] for r in group}), len({r["supported"] for r in group})))
    return out


def _render(rows: list[dict], hospitals: dict[str, dict], city_codes: dict[str, str]) -> str:
    lines = [
        "# GENERATED by scripts/build_pairings.py from seed document 003 (浙江省深化万名医师支援农村卫生工程工作方案),",
        "# Annex 1 (18家省级医院（含部队医院）对口支援关系表) and Annex 2 (各市三级医院对口支援关系表): do not edit;",
        "# change the script's REGION_OVERRIDES / HOSPITAL_TYPES and run it again.",
        "#",
        "# Counts as published (relationships, supporting hospitals, supported hospitals):",
    ]
    for label, n, sup, supd in counts(rows):
        lines.append(f"#   {label:<12} {n:>3} relationships, {sup:>2} supporting, {supd:>3} supported")
    lines += [
        "#",
        "# hospitals: by published name. existing: true = an organisation of medtalent/orgs/data/organisations.yaml,",
        "#   found by name or alias; otherwise created with `code`. region: GB/T 2260 division in force",
        "#   (county level for supported hospitals), resolved from the name (historical names followed).",
        "# pairings: in document order; city = GB/T 2260 code of the city whose list names it (Annex 2).",
        "",
        "hospitals:",
    ]
    for entry in hospitals.values():
        lines.append(f"  - name: {_q(entry['name'])}")
        lines.append(f"    code: {entry['code']}")
        lines.append(f"    existing: {'true' if entry['existing'] else 'false'}")
        lines.append(f'    region: "{entry["region"]}"')
        if not entry["existing"]:
            if entry.get("level"):
                lines.append(f'    level: "{entry["level"]}"')
            lines.append(f"    hospital_type: {entry['hospital_type']}")
        if entry.get("note"):
            lines.append(f"    note: {_q(entry['note'])}")
    lines += ["", "pairings:"]
    for r in rows:
        city = f', city: "{city_codes[r["city"]]}"' if r["city"] else ""
        lines.append(
            f"  - {{annex: {r['annex']}{city}, supporting: {_q(r['supporting'])}, supported: {_q(r['supported'])}}}"
        )
    return "\n".join(lines) + "\n"


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    rows = parse(source.read_text(encoding="utf-8"))
    for label, n, sup, supd in counts(rows):
        _say(f"{label:<12} {n:>3} relationships, {sup:>2} supporting, {supd:>3} supported")
    _setup_django()
    text, notes = build(rows)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    for note in notes:
        _say(f"NOTE {note}")
    _say(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
