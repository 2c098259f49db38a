"""Every page a user reaches, read in Swedish, shows no Finnish interface text (issue 18).

The walk is tests/test_access.py's: every URL the portal serves, with the demo data, as the
strategy office, a board member, a steering group member, a city coordinator, a funder and an
anonymous visitor, with the language cookie set to Swedish. A page fails if one of its text nodes
(or a readable attribute: aria-label, title, placeholder, a button's value) is exactly a Finnish
text of the catalogue that is not Swedish as well, or holds a Finnish text written with its
values (a verdict, "what is missing", a count): that is an untranslated string, a label fixed
at import time, or a text the portal wrote in Finnish and shows as it is. Data people typed
(project names, organisations) is Finnish and allowed; it never equals a whole catalogue text.
"""

import re
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from tests.test_access import (
    EXPECTATIONS,
    URL_KWARGS,
    _client_for,
    _expected,
)
from tests.test_translations import LOCALE

READERS = [
    "anonymous",
    "toimisto",
    "johtoryhma",
    "ohjausryhma",
    "koordinaattori-espoo",
    "rahoittaja",
]
READABLE = {"aria-label", "title", "placeholder", "alt"}
# Demo data that happens to be a whole Finnish catalogue text: data, not interface.
DEMO_DATA = {
    "Ohjelma": "the title of an event's material (coordination/demo.py)",
    "rahoittaja": "a demo account's user name, shown in the audit trail",
}


def finnish_only_texts() -> set[str]:
    """The catalogue's Finnish texts without placeholders that are neither a Swedish text nor a
    msgid (the same word in both languages, like "Budget", is no sign of Finnish)."""
    fi = polib.pofile(str(LOCALE / "fi" / "LC_MESSAGES" / "django.po"))
    sv = polib.pofile(str(LOCALE / "sv" / "LC_MESSAGES" / "django.po"))
    shared = {e.msgstr for e in sv} | {e.msgid for e in sv} | {e.msgid for e in fi}
    for entry in sv:
        shared.update(entry.msgstr_plural.values())
    texts = set()
    for entry in fi:
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            text = " ".join(text.split())
            if text and "%" not in text and text not in shared and text not in DEMO_DATA:
                texts.add(text)
    return texts


# a printf placeholder of a catalogue text: %(name)s, %(count)d, %s
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdif]")
# A text with values is looked for only if what it says besides them is this long, in two
# words at least: shorter ones ("%(name)s – %(date)s", "%(name)s esteellisyys", a Finnish term
# that Swedish texts quote) say nothing of the language.
LITERAL_LETTERS = 12
LITERAL_WORDS = 2


def finnish_only_patterns() -> list[re.Pattern]:
    """The catalogue's Finnish texts with placeholders, as patterns with any value in each
    placeholder, where the Swedish text is another one (issue 18: a generated text shown in
    the language it was stored in)."""
    fi = polib.pofile(str(LOCALE / "fi" / "LC_MESSAGES" / "django.po"))
    sv = {e.msgid: e for e in polib.pofile(str(LOCALE / "sv" / "LC_MESSAGES" / "django.po"))}
    patterns = []
    for entry in fi:
        swedish = sv.get(entry.msgid)
        shared = {entry.msgid}
        if swedish is not None:
            shared |= {swedish.msgstr, *swedish.msgstr_plural.values()}
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            text = " ".join(text.split())
            if not PLACEHOLDER.search(text) or "%%" in text or text in shared:
                continue
            literal = PLACEHOLDER.sub("", text)
            if (
                len(re.sub(r"\W", "", literal)) < LITERAL_LETTERS
                or len(re.findall(r"\w{2,}", literal)) < LITERAL_WORDS
            ):
                continue
            parts = [re.escape(part.strip()) for part in PLACEHOLDER.split(text)]
            patterns.append(re.compile(r"\s*.+?\s*".join(parts)))
    return patterns


class _Texts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._raw = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._raw += 1
        attributes = dict(attrs)
        for name, value in attrs:
            submit = name == "value" and attributes.get("type") in ("submit", "button")
            if value and (name in READABLE or submit):
                self.found.append(" ".join(value.split()))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._raw:
            self._raw -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self._raw:
            self.found.append(text)
            # "Person | Paikka |": a fragment ending in punctuation is checked without it
            self.found.append(text.rstrip(":.,;"))


def finnish_on_page(html: str, finnish: set[str], patterns: list[re.Pattern] = ()) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return sorted({t for t in parser.found if t in finnish or any(p.search(t) for p in patterns)})


def test_the_check_finds_finnish_interface_text():
    finnish = finnish_only_texts()
    assert "Tallenna luonnos" in finnish and "Paikka" in finnish
    assert "Budget" not in finnish  # the same word in Swedish
    html = '<table><th>Person</th><th>Paikka</th></table><button aria-label="Sulje">x</button>'
    assert finnish_on_page(html, finnish | {"Sulje"}) == ["Paikka", "Sulje"]
    assert finnish_on_page("<p>Espoon kaupunki: Hankkeen nimi</p>", finnish) == []
    # a text the portal wrote with its values, stored in Finnish and shown as it is
    patterns = finnish_only_patterns()
    written = "Rahoittajan Uudenmaan liitto myöntämä summa puuttuu."
    assert finnish_on_page(f"<td>– {written}<br>Ok</td>", finnish, patterns) == [f"– {written}"]
    swedish = "<td>Den summa som Uudenmaan liitto beviljat saknas.</td>"
    assert finnish_on_page(swedish, finnish, patterns) == []


@pytest.mark.django_db
@pytest.mark.parametrize("user_key", READERS)
def test_swedish_pages_show_no_finnish_interface_text(user_key, demo_users):
    finnish = finnish_only_texts()
    patterns = finnish_only_patterns()
    client = _client_for(user_key, demo_users)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    failures = []
    walked = 0
    for name, rule in EXPECTATIONS.items():
        if _expected(rule, user_key) != 200:
            continue
        url = reverse(name, kwargs=URL_KWARGS[name]() if name in URL_KWARGS else {})
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        walked += 1
        html = response.content.decode()
        if '<html lang="en">' in html:  # the API's documentation is for developers, in English
            continue
        found = finnish_on_page(html, finnish, patterns)
        if found:
            failures.append(f"{url}: {found}")
    assert walked > 5
    assert not failures, "Finnish interface text on Swedish pages:\n" + "\n".join(failures)
