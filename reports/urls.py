"""/reports/: monitoring reports (views.py)."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.reports, name="list"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/status/", views.report_status, name="status"),
    path("<int:pk>/download/", views.report_download, name="download"),
    path("exports/", views.exports, name="exports"),
    path(
        "exports/<slug:what>.<slug:fmt>",
        views.export_download,
        name="export_download",
    ),
    path(
        "exports/organisations/import/",
        views.organisations_import,
        name="organisations_import",
    ),
]
