"""``html -> bytes``: every PDF the portal makes goes through ``html_to_pdf``.

The result is tagged PDF/UA-1 with the document language set, since public-sector documents must
be accessible. A WeasyPrint that cannot write PDF/UA-1, or a page without ``<html lang>``, is an
error, never a quietly inaccessible file. WeasyPrint is imported on first use: it is heavy, and
only the worker and the PDF pages need it.
"""

import logging

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


def html_to_pdf(html: str, *, title: str = "") -> bytes:
    """Tagged PDF/UA-1 of ``html``; its language from ``<html lang>``, which is required."""
    from weasyprint import HTML

    variant = pdf_variant()
    _remember_page_references()
    document = HTML(string=html, base_url=None).render()
    if not document.metadata.lang:
        raise InaccessiblePDFError("The document has no language: set <html lang> in its template.")
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
