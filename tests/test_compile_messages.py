"""scripts/compile_messages.py: the catalogues compile without gettext, as msgfmt would."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "compile_messages.py"

HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

"""


def _run(locale_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own script with fixed arguments
        [sys.executable, str(SCRIPT), str(locale_dir)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def _write_po(locale_dir: Path, body: str) -> Path:
    po = locale_dir / "fi" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(HEADER + body, encoding="utf-8")
    return po


def test_the_real_catalogues_compile_to_what_gettext_reads(tmp_path):
    locale = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", locale, ignore=shutil.ignore_patterns("*.mo"))
    result = _run(locale)
    assert result.returncode == 0, result.stderr
    for lang in ("fi", "sv", "en"):
        po = polib.pofile(str(locale / lang / "LC_MESSAGES" / "django.po"))
        with (locale / lang / "LC_MESSAGES" / "django.mo").open("rb") as mo:
            catalogue = gettext.GNUTranslations(mo)
        for entry in po.translated_entries():
            if not entry.msgid_plural and not entry.msgctxt:
                assert catalogue.gettext(entry.msgid) == entry.msgstr, (lang, entry.msgid)
    with (locale / "fi" / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        finnish = gettext.GNUTranslations(mo)
    assert finnish.gettext("Coordination") == "Koordinaatio"


def test_plurals_contexts_and_fuzzy_entries(tmp_path):
    _write_po(
        tmp_path,
        """msgid "%(count)s seat"
msgid_plural "%(count)s seats"
msgstr[0] "%(count)s paikka"
msgstr[1] "%(count)s paikkaa"

msgctxt "body"
msgid "Board"
msgstr "Johtoryhmä"

#, fuzzy
msgid "Deputy"
msgstr "Arvaus"
""",
    )
    assert _run(tmp_path).returncode == 0
    with (tmp_path / "fi" / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    assert catalogue.ngettext("%(count)s seat", "%(count)s seats", 1) == "%(count)s paikka"
    assert catalogue.ngettext("%(count)s seat", "%(count)s seats", 3) == "%(count)s paikkaa"
    assert catalogue.pgettext("body", "Board") == "Johtoryhmä"
    assert catalogue.gettext("Deputy") == "Deputy"  # fuzzy: left out, as msgfmt does


def test_a_translation_with_other_placeholders_is_refused_and_nothing_written(tmp_path):
    po = _write_po(
        tmp_path,
        """msgid "Fine"
msgstr "Hyvä"

#, python-format
msgid "Seat of %(organisation)s"
msgstr "Paikka: %(organisaatio)s"
""",
    )
    result = _run(tmp_path)
    assert result.returncode == 1
    assert f"{po}:9: placeholders of 'Paikka: %(organisaatio)s'" in result.stderr
    assert not po.with_suffix(".mo").exists()
