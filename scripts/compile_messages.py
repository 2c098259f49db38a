"""Compile the translation catalogues (locale/*/LC_MESSAGES/*.po -> .mo) without gettext.

`make run` and `make test` run this, so a fresh machine needs no `msgfmt`: polib (pinned in
requirements-dev.txt) writes the same binary catalogue. Like ``msgfmt --check-format`` (what
Django's ``compilemessages`` runs), it refuses a translation whose placeholders differ from
its msgid's, naming the file and line, and writes nothing then. Fuzzy and untranslated entries
are left out, as msgfmt leaves them out.

    python scripts/compile_messages.py [locale directory]
"""

import re
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
# %(name)s, %s, %d, %%: the printf-style placeholders python-format entries use
PERCENT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*\d*(?:\.\d+)?(?P<kind>[diouxXeEfFgGcrsa%])")
BRACE = re.compile(r"\{(?P<name>[^{}!:]*)[^{}]*\}")


def _placeholders(text: str, flags: list[str]) -> list[str]:
    found = []
    if "python-format" in flags:
        found += sorted(
            f"%({m['name']}){m['kind']}" if m["name"] is not None else f"%{m['kind']}"
            for m in PERCENT.finditer(text)
            if m["kind"] != "%"
        )
    if "python-brace-format" in flags:
        found += sorted("{" + m["name"] + "}" for m in BRACE.finditer(text.replace("{{", "")))
    return found


def format_problems(po: polib.POFile, path: Path) -> list[str]:
    """One line per translation whose placeholders do not match its msgid's."""
    problems = []
    for entry in po.translated_entries():
        expected = _placeholders(entry.msgid, entry.flags)
        if entry.msgid_plural:
            # a plural form may leave out the count (e.g. "one item"), never add one
            allowed = set(expected) | set(_placeholders(entry.msgid_plural, entry.flags))
            translations = entry.msgstr_plural.values()
            bad = [t for t in translations if not set(_placeholders(t, entry.flags)) <= allowed]
        else:
            bad = [entry.msgstr] if _placeholders(entry.msgstr, entry.flags) != expected else []
        for text in bad:
            problems.append(
                f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:"
                f"{entry.linenum}: placeholders of {text!r} do not match msgid {entry.msgid!r}"
            )
    return problems


def compile_catalogues(locale_dir: Path) -> tuple[list[Path], list[str]]:
    """(the .mo files written, the problems found); nothing is written if there are problems."""
    catalogues = []
    problems = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        po = polib.pofile(str(po_path))
        problems += format_problems(po, po_path)
        catalogues.append((po_path, po))
    if problems:
        return [], problems
    written = []
    for po_path, po in catalogues:
        mo_path = po_path.with_suffix(".mo")
        po.save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written, []


def main(argv: list[str]) -> int:
    locale_dir = Path(argv[1]) if len(argv) > 1 else ROOT / "locale"
    written, problems = compile_catalogues(locale_dir)
    if problems:
        print("Translations not compiled:\n" + "\n".join(problems), file=sys.stderr)
        return 1
    if not written:
        print(f"No catalogues (*/LC_MESSAGES/*.po) under {locale_dir}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
