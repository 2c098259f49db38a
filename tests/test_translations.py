"""Every string a user reads is marked for translation, and the catalogues keep up with the code.

- Templates: text and readable attributes (alt, title, aria-label, placeholder) outside
  {% translate %} / {% blocktranslate %} fail, as do words in ``|default:"..."``.
- Python: user-facing literals (form labels and help texts, verbose names, choices labels,
  ValidationError and messages texts) that are not wrapped in gettext fail.
- Finnish (the default) is complete: every msgid in the code is in locale/fi with a Finnish
  text that is neither empty nor fuzzy. English is complete: every msgid in the code is in
  locale/en, none fuzzy. Swedish is complete the same way as Finnish: every msgid in the code
  is in locale/sv with a Swedish text that is neither empty nor fuzzy.

The catalogue check runs ``makemessages`` on a copy of the source, so it never touches
``locale/``; it fails with the list of msgids to translate.
"""

import ast
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[1]
APPS = ["sixaika", "core", "governance", "projects", "calls", "coordination", "reports"]
LOCALE = ROOT / "locale"

# Words that are the same in every language and may stand untranslated in a template.
UNTRANSLATED_WORDS = {"6Aika", "Aika", "WCAG", "PDF", "CSV", "XLSX", "Y-tunnus", "EUR"}


def _msgkey(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def _translated(entry: polib.POEntry | None) -> bool:
    if entry is None or entry.obsolete or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(v.strip() for v in entry.msgstr_plural.values())
    return bool(entry.msgstr.strip())


def _catalogue(lang: str) -> dict[tuple[str, str], polib.POEntry]:
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    return {_msgkey(e): e for e in po if not e.obsolete}


# --- the catalogues ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> list[polib.POEntry]:
    """The msgids the code holds now: ``makemessages`` on a copy of the source tree."""
    copy = tmp_path_factory.mktemp("messages") / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "static", "tests", "var", "test-artifacts", "staticfiles",
            "media", "node_modules", "locale", "__pycache__", "*.pyc", "*.mo", ".*_cache",
        ),
    )  # fmt: skip
    (copy / "locale").mkdir()
    env = {**os.environ, "PYTHONPATH": str(copy)}
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "makemessages", "-l", "fi", "--no-wrap",
         "--ignore=.venv", "--ignore=tests", "--ignore=static"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    po_path = copy / "locale" / "fi" / "LC_MESSAGES" / "django.po"
    assert result.returncode == 0 and po_path.exists(), result.stderr[-2000:]
    entries = [e for e in polib.pofile(str(po_path)) if not e.obsolete]
    assert len(entries) > 20, "makemessages found almost nothing: is the copy complete?"
    return entries


def test_finnish_catalogue_is_complete():
    missing = [e.msgid for e in _catalogue("fi").values() if not _translated(e)]
    assert not missing, (
        f"{len(missing)} msgid(s) without a Finnish translation (or fuzzy) in "
        "locale/fi/LC_MESSAGES/django.po:\n" + "\n".join(f"  {m!r}" for m in missing)
    )


def test_finnish_catalogue_has_every_msgid_in_the_code(extracted):
    fi = _catalogue("fi")
    missing = [e for e in extracted if _msgkey(e) not in fi]
    assert not missing, (
        f"{len(missing)} msgid(s) in the code are not in locale/fi yet; run makemessages "
        "(see the README) and translate them:\n"
        + "\n".join(f"  {e.msgid!r}  ({_where(e)})" for e in missing)
    )


def test_english_catalogue_has_every_msgid_in_the_code(extracted):
    """English is complete: the msgids are English, so an entry with an empty msgstr shows the
    msgid itself; what must not happen is a msgid the English catalogue does not know yet
    (makemessages for en would add it) or an English entry left fuzzy, which gettext skips."""
    en = _catalogue("en")
    missing = [e for e in extracted if _msgkey(e) not in en]
    fuzzy = [e for e in en.values() if "fuzzy" in e.flags]
    assert not missing and not fuzzy, (
        f"{len(missing)} msgid(s) in the code are not in locale/en yet (add them by hand or run "
        "makemessages, see the README):\n"
        + "\n".join(f"  {e.msgid!r}  ({_where(e)})" for e in missing)
        + f"\n{len(fuzzy)} fuzzy entr(y/ies) in locale/en to check and unmark:\n"
        + "\n".join(f"  {e.msgid!r}" for e in fuzzy)
    )


