"""Who decides: cities, organisations, people, the board and the steering group with their seats."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import generated
from core.models import Transition
from core.validators import LONG_TEXT

from .acting import history_user
from .validators import validate_business_id


class City(models.Model):
    """One of the six cities of the strategy."""

    slug = models.SlugField(_("identifier"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        permissions = [("coordinate_city", _("Can coordinate the city's portfolio"))]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("City")
        CITY_COMPANY = "city_company", _("City company")
        REGIONAL_COUNCIL = "regional_council", _("Regional council")
        ELY_CENTRE = "ely_centre", _("ELY centre")
        MINISTRY = "ministry", _("Ministry")
        UNIVERSITY = "university", _("University")
        COMPANY = "company", _("Company")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    business_id = models.CharField(
        _("Business ID (Y-tunnus)"),
        max_length=9,
        blank=True,
        validators=[validate_business_id],
        help_text=_("Optional, e.g. 0201256-6."),
    )
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text=_("The city the organisation belongs to or is located in, if one of the six."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["business_id"],
                condition=~Q(business_id=""),
                name="organisation_business_id_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["first_name", "last_name", "organisation"], name="person_unique_in_org"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Body(models.Model):
    """A decision-making body: the board (johtoryhmä) or the steering group (ohjausryhmä)."""

    class Kind(models.TextChoices):
        BOARD = "board", _("Board")
        STEERING_GROUP = "steering_group", _("Steering group")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True, **LONG_TEXT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Quorum (päätösvaltaisuus): more than numerator/denominator of the voting seats present,
    # and at least quorum_minimum seats if set. The default is more than half.
    quorum_numerator = models.PositiveSmallIntegerField(
        _("quorum: more than (numerator)"), default=1
    )
    quorum_denominator = models.PositiveSmallIntegerField(
        _("quorum: of the seats (denominator)"), default=2
    )
    quorum_minimum = models.PositiveSmallIntegerField(
        _("quorum: at least this many seats"),
        null=True,
        blank=True,
        help_text=_("Optional: a minimum number of seats present, in addition to the share."),
    )

    class Meta:
        ordering = ["order"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_denominator__gte=1)
                & Q(quorum_numerator__lt=models.F("quorum_denominator")),
                name="body_quorum_fraction_below_one",
                violation_error_message=_("The quorum share must be a fraction below one."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Seat(models.Model):
    """A place in a body, held by a member, with a personal deputy.

    The steering group's rotating city-coordinator seat is a seat with no fixed member.
    """

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        MEMBER = "member", _("Member")
        PRESENTER = "presenter", _("Presenter")
        SECRETARY = "secretary", _("Secretary")

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="seats"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    member = models.ForeignKey(
        Person,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seats",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("represents"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seats",
    )
    deputy = models.ForeignKey(
        Person,
        verbose_name=_("personal deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deputy_seats",
    )
    is_rotating = models.BooleanField(
        _("rotating seat"),
        default=False,
        help_text=_("Held in turn, e.g. the steering group's city-coordinator seat."),
    )
    label = models.CharField(
        _("seat label"),
        max_length=200,
        blank=True,
        help_text=_("Shown for a rotating seat instead of a member's name."),
    )
    term_start = models.DateField(_("term starts"), null=True, blank=True)
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    chairing_order = models.PositiveSmallIntegerField(
        _("chairs in this order after the vice-chair"),
        null=True,
        blank=True,
        help_text=_(
            "When the chair and the vice-chair are both absent or disqualified, the member of the "
            "seat with the lowest number here chairs. Empty: not in the order."
        ),
    )

    class Meta:
        ordering = ["body__order", "order"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(fields=["body", "order"], name="seat_order_unique_in_body"),
            models.CheckConstraint(
                condition=Q(is_rotating=True) | Q(member__isnull=False),
                name="seat_has_member_unless_rotating",
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gte=models.F("term_start")),
                name="seat_term_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        holder = self.member.full_name if self.member else self.label
        return f"{self.body}: {holder} ({self.get_role_display()})"


# --- Meetings, agenda, attendance, conflicts, decisions, minutes -------------------------------

VOTING_ROLES = ("chair", "vice_chair", "member")


class Meeting(models.Model):
    """A meeting of a body. Its status moves planned -> held -> minutes approved (services)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        MINUTES_APPROVED = "minutes_approved", _("Minutes approved")

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online meeting link"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    # Planned, held, minutes approved: when and by whom (core.transitions).
    transitions = GenericRelation(Transition)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_link=""),
                name="meeting_has_place_or_link",
                violation_error_message=_("Give a place, an online meeting link or both."),
            ),
            models.UniqueConstraint(fields=["body", "starts_at"], name="meeting_unique_start"),
        ]

    def __str__(self) -> str:
        from django.utils import formats, timezone

        local = timezone.localtime(self.starts_at)
        return f"{self.body} {formats.date_format(local, 'SHORT_DATE_FORMAT')}"

    @property
    def is_past(self) -> bool:
        """Held, or its day is over: too late to read its pack beforehand. A meeting under way
        today is not past."""
        from django.utils import timezone

        return self.status != self.Status.PLANNED or (
            timezone.localdate(self.starts_at) < timezone.localdate()
        )

    @property
    def is_hybrid(self) -> bool:
        return bool(self.place and self.online_link)


