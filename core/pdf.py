"""``html -> bytes``: every PDF the portal makes goes through ``html_to_pdf``.

The result is tagged PDF/UA-1 with the document language set, since public-sector documents must
be accessible. A WeasyPrint that cannot write PDF/UA-1, or a page without ``<html lang>``, is an
error, never a quietly inaccessible file. WeasyPrint is imported on first use: it is heavy, and
only the worker and the PDF pages need it.
"""

import contextlib
import functools
import gc
import logging
import zlib
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

PDF_VARIANT = "pdf/ua-1"

# WeasyPrint logs every layout step at INFO; a worker's log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class InaccessiblePDFError(ValueError):
    """The document would not be an accessible PDF (no language, for one)."""


def pdf_variant() -> str:
    """The PDF/UA-1 variant, or ``ImproperlyConfigured`` if this WeasyPrint cannot write it."""
    import weasyprint

    try:
        from weasyprint.pdf import VARIANTS
    except ImportError as error:
        raise ImproperlyConfigured(
            f"WeasyPrint {weasyprint.__version__} has no PDF variants; the portal needs "
            f"{PDF_VARIANT!r} (requirements.txt pins a WeasyPrint that has it)."
        ) from error
    if PDF_VARIANT not in VARIANTS:
        raise ImproperlyConfigured(
            f"WeasyPrint {weasyprint.__version__} cannot write {PDF_VARIANT!r} (it knows "
            f"{', '.join(sorted(VARIANTS))}); the portal's PDFs must be accessible."
        )
    return PDF_VARIANT


def _remember_page_references() -> None:
    """pydyf's ``PDF.page_references`` builds the tuple of every page's reference each time it
    is read, and WeasyPrint's tagging reads it once per tagged element: pages x elements, a
    second of a thousand-project report. The same tuple, kept until a page is added, is the
    same answer."""
    import pydyf

    if getattr(pydyf.PDF, "_sixaika_remembers_pages", False):
        return

    def page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
        kids = pdf.pages["Kids"]
        remembered = pdf.__dict__.get("_sixaika_page_references")
        if remembered is None or remembered[0] != len(kids):
            references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
            remembered = pdf.__dict__["_sixaika_page_references"] = (len(kids), references)
        return remembered[1]

    pydyf.PDF.page_references = property(page_references)
    pydyf.PDF._sixaika_remembers_pages = True


class _ZlibAtDefaultLevel:
    """``zlib`` as pydyf uses it, with its streams compressed at zlib's default level (6), not
    pydyf's 9: level 9 took four times as long for 5 % smaller files, about 0.3 s of CPU of a
    thousand-project report for some 30 KB more."""

    def __getattr__(self, name: str) -> object:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = zlib.Z_DEFAULT_COMPRESSION, *args: object, **kwargs: object):
        return zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs)  # type: ignore[arg-type]


def _compress_at_default_level() -> None:
    import pydyf

    if not isinstance(pydyf.zlib, _ZlibAtDefaultLevel):
        pydyf.zlib = _ZlibAtDefaultLevel()


@functools.cache
def _user_agent_stylesheet():  # -> weasyprint.CSS
    """WeasyPrint's HTML user-agent stylesheet without what no portal PDF uses and every
    element pays for. Its rules for footnote and note pseudo-elements (``::footnote-call``,
    ``::note-marker``, five in all) and ``::marker`` match every element, so WeasyPrint computes
    six pseudo-element styles for each one: for a thousand-project report (some 10 000
    elements, most of them table cells) 60 000 styles, half the CSS step and 75 MB at the
    peak. The portal's PDFs have no footnotes or notes, and only list items have markers, so
    the notes' rules are left out and ``::marker`` becomes ``li::marker``; every other rule is
    as shipped. Parsed once per process."""
    import weasyprint
    from weasyprint import CSS
    from weasyprint.css.counters import CounterStyle

    shipped = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text()
    lines = [
        "li" + line if line.startswith("::marker") else line
        for line in shipped.splitlines()
        if not line.startswith(("::footnote-", "::note-"))
    ]
    # Its @counter-style rules are WeasyPrint's own, already known to every document (read
    # again into a counter style of their own, they would be redefinitions).
    return CSS(string="\n".join(lines), counter_style=CounterStyle())


@functools.cache
def _html_class() -> type:
    """WeasyPrint's ``HTML`` with the stylesheet above as its user agent's."""
    from weasyprint import HTML

    class PortalHTML(HTML):
        def _ua_stylesheets(self, forms: bool = False) -> list:
            # No portal PDF has a form (WeasyPrint adds the forms' sheet only with pdf_forms).
            return [_user_agent_stylesheet()]

    return PortalHTML


@contextlib.contextmanager
def _without_cycle_collection():
    """The cyclic garbage collector paused while WeasyPrint works. It makes hundreds of
    thousands of objects that all live until the PDF is written, so the collector found
    nothing to free but ran a thousand times over the growing heap (and over the whole
    worker's in its full passes): 1.7 s of the 9 s a thousand-project report took, for 6 MB
    less at the peak. Reference counting still frees as usual; cycles wait for the next
    collection once rendering is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def html_to_pdf(html: str, *, title: str = "") -> bytes:
    """Tagged PDF/UA-1 of ``html``; its language from ``<html lang>``, which is required."""
    variant = pdf_variant()
    _remember_page_references()
    _compress_at_default_level()
    with _without_cycle_collection():
        document = _html_class()(string=html, base_url=None).render()
        if not document.metadata.lang:
            raise InaccessiblePDFError(
                "The document has no language: set <html lang> in its template."
            )
        if title:
            document.metadata.title = title
        return document.write_pdf(pdf_variant=variant, pdf_tags=True)


def pdf_filename(title: str, *parts: object) -> str:
    """A PDF's download name in the reader's language: the title (translated by the caller in
    the request's language) as plain ASCII words joined by hyphens, then the parts (a date, an
    id): ``pdf_filename(_("minutes"), "2026-01-15")`` -> ``poytakirja-2026-01-15.pdf`` in
    Finnish, ``protokoll-2026-01-15.pdf`` in Swedish, ``minutes-2026-01-15.pdf`` in English."""
    from django.utils.text import slugify

    words = [slugify(str(title)) or "document", *(slugify(str(part)) for part in parts)]
    return "-".join(word for word in words if word) + ".pdf"
