"""Agenda (esityslista) and minutes (pöytäkirja) as PDF: plain functions, html -> bytes, made
by ``core.pdf.html_to_pdf`` (tagged PDF/UA-1 with the document language, or no PDF at all).
"""

from django.template.loader import render_to_string
from django.utils import translation

from core.pdf import html_to_pdf

from .models import Meeting
from .selectors import meeting_page


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
