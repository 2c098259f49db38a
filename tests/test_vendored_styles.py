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
