"""Forms of the projects app. They parse and validate; services write."""

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields import BLANK_CHOICE_DASH
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from core.forms import ErrorLine, add_service_error
from core.tables import check_upload
from core.templatetags.sixaika_format import eur
from core.validators import LONG_TEXT_MAX_LENGTH
from governance.models import City, Organisation

from .models import RAG, Indicator, Instrument, Programme, Project, StatusReport, Theme
from .parsing import parse_amount, parse_date, split_list
from .services import (
    ActionSpec,
    IndicatorSpec,
    ProjectSpec,
    ReportContent,
    two_city_rule_problem,
)


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
    """A status's colour (RAG.choices); its fields are drawn as a group (widget_type "rag": the
    form's template tells them so, partials/report_form.html).

    Its template is written out in Python too (``_render``): the report form has four of them,
    and through the template language they were a tenth of the form's CPU (issue 19).
    tests/projects/test_forms.py renders both and compares them: change the two together."""

    template_name = "projects/widgets/rag.html"
    python_render = True

    def _render(self, template_name, context, renderer=None):
        html = self._html(context) if self.python_render else None
        if html is None or template_name != self.template_name:
            return super()._render(template_name, context, renderer)
        return mark_safe(html)  # noqa: S308 - every value in it is escaped

    @staticmethod
    def _html(context: dict) -> str | None:
        groups = []
        for _group, options, _index in context["widget"]["optgroups"]:
            lines = []
            for option in options:
                if not isinstance(option["value"], str) or not isinstance(option["name"], str):
                    return None
                value = conditional_escape(option["value"])
                checked = "checked" if option["selected"] else ""
                lines.append(
                    '\n    <label>\n      <input type="radio"\n'
                    f'             name="{conditional_escape(option["name"])}"\n'
                    f'             value="{value}"\n'
                    f"             {checked}>\n"
                    f'      <span class="rag rag--{value}">{conditional_escape(option["label"])}'
                    "</span>\n    </label>\n  "
                )
            groups.append("\n  " + "".join(lines) + "\n")
        return ("".join(groups) + "\n").strip()


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
        label=_("Progress in the period"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    costs_to_date = AmountField(
        label=_("Costs to date (EUR)"),
        required=False,
        help_text=_("For example 125 000 or 125000,50."),
    )
    risks = forms.CharField(
        label=_("Risks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LONG_TEXT_MAX_LENGTH,
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
    def initial_for(cls, report: StatusReport, indicators: list[Indicator]) -> dict[str, object]:
        """The report's content as the form's initial values; ``indicators`` as
        ``selectors.report_form_indicators(report, stated=True)`` gives them."""
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
        for indicator in indicators:
            if indicator.stated is not None:
                initial[f"indicator_{indicator.pk}"] = indicator.stated
        return initial

    def indicator_fields(self):
        return [self[f"indicator_{i.pk}"] for i in self.indicators]

    # The fields after the hidden version, as partials/report_fields.html draws them; written
    # out in Python too (``fields_html``): through the template language the loop's own work
    # (the widgets aside) was a sixth of the page's Python calls, and in Python it is under half
    # of that (issue 19). tests/projects/test_forms.py renders both and compares them: change
    # the two together.
    fields_template = "projects/partials/report_fields.html"
    python_render = True

    def fields_html(self) -> SafeString:
        if not self.python_render:
            return mark_safe(render_to_string(self.fields_template, {"form": self}).strip())  # noqa: S308 - a template's output
        parts = []
        for bound in self:
            label = conditional_escape(bound.label)
            if bound.widget_type == "rag":
                errors = "".join(
                    f'<p class="hds-text-input__error-text field-error">{conditional_escape(e)}</p>'
                    for e in bound.errors
                )
                parts.append(
                    f'\n  \n    <fieldset class="rag-choices" '
                    f'id="{conditional_escape(bound.id_for_label)}">\n'
                    f"      <legend>{label}</legend>\n      {bound}\n      {errors}\n"
                    "    </fieldset>\n  \n"
                )
            elif bound.is_hidden:
                parts.append("\n  \n")
            else:
                for_id = conditional_escape(bound.id_for_label)
                helper = (
                    f'\n        <p class="muted" id="{for_id}_helptext">'
                    f"{conditional_escape(bound.help_text)}</p>\n      "
                    if bound.help_text
                    else ""
                )
                errors = (
                    '\n        <p class="hds-text-input__error-text field-error" '
                    f'id="{for_id}_error">'
                    + " ".join(conditional_escape(e) for e in bound.errors)
                    + "</p>\n      "
                    if bound.errors
                    else ""
                )
                parts.append(
                    '\n  \n    <div class="form-field hds-text-input">\n'
                    f'      <label class="hds-text-input__label" for="{for_id}">{label}</label>\n'
                    f"      {helper}\n      {bound}\n      {errors}\n    </div>\n  \n"
                )
        return mark_safe("".join(parts).strip())  # noqa: S308 - every value in it is escaped

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
        label=_("Comment"),
        required=False,
        help_text=_("Required when returning: say what should be corrected."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LONG_TEXT_MAX_LENGTH,
    )


class StartReportForm(forms.Form):
    period = forms.IntegerField()


class ProjectForm(forms.Form):
    """A project as the strategy office enters it; the rows of its co-implementers, grants and
    city contributions are formsets, put together with this form by ProjectEditor.
    ``version`` is the version of the project the editor started from (none for a new one)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        required=False,
        help_text=_("EURA code such as A70011 or S21375; optional until the project is granted."),
    )
    name_fi = forms.CharField(label=_("Name in Finnish"), max_length=300)
    name_sv = forms.CharField(label=_("Name in Swedish"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=300, required=False)
    summary_fi = forms.CharField(
        label=_("Summary in Finnish"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    summary_sv = forms.CharField(
        label=_("Summary in Swedish"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    summary_en = forms.CharField(
        label=_("Summary in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.all())
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.all(), required=False)
    parent = forms.ModelChoiceField(
        label=_("Parent project"),
        queryset=Project.objects.order_by("name_fi", "pk"),
        required=False,
        help_text=_("For a pilot, its spearhead project; for a city's sub-project, its pilot."),
    )
    status = forms.ChoiceField(
        label=_("Lifecycle status"),
        choices=[("", _("From the implementation period")), *Project.Status.choices],
        required=False,
    )
    lead = forms.ModelChoiceField(label=_("Lead implementer"), queryset=Organisation.objects.all())
    lead_budget = AmountField(label=_("Lead implementer's sub-budget (EUR)"), required=False)
    cities = forms.ModelMultipleChoiceField(
        label=_("Other participating cities"),
        queryset=City.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The implementers' cities are included automatically."),
    )
    target_groups = forms.CharField(
        label=_("Target groups"),
        required=False,
        max_length=2000,
        help_text=_("Separate them with a semicolon, e.g. Yritykset; Nuoret."),
    )
    start_date = LenientDateField(
        label=_("Start date"), help_text=_("For example 1.1.2022 or 2022-01-01.")
    )
    end_date = LenientDateField(
        label=_("End date"), help_text=_("For example 31.12.2023 or 2023-12-31.")
    )
    total_cost = AmountField(
        label=_("Total cost estimate (EUR)"), help_text=_("For example 325 000 or 325000,50.")
    )

    def __init__(self, *args, project: Project | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None and project.pk:
            parent_field = self.fields["parent"]
            assert isinstance(parent_field, forms.ModelChoiceField)
            parent_field.queryset = parent_field.queryset.exclude(pk=project.pk)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must not be before the start date."))
        return data


class PartnerForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Co-implementer"), queryset=Organisation.objects.all()
    )
    budget = AmountField(label=_("Sub-budget (EUR)"), required=False)


class GrantForm(forms.Form):
    funder = forms.ModelChoiceField(label=_("Funder"), queryset=Organisation.objects.all())
    # An empty first choice: a browser sends a select's first option, and an extra (blank) row
    # whose instrument defaulted to a real one would count as filled in and be refused.
    instrument = forms.ChoiceField(
        label=_("Instrument"), choices=[*BLANK_CHOICE_DASH, *Instrument.choices]
    )
    amount = AmountField(label=_("Granted amount (EUR)"))


class ContributionForm(forms.Form):
    city = forms.ModelChoiceField(label=_("City"), queryset=City.objects.all())
    amount = AmountField(label=_("Own contribution (EUR)"))


PartnerFormSet = forms.formset_factory(PartnerForm, extra=2, can_delete=True)
GrantFormSet = forms.formset_factory(GrantForm, extra=1, can_delete=True)
ContributionFormSet = forms.formset_factory(ContributionForm, extra=2, can_delete=True)


class Difference(NamedTuple):
    """A line of the stale-save page: a field (or row set), the stored value and the editor's,
    as text."""

    name: str
    label: str
    saved: str
    yours: str

    @property
    def differs(self) -> bool:
        return self.saved != self.yours


def _shown(field: forms.Field, value: object) -> str:
    """A form value (as stored in ``initial`` or as cleaned) as the page shows it."""
    is_plain_choice = isinstance(field, forms.ChoiceField) and not isinstance(
        field, forms.ModelChoiceField
    )
    if value in (None, "", []) and not is_plain_choice:
        return ""
    if isinstance(field, forms.ModelMultipleChoiceField):
        items = value if isinstance(value, list | tuple) else list(value)  # type: ignore[call-overload]
        pks = [getattr(item, "pk", item) for item in items]
        return ", ".join(str(o) for o in field.queryset.filter(pk__in=pks))
    if isinstance(field, forms.ModelChoiceField):
        if isinstance(value, models.Model):
            return str(value)
        found = field.queryset.filter(pk=value).first()
        return str(found) if found is not None else str(value)
    if is_plain_choice:
        return str(dict(field.choices).get(value or "", value or ""))  # type: ignore[attr-defined]
    if isinstance(field, AmountField):
        return str(field.prepare_value(value))
    if isinstance(value, dt.date):
        return f"{value.day}.{value.month}.{value.year}"
    return str(value)


class ProjectEditor:
    """The project form with its three row sets, validated together: nothing is saved unless
    all of it is valid, and every message lands next to its field and in the summary."""

    def __init__(self, data=None, *, project: Project | None = None):
        self.project = project
        initial = self._initial(project) if data is None and project is not None else {}
        self.form = ProjectForm(data, initial=initial.get("form"), project=project)
        self.partners = PartnerFormSet(data, prefix="partners", initial=initial.get("partners"))
        self.grants = GrantFormSet(data, prefix="grants", initial=initial.get("grants"))
        self.contributions = ContributionFormSet(
            data, prefix="contributions", initial=initial.get("contributions")
        )
        self.formsets = {
            "partners": (self.partners, _("Co-implementers")),
            "grants": (self.grants, _("Grants")),
            "contributions": (self.contributions, _("Cities' own contributions")),
        }

    @staticmethod
    def _initial(project: Project) -> dict[str, object]:
        implementers = list(project.implementers.select_related("organisation"))
        lead = next((i for i in implementers if i.is_lead), None)
        return {
            "form": {
                "version": project.version,
                "code": project.code,
                "name_fi": project.name_fi,
                "name_sv": project.name_sv,
                "name_en": project.name_en,
                "summary_fi": project.summary_fi,
                "summary_sv": project.summary_sv,
                "summary_en": project.summary_en,
                "programme": project.programme_id,
                "theme": project.theme_id,
                "parent": project.parent_id,
                "status": project.status,
                "lead": lead.organisation_id if lead else None,
                "lead_budget": lead.budget if lead else None,
                "cities": list(project.cities.values_list("pk", flat=True)),
                "target_groups": "; ".join(project.target_groups.values_list("name", flat=True)),
                "start_date": project.start_date,
                "end_date": project.end_date,
                "total_cost": project.total_cost,
            },
            "partners": [
                {"organisation": i.organisation_id, "budget": i.budget}
                for i in implementers
                if not i.is_lead
            ],
            "grants": [
                {"funder": g.funder_id, "instrument": g.instrument, "amount": g.amount}
                for g in project.grants.all()
            ],
            "contributions": [
                {"city": c.city_id, "amount": c.amount} for c in project.city_contributions.all()
            ],
        }

    @staticmethod
    def _kept(form) -> bool:
        """A filled row that is not marked for removal (blank extra rows are ignored)."""
        return bool(form.cleaned_data) and not form.cleaned_data.get("DELETE")

    @classmethod
    def rows(cls, formset) -> list[dict]:
        return [f.cleaned_data for f in formset.forms if cls._kept(f)]

    def is_valid(self) -> bool:
        # every part is validated, so that all the messages show at once
        results = [self.form.is_valid()] + [fs.is_valid() for fs, _l in self.formsets.values()]
        if not all(results):
            return False
        data = self.form.cleaned_data
        lead = data["lead"]
        # the rows' values, taken before add_error drops a field from cleaned_data
        partners, grants, contributions = (
            [(f, dict(f.cleaned_data)) for f in fs.forms if self._kept(f)]
            for fs in (self.partners, self.grants, self.contributions)
        )
        seen: set = {lead.pk}
        for form, row in partners:
            if row["organisation"].pk in seen:
                form.add_error(
                    "organisation",
                    _("%(name)s is already an implementer of this project.")
                    % {"name": row["organisation"]},
                )
            seen.add(row["organisation"].pk)
        seen = set()
        for form, row in grants:
            if (row["funder"].pk, row["instrument"]) in seen:
                form.add_error(
                    "funder",
                    _("%(name)s already has a grant of this instrument here.")
                    % {"name": row["funder"]},
                )
            seen.add((row["funder"].pk, row["instrument"]))
        seen = set()
        for form, row in contributions:
            if row["city"].pk in seen:
                form.add_error("city", _("This city's contribution is already given above."))
            seen.add(row["city"].pk)
        total = data.get("total_cost") or Decimal(0)
        granted = sum((row["amount"] for _form, row in grants), Decimal(0))
        if granted > total:
            self.form.add_error(
                "total_cost",
                _(
                    "The grants add up to %(granted)s, more than the total cost estimate "
                    "%(total)s: raise the estimate or lower a granted amount."
                )
                % {"granted": eur(granted), "total": eur(total)},
            )
        rule = two_city_rule_problem(
            programme=data["programme"],
            organisations=[lead, *[row["organisation"] for _form, row in partners]],
        )
        if rule:
            self.partners.non_form_errors().append(rule)
        return not self.error_list()

    def add_service_error(self, exc: ValidationError) -> None:
        """A rule the service enforces, shown where it belongs."""
        if hasattr(exc, "error_dict") and "partners" in exc.error_dict:
            rest = dict(exc.error_dict)
            self.partners.non_form_errors().extend(ValidationError(rest.pop("partners")).messages)
            if not rest:
                return
            exc = ValidationError(rest)
        add_service_error(self.form, exc)

    def error_list(self) -> list[ErrorLine]:
        """Every message, in the order of the page, for the error summary."""
        errors = [ErrorLine("", "", str(m)) for m in self.form.non_field_errors()]
        for field in self.form:
            errors += [
                ErrorLine(field.id_for_label, str(field.label), str(m)) for m in field.errors
            ]
        return errors + _formset_errors(self.formsets)

    def comparison(self, saved: Project) -> list[Difference]:
        """The stored project beside what this editor sent, field by field and row set by row
        set, for the page that refuses a stale save. Only call after ``is_valid()``."""
        stored = self._initial(saved)
        stored_form = stored["form"]
        assert isinstance(stored_form, dict)
        lines = []
        for name, field in self.form.fields.items():
            if name == "version":
                continue
            theirs = _shown(field, stored_form.get(name))
            yours = _shown(field, self.form.cleaned_data.get(name))
            lines.append(Difference(name, str(field.label), theirs, yours))
        for prefix, (formset, legend) in self.formsets.items():
            fields = formset.empty_form.fields
            stored_rows = stored[prefix]
            assert isinstance(stored_rows, list)
            theirs = "\n".join(
                " · ".join(_shown(fields[n], row.get(n)) for n in fields if n != "DELETE")
                for row in stored_rows
            )
            yours = "\n".join(
                " · ".join(_shown(fields[n], row.get(n)) for n in fields if n != "DELETE")
                for row in self.rows(formset)
            )
            lines.append(Difference(prefix, str(legend), theirs, yours))
        return lines

    def spec(self) -> ProjectSpec:
        """Everything the page shows; what it does not show (actions, indicators, reports) is
        not part of a project's spec at all."""
        data = self.form.cleaned_data
        lead = data["lead"]
        return ProjectSpec(
            code=data["code"].strip(),
            name_fi=data["name_fi"].strip(),
            name_sv=data["name_sv"].strip(),
            name_en=data["name_en"].strip(),
            summary_fi=data["summary_fi"],
            summary_sv=data["summary_sv"],
            summary_en=data["summary_en"],
            programme=data["programme"],
            theme=data["theme"],
            parent=data["parent"],
            status=data["status"] or None,
            lead=lead,
            lead_budget=data["lead_budget"],
            partners=[(row["organisation"], row["budget"]) for row in self.rows(self.partners)],
            declared_cities=list(data["cities"]),
            target_groups=split_list(data["target_groups"]),
            start_date=data["start_date"],
            end_date=data["end_date"],
            total_cost=data["total_cost"] or Decimal(0),
            grants=[
                (row["funder"], row["instrument"], row["amount"]) for row in self.rows(self.grants)
            ],
            contributions=[(row["city"], row["amount"]) for row in self.rows(self.contributions)],
        )


class WorkVersionForm(forms.Form):
    """The version of the project the editor of its actions and indicators started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ActionForm(forms.Form):
    title = forms.CharField(
        label=_("Action"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    sub_actions = forms.CharField(
        label=_("Sub-actions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LONG_TEXT_MAX_LENGTH,
        help_text=_("One per line, in order."),
    )


class IndicatorForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    code = forms.CharField(label=_("Code"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=300)
    unit = forms.CharField(label=_("Unit"), max_length=50, help_text=_("For example kpl or hlö."))
    target = AmountField(label=_("Target"))


ActionFormSet = forms.formset_factory(ActionForm, extra=2, can_delete=True)
IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=2, can_delete=True)


class ProjectWorkEditor:
    """A project's actions (with their sub-actions) and indicators on one page, validated
    together like ProjectEditor: nothing is saved unless all of it is valid."""

    def __init__(self, data=None, *, project: Project):
        self.project = project
        initial = self._initial(project) if data is None else {}
        self.form = WorkVersionForm(data, initial=initial.get("form"))
        self.actions = ActionFormSet(data, prefix="actions", initial=initial.get("actions"))
        self.indicators = IndicatorFormSet(
            data, prefix="indicators", initial=initial.get("indicators")
        )
        self.formsets = {
            "actions": (self.actions, _("Actions")),
            "indicators": (self.indicators, _("Indicators")),
        }

    @staticmethod
    def _initial(project: Project) -> dict[str, object]:
        tops = project.actions.filter(parent__isnull=True).prefetch_related("sub_actions")
        return {
            "form": {"version": project.version},
            "actions": [
                {
                    "title": a.title_fi,
                    "sub_actions": "\n".join(s.title_fi or "" for s in a.sub_actions.all()),
                }
                for a in tops
            ],
            "indicators": [
                {
                    "id": i.pk,
                    "code": i.code,
                    "name": i.name_fi,
                    "unit": i.unit,
                    "target": i.target,
                }
                for i in project.indicators.all()
            ],
        }

    def is_valid(self) -> bool:
        results = [self.form.is_valid()] + [fs.is_valid() for fs, _l in self.formsets.values()]
        if not all(results):
            return False
        seen: set[str] = set()
        for form in self.indicators.forms:
            if not ProjectEditor._kept(form):
                continue
            code = form.cleaned_data["code"].strip()
            if code.casefold() in seen:
                form.add_error("code", _("Another indicator of this project has this code."))
            seen.add(code.casefold())
        return not self.error_list()

    def add_service_error(self, exc: ValidationError) -> None:
        add_service_error(self.form, exc)

    def error_list(self) -> list[ErrorLine]:
        errors = [ErrorLine("", "", str(m)) for m in self.form.non_field_errors()]
        errors += [
            ErrorLine("", "", str(m)) for f in self.form for m in f.errors
        ]  # the hidden version: only if tampered with
        return errors + _formset_errors(self.formsets)

    def actions_spec(self) -> list[ActionSpec]:
        return [
            ActionSpec(
                row["title"].strip(),
                tuple(line.strip() for line in row["sub_actions"].splitlines() if line.strip()),
            )
            for row in ProjectEditor.rows(self.actions)
        ]

    def indicators_spec(self) -> list[IndicatorSpec]:
        return [
            IndicatorSpec(
                code=row["code"].strip(),
                name=row["name"].strip(),
                unit=row["unit"].strip(),
                target=row["target"],
                pk=row["id"],
            )
            for row in ProjectEditor.rows(self.indicators)
        ]

    def comparison(self, saved: Project) -> list[Difference]:
        """The stored actions and indicators beside the editor's, for a stale save's page."""
        stored = self._initial(saved)

        def actions_text(rows) -> str:
            return "\n".join(
                " / ".join([r["title"], *[x for x in r["sub_actions"].splitlines() if x]])
                for r in rows
            )

        def indicators_text(rows) -> str:
            return "\n".join(
                f"{r['code']} {r['name']}: {AmountField().prepare_value(r['target'])} {r['unit']}"
                for r in rows
            )

        yours_actions = [
            {"title": a.title, "sub_actions": "\n".join(a.sub_titles)} for a in self.actions_spec()
        ]
        yours_indicators = [
            {"code": i.code, "name": i.name, "unit": i.unit, "target": i.target}
            for i in self.indicators_spec()
        ]
        stored_actions, stored_indicators = stored["actions"], stored["indicators"]
        return [
            Difference(
                "actions",
                str(_("Actions")),
                actions_text(stored_actions),
                actions_text(yours_actions),
            ),
            Difference(
                "indicators",
                str(_("Indicators")),
                indicators_text(stored_indicators),
                indicators_text(yours_indicators),
            ),
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8, comma or semicolon) or XLSX, with the columns listed below."),
    )

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        """The size, and that the contents are what the name says (``tables.check_upload``)."""
        file = self.cleaned_data["file"]
        if file.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 5 MB)."))
        check_upload(file, xlsx=True)
        return file


def _formset_errors(formsets: dict) -> list["ErrorLine"]:
    """The error summary's lines of an editor's bound formsets: each formset's own errors, then
    each row's field errors, named by the formset's legend and the row's number."""
    errors = []
    for prefix, (formset, legend) in formsets.items():
        if not formset.is_bound:
            continue
        errors += [
            ErrorLine(f"{prefix}-rows", str(legend), str(m)) for m in formset.non_form_errors()
        ]
        for number, form in enumerate(formset.forms, start=1):
            for field in form:
                errors += [
                    ErrorLine(field.id_for_label, f"{legend} {number}: {field.label}", str(m))
                    for m in field.errors
                ]
    return errors
