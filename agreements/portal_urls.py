from django.urls import path, register_converter

from agreements import portal_views as views


class RecordId:
    """An id that fits a bigint: a longer number is a 404, never a database overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RecordId, "record")

app_name = "partnerships"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.agreement_create, name="agreement_create"),
    path("<record:pk>/", views.agreement_detail, name="agreement"),
    path("<record:pk>/actions/<slug:name>/", views.agreement_action, name="agreement_action"),
    path(
        "<record:pk>/documents/<record:document_pk>/",
        views.agreement_document,
        name="agreement_document",
    ),
    path("<record:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("<record:pk>/attachments/<record:attachment_pk>/", views.attachment, name="attachment"),
    path("<record:pk>/meetings/new/", views.meeting_add, name="meeting_add"),
    path(
        "<record:pk>/meetings/<record:meeting_pk>/record/",
        views.meeting_record,
        name="meeting_record",
    ),
    path("<record:pk>/meetings/<record:meeting_pk>/minutes/", views.minutes, name="minutes"),
    path("<record:pk>/versions/new/", views.version_draft, name="version_draft"),
    path("<record:pk>/versions/<record:number>/", views.version_detail, name="version"),
    path("<record:pk>/versions/<record:number>/edit/", views.version_edit, name="version_edit"),
    path(
        "<record:pk>/versions/<record:number>/actions/<slug:name>/",
        views.version_action,
        name="version_action",
    ),
    path(
        "<record:pk>/versions/<record:number>/comments/",
        views.version_comment,
        name="version_comment",
    ),
    path(
        "<record:pk>/evaluations/<record:evaluation_pk>/",
        views.evaluation_detail,
        name="evaluation",
    ),
    path(
        "<record:pk>/evaluations/<record:evaluation_pk>/actions/<slug:name>/",
        views.evaluation_action,
        name="evaluation_action",
    ),
]
