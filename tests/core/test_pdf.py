"""core/pdf.py: every PDF the portal makes is tagged PDF/UA-1 with its language, or none is made
at all."""

import pytest

from core import pdf
from tests.pdf_facts import assert_accessible_pdf


def test_a_page_without_a_language_makes_no_pdf():
    html = "<!DOCTYPE html><html><head><title>T</title></head><body><p>x</p></body></html>"
    with pytest.raises(pdf.InaccessiblePDFError, match="no language"):
        pdf.html_to_pdf(html)
    assert_accessible_pdf(pdf.html_to_pdf(html.replace("<html>", '<html lang="fi">')), "fi")


def test_the_portals_user_agent_stylesheet_keeps_lists_markers_and_line_breaks():
    """The PDFs' user-agent stylesheet leaves out WeasyPrint's footnote and note rules and gives
    markers to list items only (a cost per element otherwise): lists are still numbered and
    bulleted and a line break still breaks the line, the same text as WeasyPrint's own
    stylesheet gives."""
    from weasyprint import HTML

    from tests.reports.data import pdftotext

    html = (
        '<!DOCTYPE html><html lang="fi"><head><title>T</title></head><body>'
        "<ol><li>Ensimmäinen</li><li>Toinen</li></ol><ul><li>Pallo</li></ul>"
        "<p>Rivi yksi<br>Rivi kaksi</p></body></html>"
    )
    data = pdf.html_to_pdf(html)
    assert_accessible_pdf(data, "fi")
    text = pdftotext(data)
    assert all(marker in text.split() for marker in ("1.", "2.", "•")), text
    assert "Rivi yksi Rivi kaksi" in text
    stock = HTML(string=html).write_pdf(pdf_variant=pdf.PDF_VARIANT, pdf_tags=True)
    assert text == pdftotext(stock)


def test_the_garbage_collector_runs_again_after_a_pdf_made_or_refused():
    """``html_to_pdf`` pauses the cyclic garbage collector while WeasyPrint works (a fifth of a
    large report's time otherwise); it is on again afterwards, also when no PDF was made."""
    import gc

    html = '<!DOCTYPE html><html lang="fi"><head><title>T</title></head><body>x</body></html>'
    assert gc.isenabled()
    pdf.html_to_pdf(html)
    assert gc.isenabled()
    with pytest.raises(pdf.InaccessiblePDFError):
        pdf.html_to_pdf(html.replace(' lang="fi"', ""))
    assert gc.isenabled()
