from django.urls import path, re_path

from finance import views

app_name = "finance"

urlpatterns = [
    path("", views.home, name="home"),
    path("payables/<int:pk>/", views.payable, name="payable"),
    path("payables/<int:pk>/payment-form/", views.payment_form, name="payment_form"),
    path("payables/<int:pk>/reversals/", views.payment_reverse, name="payment_reverse"),
    path("paid/", views.paid, name="paid"),
    path("batches/", views.batches, name="batches"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("batches/<int:pk>/sent/", views.batch_mark_sent, name="batch_mark_sent"),
    re_path(
        r"^batches/(?P<pk>[0-9]+)/export/(?P<export_format>csv|xlsx|sepa)/$",
        views.batch_export,
        name="batch_export",
    ),
    path("documents/<int:pk>/download/", views.document_download, name="document"),
]
