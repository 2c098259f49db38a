"""Agenda (esityslista) and minutes (pöytäkirja) as PDF: plain functions, html -> bytes, made
by ``core.pdf.html_to_pdf`` (tagged PDF/UA-1 with the document language, or no PDF at all).
"""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

from core.pdf import html_to_pdf

from .models import Meeting, Minutes
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


# Approved minutes are public: WeasyPrint took 0.5 to 3.6 s per anonymous request. The PDF is
# made once per content and kept in the shared cache (Redis): the key is a digest of the HTML it
# is made from (rendering that takes milliseconds), so a correction, a translation or an edited
# name makes a new PDF and nothing stale is ever served.
APPROVED_MINUTES_PDF_SECONDS = 7 * 24 * 3600


def approved_minutes_pdf(minutes: Minutes) -> bytes:
    """The approved minutes' PDF, from the cache or made and kept there."""
    html = _render("pdf/minutes.html", minutes.meeting)
    title = f"{translation.gettext('Minutes')}: {minutes.meeting}"
    digest = hashlib.sha256(f"{title}\n{html}".encode()).hexdigest()
    key = f"governance:minutes-pdf:{minutes.pk}:{digest}"
    data = cache.get(key)
    if data is None:
        data = html_to_pdf(html, title=title)
        cache.set(key, data, APPROVED_MINUTES_PDF_SECONDS)
    return data