def test_swedish_catalogue_is_complete(extracted):
    """Swedish is complete (issue 18): four of the six cities are bilingual, and a msgid without
    Swedish falls back to Finnish in the middle of a Swedish page. Every msgid in the code has a
    Swedish text in locale/sv that is neither empty nor fuzzy."""
    sv = _catalogue("sv")
    missing = [e for e in extracted if _msgkey(e) not in sv]
    untranslated = [e for e in extracted if _msgkey(e) in sv and not _translated(sv[_msgkey(e)])]
    assert not missing and not untranslated, (
        f"{len(missing)} msgid(s) in the code are not in locale/sv yet (add them with their "
        "Swedish text, see the README):\n"
        + "\n".join(f"  {e.msgid!r}  ({_where(e)})" for e in missing)
        + f"\n{len(untranslated)} msgid(s) in locale/sv without Swedish or fuzzy:\n"
        + "\n".join(f"  {e.msgid!r}  ({_where(e)})" for e in untranslated)
    )


def test_swedish_is_not_finnish_copied_over():
    """A Swedish text equal to the Finnish one (and not to the msgid, like "PDF") is Finnish
    left in the Swedish catalogue."""
    fi = _catalogue("fi")
    copied = [
        e.msgid
        for key, e in _catalogue("sv").items()
        if not e.msgid_plural
        and key in fi
        and e.msgstr.strip()
        and e.msgstr == fi[key].msgstr
        and e.msgstr != e.msgid
    ]
    assert not copied, "Swedish entries that are the Finnish text:\n" + "\n".join(
        f"  {m!r}" for m in copied
    )


def _where(entry: polib.POEntry) -> str:
    return ", ".join(f"{p}:{n}" for p, n in entry.occurrences[:3])


# --- templates -----------------------------------------------------------------------------

HOLE = "\x00"  # stands for a template tag or variable in the text handed to the HTML parser
READABLE_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-description"}
WORD = re.compile(r"[^\W\d_][\w-]*[^\W\d_]", re.UNICODE)
NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|\b[\w-]+\.(?:fi|com|org|example)\b")
LITERAL_FILTER_ARG = re.compile(r"\|(?:default|default_if_none|yesno):\s*(\"[^\"]*\"|'[^']*')")


def _words(text: str) -> list[str]:
    text = NOT_WORDS.sub(" ", text.replace(HOLE, " "))
    return [w for w in WORD.findall(text) if w not in UNTRANSLATED_WORDS]


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._raw = 0  # inside <script> or <style>

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._raw += 1
        attributes = dict(attrs)
        for name, value in attrs:
            readable = name in READABLE_ATTRIBUTES or (
                name == "value" and attributes.get("type") in ("submit", "button", "reset")
            )
            if readable and value and _words(value):
                self.found.append((self.getpos()[0], f'{name}="{value.strip()}"'))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._raw:
            self._raw -= 1

    def handle_data(self, data):
        if not self._raw and _words(data):
            self.found.append((self.getpos()[0], " ".join(data.replace(HOLE, "…").split())))


def untranslated_template_text(source: str) -> list[tuple[int, str]]:
    """(line, text) for every piece of readable text not marked for translation."""
    pieces: list[str] = []
    found: list[tuple[int, str]] = []
    closing = None  # the tag that ends a region skipped whole (blocktranslate, comment)
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = (token.contents.split() or [""])[0]
            if closing and name == closing:
                closing = None
            elif not closing and name in ("blocktranslate", "blocktrans", "comment", "verbatim"):
                closing = "end" + name
            pieces.append(HOLE)
        elif token.token_type == TokenType.TEXT:
            # a skipped piece keeps its newlines, so the parser's line numbers stay right
            pieces.append("\n" * token.contents.count("\n") if closing else token.contents)
        else:
            pieces.append(HOLE)
            if token.token_type == TokenType.VAR and not closing:
                for literal in LITERAL_FILTER_ARG.findall(token.contents):
                    if _words(literal):
                        found.append((token.lineno, f"{{{{ {token.contents} }}}}"))
    finder = _TextFinder()
    finder.feed("".join(pieces))
    finder.close()
    return sorted(found + finder.found)


def _templates() -> list[Path]:
    dirs = [ROOT / "templates", *(ROOT / app / "templates" for app in APPS)]
    return sorted(p for d in dirs if d.exists() for p in d.rglob("*.html"))


def test_template_scanner_finds_unmarked_text():
    source = """{% load i18n %}<h1>{% translate "Fine" %}</h1>
<p>Not marked</p>
<img alt="Logo text" src="x.png"> <button aria-label="{% translate 'Ok' %}">×</button>
{% blocktranslate trimmed with n=count %}Marked {{ n }} text{% endblocktranslate %}
{# a comment #}{% comment %}Skipped words{% endcomment %}
<script>var words = "not text";</script><a href="{% url 'x' %}">{{ name }}</a> 6Aika
<p>{{ value|default:"nothing" }}</p><p>{{ value|default:"–" }}</p>
<p>www.saavutettavuusvaatimukset.fi · info@6aika.example</p>"""
    assert untranslated_template_text(source) == [
        (2, "Not marked"),
        (3, 'alt="Logo text"'),
        (7, '{{ value|default:"nothing" }}'),
    ]


