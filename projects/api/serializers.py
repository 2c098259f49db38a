"""What each resource shows. Field lists are explicit: a new model field stays private until
somebody decides here that it is public."""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from governance.models import Body, Decision, Organisation, Person, Seat

from ..models import Instrument, Project

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class TranslatedTextSerializer(serializers.Serializer):
    """Schema of a text in the portal's languages; a missing translation is null."""

    fi = serializers.CharField(allow_null=True)
    sv = serializers.CharField(allow_null=True)
    en = serializers.CharField(allow_null=True)


@extend_schema_field(TranslatedTextSerializer)
class TranslatedField(serializers.Field):
    """``{"fi": ..., "sv": ..., "en": ...}`` from modeltranslation's ``<field>_<lang>``."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, instance):
        return {
            code: getattr(instance, f"{self.source}_{code}", None) or None
            for code in LANGUAGE_CODES
        }


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


@extend_schema_field(OpenApiTypes.URI)
class LinkField(serializers.Field):
    """An absolute link to an API resource by URL name and the object's primary key."""

    def __init__(self, view_name: str, pk_attr: str = "pk", **kwargs):
        self.view_name = view_name
        self.pk_attr = pk_attr
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return getattr(instance, self.pk_attr)

    def to_representation(self, pk):
        if pk is None:
            return None
        return _absolute(self.context.get("request"), reverse(self.view_name, args=[pk]))


class SlugLinkField(LinkField):
    """An absolute link to a resource identified by its slug."""

    def __init__(self, view_name: str, **kwargs):
        super().__init__(view_name, pk_attr="slug", **kwargs)


def _projects_link(serializer, parameter: str, value: str) -> str:
    url = reverse("api:project-list") + f"?{parameter}={value}"
    return _absolute(serializer.context.get("request"), url)


class CitySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    url = SlugLinkField("api:city-detail")
    name = TranslatedField()


class CityDetailSerializer(CitySerializer):
    projects = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_projects(self, obj) -> str:
        """The projects the city takes part in."""
        return _projects_link(self, "city", obj.slug)


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = LinkField("api:organisation-detail")
    name = serializers.CharField()


class OrganisationSerializer(serializers.ModelSerializer):
    url = LinkField("api:organisation-detail")
    city = CitySerializer(allow_null=True)
    projects = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["id", "url", "name", "kind", "business_id", "city", "projects"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_projects(self, obj) -> str:
        """The projects the organisation implements or funds, as a filtered project list."""
        url = reverse("api:project-list") + f"?organisation={obj.pk}"
        return _absolute(self.context.get("request"), url)


class ProgrammeSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    url = SlugLinkField("api:programme-detail")
    name = TranslatedField()
    kind = serializers.CharField(help_text="6aika (the two-city rule applies) or other")


class ProgrammeDetailSerializer(ProgrammeSerializer):
    projects = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_projects(self, obj) -> str:
        """The programme's projects."""
        return _projects_link(self, "programme", obj.slug)


class ThemeSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    url = SlugLinkField("api:theme-detail")
    name = TranslatedField()


class ThemeDetailSerializer(ThemeSerializer):
    projects = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_projects(self, obj) -> str:
        """The theme's projects."""
        return _projects_link(self, "theme", obj.slug)


class GrantSerializer(serializers.Serializer):
    funder = OrganisationRefSerializer()
    instrument = serializers.ChoiceField(choices=Instrument.choices)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class CityContributionSerializer(serializers.Serializer):
    city = CitySerializer()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class ImplementerSerializer(serializers.Serializer):
    organisation = OrganisationRefSerializer()
    is_lead = serializers.BooleanField()
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = TranslatedField()
    unit = serializers.CharField()
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    achieved = serializers.DecimalField(
        source="accepted_achieved",
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text="As stated by the latest accepted status report; null before any.",
    )
    achieved_period = serializers.CharField(
        source="accepted_period",
        allow_null=True,
        help_text="The reporting period of that accepted report.",
    )


class ProjectSerializer(serializers.ModelSerializer):
    url = LinkField("api:project-detail")
    code = serializers.SerializerMethodField()
    name = TranslatedField()
    summary = TranslatedField()
    programme = ProgrammeSerializer()
    theme = ThemeSerializer(allow_null=True)
    parent = LinkField("api:project-detail", pk_attr="parent_id", allow_null=True)
    funding_rate = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)
    grants = GrantSerializer(many=True)
    city_contributions = CityContributionSerializer(many=True)
    implementers = ImplementerSerializer(many=True)
    cities = CitySerializer(many=True)
    indicators = IndicatorSerializer(many=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "url",
            "code",
            "name",
            "summary",
            "programme",
            "theme",
            "parent",
            "status",
            "start_date",
            "end_date",
            "total_cost",
            "granted",
            "funding_rate",
            "grants",
            "city_contributions",
            "implementers",
            "cities",
            "indicators",
        ]

    def get_code(self, obj) -> str | None:
        """The EURA code (e.g. A70011), null until the project has one."""
        return obj.code or None