class AgendaItem(models.Model):
    """One matter on a meeting's agenda (asia), with its draft decision (päätösehdotus).

    Other apps (projects) point here; governance knows nothing of what they attach.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("item number"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, **LONG_TEXT)
    presenter = models.ForeignKey(
        Person,
        verbose_name=_("presenter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="presented_items",
    )
    draft_decision = models.TextField(_("draft decision"), blank=True, **LONG_TEXT)

    class Meta:
        ordering = ["meeting", "order"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="agenda_item_order_unique"),
            models.CheckConstraint(condition=Q(order__gte=1), name="agenda_item_order_positive"),
        ]

    def __str__(self) -> str:
        return f"§ {self.order} {self.title}"


class Attendance(models.Model):
    """Who sat in a seat at a meeting: the member, or the seat's deputy standing in.

    A seat can have two rows when the member leaves and the deputy takes over; the quorum counts
    the seat once. ``arrived_at_item`` is the first item the person was present for;
    ``left_before_item`` the first item they were no longer present for.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    seat = models.ForeignKey(
        Seat, verbose_name=_("seat"), on_delete=models.PROTECT, related_name="attendances"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="attendances"
    )
    present = models.BooleanField(_("present"), default=True)
    arrived_at_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("arrived at item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    left_before_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("left before item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    history = HistoricalRecords(get_user=history_user, excluded_fields=["recorded_at"])

    class Meta:
        ordering = ["meeting", "seat__order", "person__last_name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "seat", "person"], name="attendance_unique_person_seat"
            ),
            models.CheckConstraint(
                condition=Q(present=True)
                | (Q(arrived_at_item__isnull=True) & Q(left_before_item__isnull=True)),
                name="attendance_absent_has_no_times",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.person}"

    @property
    def is_deputy(self) -> bool:
        return self.person_id != self.seat.member_id and self.person_id == self.seat.deputy_id

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        seat = self.seat if self.seat_id else None
        if seat is not None and self.meeting_id and seat.body_id != self.meeting.body_id:
            errors["seat"] = _("The seat belongs to another body.")
        if (
            seat is not None
            and self.person_id
            and not seat.is_rotating
            and self.person_id not in (seat.member_id, seat.deputy_id)
        ):
            errors["person"] = _("Only the seat's member or personal deputy can sit in it.")
        for field in ("arrived_at_item", "left_before_item"):
            item = getattr(self, field)
            if item is not None and item.meeting_id != self.meeting_id:
                errors[field] = _("The item is not on this meeting's agenda.")
        if (
            "arrived_at_item" not in errors
            and "left_before_item" not in errors
            and self.arrived_at_item
            and self.left_before_item
            and self.left_before_item.order <= self.arrived_at_item.order
        ):
            errors["left_before_item"] = _(
                "A person can only leave after the item they arrived at."
            )
        if errors:
            raise ValidationError(errors)


class ConflictDeclaration(models.Model):
    """Esteellisyys: a person steps aside for one agenda item (Administrative Procedure Act 27-30).

    Only confirmed declarations take the person out of the quorum. A proposal made by the portal
    waits for the person to confirm it, or for the meeting to decide it (confirmed or dismissed,
    recorded by whoever chairs the item or the secretary); until then the item is not decided.
    """

    class Stage(models.TextChoices):
        BEFORE_MEETING = "before_meeting", _("Declared before the meeting")
        AT_ITEM = "at_item", _("Declared at the item")
        PROPOSED = "proposed", _("Proposed by the portal")

    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="conflicts"
    )
    reason = models.TextField(_("reason"), **LONG_TEXT)
    # a reason the portal wrote (core.generated); empty once the person writes their own
    reason_code = models.CharField(max_length=60, blank=True, editable=False)
    reason_params = models.JSONField(default=dict, blank=True, editable=False)
    stage = models.CharField(_("declared"), max_length=20, choices=Stage.choices)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    dismissed = models.BooleanField(_("dismissed"), default=False)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dismissed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dismissed_at = models.DateTimeField(_("dismissed at"), null=True, blank=True)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["agenda_item__order", "person__last_name"]
        verbose_name = _("conflict of interest declaration")
        verbose_name_plural = _("conflict of interest declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "person"], name="conflict_unique_person_item"
            ),
            models.CheckConstraint(
                condition=Q(confirmed=False) | Q(confirmed_at__isnull=False),
                name="conflict_confirmed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(dismissed=False) | (Q(confirmed=False) & Q(dismissed_at__isnull=False)),
                name="conflict_dismissed_not_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agenda_item}: {self.person}"

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language if the portal wrote it, else as it was written."""
        return generated.render(self.reason_code, self.reason_params, fallback=self.reason)

    def is_open(self) -> bool:
        """A proposal neither confirmed nor dismissed: the item waits for it."""
        return not self.confirmed and not self.dismissed


class Decision(models.Model):
    """The body's decision on one agenda item."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved as proposed")
        AMENDED = "amended", _("Approved as amended")
        APPROVED_WITH_CONDITIONS = "approved_with_conditions", _("Approved with conditions")
        REJECTED = "rejected", _("Rejected")
        RETURNED = "returned", _("Returned for preparation")
        TABLED = "tabled", _("Tabled")

    agenda_item = models.OneToOneField(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices)
    conditions = models.TextField(_("conditions"), blank=True, **LONG_TEXT)
    # As proposed: the draft decision; amended: the decision as amended; may be empty when the
    # matter is rejected, returned or tabled.
    text = models.TextField(_("decision"), blank=True, **LONG_TEXT)
    # A vote (äänestys) when there was one: all three counts, or none.
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_abstaining = models.PositiveSmallIntegerField(_("abstained"), null=True, blank=True)
    chaired_by = models.ForeignKey(
        Person,
        verbose_name=_("chaired by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    seats_present = models.PositiveSmallIntegerField(_("seats present"))
    seat_count = models.PositiveSmallIntegerField(_("seats"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["agenda_item__meeting__starts_at", "agenda_item__order"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome="approved_with_conditions") & ~Q(conditions=""))
                | (~Q(outcome="approved_with_conditions") & Q(conditions="")),
                name="decision_conditions_iff_conditional",
                violation_error_message=_(
                    "Conditions are given for, and only for, an approval with conditions."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(votes_for__isnull=True)
                    & Q(votes_against__isnull=True)
                    & Q(votes_abstaining__isnull=True)
                )
                | (
                    Q(votes_for__isnull=False)
                    & Q(votes_against__isnull=False)
                    & Q(votes_abstaining__isnull=False)
                ),
                name="decision_vote_counts_all_or_none",
                violation_error_message=_("A vote has all three counts, or none."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agenda_item}: {self.get_outcome_display()}"

    @property
    def was_voted(self) -> bool:
        return self.votes_for is not None


class Dissent(models.Model):
    """Eriävä mielipide: a member who took part in the decision records their dissent."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="dissents"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="dissents"
    )
    reason = models.TextField(_("dissenting opinion"), blank=True, **LONG_TEXT)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["person__last_name", "person__first_name"]
        verbose_name = _("dissenting opinion")
        verbose_name_plural = _("dissenting opinions")
        constraints = [
            models.UniqueConstraint(fields=["decision", "person"], name="dissent_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.decision}: {self.person}"


class Minutes(models.Model):
    """Pöytäkirja. Drafted from the meeting's data, checked by the two members the meeting chose
    as checkers (``MinutesChecker``), signed by the chair, approved; approved minutes are locked
    and a later change is a visible ``Correction``."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CHECKED = "checked", _("Checked")
        SIGNED = "signed", _("Signed")
        APPROVED = "approved", _("Approved")

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="minutes"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    notes = models.TextField(
        _("other notes"),
        blank=True,
        help_text=_("Opening, closing and other matters."),
        **LONG_TEXT,
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    drafted_at = models.DateTimeField(_("drafted at"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        Person,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # Drafted, checked, approved: when and by whom (core.transitions).
    transitions = GenericRelation(Transition)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(approved_at__isnull=False),
                name="minutes_approved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return str(self.meeting)

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.APPROVED


class MinutesChecker(models.Model):
    """Pöytäkirjan tarkastaja: one of the two members present whom the meeting chose, at the
    meeting, to check its minutes (recorded by whoever presides or the secretary)."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="minutes_checkers",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("checker"), on_delete=models.PROTECT, related_name="+"
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["person__last_name", "person__first_name"]
        verbose_name = _("minutes checker")
        verbose_name_plural = _("minutes checkers")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="minutes_checker_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.person}"


class Correction(models.Model):
    """A change to approved minutes: never a silent edit, always a new visible record."""

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.PROTECT, related_name="corrections"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    text = models.TextField(_("correction"), **LONG_TEXT)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    made_at = models.DateTimeField(_("made at"))

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["made_at", "pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"{self.minutes}: {self.text[:40]}"


class MeetingPackRead(models.Model):
    """A member or deputy has read the meeting pack (agenda and attachments)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="pack_reads"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="pack_reads"
    )
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        verbose_name = _("meeting pack read")
        verbose_name_plural = _("meeting packs read")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="pack_read_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.person}"


class PermissionChange(models.Model):
    """A right given or taken: a role (group membership) or an object permission (guardian).

    Written by governance.audit's receivers, whoever changes the right (portal, admin, sign-in).
    The user is kept by id and name, not by a foreign key, so the record outlives the account.
    """

    class Action(models.TextChoices):
        ADDED = "added", _("Granted")
        REMOVED = "removed", _("Removed")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("change"), max_length=10, choices=Action.choices)
    user_pk = models.PositiveIntegerField(_("user id"), null=True, blank=True, db_index=True)
    subject = models.CharField(_("whose right"), max_length=200)
    permission = models.CharField(_("right"), max_length=200)
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("object type"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_pk = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("permission change")
        verbose_name_plural = _("permission changes")

    def __str__(self) -> str:
        return f"{self.subject}: {self.get_action_display()} {self.permission}"


class EnrolmentCode(models.Model):
    """A one-time code the strategy office issues so that a user can set up two-step sign-in
    for the first time: the second way besides the link e-mailed to the account. The office
    hands the code over by hand or by phone; the user enters it with their password. Only a
    digest is kept. It works once, until it expires, and stops working after
    ``MAX_ATTEMPTS`` wrong tries. Who issued it for whom, and its use, are also in the audit
    trail (``PermissionChange``, ``account:enrolment_code``)."""

    MAX_ATTEMPTS = 5

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    digest = models.CharField(max_length=64, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("enrolment code")
        verbose_name_plural = _("enrolment codes")

    def __str__(self) -> str:
        return f"{self.user}: {self.issued_at:%Y-%m-%d %H:%M}"
