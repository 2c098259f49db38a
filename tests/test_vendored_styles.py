"""hds-core is loaded only for what the portal uses (issue 18: "use hds-core's components for
real or drop what is not used"). scripts/vendor-frontend.sh copies the design tokens and the
components the templates use into static/vendor/hds-core/; every component in that file must be
drawn by some template, form widget or script, and every hds component a template draws must be
in it. hds-core 4.4 has no navigation and no radio-button component: the menu and the radio
buttons are the portal's own CSS (static/css/portal.css)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMPONENTS = ROOT / "static" / "vendor" / "hds-core" / "components.min.css"
SCRIPT = ROOT / "scripts" / "vendor-frontend.sh"
APPS = ("core", "governance", "projects", "calls", "coordination", "reports", "sixaika")


def vendored() -> list[str]:
    """The components the vendored file holds, as its first line lists them."""
    header = COMPONENTS.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"/\* hds-core [\d.]+ \(MIT, City of Helsinki\): (.+) \*/", header)
    assert match, f"the vendored file's first line names no components: {header!r}"
    return match.group(1).split()


def drawing_files() -> list[Path]:
    """Where the portal's markup is written: templates, widget templates, Python, scripts."""
    files = list((ROOT / "templates").rglob("*.html"))
    files += list((ROOT / "static" / "js").rglob("*.js"))
    for app in APPS:
        files += [p for p in (ROOT / app).rglob("*") if p.suffix in (".html", ".py")]
    return files


def used_components() -> set[str]:
    used = set()
    for path in drawing_files():
        used.update(re.findall(r"\bhds-([a-z]+(?:-[a-z]+)*)", path.read_text("utf-8")))
    return used


def test_every_vendored_component_is_used():
    used = used_components()
    unused = [c for c in vendored() if c not in used]
    assert not unused, f"hds-core components loaded on every page but drawn nowhere: {unused}"


def test_every_component_a_template_draws_is_vendored():
    css = COMPONENTS.read_text(encoding="utf-8")
    # "hds-core" is the package's name in comments, no class
    drawn = sorted(c for c in used_components() - {"core"} if f".hds-{c}" not in css)
    assert not drawn, f"hds classes in templates whose CSS is not vendored: {drawn}"


def test_the_vendoring_script_copies_the_same_components():
    match = re.search(r'^components="([^"]+)"', SCRIPT.read_text(encoding="utf-8"), flags=re.M)
    assert match and match.group(1).split() == vendored()


# --- the fact lists (dl.facts) are styled on every page that has one ---------------------------
# Issue 18 found them unstyled on meeting, application, call, visitor-group and event pages: their
# rules were in a stylesheet only some project templates loaded. The rules are now in portal.css,
# which base.html links; every template that draws a fact list must therefore be a page built on
# base.html (or a partial only such pages include).


def _extends_chain(name: str) -> list[str]:
    from django.template.loader import get_template
    from django.template.loader_tags import ExtendsNode

    chain = [name]
    template = get_template(name).template
    while True:
        node = next((n for n in template.nodelist if isinstance(n, ExtendsNode)), None)
        if node is None:
            return chain
        parent = node.parent_name.resolve({})
        chain.append(parent)
        template = get_template(parent).template


def test_every_page_with_a_fact_list_is_built_on_base_html_which_styles_it():
    base = (ROOT / "templates" / "base.html").read_text()
    assert "{% static 'css/portal.css' %}" in base
    css = (ROOT / "static" / "css" / "portal.css").read_text()
    assert re.search(r"^\.facts \{[^}]*display: grid", css, re.M), "portal.css styles .facts"
    with_facts = [
        path
        for path in (*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html"))
        if 'class="facts' in path.read_text() and "/pdf/" not in str(path)
    ]
    assert len(with_facts) >= 8, with_facts  # meeting, call, application, visitor group, event...
    pages, partials = [], []
    for path in with_facts:
        name = "/".join(path.parts[path.parts.index("templates") + 1 :])  # as the loader names it
        (partials if "/partials/" in name else pages).append(name)
    for name in pages:
        assert _extends_chain(name)[-1] == "base.html", f"{name} does not extend base.html"
    for name in partials:
        includers = [
            other
            for other in (*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html"))
            if name in other.read_text()
        ]
        assert includers, f"{name} is included nowhere"
