"""Meetings (members of the bodies and the strategy office) and the public decision register."""

from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meetings, name="list"),
    path("meetings/new/", views.meeting_create, name="create"),
    path("meetings/next/", views.meeting_next, name="next"),
    path("meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path("meetings/<int:pk>/items/new/", views.agenda_item_add, name="item_add"),
    path(
        "meetings/<int:pk>/items/<int:item_pk>/decision/",
        views.item_decision,
        name="item_decision",
    ),
    path(
        "meetings/<int:pk>/items/<int:item_pk>/conflict/",
        views.conflict_declare,
        name="conflict_declare",
    ),
    path(
        "meetings/<int:pk>/items/<int:item_pk>/conflicts/new/",
        views.conflict_record,
        name="conflict_record",
    ),
    path(
        "meetings/<int:pk>/items/<int:item_pk>/conflicts/<int:conflict_pk>/resolve/",
        views.conflict_resolve,
        name="conflict_resolve",
    ),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:pk>/pack-read/", views.pack_read, name="pack_read"),
    path("meetings/<int:pk>/minutes/", views.minutes_action, name="minutes_action"),
    path("meetings/<int:pk>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("decisions/", views.decisions, name="decisions"),
]
