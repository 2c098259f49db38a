"""Forms for calls, applications, scoring and conflicts. They parse; the services decide."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from core.tables import check_upload
from core.validators import LONG_TEXT_MAX_LENGTH
from governance.models import City, Organisation
from projects.models import Instrument, Programme, Theme

from . import services
from .models import SCORE_MAX, SCORE_MIN, Application, Call, validate_pdf
from .selectors import board_agenda_items

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CallForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.all())
    instrument = forms.ChoiceField(label=_("Instrument"), choices=Instrument.choices)
    funder = forms.ModelChoiceField(
        label=_("Funder"),
        queryset=Organisation.objects.filter(
            kind__in=[
                Organisation.Kind.REGIONAL_COUNCIL,
                Organisation.Kind.ELY_CENTRE,
                Organisation.Kind.MINISTRY,
                Organisation.Kind.CITY,
            ]
        ),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Focus areas"),
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    opens_on = forms.DateField(label=_("Opens"), widget=DATE)
    closes_on = forms.DateField(label=_("Closes"), widget=DATE)
    money_available = forms.DecimalField(
        label=_("Money available (EUR)"), min_value=0, max_digits=14, decimal_places=2
    )
    two_stage = forms.BooleanField(
        label=_("Two stages: idea papers first, then full applications"), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("A call cannot close before it opens."))
        return data


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=200)
    weight = forms.DecimalField(
        label=_("Weight"), min_value=0.01, max_digits=6, decimal_places=2, initial=1
    )
    description = forms.CharField(label=_("Description"), required=False)


CriterionFormSet = formset_factory(
    CriterionForm, extra=4, min_num=1, validate_min=True, max_num=12, validate_max=True
)


def criteria_from(formset) -> list[services.CriterionSpec]:
    return [
        services.CriterionSpec(
            name=f.cleaned_data["name"],
            weight=f.cleaned_data["weight"],
            description=f.cleaned_data.get("description", ""),
        )
        for f in formset
        if f.cleaned_data and f.cleaned_data.get("name")
    ]


class ApplicationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    stage = forms.ChoiceField(label=_("Stage"), choices=Application.Stage.choices)
    idea = forms.ModelChoiceField(
        label=_("Continues the idea paper"), queryset=Application.objects.none(), required=False
    )
    applicant = forms.ModelChoiceField(
        label=_("Applicant (lead)"), queryset=Organisation.objects.all()
    )
    co_applicants = forms.ModelMultipleChoiceField(
        label=_("Co-applicants"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    cities = forms.ModelMultipleChoiceField(
        label=_("Other participating cities"),
        queryset=City.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The applicants' own cities are included automatically."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    budget = forms.DecimalField(
        label=_("Total budget (EUR)"), min_value=0, max_digits=14, decimal_places=2
    )
    requested = forms.DecimalField(
        label=_("Requested funding (EUR)"), min_value=0, max_digits=14, decimal_places=2
    )
    start_date = forms.DateField(label=_("Planned start"), widget=DATE, required=False)
    end_date = forms.DateField(label=_("Planned end"), widget=DATE, required=False)

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        if call.two_stage:
            self.fields["idea"].queryset = call.applications.filter(stage=Application.Stage.IDEA)
        else:
            del self.fields["stage"]
            del self.fields["idea"]

    def clean(self):
        data = super().clean()
        if (
            data.get("budget") is not None
            and data.get("requested") is not None
            and data["requested"] > data["budget"]
        ):
            self.add_error("requested", _("The requested funding exceeds the total budget."))
        if (
            data.get("start_date")
            and data.get("end_date")
            and data["end_date"] < data["start_date"]
        ):
            self.add_error("end_date", _("The end must not be before the start."))
        return data

    def spec(self) -> services.ApplicationSpec:
        data = self.cleaned_data
        return services.ApplicationSpec(
            title=data["title"],
            stage=data.get("stage") or Application.Stage.FULL,
            idea=data.get("idea"),
            applicant=data["applicant"],
            co_applicants=list(data["co_applicants"]),
            declared_cities=list(data["cities"]),
            summary=data["summary"],
            budget=data["budget"],
            requested=data["requested"],
            start_date=data.get("start_date"),
            end_date=data.get("end_date"),
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, comma or semicolon separated, with the columns: title, applicant, "
            "co_applicants, cities, summary, budget, requested, start_date, end_date and, in a "
            "two-stage call, stage (idea or full). Several co-applicants or cities are separated "
            "by semicolons inside the cell when the file uses commas."
        ),
    )

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self):
        """The size, and that the contents are what the name says (``tables.check_upload``)."""
        file = self.cleaned_data["file"]
        if file.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is too large for an import (at most 2 MB)."))
        check_upload(file, xlsx=False)
        return file


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("PDF file"),
        validators=[validate_pdf],
        help_text=_("PDF, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class ScoreForm(forms.Form):
    """One score per criterion of the call (0–5) and a comment."""

    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        choices = [(str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "score-choice"}),
            )
        self.order_fields([f"criterion_{c.pk}" for c in self.criteria] + ["comment"])

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the conflict of interest"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the application's evaluation record."),
        max_length=LONG_TEXT_MAX_LENGTH,
    )


class AgendaItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.meeting} – {obj}"


class AgendaItemForm(forms.Form):
    agenda_item = AgendaItemChoiceField(
        label=_("Board agenda item"),
        queryset=board_agenda_items(),
        required=False,
        empty_label=_("(not on an agenda)"),
    )
