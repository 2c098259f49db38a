"""What projects adds to governance pages: the applications on a board agenda item with their
evaluation summary (registered in apps.py through governance.extensions)."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from governance.models import AgendaItem

from . import permissions
from .calls_selectors import agenda_items_applications


def agenda_item_panels(*, request: HttpRequest, items: list[AgendaItem]) -> dict[int, SafeString]:
    """For users who may read applications: each item's applications, ranked within their call,
    with score, number of scores, spread and requested funding. A fixed number of queries."""
    if not items or not permissions.can_read_applications(request.user):
        return {}
    rows_by_item = agenda_items_applications([item.pk for item in items])
    can_manage = permissions.can_manage_calls(request.user)
    return {
        item_pk: render_to_string(
            "projects/calls/partials/agenda_panel.html",
            {"rows": rows, "can_manage": can_manage},
        )
        for item_pk, rows in rows_by_item.items()
    }
