"""What a PDF says about itself, read with poppler (``pdfinfo``), for every test of the
portal's PDFs: the fields, the PDF/UA identification in the XMP metadata, the catalog's
document language (/Lang) and the structure tree (the tags)."""

import re
import subprocess
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field


def _pdfinfo(data: bytes, *options: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return subprocess.run(  # noqa: S603 - a fixed command on our own file
            ["pdfinfo", *options, handle.name],  # noqa: S607
            capture_output=True,
            check=True,
        ).stdout.decode()


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
