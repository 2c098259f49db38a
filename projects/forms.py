"""Forms of the projects app. They parse and validate; services write."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from governance.models import City, Organisation

from .models import RAG, Indicator, Programme, StatusReport, Theme
from .parsing import parse_amount, parse_date
from .services import UNSET, ProjectSpec, ReportContent


class AmountField(forms.CharField):
    """Euros as people type them: 1234567.89, 1234567,89 or 1 234 567,89."""

    default_error_messages = {
        "invalid": _("Enter an amount in euros, e.g. 1 234 567,89 (no minus sign)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value: str) -> Decimal | None:
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_amount(value)
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            text = f"{value:.2f}".replace(".", ",")
            return text.removesuffix(",00")
        return value


class LenientDateField(forms.DateField):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "year"):
            return value
        try:
            return parse_date(value)
        except ValueError as exc:
            raise ValidationError(
                _("Enter a date as 31.1.2022 or 2022-01-31."), code="invalid"
            ) from exc


class RAGWidget(forms.RadioSelect):
    template_name = "projects/widgets/rag.html"


def _rag_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=RAG.choices, required=False, widget=RAGWidget)


class StatusReportForm(forms.Form):
    """The coordinator's report. A draft may be incomplete; submitting checks completeness
    (services.status_report_transition). ``version`` is what the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    overall_status = _rag_field(_("Overall status"))
    schedule_status = _rag_field(_("Schedule"))
    budget_status = _rag_field(_("Budget"))
    scope_status = _rag_field(_("Scope"))
    narrative = forms.CharField(
        label=_("Progress in the period"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    costs_to_date = AmountField(
        label=_("Costs to date (EUR)"),
        required=False,
        help_text=_("For example 125 000 or 125000,50."),
    )
    risks = forms.CharField(
        label=_("Risks"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, indicators: list[Indicator], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self.fields[f"indicator_{indicator.pk}"] = AmountField(
                label=f"{indicator.code} {indicator.name} ({indicator.unit})",
                required=False,
                help_text=_("Target %(target)s") % {"target": f"{indicator.target.normalize():f}"},
            )

    @classmethod
    def initial_for(cls, report: StatusReport) -> dict[str, object]:
        initial: dict[str, object] = {
            name: getattr(report, name)
            for name in (
                "version",
                "overall_status",
                "schedule_status",
                "budget_status",
                "scope_status",
                "narrative",
                "costs_to_date",
                "risks",
                "next_steps",
            )
        }
        for value in report.indicator_values.all():
            initial[f"indicator_{value.indicator_id}"] = value.achieved
        return initial

    def indicator_fields(self):
        return [self[f"indicator_{i.pk}"] for i in self.indicators]

    def content(self) -> ReportContent:
        data = self.cleaned_data
        return ReportContent(
            overall_status=data["overall_status"],
            schedule_status=data["schedule_status"],
            budget_status=data["budget_status"],
            scope_status=data["scope_status"],
            narrative=data["narrative"],
            costs_to_date=data["costs_to_date"],
            risks=data["risks"],
            next_steps=data["next_steps"],
            indicator_values={i.pk: data.get(f"indicator_{i.pk}") for i in self.indicators},
        )


class TransitionForm(forms.Form):
    to_state = forms.ChoiceField(choices=StatusReport.State.choices)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class StartReportForm(forms.Form):
    period = forms.IntegerField()


class ProjectForm(forms.Form):
    """A project as the strategy office enters it. The programme's two-city rule is enforced
    by the service; its message is shown at the co-implementers field."""

    code = forms.CharField(label=_("Code"), max_length=20, required=False)
    name_fi = forms.CharField(label=_("Name in Finnish"), max_length=300)
    name_en = forms.CharField(label=_("Name in English"), max_length=300, required=False)
    summary_fi = forms.CharField(
        label=_("Summary in Finnish"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.all())
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.all(), required=False)
    lead = forms.ModelChoiceField(label=_("Lead implementer"), queryset=Organisation.objects.all())
    partners = forms.ModelMultipleChoiceField(
        label=_("Co-implementers"), queryset=Organisation.objects.all(), required=False
    )
    cities = forms.ModelMultipleChoiceField(
        label=_("Other participating cities"),
        queryset=City.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The implementers' cities are included automatically."),
    )
    start_date = LenientDateField(label=_("Start date"))
    end_date = LenientDateField(label=_("End date"))
    total_cost = AmountField(label=_("Total cost estimate (EUR)"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must not be before the start date."))
        return data

    def spec(self) -> ProjectSpec:
        """The fields this form shows; what it does not show (grants, contributions, parent,
        target groups, sub-budgets, status) the service leaves as stored."""
        data = self.cleaned_data
        lead = data["lead"]
        return ProjectSpec(
            code=data["code"].strip(),
            name_fi=data["name_fi"].strip(),
            name_en=data["name_en"].strip(),
            summary_fi=data["summary_fi"],
            programme=data["programme"],
            theme=data["theme"],
            lead=lead,
            partners=[(org, UNSET) for org in data["partners"] if org.pk != lead.pk],
            declared_cities=list(data["cities"]),
            start_date=data["start_date"],
            end_date=data["end_date"],
            total_cost=data["total_cost"] or Decimal(0),
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8, comma or semicolon) or XLSX, with the columns listed below."),
    )
