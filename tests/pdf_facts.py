"""What a PDF says about itself, read with poppler (``pdfinfo``), for every test of the
portal's PDFs: the fields, the PDF/UA identification in the XMP metadata, the catalog's
document language (/Lang) and the structure tree (the tags)."""

import re
import subprocess
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field


def _poppler(command: str, data: bytes, *options: str) -> str:
    """What a poppler tool (``pdfinfo``, ``pdftotext``) prints for the PDF ``data``."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        args = [command, *options, handle.name]
        if command == "pdftotext":
            args.append("-")
        return subprocess.run(  # noqa: S603 - a fixed command on our own file
            args, capture_output=True, check=True
        ).stdout.decode()


def _pdfinfo(data: bytes, *options: str) -> str:
    return _poppler("pdfinfo", data, *options)


def pdf_facts(data: bytes) -> dict[str, str]:
    """``pdfinfo``'s fields, plus ``PDF/UA`` (the part named by ``pdfuaid:part`` in the XMP
    metadata, "" if none) and ``Lang`` (the catalog's, kept in a compressed object stream;
    "" if none)."""
    facts = {
        key.strip(): value.strip()
        for key, _sep, value in (line.partition(":") for line in _pdfinfo(data).splitlines())
    }
    xmp = _pdfinfo(data, "-meta")
    part = re.search(r'pdfuaid:part\s*=\s*"(\d+)"|<pdfuaid:part>(\d+)</pdfuaid:part>', xmp)
    facts["PDF/UA"] = (part.group(1) or part.group(2)) if part else ""
    facts["Lang"] = ""
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            inflated = zlib.decompress(match.group(1))
        except zlib.error:
            inflated = match.group(1)
        lang = re.search(rb"/Lang\s*\(([\w-]+)\)", inflated)
        if lang:
            facts["Lang"] = lang.group(1).decode()
            break
    return facts


def assert_accessible_pdf(data: bytes, lang: str) -> dict[str, str]:
    """A tagged PDF/UA-1 document in ``lang`` with a title; returns the facts."""
    assert data.startswith(b"%PDF-1.7")
    facts = pdf_facts(data)
    assert facts["Tagged"] == "yes", facts
    assert facts["PDF/UA"] == "1", "no PDF/UA-1 identification (pdfuaid:part) in the XMP"
    assert facts["Lang"] == lang, facts
    assert facts.get("Title"), facts
    return facts


@dataclass
class Tag:
    """One element of a tagged PDF's structure tree, as ``pdfinfo -struct-text`` shows it: its
    type (``H2``, ``Table``, ``TD``), its ID, the IDs of the header cells a table cell names,
    the text it marks and its children."""

    type: str
    id: str = ""
    headers: tuple[str, ...] = ()
    texts: list[str] = field(default_factory=list)
    children: list["Tag"] = field(default_factory=list)

    def walk(self) -> Iterator["Tag"]:
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, type_: str) -> list["Tag"]:
        return [tag for tag in self.walk() if tag.type == type_]

    @property
    def text(self) -> str:
        """The text marked by this element and its descendants, lines joined by spaces."""
        return " ".join(" ".join(text for tag in self.walk() for text in tag.texts).split())


def pdf_structure(data: bytes) -> Tag:
    """The structure tree (the tags) of a tagged PDF: its root, the ``Document`` element."""
    root = Tag("")
    stack: list[tuple[int, Tag]] = [(-1, root)]
    for line in _pdfinfo(data, "-struct-text").splitlines():
        content = line.strip()
        if not content:
            continue
        indent = len(line) - len(line.lstrip(" "))
        if content.startswith("/"):  # an attribute of the element above
            headers = re.fullmatch(r"/Headers \[(.*)\]", content)
            if headers:
                stack[-1][1].headers = tuple(re.findall(r"\(([^)]*)\)", headers.group(1)))
            continue
        while stack[-1][0] >= indent:
            stack.pop()
        if content.startswith('"'):
            stack[-1][1].texts.append(content[1:-1])
            continue
        kind = re.match(r"(\w+)(?: <([^>]*)>)?", content)
        tag = Tag(kind.group(1), id=kind.group(2) or "")
        stack[-1][1].children.append(tag)
        stack.append((indent, tag))
    (document,) = root.children
    return document


@dataclass(frozen=True)
class Word:
    """A word as poppler places it on its page (``pdftotext -bbox``), in points from the top
    left corner."""

    page: int
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


def pdf_words(data: bytes) -> tuple[float, list[Word]]:
    """The page width and every word of the PDF with its box."""
    xml = _poppler("pdftotext", data, "-bbox")
    width = float(re.search(r'<page width="([\d.]+)"', xml).group(1))
    words = []
    for number, page in enumerate(xml.split("<page ")[1:], start=1):
        for x0, y0, x1, y1, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            page,
        ):
            words.append(Word(number, text, float(x0), float(y0), float(x1), float(y1)))
    return width, words


def overlapping_words(data: bytes, margin: float) -> list[str]:
    """Words drawn over another word of the same line or past the page's right margin
    (``margin`` in points): text a reader cannot read. Empty when the layout is sound."""
    width, words = pdf_words(data)
    found = []
    lines: dict[tuple[int, float], list[Word]] = {}
    for word in words:
        if word.x_max > width - margin + 0.5:
            found.append(f"page {word.page}: {word.text!r} past the margin ({word.x_max:.1f} pt)")
        lines.setdefault((word.page, round(word.y_min)), []).append(word)
    for line in lines.values():
        line.sort(key=lambda w: w.x_min)
        for left, right in zip(line, line[1:], strict=False):
            if right.x_min < left.x_max - 0.5:
                found.append(f"page {left.page}: {left.text!r} and {right.text!r} overlap")
    return found
