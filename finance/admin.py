from django.contrib import admin

from finance.models import Payable, PaymentBatch
from workflow.admin import ReadOnlyAdmin


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "public_body", "execution_date", "created_by", "state", "sent_on"]


@admin.register(Payable)
class PayableAdmin(ReadOnlyAdmin):
    """Payables open with their subject's transitions; payments are recorded and reversed
    through the subject's `record_payment` and `reverse_payment` (the finance portal and
    API)."""

    list_display = [
        "payable_on",
        "decision_number",
        "title",
        "association",
        "amount",
        "public_body",
        "content_type",
        "object_id",
    ]
    list_filter = ["public_body"]
    list_select_related = ["association", "public_body", "content_type"]
    search_fields = ["decision_number", "title", "association__name"]
