"""The theme's colours meet WCAG 2.1 AA contrast (4.5:1) for every text/background pair it uses.

The colours are read from static/css/portal.css, so a re-theme that breaks contrast fails here.
"""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[1] / "static" / "css" / "portal.css"
AA_TEXT = 4.5

# (foreground, background, where the pair is used); names are --color-* variables or "#hex".
PAIRS = [
    ("text", "#ffffff", "body text"),
    ("primary", "#ffffff", "links, secondary buttons, info status"),
    ("on-primary", "primary", "header text and links, primary buttons"),
    ("on-primary", "primary-dark", "primary button on hover"),
    ("primary-dark", "#ffffff", "link on hover"),
    ("muted", "#ffffff", "muted text, footer"),
    ("bad", "#ffffff", "field errors, error status"),
    ("bad", "error-bg", "error summary links"),
    ("text", "error-bg", "error summary and error message text"),
    ("text", "primary-light", "messages"),
    ("primary", "primary-light", "links inside messages"),
    ("ok", "#ffffff", "ok status"),
    ("warn", "#ffffff", "warning status"),
    ("focus", "#ffffff", "focus ring on the page"),
    ("on-primary", "primary", "focus ring in the header"),
]


def css_colours(css: str) -> dict[str, str]:
    """``--color-x: #abc;`` declarations -> {"x": "#aabbcc"}, following var(--color-y) links."""
    raw = dict(re.findall(r"--color-([\w-]+)\s*:\s*([^;]+);", css))
    resolved: dict[str, str] = {}

    def resolve(name: str, seen: tuple[str, ...] = ()) -> str:
        value = raw[name].strip()
        ref = re.fullmatch(r"var\(--color-([\w-]+)\)", value)
        if ref:
            assert ref.group(1) not in seen, f"circular colour variable {name}"
            return resolve(ref.group(1), (*seen, name))
        return hex_normalise(value)

    for name in raw:
        resolved[name] = resolve(name)
    return resolved


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


@pytest.mark.parametrize(("fg", "bg", "use"), PAIRS, ids=[f"{f}-on-{b}" for f, b, _ in PAIRS])
def test_theme_pair_meets_wcag_aa(fg, bg, use):
    colours = css_colours(CSS.read_text(encoding="utf-8"))

    def colour(name: str) -> str:
        if name.startswith("#"):
            return name
        assert name in colours, f"--color-{name} is gone from portal.css; update this test"
        return colours[name]

    ratio = contrast(colour(fg), colour(bg))
    assert ratio >= AA_TEXT, (
        f"{fg} {colour(fg)} on {bg} {colour(bg)} ({use}): {ratio:.2f}:1, AA needs {AA_TEXT}:1"
    )
