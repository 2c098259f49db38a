"""What an uploaded file is by its contents, whatever its name says: the first bytes, and for the
zip-based Office and OpenDocument formats what the zip holds. The import forms and the event
materials use it to refuse a file whose extension lies (a program or a PDF named .csv, a web
page or a PNG named .pdf)."""

import zipfile
from typing import IO

MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"MZ", "program"),
    (b"\x7fELF", "program"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),  # the old Office formats (OLE2)
)
OOXML = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
ODF = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}


def _zip_kind(file: IO[bytes]) -> str:
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:
                for prefix, kind in OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
            if "mimetype" in names:
                with archive.open("mimetype") as mimetype:
                    return ODF.get(mimetype.read(100).strip(), "zip")
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return "zip"
    return "zip"


def kind_of(file: IO[bytes]) -> str:
    """``pdf``, ``png``, ``jpeg``, ``gif``, ``program``, ``xls``, ``docx``, ``xlsx``, ``pptx``,
    ``odt``, ``ods``, ``odp``, ``zip``, or ``""`` for none of these (text, or unknown). Reads from
    the start of ``file`` and puts its position back."""
    position = file.tell()
    try:
        file.seek(0)
        head = file.read(8)
        for magic, kind in MAGIC:
            if head.startswith(magic):
                return kind
        if head.startswith(b"PK\x03\x04"):
            file.seek(0)
            return _zip_kind(file)
        return ""
    finally:
        file.seek(position)
