"""/api/v1/: the open-data API (included from sixaika/urls.py under the ``api`` namespace)."""

from django.urls import include, path, re_path
from rest_framework.routers import SimpleRouter

from . import downloads, views

app_name = "api"

router = SimpleRouter()
router.register("projects", views.ProjectViewSet, basename="project")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("bodies", views.BodyViewSet, basename="body")
router.register("decisions", views.DecisionViewSet, basename="decision")
router.register("cities", views.CityViewSet, basename="city")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("themes", views.ThemeViewSet, basename="theme")

_datasets = "|".join(downloads.DATASETS)
_formats = "|".join(downloads.FORMATS)

urlpatterns = [
    path("", views.RootView.as_view(), name="root"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    re_path(
        rf"^downloads/(?P<dataset>{_datasets})\.(?P<fmt>{_formats})$",
        views.DownloadView.as_view(),
        name="download",
    ),
    path("", include(router.urls)),
]
