"""``html -> bytes`` for the reports: governance's tagged PDF/UA-1 function (one place for how
the portal makes PDFs). The language comes from ``<html lang>``, the title from ``<title>``.

WeasyPrint is imported on first use: it is heavy, and only the worker makes PDFs.
"""

import logging

from core.pdf import html_to_pdf as _html_to_pdf

# WeasyPrint logs every layout step at INFO; a worker's log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def html_to_pdf(html: str) -> bytes:
    return _html_to_pdf(html)