def test_templates_mark_user_visible_text_for_translation():
    failures = []
    for path in _templates():
        for line, text in untranslated_template_text(path.read_text(encoding="utf-8")):
            failures.append(f"  {path.relative_to(ROOT)}:{line}: {text[:100]}")
    assert not failures, (
        "Text users read is not marked for translation ({% translate %} / "
        "{% blocktranslate %}):\n" + "\n".join(failures)
    )


# --- Python --------------------------------------------------------------------------------

USER_FACING_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}
MESSAGE_FUNCTIONS = {"success": 1, "info": 1, "warning": 1, "error": 1, "add_message": 2}


def _is_plain_text(node: ast.AST | None) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(_words(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_is_plain_text(v) for v in node.values if isinstance(v, ast.Constant))
    return False


def _func_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def untranslated_python_strings(source: str) -> list[tuple[int, str]]:
    """(line, text) for user-facing literals in Python source not wrapped in gettext."""
    found: list[tuple[int, str]] = []

    def flag(node: ast.AST) -> None:
        found.append((node.lineno, ast.unparse(node)[:100]))

    for node in ast.walk(source if isinstance(source, ast.AST) else ast.parse(source)):
        if isinstance(node, ast.Call):
            name = _func_name(node)
            for keyword in node.keywords:
                if keyword.arg in USER_FACING_KEYWORDS and _is_plain_text(keyword.value):
                    flag(keyword.value)
                if keyword.arg == "choices" and isinstance(keyword.value, (ast.List, ast.Tuple)):
                    for choice in keyword.value.elts:
                        pair = isinstance(choice, ast.Tuple) and len(choice.elts) == 2
                        if pair and _is_plain_text(choice.elts[1]):
                            flag(choice.elts[1])
                if keyword.arg == "error_messages" and isinstance(keyword.value, ast.Dict):
                    for value in keyword.value.values:
                        if _is_plain_text(value):
                            flag(value)
            if name == "ValidationError" and node.args and _is_plain_text(node.args[0]):
                flag(node.args[0])
            is_messages = isinstance(node.func, ast.Attribute) and getattr(
                node.func.value, "id", ""
            ) in ("messages",)
            if is_messages and name in MESSAGE_FUNCTIONS:
                index = MESSAGE_FUNCTIONS[name]
                if len(node.args) > index and _is_plain_text(node.args[index]):
                    flag(node.args[index])
        if isinstance(node, ast.ClassDef) and any(
            (getattr(b, "id", "") or getattr(b, "attr", "")).endswith("Choices") for b in node.bases
        ):
            for statement in node.body:
                value = getattr(statement, "value", None)
                pair = isinstance(value, ast.Tuple) and len(value.elts) == 2
                if isinstance(statement, ast.Assign) and pair and _is_plain_text(value.elts[1]):
                    flag(value.elts[1])
    return sorted(found)


def _python_files() -> list[Path]:
    files = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            parts = set(path.relative_to(ROOT).parts)
            # the API's schema texts are for developers and stay in English
            if not parts & {"migrations", "settings", "management", "api"}:
                files.append(path)
    return sorted(files)


def test_python_scanner_finds_unmarked_text():
    source = """
from django.utils.translation import gettext_lazy as _
class Kind(models.TextChoices):
    CITY = "city", _("City")
    OTHER = "other", "Other kind"
class F(forms.Form):
    name = forms.CharField(label=_("Name"), help_text="Write it out")
    kind = forms.ChoiceField(choices=[("a", _("A thing")), ("b", "Bee thing")])
def clean(value):
    if value:
        raise ValidationError(_("Marked"))
    raise ValidationError(f"Bad value {value}")
def view(request):
    messages.success(request, "Saved")
    messages.info(request, _("Fine"))
    logger.info("Not for users")
    field = models.CharField(max_length=10, verbose_name="title", db_column="x_y")
"""
    assert [line for line, _text in untranslated_python_strings(source)] == [5, 7, 8, 12, 14, 17]


def test_python_user_facing_strings_are_marked_for_translation():
    failures = []
    for path in _python_files():
        for line, text in untranslated_python_strings(path.read_text(encoding="utf-8")):
            failures.append(f"  {path.relative_to(ROOT)}:{line}: {text}")
    assert not failures, (
        "Strings users read are not wrapped in gettext / gettext_lazy:\n" + "\n".join(failures)
    )


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_catalogues_hold_no_msgid_the_code_lacks(extracted, lang):
    """A live msgid the code no longer has is stale (makemessages marks those obsolete) or
    damaged, e.g. an edit that dropped the non-ASCII characters from msgids, which silently
    throws their translations away."""
    in_code = {_msgkey(e) for e in extracted}
    stray = [key for key in _catalogue(lang) if key not in in_code]
    assert not stray, (
        f"{len(stray)} msgid(s) in locale/{lang} that the code does not have; run makemessages "
        "(it marks stale ones obsolete) and check for damaged msgids:\n"
        + "\n".join(f"  {msgid!r}" for _ctx, msgid in stray)
    )
