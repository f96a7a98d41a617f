"""scripts/check_lock.py: the lock is complete (every requirement of every locked package is locked), and the
check fails, naming the package, when it is not."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_lock", ROOT / "scripts" / "check_lock.py")
check_lock = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_lock)

REQUIRES = {
    "weasyprint": ["fonttools[woff]>=4.59.2", "pydyf>=0.11", 'colorama; sys_platform == "win32"'],
    "fonttools": ['brotli>=1.0.1; extra == "woff"', 'zopfli>=0.1.4; extra == "woff"', 'lz4; extra == "graphite"'],
    "pydyf": [],
    "brotli": [],
    "zopfli": [],
}


def pins(**versions: str) -> dict:
    return {name: (Version(version), None) for name, version in versions.items()}


def test_a_complete_lock_has_no_problem_and_unasked_extras_and_other_platforms_are_ignored():
    lock = pins(weasyprint="70.0", fonttools="4.68.0", pydyf="0.13.0", brotli="1.2.1", zopfli="0.4.3")

    assert check_lock.problems(lock, requires=lambda name: REQUIRES[name]) == []


def test_a_missing_requirement_of_an_extra_and_a_version_outside_the_range_are_named():
    lock = pins(weasyprint="70.0", fonttools="4.68.0", pydyf="0.10.0", brotli="1.2.1")

    assert check_lock.problems(lock, requires=lambda name: REQUIRES[name]) == [
        "fonttools[woff] needs zopfli>=0.1.4, which the lock does not pin",
        "weasyprint needs pydyf>=0.11, but the lock pins pydyf==0.10.0",
    ]


def test_the_project_locks_are_complete():
    for name in ("requirements-bootstrap.lock", "requirements.lock", "requirements-dev.lock"):
        locked = check_lock.read_lock((ROOT / name).read_text(encoding="utf-8"))
        assert locked, name
        assert check_lock.problems(locked) == [], name


def test_read_lock_reads_pins_with_extras_and_markers():
    text = 'psycopg[binary]==3.3.9 \\\n    --hash=sha256:ab\ncolorama==0.4.6 ; sys_platform == "win32" \\\n'

    assert check_lock.read_lock(text) == {
        "psycopg": (Version("3.3.9"), None),
        "colorama": (Version("0.4.6"), 'sys_platform == "win32"'),
    }
