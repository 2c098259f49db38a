"""/calls/: calls for proposals, applications, scoring and the evaluation summary."""

from django.urls import path

from . import views

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="list"),
    path("new/", views.call_create, name="create"),
    path("<int:pk>/", views.call_detail, name="detail"),
    path("<int:pk>/summary/", views.call_summary, name="summary"),
    path("<int:pk>/applications/new/", views.application_add, name="application_add"),
    path("<int:pk>/applications/import/", views.application_import, name="application_import"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/score/", views.application_score, name="score"),
    path("applications/<int:pk>/conflict/", views.application_conflict, name="conflict"),
    path("applications/<int:pk>/attachments/new/", views.attachment_add, name="attachment_add"),
    path(
        "applications/<int:pk>/agenda-item/",
        views.application_agenda_item,
        name="agenda_item",
    ),
    path("applications/<int:pk>/fund/", views.application_fund, name="fund"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
