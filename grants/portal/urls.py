"""The grant pages of the association portal, in its namespace (`portal.urls` includes them)."""

from django.urls import path

from grants.portal import actions, application, application_form, calls, sending

urlpatterns = [
    path("calls/", calls.calls, name="calls"),
    path("calls/<int:pk>/", calls.call, name="call"),
    path("calls/<int:pk>/apply/", application_form.apply, name="apply"),
    path("calls/<int:pk>/copy/", sending.copy, name="copy"),
    path("applications/", application.applications, name="applications"),
    path("applications/<int:pk>/", application.application, name="application"),
    path("applications/<int:pk>/edit/", application_form.edit, name="edit"),
    path("applications/<int:pk>/check/", sending.check, name="check"),
    path("applications/<int:pk>/submit/", application_form.submit, name="submit"),
    path("applications/<int:pk>/receipt/", sending.receipt, name="receipt"),
    path("applications/<int:pk>/withdraw/", actions.withdraw, name="withdraw"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        application.attachment,
        name="attachment",
    ),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/",
        application.document,
        name="document",
    ),
    path("applications/<int:pk>/report/", actions.report, name="report"),
    path("applications/<int:pk>/rectification/", actions.rectification, name="rectification"),
]
