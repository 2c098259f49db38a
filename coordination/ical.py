"""The annual clock as an iCalendar (RFC 5545) feed, made by a plain function."""

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import AnnualClockEvent
from .selectors import ClockEntry

PRODID = "-//6Aika//6Aika portal annual clock//FI"
UID_DOMAIN = "6aika-portal"


def _dates(
    start_day: datetime.date,
    end_day: datetime.date | None,
    start: datetime.datetime | None,
    end: datetime.datetime | None,
) -> tuple[datetime.date | datetime.datetime, datetime.date | datetime.datetime]:
    """DTSTART/DTEND: timed entries in UTC, all-day entries as dates (DTEND is exclusive)."""
    if start is not None:
        finish = end if end is not None and end > start else start + datetime.timedelta(hours=1)
        return start.astimezone(datetime.UTC), finish.astimezone(datetime.UTC)
    return start_day, (end_day or start_day) + datetime.timedelta(days=1)


def _own_event(event: AnnualClockEvent) -> Event:
    def at(day: datetime.date, time: datetime.time | None) -> datetime.datetime | None:
        return timezone.make_aware(datetime.datetime.combine(day, time)) if time else None

    vevent = Event()
    vevent.add("uid", f"clock-{event.pk}@{UID_DOMAIN}")
    vevent.add("summary", event.title)
    start, end = _dates(
        event.starts_on,
        event.ends_on,
        at(event.starts_on, event.start_time),
        at(event.ends_on or event.starts_on, event.end_time),
    )
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    if event.recurrence == AnnualClockEvent.Recurrence.YEARLY:
        vevent.add("rrule", {"freq": "yearly"})
    vevent.add("categories", [event.get_kind_display()])
    if event.description:
        vevent.add("description", event.description)
    if event.link:
        vevent.add("url", event.link)
    if event.city:
        vevent.add("location", event.city.name)
    return vevent


def _entry(entry: ClockEntry, base_url: str) -> Event:
    vevent = Event()
    vevent.add("uid", f"{entry.uid}@{UID_DOMAIN}")
    vevent.add("summary", entry.title)
    start, end = _dates(entry.starts_on, entry.ends_on, entry.starts_at, entry.ends_at)
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    vevent.add("categories", [entry.kind_label])
    if entry.description:
        vevent.add("description", entry.description)
    if entry.url:
        url = entry.url if "://" in entry.url else base_url.rstrip("/") + entry.url
        vevent.add("url", url)
    return vevent


def annual_clock_calendar(
    *, own: Iterable[AnnualClockEvent], others: Iterable[ClockEntry], base_url: str
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("6Aika annual clock"))
    calendar.add("x-wr-timezone", "Europe/Helsinki")
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for vevent in [*(_own_event(e) for e in own), *(_entry(e, base_url) for e in others)]:
        vevent.add("dtstamp", stamp)
        calendar.add_component(vevent)
    return calendar.to_ical()
