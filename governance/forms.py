"""Forms for meetings: each one parses a request for one service call."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.validators import LONG_TEXT_MAX_LENGTH

from .models import VOTING_ROLES, AgendaItem, Body, Decision, Meeting, Person, Seat


class MeetingForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Body"), queryset=Body.objects.all())
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.URLField(
        label=_("Online meeting link"), required=False, assume_scheme="https"
    )

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("online_link"):
            raise forms.ValidationError(_("Give a place, an online meeting link or both."))
        return data


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    presenter = forms.ModelChoiceField(
        label=_("Presenter"), queryset=Person.objects.none(), required=False
    )
    draft_decision = forms.CharField(
        label=_("Draft decision"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        people = Seat.objects.filter(body_id=meeting.body_id).values("member_id")
        self.fields["presenter"].queryset = Person.objects.filter(pk__in=people)


class DecisionForm(forms.Form):
    """The decision on an item. No outcome is chosen in advance: whoever chairs picks one.

    ``participants`` are (person id, name) of those who took part in the item: they may dissent.
    """

    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Decision text"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "For an amended decision: the decision as amended. “As proposed” records the draft "
            "decision; for a rejection, a return or a tabling, the grounds if any."
        ),
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Only for an approval with conditions."),
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    votes_for = forms.IntegerField(
        label=_("Votes for"),
        required=False,
        min_value=0,
        help_text=_("Only when the item was decided by a vote: all three counts."),
    )
    votes_against = forms.IntegerField(label=_("Votes against"), required=False, min_value=0)
    votes_abstaining = forms.IntegerField(label=_("Abstained"), required=False, min_value=0)
    dissenters = forms.TypedMultipleChoiceField(
        label=_("Dissenting opinions (eriävä mielipide)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    REASON_PREFIX = "dissent_reason_"

    def __init__(self, *args, participants: list[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dissenters"].choices = list(participants)
        # Each participant's dissenting opinion may have its reason, written in the minutes.
        for pk, name in participants:
            self.fields[f"{self.REASON_PREFIX}{pk}"] = forms.CharField(
                label=_("%(name)s: reason of the dissenting opinion") % {"name": name},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=LONG_TEXT_MAX_LENGTH,
            )

    def main_fields(self):
        """The fields shown one after another; the dissents' reasons are grouped after them."""
        return [f for f in self.visible_fields() if not f.name.startswith(self.REASON_PREFIX)]

    def reason_fields(self):
        return [f for f in self.visible_fields() if f.name.startswith(self.REASON_PREFIX)]

    def reasons_open(self) -> bool:
        """The reasons' group starts open when one has text or an error."""
        return any(f.errors or f.value() for f in self.reason_fields())

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        conditional = outcome == Decision.Outcome.APPROVED_WITH_CONDITIONS
        if conditional and not data.get("conditions", "").strip():
            self.add_error("conditions", _("Write the conditions of the approval."))
        if not conditional and data.get("conditions", "").strip():
            self.add_error(
                "conditions", _("Conditions are only given with an approval with conditions.")
            )
        if outcome == Decision.Outcome.AMENDED and not data.get("text", "").strip():
            self.add_error("text", _("Write the decision as amended."))
        dissenters = set(data.get("dissenters") or [])
        for pk, _name in self.fields["dissenters"].choices:
            field = f"{self.REASON_PREFIX}{pk}"
            if data.get(field, "").strip() and pk not in dissenters:
                self.add_error(
                    field,
                    _("Mark the person among the dissenting opinions, or leave the reason empty."),
                )
        votes = [data.get(name) for name in ("votes_for", "votes_against", "votes_abstaining")]
        if any(v is not None for v in votes) and any(v is None for v in votes):
            self.add_error(
                "votes_for", _("Give all three counts of the vote: for, against and abstained.")
            )
        return data

    def service_arguments(self, people: dict[int, Person]) -> dict[str, object]:
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if not name.startswith(self.REASON_PREFIX)
        }
        data["dissenters"] = [people[pk] for pk in data.get("dissenters") or []]
        data["dissent_reasons"] = {
            person.pk: self.cleaned_data.get(f"{self.REASON_PREFIX}{person.pk}", "").strip()
            for person in data["dissenters"]
        }
        return data


class SeatAttendanceForm(forms.Form):
    MEMBER, DEPUTY, ABSENT = "member", "deputy", "absent"

    attending = forms.ChoiceField(label=_("Attending"), widget=forms.RadioSelect)
    arrived_at_item = forms.ModelChoiceField(
        label=_("Arrived at item"), queryset=AgendaItem.objects.none(), required=False
    )
    left_before_item = forms.ModelChoiceField(
        label=_("Left before item"), queryset=AgendaItem.objects.none(), required=False
    )

    def __init__(self, *args, seat: Seat, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.seat = seat
        choices = [(self.MEMBER, seat.member.full_name if seat.member else _("Member"))]
        if seat.deputy:
            choices.append((self.DEPUTY, _("%(name)s (deputy)") % {"name": seat.deputy.full_name}))
        choices.append((self.ABSENT, _("Absent")))
        self.fields["attending"].choices = choices
        if seat.role not in VOTING_ROLES:
            # The presenter's row is for the record only: left unanswered, absent.
            self.fields["attending"].required = False
        items = AgendaItem.objects.filter(meeting=meeting).order_by("order")
        self.fields["arrived_at_item"].queryset = items
        self.fields["left_before_item"].queryset = items

    def attending_person(self) -> Person | None:
        choice = self.cleaned_data["attending"] or self.ABSENT
        return {self.MEMBER: self.seat.member, self.DEPUTY: self.seat.deputy}.get(choice)


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: my organisation applies for funding in this matter."),
        max_length=LONG_TEXT_MAX_LENGTH,
    )


class ConflictRecordForm(forms.Form):
    """The chair or the secretary records a conflict the meeting decided on a person."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    reason = forms.CharField(
        label=_("Ground"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the person's organisation applies for funding in this matter."),
        max_length=LONG_TEXT_MAX_LENGTH,
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        seats = Seat.objects.filter(body_id=meeting.body_id)
        ids = set(seats.values_list("member_id", flat=True)) | set(
            seats.values_list("deputy_id", flat=True)
        )
        self.fields["person"].queryset = Person.objects.filter(pk__in=ids - {None})


class MinutesCheckersForm(forms.Form):
    """The meeting chooses two of the members present to check its minutes."""

    first = forms.ModelChoiceField(label=_("First checker"), queryset=Person.objects.none())
    second = forms.ModelChoiceField(label=_("Second checker"), queryset=Person.objects.none())

    def __init__(self, *args, meeting: Meeting, exclude: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        present = (
            Person.objects.filter(
                attendances__meeting=meeting,
                attendances__present=True,
                attendances__seat__role__in=VOTING_ROLES,
            )
            .exclude(pk=exclude)
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["first"].queryset = present
        self.fields["second"].queryset = present

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("first") == data.get("second"):
            self.add_error("second", _("Choose two different checkers."))
        return data


class CorrectionForm(forms.Form):
    agenda_item = forms.ModelChoiceField(
        label=_("Item"), queryset=AgendaItem.objects.none(), required=False
    )
    text = forms.CharField(
        label=_("Correction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LONG_TEXT_MAX_LENGTH,
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(meeting=meeting)


class DecisionSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    body = forms.ModelChoiceField(
        label=_("Body"), queryset=Body.objects.all(), required=False, empty_label=_("All")
    )
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=[("", _("All")), *Decision.Outcome.choices], required=False
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return data
