"""Query parameters of the API's lists (django-filter). The API's own parameter names are a
contract with the people who build on it, so they are declared here rather than borrowed from
the portal's list form, which may change with the page."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from governance.models import Body, City, Decision, Organisation

from ..models import Grant, Implementer, Instrument, Programme, Project, Theme
from . import selectors

# Dates in the API are ISO 8601 whatever the portal's language: 2025-12-31, not 31.12.2025.
ISO_DATE = ["%Y-%m-%d"]


class ProjectFilter(django_filters.FilterSet):
    city = django_filters.ModelChoiceFilter(
        label=_("City (identifier, e.g. tampere)"),
        queryset=City.objects.all(),
        to_field_name="slug",
        method="filter_city",
    )
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme (identifier, e.g. 6aika)"),
        queryset=Programme.objects.all(),
        to_field_name="slug",
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme (identifier)"), queryset=Theme.objects.all(), to_field_name="slug"
    )
    instrument = django_filters.ChoiceFilter(
        label=_("Funding instrument"), choices=Instrument.choices, method="filter_instrument"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Project.Status.choices)
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation (id) implementing or funding the project"),
        queryset=Organisation.objects.all(),
        method="filter_organisation",
    )
    code = django_filters.CharFilter(label=_("Project code, e.g. A70011"), field_name="code")
    active_from = django_filters.DateFilter(
        label=_("Active on or after this date (YYYY-MM-DD)"),
        method="filter_active_from",
        input_formats=ISO_DATE,
    )
    active_to = django_filters.DateFilter(
        label=_("Active on or before this date (YYYY-MM-DD)"),
        method="filter_active_to",
        input_formats=ISO_DATE,
    )

    class Meta:
        model = Project
        fields: list[str] = []

    # Multi-valued relations are filtered with EXISTS, so a project never appears twice.
    @extend_schema_field(OpenApiTypes.STR)
    def filter_city(self, queryset, name, value):
        through = Project.cities.through.objects.filter(project=OuterRef("pk"), city=value)
        return queryset.filter(Exists(through))

    def filter_instrument(self, queryset, name, value):
        grants = Grant.objects.filter(project=OuterRef("pk"), instrument=value)
        return queryset.filter(Exists(grants))

    @extend_schema_field(OpenApiTypes.INT)
    def filter_organisation(self, queryset, name, value):
        implements = Implementer.objects.filter(project=OuterRef("pk"), organisation=value)
        funds = Grant.objects.filter(project=OuterRef("pk"), funder=value)
        return queryset.filter(Exists(implements) | Exists(funds))

    # The period filters keep every project whose period overlaps [active_from, active_to];
    # an open end counts as still running.
    def filter_active_from(self, queryset, name, value):
        return queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=value))

    def filter_active_to(self, queryset, name, value):
        return queryset.filter(Q(start_date__isnull=True) | Q(start_date__lte=value))


class OrganisationFilter(django_filters.FilterSet):
    city = django_filters.ModelChoiceFilter(
        label=_("City (identifier)"), queryset=City.objects.all(), to_field_name="slug"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Organisation.Kind.choices)

    class Meta:
        model = Organisation
        fields: list[str] = []


class DecisionFilter(django_filters.FilterSet):
    """The register page's search, applied by the register's own selector."""

    q = django_filters.CharFilter(label=_("Search in titles and decision texts"), method="keep")
    body = django_filters.ModelChoiceFilter(
        label=_("Body (board or steering_group)"),
        queryset=Body.objects.all(),
        to_field_name="kind",
        method="keep_body",
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"), choices=Decision.Outcome.choices, method="keep"
    )
    date_from = django_filters.DateFilter(
        label=_("Meetings on or after this date (YYYY-MM-DD)"),
        method="keep",
        input_formats=ISO_DATE,
    )
    date_to = django_filters.DateFilter(
        label=_("Meetings on or before this date (YYYY-MM-DD)"),
        method="keep",
        input_formats=ISO_DATE,
    )

    class Meta:
        model = Decision
        fields: list[str] = []

    def keep(self, queryset, name, value):
        return queryset  # applied together in filter_queryset

    @extend_schema_field({"type": "string", "enum": list(Body.Kind.values)})
    def keep_body(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.decisions_register(
            within=queryset,
            q=(data.get("q") or "").strip(),
            body=data.get("body"),
            outcome=data.get("outcome") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
