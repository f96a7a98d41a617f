"""Check that a hash-checked lock is complete: every requirement of every locked package is itself locked.

    .venv/bin/python scripts/check_lock.py [requirements-dev.lock …]

The Makefile installs the lock with `--no-deps` (nothing is resolved at install time), so a package that a
locked package needs but the lock lacks would be missing at run time instead of failing the install. This
check reads each locked package's requirements from its installed metadata (the venv holds exactly the
lock), evaluates their environment markers and the extras asked for, and reports every requirement whose
package is not locked or whose locked version does not satisfy it. Exit status 1 when anything is missing.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)(\s*;\s*([^\\]+?))?\s*\\?\s*$")


def read_lock(text: str) -> dict[str, tuple[Version, str | None]]:
    """{canonical name: (version, marker or None)} of the lock's `name==version` lines."""
    pins = {}
    for line in text.splitlines():
        match = PIN.match(line.strip())
        if match:
            pins[canonicalize_name(match[1])] = (Version(match[3]), match[5])
    return pins


def requirements_of(name: str) -> list[str]:
    try:
        return metadata.requires(name) or []
    except metadata.PackageNotFoundError:
        return []


def problems(pins: dict[str, tuple[Version, str | None]], requires=requirements_of) -> list[str]:
    """Every requirement of a locked package (with the extras the lock's packages ask for) that the lock lacks."""
    env = default_environment()
    found: list[str] = []
    # (package, extra) pairs still to read: every locked package with no extra, then the extras asked for.
    todo = [
        (name, "")
        for name, (_, marker) in pins.items()
        if marker is None or Requirement(f"x; {marker}").marker.evaluate(env)
    ]
    seen = set(todo)
    while todo:
        name, extra = todo.pop()
        for text in requires(name):
            req = Requirement(text)
            if req.marker and not req.marker.evaluate({**env, "extra": extra}):
                continue
            if extra and not (req.marker and "extra" in str(req.marker)):
                continue  # a base requirement, already read with extra ""
            dep = canonicalize_name(req.name)
            where = f"{name}[{extra}]" if extra else name
            if dep not in pins:
                found.append(f"{where} needs {text.split(';')[0].strip()}, which the lock does not pin")
                continue
            version = pins[dep][0]
            if req.specifier and not req.specifier.contains(version, prereleases=True):
                found.append(f"{where} needs {text.split(';')[0].strip()}, but the lock pins {dep}=={version}")
            for wanted in req.extras:
                key = (dep, canonicalize_name(wanted))
                if key not in seen:
                    seen.add(key)
                    todo.append(key)
    return sorted(set(found))


def main(paths: list[str]) -> int:
    status = 0
    for path in paths or ["requirements.lock", "requirements-dev.lock", "requirements-bootstrap.lock"]:
        found = problems(read_lock(Path(path).read_text(encoding="utf-8")))
        for line in found:
            print(f"{path}: {line}", file=sys.stderr)
        if found:
            status = 1
            print(f"{path} is not complete: run `make lock` and commit the result.", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
