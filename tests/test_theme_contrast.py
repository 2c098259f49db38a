"""The theme's colours meet WCAG 2.1 AA contrast for every pair the portal and the hds-core
components it uses draw: 4.5:1 for text, 3:1 for the parts of a control (a field's border, a
checkbox, a button's edge against the page, the focus ring).

The colours are read from the CSS as the browser cascades it: hds-core's tokens
(static/vendor/hds-core/base.min.css), then the theme (static/css/portal.css), which re-points
them; so a re-theme, or a new hds-core, that breaks contrast fails here. The components read
HDS's token names (``--color-bus``, ``--color-black-90``, ``--color-error-light``, ...); the
pairs below name the tokens each component draws with.
"""

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[1] / "static"
BASE = STATIC / "vendor" / "hds-core" / "base.min.css"
COMPONENTS = STATIC / "vendor" / "hds-core" / "components.min.css"
CSS = STATIC / "css" / "portal.css"
AA_TEXT = 4.5
AA_UI = 3.0
CSS_NAMED = {"grey": "#808080", "white": "#ffffff", "black": "#000000"}

# (foreground, background, where the pair is used, the ratio it needs); names are --color-*
# variables or "#hex".
PAIRS = [
    # the portal's own rules (portal.css)
    ("text", "#ffffff", "body text", AA_TEXT),
    ("primary", "#ffffff", "links, info status", AA_TEXT),
    ("on-primary", "primary", "header text and links", AA_TEXT),
    ("primary-dark", "#ffffff", "link on hover", AA_TEXT),
    ("muted", "#ffffff", "muted text, footer", AA_TEXT),
    ("bad", "#ffffff", "error status, a counter at its limit", AA_TEXT),
    ("ok", "#ffffff", "ok status", AA_TEXT),
    ("warn", "#ffffff", "warning status", AA_TEXT),
    ("on-primary", "primary-dark", "menu groups' lists", AA_TEXT),
    ("focus-ring", "#ffffff", "focus ring on the page", AA_UI),
    ("on-primary", "primary", "focus ring in the header", AA_UI),
    # hds-button
    ("white", "bus", "primary button", AA_TEXT),
    ("white", "bus-dark", "primary button on hover", AA_TEXT),
    ("bus", "white", "secondary and supplementary button", AA_TEXT),
    ("bus", "bus-light", "secondary button on hover", AA_TEXT),
    ("bus", "white", "a button's edge against the page", AA_UI),
    ("coat-of-arms", "white", "a button's focus outline", AA_UI),
    # hds-notification: flash messages and the error summary
    ("black-90", "info-light", "info message", AA_TEXT),
    ("black-90", "success-light", "success message", AA_TEXT),
    ("black-90", "alert-light", "warning message", AA_TEXT),
    ("black-90", "error-light", "error message, the error summary's text", AA_TEXT),
    ("bus", "error-light", "the error summary's links", AA_TEXT),
    ("error", "error-light", "the error summary's edge and icon", AA_UI),
    # hds-text-input and hds-checkbox: fields, their help, errors and limits
    ("black-90", "white", "labels and typed text", AA_TEXT),
    ("black-60", "white", "help text and the limit's counter", AA_TEXT),
    ("black", "error-light", "a field's error text", AA_TEXT),
    ("black-50", "white", "a field's and a checkbox's border", AA_UI),
    ("error", "white", "an invalid field's border", AA_UI),
    ("focus-outline", "white", "a field's focus ring", AA_UI),
    ("bus", "white", "a ticked checkbox", AA_UI),
    ("white", "bus", "the tick in a checkbox", AA_UI),
    # hds-table
    ("black-90", "silver", "table header row", AA_TEXT),
    ("black-90", "white", "table cells", AA_TEXT),
    # hds-pagination
    ("white", "primary", "the current page", AA_TEXT),
]

# Helsinki's brand colours (hds-core's base): the components may use none of them unless the
# theme re-points it at a colour of its own.
BRAND = (
    "brick",
    "bus",
    "coat-of-arms",
    "copper",
    "engel",
    "fog",
    "gold",
    "metro",
    "silver",
    "summer",
    "suomenlinna",
    "tram",
)


