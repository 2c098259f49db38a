from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("export/", views.project_export, name="export"),
    path("new/", views.project_create, name="create"),
    path("flagged/", views.flagged, name="flagged"),
    path("import/", views.project_import, name="import"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/work/", views.project_work, name="work"),
    path("<int:pk>/reports/start/", views.report_start, name="report_start"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/export/", views.report_export, name="report_export"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/transition/", views.report_transition, name="report_transition"),
    path("reports/<int:pk>/history/", views.report_history, name="report_history"),
]
