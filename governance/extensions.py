"""Extension points through which higher apps add to governance pages, without governance
importing them (the layering is coordination -> projects -> governance).

Agenda item panels: a callable ``(*, request, items) -> {item_pk: html}`` registered with
``register_agenda_item_panel`` (from the registering app's ``AppConfig.ready``) is called once per
meeting page with all its items, so it can fetch what it shows in a fixed number of queries; the
HTML it returns for an item is shown under the item's draft decision. The projects app uses it to
show the applications on an item with their evaluation summary.

Minutes approved: a callable ``(*, minutes, by) -> [note, ...]`` registered with
``register_minutes_approved`` is called inside ``minutes_approve``'s transaction, once the minutes
are approved and locked, so what follows from the meeting's final decisions happens with the
approval or not at all. Its notes (plain sentences for the person who approved) are shown to
them. The projects app uses it to turn the approved applications into projects.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from .models import AgendaItem, Minutes

AgendaItemPanel = Callable[..., dict[int, SafeString]]

_agenda_item_panels: list[AgendaItemPanel] = []


def register_agenda_item_panel(panel: AgendaItemPanel) -> AgendaItemPanel:
    """Register a panel (idempotent, so a repeated ``ready()`` adds it once)."""
    if panel not in _agenda_item_panels:
        _agenda_item_panels.append(panel)
    return panel


def agenda_item_panels(
    request: HttpRequest, items: Iterable[AgendaItem]
) -> dict[int, list[SafeString]]:
    """Every registered panel's HTML for each item, keyed by item id."""
    items = list(items)
    panels: dict[int, list[SafeString]] = defaultdict(list)
    for panel in _agenda_item_panels:
        for item_pk, html in panel(request=request, items=items).items():
            panels[item_pk].append(html)
    return dict(panels)


MinutesApprovedHandler = Callable[..., list[str]]

_minutes_approved_handlers: list[MinutesApprovedHandler] = []


def register_minutes_approved(handler: MinutesApprovedHandler) -> MinutesApprovedHandler:
    """Register a handler (idempotent, so a repeated ``ready()`` adds it once)."""
    if handler not in _minutes_approved_handlers:
        _minutes_approved_handlers.append(handler)
    return handler


def minutes_approved(*, minutes: Minutes, by) -> list[str]:
    """Call every registered handler for minutes just approved; their notes, in order."""
    notes: list[str] = []
    for handler in _minutes_approved_handlers:
        notes.extend(handler(minutes=minutes, by=by))
    return notes
