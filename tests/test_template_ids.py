"""Ids in templates are written without localisation.

The portal groups thousands in Finnish (``USE_THOUSAND_SEPARATOR``), so ``{{ item.pk }}`` of
item 1146 renders "1 146": an element id, an anchor, a query parameter or an option value
written that way breaks once a table passes a thousand rows (the board journey found it). Every
id printed into a template goes through ``|unlocalize``; ``{% url %}`` needs nothing.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ID_OUTPUT = re.compile(r"\{\{\s*([\w.]*?(?:\.pk|\.id|_id))\s*(\|[^}]*)?\}\}")


def _templates() -> list[Path]:
    return [p for p in ROOT.glob("**/templates/**/*.html") if ".venv" not in p.parts]


def test_ids_in_templates_are_not_localised():
    bad = []
    for path in _templates():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for match in ID_OUTPUT.finditer(line):
                expr, filters = match.group(1), match.group(2) or ""
                if expr.endswith("auto_id") or "unlocalize" in filters:
                    continue
                bad.append(f"{path.relative_to(ROOT)}:{number}: {match.group(0)}")
    assert not bad, "ids printed with thousands grouping (add |unlocalize):\n" + "\n".join(bad)


def test_the_scan_finds_a_localised_id():
    line = '<article id="item-{{ item.pk }}">{{ field.auto_id }}{{ x.pk|unlocalize }}'
    found = [m.group(1) for m in ID_OUTPUT.finditer(line) if "unlocalize" not in (m.group(2) or "")]
    assert [f for f in found if not f.endswith("auto_id")] == ["item.pk"]
