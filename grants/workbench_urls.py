from django.urls import path

from grants import workbench_views

app_name = "officials"

urlpatterns = [
    path("", workbench_views.home, name="home"),
    path("applications/", workbench_views.applications, name="applications"),
    path("applications/<int:pk>/", workbench_views.application, name="application"),
    path(
        "applications/<int:pk>/actions/<slug:name>/",
        workbench_views.application_action,
        name="application-action",
    ),
    path(
        "applications/<int:pk>/disqualification/",
        workbench_views.application_disqualification,
        name="application-disqualification",
    ),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        workbench_views.attachment,
        name="attachment",
    ),
    path("documents/<int:pk>/", workbench_views.document, name="document"),
    path("letters/", workbench_views.letters, name="letters"),
    path("deadlines/", workbench_views.deadlines, name="deadlines"),
    path("calls/", workbench_views.calls, name="calls"),
    path("calls/<int:pk>/", workbench_views.call, name="call"),
    path("dashboard/", workbench_views.dashboard, name="dashboard"),
]
