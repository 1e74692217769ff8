from django.urls import path

from grants import portal_views as views

app_name = "associations"

urlpatterns = [
    path("", views.home, name="home"),
    path("calendar/rotate/", views.calendar_rotate, name="calendar_rotate"),
    path("calls/", views.calls, name="calls"),
    path("calls/<int:pk>/", views.call, name="call"),
    path("calls/<int:pk>/apply/", views.apply, name="apply"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/edit/", views.edit, name="edit"),
    path("applications/<int:pk>/submit/", views.submit, name="submit"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment,
        name="attachment",
    ),
    path("applications/<int:pk>/documents/<int:document_pk>/", views.document, name="document"),
    path("applications/<int:pk>/report/", views.report, name="report"),
    path("applications/<int:pk>/rectification/", views.rectification, name="rectification"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
]
