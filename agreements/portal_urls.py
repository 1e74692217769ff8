from django.urls import path

from agreements.portal import detail, drafting, evaluations, home, meetings, versions

app_name = "partnerships"

urlpatterns = [
    path("", home.home, name="home"),
    path("new/", drafting.agreement_create, name="agreement_create"),
    path("<record:pk>/", detail.agreement_detail, name="agreement"),
    path("<record:pk>/actions/<slug:name>/", detail.agreement_action, name="agreement_action"),
    path(
        "<record:pk>/documents/<record:document_pk>/",
        detail.agreement_document,
        name="agreement_document",
    ),
    path("<record:pk>/attachments/", detail.attachment_add, name="attachment_add"),
    path("<record:pk>/attachments/<record:attachment_pk>/", detail.attachment, name="attachment"),
    path("<record:pk>/meetings/new/", meetings.meeting_add, name="meeting_add"),
    path(
        "<record:pk>/meetings/<record:meeting_pk>/record/",
        meetings.meeting_record,
        name="meeting_record",
    ),
    path("<record:pk>/meetings/<record:meeting_pk>/minutes/", meetings.minutes, name="minutes"),
    path("<record:pk>/versions/new/", drafting.version_draft, name="version_draft"),
    path("<record:pk>/versions/<record:number>/", versions.version_detail, name="version"),
    path("<record:pk>/versions/<record:number>/edit/", drafting.version_edit, name="version_edit"),
    path(
        "<record:pk>/versions/<record:number>/actions/<slug:name>/",
        versions.version_action,
        name="version_action",
    ),
    path(
        "<record:pk>/versions/<record:number>/comments/",
        versions.version_comment,
        name="version_comment",
    ),
    path(
        "<record:pk>/evaluations/<record:evaluation_pk>/",
        evaluations.evaluation_detail,
        name="evaluation",
    ),
    path(
        "<record:pk>/evaluations/<record:evaluation_pk>/actions/<slug:name>/",
        evaluations.evaluation_action,
        name="evaluation_action",
    ),
]
