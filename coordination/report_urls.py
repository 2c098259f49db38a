"""/reports/: monitoring reports (report_views.py)."""

from django.urls import path

from . import report_views

app_name = "reports"

urlpatterns = [
    path("", report_views.reports, name="list"),
    path("<int:pk>/", report_views.report_detail, name="detail"),
    path("<int:pk>/status/", report_views.report_status, name="status"),
    path("<int:pk>/download/", report_views.report_download, name="download"),
    path("exports/", report_views.exports, name="exports"),
    path(
        "exports/<slug:what>.<slug:fmt>",
        report_views.export_download,
        name="export_download",
    ),
    path(
        "exports/organisations/import/",
        report_views.organisations_import,
        name="organisations_import",
    ),
]
