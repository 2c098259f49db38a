"""Where the board monitoring report's PDF spends its time: CPU seconds of each of WeasyPrint's
steps, and the document's pages and lines of text.

On the bench database of ``bench/reports.py`` (``sixaika_bench_<N>``, made once with
``generate_portfolio``; BENCH_DB_PREFIX names it): the report's HTML is rendered once, then
``core.pdf.html_to_pdf`` makes its PDF ``--repeat`` times in this process with each step's CPU
time added up (the best run is shown). The steps: parsing the HTML, the CSS (cascade), building
the boxes, laying out the pages (the rest of ``render``), drawing the pages (the text, and the
marked content that the tags point to), the fonts (subsetting), the tags (the structure tree),
writing the PDF's objects, and the rest (metadata, links).

    python bench/pdf_phases.py --size 1000

CPU seconds, not wall time, so that other work on the machine moves the figures less; compare
two changes in the same minutes all the same.
"""

import argparse
import collections
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

STEPS = (
    "parse HTML",
    "CSS",
    "boxes",
    "layout",
    "draw",
    "fonts",
    "tags",
    "write PDF",
)


def _timed(owner: object, name: str, step: str, spent: collections.Counter) -> None:
    """``owner.name`` wrapped to add its CPU time to ``spent[step]``."""
    function = getattr(owner, name)

    def timed(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[step] += time.process_time() - started

    setattr(owner, name, timed)


def child(repeat: int) -> None:
    import django

    django.setup()
    import pydyf
    import weasyprint
    from django.utils import timezone, translation
    from weasyprint import document as wp_document
    from weasyprint import pdf as wp_pdf
    from weasyprint.formatting_structure import boxes

    from core import pdf as core_pdf
    from reports import services as report_services
    from reports.documents import render_html
    from reports.models import Report

    report_services._queue = lambda report: None
    report, _created = report_services.report_request(
        kind=Report.Kind.BOARD, as_of=timezone.localdate(), scheduled=True
    )
    with translation.override(report.language):
        html, _summary, _cutoff = render_html(report)

    spent: collections.Counter = collections.Counter()
    _timed(weasyprint.HTML, "__init__", "parse HTML", spent)
    _timed(wp_document, "get_all_computed_styles", "CSS", spent)
    _timed(wp_document, "build_formatting_structure", "boxes", spent)
    _timed(wp_document.Document, "_render", "render", spent)
    _timed(wp_document.Page, "paint", "draw", spent)
    _timed(wp_pdf, "build_fonts_dictionary", "fonts", spent)
    _timed(wp_pdf, "add_tags", "tags", spent)
    _timed(pydyf.PDF, "write", "write PDF", spent)

    documents = []
    render = wp_document.Document._render

    def kept(*args, **kwargs):
        documents.append(render(*args, **kwargs))
        return documents[-1]

    wp_document.Document._render = kept
    core_pdf.html_to_pdf('<html lang="fi"><body>.</body></html>')  # imports, fonts
    runs = []
    for _ in range(repeat):
        spent.clear()
        documents.clear()
        started = time.process_time()
        data = core_pdf.html_to_pdf(html)
        total = time.process_time() - started
        spent["layout"] = spent.pop("render") - spent["CSS"] - spent["boxes"]
        run = {"total": total, **{step: spent[step] for step in STEPS}}
        run["other"] = total - sum(spent[step] for step in STEPS)
        runs.append(run)
    document = documents[-1]
    lines = sum(
        isinstance(box, boxes.LineBox)
        for page in document.pages
        for box in page._page_box.descendants()
    )
    print(
        json.dumps(
            {
                "runs": runs,
                "html_kb": len(html.encode()) / 1024,
                "pages": len(document.pages),
                "lines": lines,
                "pdf_kb": len(data) / 1024,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        child(args.repeat)
        return
    from run import build_database, django_env

    from reports import child_figures

    url, _generation = build_database(args.size, regenerate=False, seed=1)
    figures = child_figures(__file__, django_env(url), args.repeat)
    best = min(figures["runs"], key=lambda run: run["total"])
    print(
        f"Board report at {args.size} projects: HTML {figures['html_kb']:.0f} KB, "
        f"{figures['pages']} pages, {figures['lines']} lines of text, PDF {figures['pdf_kb']:.0f} KB"
    )
    print(f"html_to_pdf, best of {len(figures['runs'])}: {best['total']:.2f} s of CPU")
    for step in (*STEPS, "other"):
        share = 100 * best[step] / best["total"]
        print(f"  {step:<22} {best[step]:6.2f} s  {share:4.0f} %")


if __name__ == "__main__":
    main()
