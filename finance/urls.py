from django.urls import path, re_path

from finance.views import batches, inbox, payments, recovery

app_name = "finance"

urlpatterns = [
    path("", inbox.home, name="home"),
    path("payables/<int:pk>/", payments.payable, name="payable"),
    path("payables/<int:pk>/payment-form/", payments.payment_form, name="payment_form"),
    path("payables/<int:pk>/reversals/", payments.payment_reverse, name="payment_reverse"),
    path("paid/", inbox.paid, name="paid"),
    path("recovery-claims/", recovery.claims, name="recovery_claims"),
    path("batches/", batches.batches, name="batches"),
    path("batches/new/", batches.batch_create, name="batch_create"),
    path("batches/<int:pk>/", batches.batch, name="batch"),
    path("batches/<int:pk>/sent/", batches.batch_mark_sent, name="batch_mark_sent"),
    re_path(
        r"^batches/(?P<pk>[0-9]+)/export/(?P<export_format>csv|xlsx|sepa)/$",
        batches.batch_export,
        name="batch_export",
    ),
    path("documents/<int:pk>/download/", inbox.document_download, name="document"),
]
