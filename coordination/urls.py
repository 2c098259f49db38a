from django.urls import path

from . import views

app_name = "coordination"

urlpatterns = [
    path("coordinators/", views.coordinators, name="coordinators"),
    path("coordinators/assign/", views.coordinator_assign, name="coordinator_assign"),
    path("coordinators/<int:pk>/end/", views.coordinator_end, name="coordinator_end"),
    path("coordinators/turns/add/", views.seat_turn_add, name="seat_turn_add"),
    path("cities/<slug:slug>/", views.city, name="city"),
    path("annual-clock/", views.annual_clock, name="annual_clock"),
    path("annual-clock.ics", views.annual_clock_ics, name="annual_clock_ics"),
    path("annual-clock/add/", views.clock_event_create, name="clock_event_create"),
    path("annual-clock/<int:pk>/edit/", views.clock_event_edit, name="clock_event_edit"),
    path("annual-clock/<int:pk>/delete/", views.clock_event_delete, name="clock_event_delete"),
    path("visitor-groups/", views.visitor_groups, name="visitor_groups"),
    path("visitor-groups/add/", views.visitor_group_create, name="visitor_group_create"),
    path("visitor-groups/<int:pk>/", views.visitor_group, name="visitor_group"),
    path("visitor-groups/<int:pk>/edit/", views.visitor_group_edit, name="visitor_group_edit"),
    path(
        "visitor-groups/<int:pk>/status/", views.visitor_group_status, name="visitor_group_status"
    ),
    path(
        "visitor-groups/<int:pk>/report/", views.visitor_group_report, name="visitor_group_report"
    ),
    path("events/", views.events, name="events"),
    path("events/add/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event, name="event"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/materials/add/", views.event_material_add, name="event_material_add"),
    path(
        "events/materials/<int:pk>/",
        views.event_material_download,
        name="event_material_download",
    ),
    path(
        "events/materials/<int:pk>/delete/",
        views.event_material_delete,
        name="event_material_delete",
    ),
    path("results/", views.results, name="results"),
    path("results/add/", views.result_create, name="result_create"),
    path("results/<int:pk>/edit/", views.result_edit, name="result_edit"),
    path("results/<int:pk>/delete/", views.result_delete, name="result_delete"),
    path("contacts/", views.contacts, name="contacts"),
    path("audit/", views.audit, name="audit"),
]
