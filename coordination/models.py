"""How 6Aika is run: city coordinators, the rotating steering-group seat, the annual clock,
visitor groups, events and the adoption of project results between cities."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filetypes import kind_of
from core.models import Transition
from core.validators import LONG_TEXT
from governance.models import City, Organisation, Person, Seat
from projects.models import Project

# --- Coordinators and the rotating seat ---------------------------------------------------------


class CityCoordinator(models.Model):
    """Who coordinates a city's 6Aika portfolio (kaupunkikoordinaattori), from when to when.

    A city has at most one current coordinator (``until`` empty). Rows are written by
    ``services.city_coordinator_assign`` / ``city_coordinator_end``, which also grant and revoke
    the person's ``governance.coordinate_city`` permission.
    """

    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="coordinators"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="coordinator_terms",
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["city__order", "-since"]
        verbose_name = _("city coordinator")
        verbose_name_plural = _("city coordinators")
        constraints = [
            models.UniqueConstraint(
                fields=["city"],
                condition=Q(until__isnull=True),
                name="city_coordinator_one_current_per_city",
                violation_error_message=_("The city already has a current coordinator."),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="city_coordinator_until_after_since",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city}: {self.person}"

    @property
    def is_current(self) -> bool:
        return self.until is None


class RotatingSeatTurn(models.Model):
    """A city's turn in a rotating seat (the steering group's city-coordinator seat).

    The person sitting is the named coordinator, or else the city's current coordinator.
    """

    seat = models.ForeignKey(
        Seat, verbose_name=_("seat"), on_delete=models.PROTECT, related_name="turns"
    )
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="seat_turns"
    )
    coordinator = models.ForeignKey(
        CityCoordinator,
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seat_turns",
        help_text=_("Leave empty to show the city's current coordinator."),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["seat", "-starts_on"]
        verbose_name = _("rotating seat turn")
        verbose_name_plural = _("rotating seat turns")
        constraints = [
            models.UniqueConstraint(
                fields=["seat", "starts_on"], name="rotating_seat_turn_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="rotating_seat_turn_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seat}: {self.city}"

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.seat_id and not self.seat.is_rotating:
            errors["seat"] = _("Only a rotating seat is held in turns.")
        if self.coordinator_id and self.city_id and self.coordinator.city_id != self.city_id:
            errors["coordinator"] = _("The coordinator coordinates another city.")
        if self.seat_id and self.starts_on and "seat" not in errors:
            far = datetime.date.max
            overlapping = (
                RotatingSeatTurn.objects.filter(seat_id=self.seat_id)
                .exclude(pk=self.pk)
                .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=self.starts_on))
                .filter(starts_on__lte=self.ends_on or far)
            )
            if overlapping.exists():
                errors["starts_on"] = _("Another city's turn in this seat overlaps these dates.")
        if errors:
            raise ValidationError(errors)


# --- Annual clock ---------------------------------------------------------------------------------


class AnnualClockEvent(models.Model):
    """An entry of the annual clock (vuosikello) that exists nowhere else in the portal.

    Meetings and deadlines that other apps keep are merged in by ``selectors.annual_clock``.
    """

    class Kind(models.TextChoices):
        BOARD_MEETING = "board_meeting", _("Board meeting")
        STEERING_GROUP_MEETING = "steering_group_meeting", _("Steering group meeting")
        REPORTING_DEADLINE = "reporting_deadline", _("Reporting deadline")
        CALL = "call", _("Call for proposals")
        REPORT_RUN = "report_run", _("Report run")
        OTHER = "other", _("Other")

    class Recurrence(models.TextChoices):
        ONCE = "once", _("Once")
        YEARLY = "yearly", _("Every year")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, **LONG_TEXT)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("For an event lasting several days.")
    )
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    recurrence = models.CharField(
        _("recurrence"), max_length=10, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    link = models.URLField(_("link"), blank=True)
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clock_events",
        help_text=_("Leave empty for an event of the whole strategy."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["starts_on", "start_time", "pk"]
        verbose_name = _("annual clock event")
        verbose_name_plural = _("annual clock events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="clock_event_ends_after_start",
                violation_error_message=_("The end date cannot be before the date."),
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(start_time__isnull=False),
                name="clock_event_end_time_needs_start_time",
                violation_error_message=_("Give a start time before an end time."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (
            self.start_time
            and self.end_time
            and (self.ends_on is None or self.ends_on == self.starts_on)
            and self.end_time <= self.start_time
        ):
            raise ValidationError({"end_time": _("The end time must be after the start time.")})
        if (
            self.recurrence == self.Recurrence.YEARLY
            and self.ends_on
            and (self.ends_on - self.starts_on).days > 31
        ):
            raise ValidationError(
                {"ends_on": _("A yearly event can last at most a month, not across years.")}
            )


# --- Visitor groups -------------------------------------------------------------------------------


class VisitorGroup(models.Model):
    """An international or national delegation whose visit the strategy office coordinates."""

    class Origin(models.TextChoices):
        INTERNATIONAL = "international", _("International")
        NATIONAL = "national", _("National")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        CONFIRMED = "confirmed", _("Confirmed")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    name = models.CharField(_("name"), max_length=200)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    country = models.CharField(_("country"), max_length=100)
    requested_on = models.DateField(_("request date"))
    visit_starts = models.DateField(_("visit starts"), null=True, blank=True)
    visit_ends = models.DateField(_("visit ends"), null=True, blank=True)
    host_cities = models.ManyToManyField(
        City, verbose_name=_("host cities"), related_name="visitor_groups"
    )
    topics = models.TextField(_("topics"), **LONG_TEXT)
    hosts = models.ManyToManyField(
        Person, verbose_name=_("hosts"), blank=True, related_name="hosted_visitor_groups"
    )
    projects = models.ManyToManyField(
        Project,
        verbose_name=_("projects to show"),
        blank=True,
        related_name="visitor_groups",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    report = models.TextField(
        _("visit report"), blank=True, help_text=_("A short report after the visit."), **LONG_TEXT
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Requested, confirmed, held or cancelled: when and by whom (core.transitions).
    transitions = GenericRelation(Transition)

    class Meta:
        ordering = ["-visit_starts", "-requested_on", "pk"]
        verbose_name = _("visitor group")
        verbose_name_plural = _("visitor groups")
        constraints = [
            models.CheckConstraint(
                condition=Q(visit_ends__isnull=True)
                | (Q(visit_starts__isnull=False) & Q(visit_ends__gte=F("visit_starts"))),
                name="visitor_group_visit_ends_after_start",
                violation_error_message=_("The visit cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(report="") | Q(status="held"),
                name="visitor_group_report_only_when_held",
                violation_error_message=_("A visit report is written after the visit is held."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["confirmed", "held"]) | Q(visit_starts__isnull=False),
                name="visitor_group_confirmed_has_dates",
                violation_error_message=_("A confirmed or held visit has dates."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


# --- Events ---------------------------------------------------------------------------------------


class Event(models.Model):
    """A roadshow or other event, in a place, online or both (hybrid)."""

    class Kind(models.TextChoices):
        ROADSHOW = "roadshow", _("Roadshow")
        OTHER = "other", _("Other event")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(_("description"), blank=True, **LONG_TEXT)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    starts_on = models.DateField(_("date"))
    organiser = models.ForeignKey(
        Organisation, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="events"
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    participants = models.PositiveIntegerField(
        _("participants"), null=True, blank=True, help_text=_("Filled in after the event.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_link=""),
                name="event_has_place_or_link",
                violation_error_message=_("Give a place, an online link or both."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_hybrid(self) -> bool:
        return bool(self.place and self.online_link)


MATERIAL_EXTENSIONS = ["pdf", "pptx", "docx", "xlsx", "odt", "odp", "ods", "png", "jpg", "jpeg"]
MATERIAL_MAX_BYTES = 20 * 1024 * 1024


def validate_material_size(file: Any) -> None:
    if file.size > MATERIAL_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; the largest allowed is %(max)s MB."),
            params={
                "size": f"{file.size / 1024 / 1024:.1f}",
                "max": MATERIAL_MAX_BYTES // 1024 // 1024,
            },
            code="file_too_large",
        )


def validate_material_content(file: Any) -> None:
    """The contents are what the extension says (``core.filetypes``): a program or a web page
    named .pdf, or a PNG named .pdf, is refused (the extension and the size have validators of
    their own)."""
    if getattr(file, "_committed", False):
        return  # a stored file was checked when it was uploaded
    name = (getattr(file, "name", "") or "").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in MATERIAL_EXTENSIONS:
        return
    if kind_of(file) != {"jpg": "jpeg"}.get(extension, extension):
        raise ValidationError(
            _(
                "The file %(name)s is named .%(extension)s but its contents are not a "
                "%(kind)s file. Save or export it in that format and try again."
            ),
            params={"name": name, "extension": extension, "kind": extension.upper()},
            code="material_content",
        )


def material_upload_to(instance: "EventMaterial", filename: str) -> str:
    return f"events/{instance.event_id}/{filename}"


class EventMaterial(models.Model):
    """A file or a link: slides, recordings, handouts of an event."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=material_upload_to,
        blank=True,
        validators=[
            FileExtensionValidator(MATERIAL_EXTENSIONS),
            validate_material_size,
            validate_material_content,
        ],
        help_text=_("PDF, Office or OpenDocument file or image, at most 20 MB."),
    )
    url = models.URLField(_("link"), blank=True)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        ordering = ["event", "added_at", "pk"]
        verbose_name = _("event material")
        verbose_name_plural = _("event materials")
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="event_material_file_xor_link",
                violation_error_message=_("Give either a file or a link."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


# --- Results adoption -----------------------------------------------------------------------------


class ResultAdoption(models.Model):
    """A city took a project's result or good practice into use: how results spread (the
    strategy office's mandate to promote adoption between cities)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="adoptions"
    )
    result = models.CharField(_("result or good practice"), max_length=300)
    city = models.ForeignKey(
        City, verbose_name=_("adopting city"), on_delete=models.PROTECT, related_name="adoptions"
    )
    adopted_on = models.DateField(_("adopted on"))
    note = models.TextField(_("note"), blank=True, **LONG_TEXT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-adopted_on", "pk"]
        verbose_name = _("result adoption")
        verbose_name_plural = _("result adoptions")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "result", "city"],
                name="result_adoption_once_per_city",
                violation_error_message=_("The city has already adopted this result."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.result} ({self.city})"
