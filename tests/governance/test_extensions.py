"""governance.extensions: panels other apps register are collected per item, without governance
importing those apps."""

import ast
from pathlib import Path

from django.utils.safestring import mark_safe

from governance import extensions


def test_registered_panels_are_collected_per_item_once(monkeypatch):
    monkeypatch.setattr(extensions, "_agenda_item_panels", [])
    calls = []

    def panel(*, request, items):
        calls.append(len(items))
        return {item: mark_safe(f"<p>{item}</p>") for item in items if item != 2}  # noqa: S308

    extensions.register_agenda_item_panel(panel)
    extensions.register_agenda_item_panel(panel)
    result = extensions.agenda_item_panels(None, [1, 2, 3])
    assert result == {1: ["<p>1</p>"], 3: ["<p>3</p>"]}
    assert calls == [3]  # one call per page, with every item


def test_projects_registers_its_panel_and_governance_never_imports_projects():
    from calls.panels import agenda_item_panels

    assert agenda_item_panels in extensions._agenda_item_panels
    for path in Path(extensions.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("projects"), path
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("projects") for a in node.names), path
