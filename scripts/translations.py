"""Refresh the Chinese catalogue from the code: `make translations` (a developer tool; the app never runs it).

1. `manage.py makemessages -l zh_Hans` collects every message of the code and templates into
   medtalent/locale/zh_Hans/LC_MESSAGES/django.po, with the comments for translators;
2. this script fills each message whose Chinese is empty (or only guessed: gettext's "fuzzy") from the comment
   the code gives it, `# Translators: 中文：…` in Python or `{# Translators: 中文：… #}` in a template (on the line
   above the message, or up to four lines above where a call spreads over several lines), the `%(name)s`
   placeholders kept as they are;
3. it lists what is still untranslated, and exits 1 when anything is, so that nothing ships in English by mistake.

    .venv/bin/python scripts/translations.py [--check]

With --check it changes nothing and only reports (and fails) what is untranslated.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "medtalent" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
CHINESE = re.compile(r"^#\.\s*Translators:\s*中文[:：]\s*(.+?)\s*$")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\w+\}")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unquote(lines: list[str]) -> str:
    return "".join(line.split('"', 1)[1].rsplit('"', 1)[0].replace('\\"', '"').replace("\\\\", "\\") for line in lines)


def fill(text: str) -> tuple[str, list[str]]:
    """The catalogue with empty or fuzzy entries filled from their comments; the msgids still untranslated."""
    out_blocks, missing = [], []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        if not any(line.startswith("msgid ") for line in lines) or 'msgid ""' in lines[:1]:
            out_blocks.append(block)
            continue
        comment = next((m[1] for line in lines if (m := CHINESE.match(line))), None) or _comment_in_source(lines)
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        msgid_start = next(i for i, line in enumerate(lines) if line.startswith("msgid "))
        msgstr_starts = [i for i, line in enumerate(lines) if line.startswith("msgstr")]
        msgid = _unquote(lines[msgid_start : (msgid_start + 1)] + _continuation(lines, msgid_start))
        translated = all(_unquote(lines[i : i + 1] + _continuation(lines, i)) for i in msgstr_starts)
        if lines[0].startswith("#~"):
            out_blocks.append(block)  # an obsolete entry: makemessages keeps it for reference
            continue
        if translated and not fuzzy:
            out_blocks.append(block)
            continue
        if comment is None:
            missing.append(msgid)
            out_blocks.append(block)
            continue
        wanted = set(PLACEHOLDER.findall(msgid))
        if wanted - set(PLACEHOLDER.findall(comment)):
            missing.append(f"{msgid}  (the comment's Chinese lacks a placeholder: {comment})")
            out_blocks.append(block)
            continue
        kept = lines[: msgstr_starts[0]]
        kept = [_unfuzzy(line) for line in kept if not (line.startswith("#,") and _unfuzzy(line) == "#,")]
        kept = [line for line in kept if not line.startswith("#| ")]  # the previous msgid of a fuzzy match
        for i in msgstr_starts:
            key = lines[i].split(" ", 1)[0]
            kept.append(f"{key} {_quote(comment)}")
        out_blocks.append("\n".join(kept))
    return "\n\n".join(out_blocks), missing


SOURCE_COMMENT = re.compile(r"(?:#|\{#)\s*Translators:\s*中文[:：]\s*(.+?)\s*(?:#\})?\s*$")


def _comment_in_source(lines: list[str]) -> str | None:
    """The `Translators: 中文：…` comment a few lines above a reference (`#: path:line`) that gettext did not attach
    (it attaches a comment only to a string on the very next line, not to one that a call spreads over lines)."""
    for line in lines:
        if not line.startswith("#: "):
            continue
        for reference in line[3:].split():
            path, _, number = reference.rpartition(":")
            source = ROOT / path
            if not number.isdigit() or not source.is_file():
                continue
            text = source.read_text(encoding="utf-8").splitlines()
            for above in text[max(0, int(number) - 5) : int(number) - 1][::-1]:
                if match := SOURCE_COMMENT.search(above):
                    return match[1]
    return None


def _continuation(lines: list[str], start: int) -> list[str]:
    following = []
    for line in lines[start + 1 :]:
        if not line.startswith('"'):
            break
        following.append(line)
    return following


def _unfuzzy(line: str) -> str:
    if not line.startswith("#,"):
        return line
    flags = [flag.strip() for flag in line[2:].split(",") if flag.strip() and flag.strip() != "fuzzy"]
    return "#, " + ", ".join(flags) if flags else "#,"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    if not check:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "zh_Hans",
                "--ignore=.venv",
                "--ignore=var",
                "--no-obsolete",
            ],
            cwd=ROOT,
            check=True,
        )
    text, missing = fill(PO.read_text(encoding="utf-8"))
    if not check:
        PO.write_text(text, encoding="utf-8")
    for msgid in missing:
        print(f"untranslated: {msgid}", file=sys.stderr)
    if missing:
        print(
            f"{len(missing)} messages have no Chinese: add a `Translators: 中文：…` comment or edit {PO}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
