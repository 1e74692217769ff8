from django.urls import path

from liaison import views

app_name = "liaison"

urlpatterns = [
    path("workbench/meetings/", views.workbench, name="workbench"),
    path("workbench/meetings/new/", views.plan, name="plan"),
    path("workbench/meetings/<record:pk>/", views.workbench_meeting, name="workbench_meeting"),
    path("workbench/meetings/<record:pk>/invite/", views.invite, name="invite"),
    path("workbench/meetings/<record:pk>/cancel/", views.cancel, name="cancel"),
    path("workbench/meetings/<record:pk>/record/", views.record, name="record"),
    path(
        "workbench/meetings/<record:pk>/matters/<record:matter_pk>/",
        views.respond,
        name="respond",
    ),
    path("association/meetings/", views.meetings, name="meetings"),
    path("association/meetings/<record:pk>/", views.meeting, name="meeting"),
    path("meetings/<record:pk>/minutes/", views.minutes, name="minutes"),
]
