"""Agenda (esityslista) and minutes (pöytäkirja) as PDF: plain functions, html -> bytes, made
by ``core.pdf.html_to_pdf`` (tagged PDF/UA-1 with the document language, or no PDF at all).
"""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import storages
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
# made once per content and kept as a file in the portal's file storage (the media folder, or
# the bucket that every web and worker machine shares): the Finnish one at approval
# (minutes_approve), another language the first time a reader asks for it. The name carries a
# digest of the HTML it is made from (rendering that takes milliseconds), so a correction, a
# translation or an edited name makes a new PDF and nothing stale is ever served.


def approved_minutes_file(minutes: Minutes) -> str:
    """The storage name of the approved minutes' PDF in the active language, made if missing."""
    html = _render("pdf/minutes.html", minutes.meeting)
    title = f"{translation.gettext('Minutes')}: {minutes.meeting}"
    digest = hashlib.sha256(f"{title}\n{html}".encode()).hexdigest()
    name = f"minutes/{minutes.pk}/{translation.get_language()}-{digest[:40]}.pdf"
    storage = storages["default"]
    if storage.exists(name):
        return name
    return storage.save(name, ContentFile(html_to_pdf(html, title=title)))


def approved_minutes_pdf(minutes: Minutes) -> bytes:
    """The approved minutes' PDF, from its file (made once, by whichever machine came first)."""
    with storages["default"].open(approved_minutes_file(minutes), "rb") as stored:
        return stored.read()
