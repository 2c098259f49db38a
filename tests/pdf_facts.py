"""What a PDF says about itself, read with poppler (``pdfinfo``), for every test of the
portal's PDFs: the fields, the PDF/UA identification in the XMP metadata and the catalog's
document language (/Lang)."""

import re
import subprocess
import tempfile
import zlib


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
