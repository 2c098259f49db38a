"""Agenda (esityslista) and minutes (pöytäkirja) as PDF: plain functions, html -> bytes.

Tagged PDF/UA-1 where the installed WeasyPrint supports it, so a screen reader can read them.
"""

from django.template.loader import render_to_string
from django.utils import translation

from .models import Meeting
from .selectors import meeting_page


def _variant() -> str | None:
    try:
        from weasyprint.pdf import VARIANTS
    except ImportError:  # pragma: no cover - older WeasyPrint without variants
        return None
    return "pdf/ua-1" if "pdf/ua-1" in VARIANTS else None


def html_to_pdf(html: str, *, title: str = "") -> bytes:
    from weasyprint import HTML

    options: dict[str, object] = {"pdf_tags": True}
    variant = _variant()
    if variant:
        options["pdf_variant"] = variant
    document = HTML(string=html, base_url=None).render()
    if title:
        document.metadata.title = title
    return document.write_pdf(**options)


def _render(template: str, meeting: Meeting) -> str:
    page = meeting_page(meeting)
    return render_to_string(
        template,
        {
            "meeting": meeting,
            "page": page,
            "LANGUAGE_CODE": translation.get_language(),
        },
    )


def agenda_pdf(meeting: Meeting) -> bytes:
    html = _render("pdf/agenda.html", meeting)
    return html_to_pdf(html, title=f"{translation.gettext('Agenda')}: {meeting}")


def minutes_pdf(meeting: Meeting) -> bytes:
    html = _render("pdf/minutes.html", meeting)
    return html_to_pdf(html, title=f"{translation.gettext('Minutes')}: {meeting}")
