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
