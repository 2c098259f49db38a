"""The API's endpoints: read-only viewsets over the selectors, the metadata root, the bulk
downloads and the documentation page. Thin: each one reads through ``selectors`` and
renders through ``serializers``; nothing here decides on its own what is public."""

from django.core.paginator import Paginator as DjangoPaginator
from django.http import HttpResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from core.page_cache import public_data

from . import downloads, filters, rows, selectors, serializers
from .conditional import conditional_response

LICENCE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "6Aika – Kuutoskaupunkien strategia",
}


class ConditionalMixin:
    """ETag, Last-Modified and 304 on every successful GET (see ``conditional``)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return conditional_response(request, response)


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class CountedPaginator(DjangoPaginator):
    """Counts the projects through ``selectors.projects_count`` (cached until they change)."""

    @cached_property
    def count(self) -> int:
        return selectors.projects_count(self.object_list)


class ProjectPagination(Pagination):
    django_paginator_class = CountedPaginator


class PublicViewSet(ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]


@extend_schema(tags=["projects"])
class ProjectViewSet(PublicViewSet):
    """The funded portfolio: funding by funder and instrument, implementers, cities, period,
    programme, theme, status, and indicators' targets with the values accepted status reports
    have reported. Ordered by id, so pages stay put while projects are added."""

    queryset = selectors.projects_public()
    serializer_class = serializers.ProjectSerializer
    filterset_class = filters.ProjectFilter
    pagination_class = ProjectPagination

    def list(self, request: Request, *args, **kwargs) -> HttpResponse:
        """Pages of plain values (``rows``): the serializer's JSON at a fraction of its cost,
        kept until the portfolio's data changes (core/page_cache.py: the URL holds the page,
        its size and filters; projects, funders and cities)."""
        renderer, media_type = request.accepted_renderer, request.accepted_media_type
        content = public_data(
            request,
            ("projects", "governance"),
            lambda: renderer.render(self._page_data(), media_type, self.get_renderer_context()),
            also=media_type,
        )
        # What Response would make of the same data: its content type, without a charset
        # (JSON's is UTF-8 by definition); the view's Allow and Vary are added to either.
        charset = f"; charset={renderer.charset}" if renderer.charset else ""
        return HttpResponse(content, content_type=f"{media_type}{charset}")

    def _page_data(self) -> dict:
        queryset = selectors.projects_public_values(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(queryset)
        ids = [row["id"] for row in page]
        related = selectors.project_relations_values(ids)
        return self.get_paginated_response(rows.project_rows(self.request, page, related)).data


@extend_schema(tags=["organisations"])
class OrganisationViewSet(PublicViewSet):
    """Organisations: implementers, funders and those represented in the bodies."""

    queryset = selectors.organisations_public()
    serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.OrganisationFilter


@extend_schema(tags=["bodies"])
class BodyViewSet(PublicViewSet):
    """The board (johtoryhmä) and the steering group (ohjausryhmä) with their seats: the
    published names, titles and organisations of members and personal deputies."""

    queryset = selectors.bodies_public()
    serializer_class = serializers.BodySerializer


@extend_schema(tags=["decisions"])
class DecisionViewSet(PublicViewSet):
    """The public decision register: decisions of approved minutes only, oldest first."""

    queryset = selectors.decisions_register()
    serializer_class = serializers.DecisionSerializer
    filterset_class = filters.DecisionFilter


class ReferenceViewSet(PublicViewSet):
    """Identifiers the project filters take, each with a link to its projects."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"


@extend_schema(tags=["reference"])
class CityViewSet(ReferenceViewSet):
    """The six cities; ``slug`` is what the ``city`` filters take."""

    queryset = selectors.cities_public()
    serializer_class = serializers.CityDetailSerializer


@extend_schema(tags=["reference"])
class ProgrammeViewSet(ReferenceViewSet):
    """Funding programmes; ``slug`` is what the ``programme`` filter takes."""

    queryset = selectors.programmes_public()
    serializer_class = serializers.ProgrammeDetailSerializer


@extend_schema(tags=["reference"])
class ThemeViewSet(ReferenceViewSet):
    """Themes of the strategy; ``slug`` is what the ``theme`` filter takes."""

    queryset = selectors.themes_public()
    serializer_class = serializers.ThemeDetailSerializer


class RootView(ConditionalMixin, APIView):
    """The API's metadata: licence, when the data last changed, and where everything is."""

    @extend_schema(
        tags=["metadata"],
        responses={200: serializers.MetadataSerializer},
        operation_id="metadata",
    )
    def get(self, request: Request) -> Response:
        updated = selectors.data_updated()

        def link(name: str, **kwargs) -> str:
            return reverse(name, request=request, kwargs=kwargs or None)

        return Response(
            {
                "title": str(_("6Aika open data")),
                "licence": LICENCE,
                "data_updated": updated.isoformat() if updated else None,
                "resources": {
                    "projects": link("api:project-list"),
                    "organisations": link("api:organisation-list"),
                    "bodies": link("api:body-list"),
                    "decisions": link("api:decision-list"),
                    "cities": link("api:city-list"),
                    "programmes": link("api:programme-list"),
                    "themes": link("api:theme-list"),
                },
                "downloads": {
                    f"{dataset}.{fmt}": link("api:download", dataset=dataset, fmt=fmt)
                    for dataset in downloads.DATASETS
                    for fmt in downloads.FORMATS
                },
                "schema": link("api:schema"),
                "documentation": link("api:docs"),
            }
        )


class DownloadView(ConditionalMixin, APIView):
    """A whole dataset in one file, CSV or JSON, with the licence and the update time."""

    @extend_schema(
        tags=["downloads"],
        operation_id="download",
        parameters=[
            OpenApiParameter("dataset", str, OpenApiParameter.PATH, enum=list(downloads.DATASETS)),
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(downloads.FORMATS)),
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(response=OpenApiTypes.STR),
            (200, "application/json"): OpenApiResponse(response=OpenApiTypes.OBJECT),
        },
    )
    def get(self, request: Request, dataset: str, fmt: str):
        return downloads.response(request, dataset=dataset, fmt=fmt, licence=LICENCE)


class SchemaView(ConditionalMixin, SpectacularAPIView):
    pass


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the vendored sidecar files, its start-up script served as a file of
    its own (``?script``) and no inline style, so it runs under the portal's CSP."""

    template_name = "open_data_api/swagger_ui.html"
    url_name = "api:schema"
    title = _("6Aika open data API")
