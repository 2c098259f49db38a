"""`make test` says up front, in one line, which system packages the suite lacks."""

from scripts import check_services


def test_nothing_is_reported_when_everything_is_there():
    assert check_services.system_packages_missing() == []


def test_a_missing_program_and_a_missing_font_are_named_with_their_packages(monkeypatch):
    needs = [
        ("/nonexistent/chromium", "chromium", "browser journeys"),
        ("/nonexistent/NotoSans-Regular.ttf", "fonts-noto-core", "page layout"),
        ("no-such-program-pdftotext", "poppler-utils", "PDF text checks"),
        ("sh", "dash", "present"),
    ]
    monkeypatch.setattr(check_services, "SYSTEM_NEEDS", needs)
    (line,) = check_services.system_packages_missing()
    assert line == (
        "Missing for the tests: chromium (browser journeys), fonts-noto-core (page layout), "
        "poppler-utils (PDF text checks). Install: apt-get install chromium fonts-noto-core "
        "poppler-utils (or run bash .ci/run, which installs them)"
    )
