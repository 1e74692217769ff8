from django.urls import path, re_path

from grants.workbench import application, dashboard, indicators, lists, queue, round

app_name = "officials"

urlpatterns = [
    path("", queue.home, name="home"),
    path("applications/", lists.applications, name="applications"),
    path("applications/<int:pk>/", application.application, name="application"),
    path(
        "applications/<int:pk>/actions/<slug:name>/",
        application.application_action,
        name="application-action",
    ),
    path(
        "applications/<int:pk>/disqualification/",
        application.application_disqualification,
        name="application-disqualification",
    ),
    path(
        "applications/<int:pk>/in-kind/",
        application.application_in_kind,
        name="application-in-kind",
    ),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        application.attachment,
        name="attachment",
    ),
    path("documents/<int:pk>/", application.document, name="document"),
    path("letters/", lists.letters, name="letters"),
    path("deadlines/", lists.deadlines, name="deadlines"),
    path("calls/", lists.calls, name="calls"),
    path("calls/<int:pk>/", lists.call, name="call"),
    path("calls/<int:pk>/round/", round.round_page, name="round"),
    re_path(
        r"^calls/(?P<pk>[0-9]+)/round/(?P<decision_pk>[0-9]+)/list-(?P<language>fi|sv)\.csv$",
        round.decision_list,
        name="round-decision-list",
    ),
    re_path(
        r"^calls/(?P<pk>[0-9]+)/round/export\.(?P<kind>csv|xlsx)$",
        round.export,
        name="round-export",
    ),
    re_path(
        r"^calls/(?P<pk>[0-9]+)/round/(?P<decision_pk>[0-9]+)/list-(?P<language>fi|sv)\.docx$",
        round.decision_list_document,
        name="round-decision-list-document",
    ),
    path(
        "calls/<int:pk>/round/<int:decision_pk>/notify/",
        round.round_notify,
        name="round-notify",
    ),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("indicators/", indicators.indicators_page, name="indicators"),
]
