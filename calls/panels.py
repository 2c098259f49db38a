"""What calls adds to lower apps' pages (registered in apps.py through their extension points):
the applications on a board agenda item with their evaluation summary (governance.extensions),
and the application and decision a project was funded from (projects.extensions)."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from governance.models import AgendaItem
from projects.models import Project

from . import permissions
from .selectors import agenda_items_applications
from .selectors import project_funding as funding_of


def agenda_item_panels(*, request: HttpRequest, items: list[AgendaItem]) -> dict[int, SafeString]:
    """For users who may read applications: each item's applications side by side, ranked within
    their call, with eligibility, weighted score, number of scores, spread, requested funding and
    the money available in the call, and the item's conflicts of interest. A fixed number of
    queries."""
    if not items or not permissions.can_read_applications(request.user):
        return {}
    rows_by_item = agenda_items_applications([item.pk for item in items])
    can_manage = permissions.can_manage_calls(request.user)
    by_pk = {item.pk: item for item in items}
    return {
        item_pk: render_to_string(
            "calls/partials/agenda_panel.html",
            {
                "rows": rows,
                "can_manage": can_manage,
                # The item's conflicts of interest as the meeting page read them (if it did).
                "conflicts": getattr(by_pk.get(item_pk), "conflict_list", []),
            },
        )
        for item_pk, rows in rows_by_item.items()
    }


def project_funding(*, request: HttpRequest, project: Project) -> dict[str, object]:
    """The application the project was funded from, with the board's decision and its meeting
    (one query; public, as funding needs approved minutes), and whether the user may open it."""
    funding = funding_of(project.pk)
    return {
        "funding": funding,
        "can_read_applications": funding is not None
        and permissions.can_read_applications(request.user),
    }
