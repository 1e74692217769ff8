from django.urls import path, register_converter

from liaison import views


class RecordId:
    """An id that fits a bigint: a longer number is a 404, never a database overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RecordId, "liaison_id")

app_name = "liaison"

urlpatterns = [
    path("workbench/meetings/", views.workbench, name="workbench"),
    path("workbench/meetings/new/", views.plan, name="plan"),
    path("workbench/meetings/<liaison_id:pk>/", views.workbench_meeting, name="workbench_meeting"),
    path("workbench/meetings/<liaison_id:pk>/invite/", views.invite, name="invite"),
    path("workbench/meetings/<liaison_id:pk>/cancel/", views.cancel, name="cancel"),
    path("workbench/meetings/<liaison_id:pk>/record/", views.record, name="record"),
    path(
        "workbench/meetings/<liaison_id:pk>/matters/<liaison_id:matter_pk>/",
        views.respond,
        name="respond",
    ),
    path("association/meetings/", views.meetings, name="meetings"),
    path("association/meetings/<liaison_id:pk>/", views.meeting, name="meeting"),
    path("meetings/<liaison_id:pk>/minutes/", views.minutes, name="minutes"),
]