def _strip_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def css_colours(*sheets: str) -> dict[str, str]:
    """``--color-x: #abc;`` declarations -> {"x": "#aabbcc"}, a later sheet's winning, following
    var(--color-y) links. Only the colours asked for need to be colours."""
    raw: dict[str, str] = {}
    for css in sheets:
        raw.update(re.findall(r"--color-([\w-]+)\s*:\s*([^;}]+)[;}]", _strip_comments(css)))

    def resolve(name: str, seen: tuple[str, ...] = ()) -> str:
        value = raw[name].strip()
        ref = re.fullmatch(r"var\(--color-([\w-]+)\)", value)
        if ref:
            assert ref.group(1) not in seen, f"circular colour variable {name}"
            return resolve(ref.group(1), (*seen, name))
        return hex_normalise(CSS_NAMED.get(value, value))

    resolved: dict[str, str] = {}
    for name in raw:
        try:
            resolved[name] = resolve(name)
        except AssertionError:
            continue  # not a colour the tests ask about (checked when asked for)
    return resolved


def theme() -> dict[str, str]:
    return css_colours(BASE.read_text(encoding="utf-8"), CSS.read_text(encoding="utf-8"))


def hex_normalise(value: str) -> str:
    match = re.fullmatch(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", value.strip())
    assert match, f"theme colours must be #rgb or #rrggbb, not {value!r}"
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return f"#{digits}"


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour."""
    digits = hex_normalise(colour)[1:]
    channels = []
    for i in (0, 2, 4):
        c = int(digits[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#fff", "#ffffff") == pytest.approx(1.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # just fails AA
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # just passes
    assert contrast("#0000ff", "#ffffff") == pytest.approx(8.59, abs=0.01)


def test_css_variables_are_read_and_followed():
    colours = css_colours(":root { --color-a: #ABC; --color-b: var(--color-a); }")
    assert colours == {"a": "#aabbcc", "b": "#aabbcc"}


def test_css_variables_are_read_across_sheets_the_later_winning():
    colours = css_colours(
        ":root{--color-a:#000;--color-b:grey}", "/* --color-a: #f00; */ :root { --color-a: #fff; }"
    )
    assert colours == {"a": "#ffffff", "b": "#808080"}


@pytest.mark.parametrize(
    ("fg", "bg", "use", "needed"), PAIRS, ids=[f"{f}-on-{b}-{u}" for f, b, u, _ in PAIRS]
)
def test_theme_pair_meets_wcag_aa(fg, bg, use, needed):
    colours = theme()

    def colour(name: str) -> str:
        if name.startswith("#"):
            return name
        assert name in colours, f"--color-{name} is gone from the CSS; update this test"
        return colours[name]

    ratio = contrast(colour(fg), colour(bg))
    assert ratio >= needed, (
        f"{fg} {colour(fg)} on {bg} {colour(bg)} ({use}): {ratio:.2f}:1, AA needs {needed}:1"
    )


def test_the_components_use_no_helsinki_brand_colour_the_theme_keeps():
    """Every brand colour hds-core's components draw with is re-pointed by portal.css, so none
    of Helsinki's colours is left on a page."""
    used = set(re.findall(r"var\(--color-([\w-]+)", COMPONENTS.read_text(encoding="utf-8")))
    brand = {name for name in used if name.split("-")[0] in BRAND or name.startswith(BRAND)}
    assert {"bus", "coat-of-arms", "silver"} <= brand  # the walk finds what the components use
    base = css_colours(BASE.read_text(encoding="utf-8"))
    themed = theme()
    kept = sorted(name for name in brand if themed.get(name) == base.get(name))
    assert not kept, f"Helsinki's colours still used by the components: {kept}"


def test_the_shared_templates_use_the_components():
    """The components' stylesheet is loaded on every page and the shared templates use its
    classes (a component the templates stopped using would be dead weight)."""
    root = STATIC.parent / "templates"
    base = (root / "base.html").read_text(encoding="utf-8")
    assert "vendor/hds-core/components.min.css" in base
    partials = {
        "base.html": ("hds-notification",),
        "partials/error_summary.html": ("hds-notification--error", "hds-error-summary__body"),
        "partials/field.html": ("hds-text-input", "hds-checkbox", "hds-fieldset"),
        "partials/pagination.html": ("hds-pagination", "hds-button"),
    }
    for name, classes in partials.items():
        text = (root / name).read_text(encoding="utf-8")
        for cls in classes:
            assert cls in text, f"{name} does not use {cls}"
    css = COMPONENTS.read_text(encoding="utf-8")
    for cls in ("hds-button--primary", "hds-table__content", "hds-text-input__helper-text"):
        assert f".{cls}" in css  # the class names are the vendored version's
