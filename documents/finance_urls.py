from django.urls import path, re_path

from documents import finance_views

app_name = "finance"

urlpatterns = [
    path("", finance_views.home, name="home"),
    path("payables/<int:pk>/", finance_views.payable, name="payable"),
    path("payables/<int:pk>/payment-form/", finance_views.payment_form, name="payment_form"),
    path("payables/<int:pk>/reversals/", finance_views.payment_reverse, name="payment_reverse"),
    path("paid/", finance_views.paid, name="paid"),
    path("batches/", finance_views.batches, name="batches"),
    path("batches/new/", finance_views.batch_create, name="batch_create"),
    path("batches/<int:pk>/", finance_views.batch, name="batch"),
    path("batches/<int:pk>/sent/", finance_views.batch_mark_sent, name="batch_mark_sent"),
    re_path(
        r"^batches/(?P<pk>[0-9]+)/export/(?P<export_format>csv|xlsx|sepa)/$",
        finance_views.batch_export,
        name="batch_export",
    ),
    path("documents/<int:pk>/download/", finance_views.document_download, name="document"),
]
