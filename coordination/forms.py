"""Forms for coordination pages. They parse and check input; services write."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.models import City, Organisation, Person, Seat
from projects.models import Project, Theme

from .models import (
    AnnualClockEvent,
    CityCoordinator,
    Event,
    EventMaterial,
    ResultAdoption,
    VisitorGroup,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _limit_cities(field: forms.ModelChoiceField, allowed: frozenset[int] | None) -> None:
    """A coordinator chooses among the cities they coordinate; the strategy office among all."""
    if allowed is not None:
        field.queryset = field.queryset.filter(pk__in=allowed)


def _people() -> "forms.models.QuerySet[Person]":
    return Person.objects.select_related("organisation").order_by("last_name", "first_name")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} ({obj.organisation})" if obj.organisation else obj.full_name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} ({obj.organisation})" if obj.organisation else obj.full_name


# --- Coordinators ---------------------------------------------------------------------------------


class CoordinatorAssignForm(forms.Form):
    city = forms.ModelChoiceField(City.objects.order_by("order"), label=_("City"))
    person = PersonChoiceField(_people(), label=_("Person"))
    since = forms.DateField(label=_("Coordinator since"), widget=DateInput())


class CoordinatorEndForm(forms.Form):
    until = forms.DateField(label=_("Last day as coordinator"), widget=DateInput())


class SeatTurnForm(forms.Form):
    seat = forms.ModelChoiceField(
        Seat.objects.filter(is_rotating=True).select_related("body", "member"),
        label=_("Rotating seat"),
    )
    city = forms.ModelChoiceField(City.objects.order_by("order"), label=_("City"))
    coordinator = forms.ModelChoiceField(
        CityCoordinator.objects.select_related("city", "person"),
        label=_("Coordinator"),
        required=False,
        help_text=_("Leave empty to show the city's current coordinator."),
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("To"), widget=DateInput(), required=False)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return data


# --- Annual clock ---------------------------------------------------------------------------------


class AnnualClockEventForm(forms.ModelForm):
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")

    class Meta:
        model = AnnualClockEvent
        fields = [
            "title_fi",
            "title_sv",
            "title_en",
            "kind",
            "starts_on",
            "ends_on",
            "start_time",
            "end_time",
            "recurrence",
            "city",
            "link",
            "description_fi",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "description_fi": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "title_fi": _("Title in Finnish"),
            "title_sv": _("Title in Swedish"),
            "title_en": _("Title in English"),
            "description_fi": _("Description"),
        }

    def __init__(self, *args, allowed_cities: frozenset[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title_fi"].required = True
        _limit_cities(self.fields["city"], allowed_cities)
        if allowed_cities is not None:
            self.fields["city"].required = True
            self.fields["city"].empty_label = None


# --- Visitor groups -------------------------------------------------------------------------------


class VisitorGroupForm(forms.ModelForm):
    hosts = PeopleChoiceField(_people(), label=_("Hosts"), required=False)

    class Meta:
        model = VisitorGroup
        fields = [
            "name",
            "origin",
            "country",
            "requested_on",
            "visit_starts",
            "visit_ends",
            "host_cities",
            "topics",
            "projects",
            "hosts",
        ]
        widgets = {
            "requested_on": DateInput(),
            "visit_starts": DateInput(),
            "visit_ends": DateInput(),
            "host_cities": forms.CheckboxSelectMultiple(),
            "topics": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, allowed_cities: frozenset[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_cities"].queryset = City.objects.order_by("order")
        self.fields["projects"].queryset = Project.objects.order_by("name")
        self.allowed_cities = allowed_cities

    def clean_host_cities(self):
        cities = self.cleaned_data["host_cities"]
        # A coordinator may take their own city off a visit they host with others (the service
        # decides what may change); a new visit must be one of theirs.
        creating = self.instance.pk is None
        if (
            creating
            and self.allowed_cities is not None
            and not any(c.pk in self.allowed_cities for c in cities)
        ):
            raise forms.ValidationError(_("Choose a city you coordinate among the host cities."))
        return cities


class VisitorGroupStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))

    def __init__(self, *args, allowed: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, VisitorGroup.Status(s).label) for s in allowed]


class VisitorGroupReportForm(forms.Form):
    report = forms.CharField(
        label=_("Visit report"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )


# --- Events ---------------------------------------------------------------------------------------


class EventForm(forms.ModelForm):
    online_link = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        help_text=_("For an online or hybrid event."),
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "starts_on",
            "place",
            "online_link",
            "organiser",
            "project",
            "participants",
            "description",
        ]
        widgets = {
            "starts_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, allowed_cities: frozenset[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        organisers = Organisation.objects.order_by("name")
        if allowed_cities is not None:
            organisers = organisers.filter(Q(city__in=allowed_cities))
        self.fields["organiser"].queryset = organisers
        self.fields["project"].queryset = Project.objects.order_by("name")


class EventMaterialForm(forms.ModelForm):
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")

    class Meta:
        model = EventMaterial
        fields = ["title", "file", "url"]

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(_("Give either a file or a link."))
        return data


# --- Results adoption -----------------------------------------------------------------------------


class ResultAdoptionForm(forms.ModelForm):
    class Meta:
        model = ResultAdoption
        fields = ["project", "result", "city", "adopted_on", "note"]
        widgets = {"adopted_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, allowed_cities: frozenset[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.order_by("name")
        self.fields["city"].queryset = City.objects.order_by("order")
        _limit_cities(self.fields["city"], allowed_cities)
        if allowed_cities is not None:
            self.fields["city"].empty_label = None  # a coordinator's own city, nothing to pick


# --- Contact finder -------------------------------------------------------------------------------


class ContactSearchForm(forms.Form):
    ROLE_CHOICES = [
        ("", _("Any role")),
        ("board", _("Board member or deputy")),
        ("steering_group", _("Steering group member or deputy")),
        ("coordinator", _("City coordinator")),
        ("project", _("Works in an organisation implementing projects")),
    ]

    text = forms.CharField(
        label=_("Search words"),
        required=False,
        max_length=100,
        help_text=_("For example open data, a name, a title or a project."),
    )
    city = forms.ModelChoiceField(
        City.objects.order_by("order"), label=_("City"), required=False, empty_label=_("Any city")
    )
    theme = forms.ModelChoiceField(
        Theme.objects.order_by("name"), label=_("Theme"), required=False, empty_label=_("Any theme")
    )
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, required=False)


class AuditFilterForm(forms.Form):
    """Filters of the audit trail: what kind of record, which object, whose changes."""

    kind = forms.ChoiceField(label=_("What"), required=False)
    object = forms.IntegerField(
        label=_("Object id"),
        required=False,
        min_value=1,
        help_text=_("With a kind chosen: one object's history (for rights: the user's id)."),
    )
    user = forms.ModelChoiceField(
        label=_("Person"), required=False, queryset=None, empty_label=_("Anyone")
    )

    # Which page of changes, newest first (the pages' links set it; the filters start again at 1).
    page = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        from .audit import KIND_CHOICES, audit_people

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything")), *KIND_CHOICES]
        self.fields["user"].queryset = audit_people()

    def clean_page(self) -> int:
        """A page number from a link: anything else is the first page, never an error."""
        from .audit import MAX_PAGE

        value = self.cleaned_data.get("page") or ""
        return min(int(value), MAX_PAGE) if value.isdigit() and int(value) >= 1 else 1

    def clean(self):
        data = super().clean()
        if data.get("object") and not data.get("kind"):
            self.add_error("object", _("Choose what kind of record the object id is for."))
        return data
