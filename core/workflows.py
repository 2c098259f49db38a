"""The workflows by name (each ``core.transitions.Workflow`` adds itself), so that a
``core.Transition`` row can show its states' labels without importing the workflows' code."""

from typing import Any

_workflows: dict[str, Any] = {}


def workflow_register(workflow: Any) -> None:
    """The newest declaration of a name wins (a module imported again declares it again)."""
    _workflows[workflow.name] = workflow


def workflow_named(name: str) -> Any:
    """The workflow of that name, or None (one no longer declared)."""
    return _workflows.get(name)