class PersonPublicSerializer(serializers.ModelSerializer):
    """A member or deputy as the bodies' page publishes them: name, title, organisation."""

    name = serializers.CharField(source="full_name")
    title = TranslatedField()
    organisation = OrganisationRefSerializer(allow_null=True)

    class Meta:
        model = Person
        fields = ["name", "title", "organisation"]


class SeatSerializer(serializers.ModelSerializer):
    label = TranslatedField()
    organisation = OrganisationRefSerializer(allow_null=True)
    member = PersonPublicSerializer(allow_null=True)
    deputy = PersonPublicSerializer(allow_null=True)

    class Meta:
        model = Seat
        fields = [
            "order",
            "role",
            "is_rotating",
            "label",
            "organisation",
            "member",
            "deputy",
            "term_start",
            "term_end",
        ]


class BodySerializer(serializers.ModelSerializer):
    url = LinkField("api:body-detail")
    name = TranslatedField()
    description = TranslatedField()
    seats = SeatSerializer(many=True)
    decisions = serializers.SerializerMethodField()

    class Meta:
        model = Body
        fields = ["id", "url", "kind", "name", "description", "seats", "decisions"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_decisions(self, obj) -> str:
        """The body's decisions in the public register."""
        url = reverse("api:decision-list") + f"?body={obj.kind}"
        return _absolute(self.context.get("request"), url)


class MeetingRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    minutes_pdf = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_minutes_pdf(self, meeting) -> str:
        url = reverse("meetings:minutes_pdf", args=[meeting.pk])
        return _absolute(self.context.get("request"), url)


class BodyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = LinkField("api:body-detail")
    kind = serializers.CharField()
    name = TranslatedField()


class DecisionSerializer(serializers.ModelSerializer):
    url = LinkField("api:decision-detail")
    body = BodyRefSerializer(source="agenda_item.meeting.body")
    meeting = MeetingRefSerializer(source="agenda_item.meeting")
    item_number = serializers.IntegerField(source="agenda_item.order")
    title = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "url",
            "body",
            "meeting",
            "item_number",
            "title",
            "outcome",
            "conditions",
            "text",
        ]

    @extend_schema_field(TranslatedTextSerializer)
    def get_title(self, decision) -> dict:
        return TranslatedField(source="title").to_representation(decision.agenda_item)


class LicenceSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.URLField()
    attribution = serializers.CharField()


class MetadataSerializer(serializers.Serializer):
    """Schema of the API root: licence, update time and links."""

    title = serializers.CharField()
    licence = LicenceSerializer()
    data_updated = serializers.DateTimeField(
        allow_null=True,
        help_text="The latest change the database records: a project saved, a status report "
        "accepted, minutes approved or corrected.",
    )
    resources = serializers.DictField(child=serializers.URLField())
    downloads = serializers.DictField(child=serializers.URLField())
    schema = serializers.URLField()
    documentation = serializers.URLField()
