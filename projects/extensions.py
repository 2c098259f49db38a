"""Extension points through which higher apps add to projects' pages, without projects importing
them (the layering is in docs/architecture.md).

Project funding: a callable ``(*, request, project) -> dict`` registered with
``register_project_funding`` (from the registering app's ``AppConfig.ready``) adds to the project
page's context what it knows about how the project was funded. The calls app uses it to show the
board's funding decision and a link to the application (``funding``, ``can_read_applications``).
"""

from collections.abc import Callable

from django.http import HttpRequest

from .models import Project

ProjectFunding = Callable[..., dict[str, object]]

_project_funding: list[ProjectFunding] = []


def register_project_funding(provider: ProjectFunding) -> ProjectFunding:
    """Register a provider (idempotent, so a repeated ``ready()`` adds it once)."""
    if provider not in _project_funding:
        _project_funding.append(provider)
    return provider


def project_funding(*, request: HttpRequest, project: Project) -> dict[str, object]:
    """What every registered provider adds to the project page's context."""
    context: dict[str, object] = {"funding": None, "can_read_applications": False}
    for provider in _project_funding:
        context.update(provider(request=request, project=project))
    return context
