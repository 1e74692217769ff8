"""The finance API: the inbox of payables, each payable with its ledger (payments and the
reversing entries that correct them), recording and reversing payments, payment batches, their
bank files and marking them as sent to the bank (which records their payments).

Only finance people (OfficialRole finance) get in (403 for everyone else); within it each sees
their own bodies' records, another body's payable or batch answers 404. The logic is in
finance.batches and finance.payables.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from documents.models import GeneratedDocument
from documents.spreadsheets import XLSX_CONTENT_TYPE
from finance import adjustments, batches, payables
from finance.models import Payable, Payment, PaymentBatch, PaymentBatchItem
from finance.reasons import CHANGES
from organisations.models import PublicBody
from workflow.api import ANY_ID, MAX_ID, parse_id

MONEY = {"max_digits": 12, "decimal_places": 2}


class IsFinance(permissions.BasePermission):
    message = "Only finance people may use the finance API."

    def has_permission(self, request: Request, view: Any) -> bool:
        return batches.is_finance_person(request.user)


def _absolute(request: Request | None, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


# --- the inbox ------------------------------------------------------------------------------


class PayableDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    language = serializers.CharField()
    version = serializers.IntegerField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, document: GeneratedDocument) -> str:
        path = reverse("document-download", kwargs={"pk": document.pk})
        return _absolute(self.context.get("request"), path)


class ReversalSerializer(serializers.Serializer):
    """The reversing entry that corrected a payment: who reversed it, when and why."""

    id = serializers.IntegerField()
    reversed_by = serializers.SerializerMethodField()
    reversed_at = serializers.DateTimeField(source="recorded_at")
    reason = serializers.CharField()

    def get_reversed_by(self, entry: Payment) -> str:
        return entry.recorded_by.display_name


class PaymentEntrySerializer(serializers.Serializer):
    """One entry of a payable's ledger: a payment (positive), or a reversing entry (negative,
    `reverses` naming the payment it cancels, with its reason). A reversed payment carries its
    `reversal`. `batch` and `batch_item` name the batch item a payment paid."""

    id = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)
    paid_on = serializers.DateField()
    reference = serializers.CharField()
    recorded_by = serializers.SerializerMethodField()
    recorded_at = serializers.DateTimeField()
    batch = serializers.IntegerField(source="batch_item.batch_id", allow_null=True)
    batch_item = serializers.IntegerField(source="batch_item_id", allow_null=True)
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)
    reason = serializers.CharField()
    reversal = ReversalSerializer(allow_null=True)

    def get_recorded_by(self, entry: Payment) -> str:
        return entry.recorded_by.display_name


class ReasonSerializer(serializers.Serializer):
    """Why a sum changed, as facts (finance.reasons): the kind of change and the amendment
    that made it (`version`), or the agreement's cancellation before its term (`cause`
    "cancellation", `decided_on` the day it was cancelled); a reduction's amounts before and
    after."""

    change = serializers.ChoiceField(choices=CHANGES)
    cause = serializers.CharField(required=False)
    number = serializers.CharField()
    version = serializers.IntegerField(required=False)
    decided_on = serializers.DateField()
    before = serializers.DecimalField(required=False, **MONEY)
    after = serializers.DecimalField(required=False, **MONEY)


class PayableSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="payable.pk")
    kind = serializers.CharField(source="payable.kind")
    subject_kind = serializers.CharField()
    subject_id = serializers.IntegerField(source="payable.object_id")
    public_body = serializers.IntegerField(source="payable.public_body_id")
    title = serializers.CharField(source="payable.title")
    association = serializers.CharField(source="payable.association.name")
    # None for an unregistered group (no business ID; paid to its responsible person).
    business_id = serializers.CharField(source="payable.association.business_id", allow_null=True)
    iban = serializers.CharField(source="payable.association.iban")
    decision_number = serializers.CharField(source="payable.decision_number")
    decided_on = serializers.DateField(source="payable.decided_on")
    payable_on = serializers.DateField(source="payable.payable_on")
    amount = serializers.DecimalField(source="payable.amount", **MONEY)
    # Why the sum is not simply the decision's, in the request's language, and as facts.
    reason = serializers.ListField(source="payable.reason_lines", child=serializers.CharField())
    reasons = ReasonSerializer(source="payable.reasons", many=True)
    paid = serializers.DecimalField(**MONEY)
    remaining = serializers.DecimalField(**MONEY)
    batches = serializers.ListField(source="batch_ids", child=serializers.IntegerField())
    documents = PayableDocumentSerializer(many=True)
    payments = PaymentEntrySerializer(many=True, source="entries")


class RecoveryClaimSerializer(serializers.Serializer):
    """A recovery claim: money the association owes back. `state` is "open" until what is
    claimed has been paid back ("paid_back"); `url` is the claim as a payable, where the money
    paid back is recorded (`POST {url}payments/`)."""

    id = serializers.IntegerField()
    state = serializers.SerializerMethodField()
    subject_kind = serializers.CharField(source="content_type.model")
    subject_id = serializers.IntegerField(source="object_id")
    public_body = serializers.IntegerField(source="public_body_id")
    association = serializers.CharField(source="association.name")
    business_id = serializers.CharField(source="association.business_id", allow_null=True)
    title = serializers.CharField()
    decision_number = serializers.CharField()
    claimed_on = serializers.DateField(source="payable_on")
    amount = serializers.DecimalField(**MONEY)
    paid_back = serializers.DecimalField(source="paid_amount", **MONEY)
    remaining = serializers.SerializerMethodField()
    reason = serializers.ListField(source="reason_lines", child=serializers.CharField())
    reasons = ReasonSerializer(many=True)
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=adjustments.CLAIM_STATES))
    def get_state(self, claim: Payable) -> str:
        return adjustments.claim_state(claim)

    @extend_schema_field(serializers.DecimalField(**MONEY))
    def get_remaining(self, claim: Payable) -> str:
        return f"{max(claim.amount - claim.paid_amount, Decimal(0)):.2f}"

    def get_url(self, claim: Payable) -> str:
        path = reverse("payable-detail", kwargs={"pk": claim.pk})
        return _absolute(self.context.get("request"), path)


class PaymentRecordSerializer(serializers.Serializer):
    amount = serializers.DecimalField(min_value=Decimal("0.01"), **MONEY)
    paid_on = serializers.DateField()
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class PaymentReverseSerializer(serializers.Serializer):
    """The payment to reverse and why (required: the reason is kept with the reversing
    entry and shown with it)."""

    payment_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class PayableViewSet(viewsets.GenericViewSet):
    """What your public bodies must pay now (a grant decision's money, an agreement's yearly
    instalment), oldest first, with what is left to pay, the ledger of payments and links to
    the documents. `GET {id}/` reads any payable of your bodies, paid or not. Record a payment
    with `POST {id}/payments/`; correct a wrong one with `POST {id}/reversals/`, which writes
    a reversing entry (a payment is never edited or deleted)."""

    permission_classes = [permissions.IsAuthenticated, IsFinance]
    serializer_class = PayableSerializer
    lookup_value_regex = ANY_ID

    def get_queryset(self):
        return batches.payable_inbox(self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            self.get_serializer(batches.inbox_rows(page, ledger=True), many=True).data
        )

    def _row(self, pk: str | None) -> batches.InboxRow:
        """One of the person's payables, paid or not, with its ledger; 404 otherwise."""
        payable_id = parse_id(pk)
        found = (
            batches.inbox_rows(
                batches.payables_for(self.request.user).filter(pk=payable_id), ledger=True
            )
            if payable_id is not None
            else []
        )
        if not found:
            raise Http404
        return found[0]

    def _perform(
        self,
        pk: str | None,
        body_class: type[serializers.Serializer],
        service: Callable[..., Payable],
    ) -> Response:
        """A payments service (finance.payables) on one of the person's payables, with the
        request's body as `body_class` checks it; the payable's row, with its ledger, as the
        answer. Another body's payable is a 404, as a missing one."""
        payable_id = parse_id(pk)
        if payable_id is None:
            raise Http404
        body = body_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        try:
            payable = service(payable_id, user=self.request.user, **body.validated_data)
        except Payable.DoesNotExist:
            raise Http404 from None
        return Response(self.get_serializer(self._row(str(payable.pk))).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=[*adjustments.CLAIM_STATES], required=False),
        ],
        responses={
            200: RecoveryClaimSerializer(many=True),
            400: OpenApiResponse(description="An unknown state"),
        },
    )
    @action(detail=False, methods=["get"], url_path="recovery-claims")
    def recovery_claims(self, request: Request) -> Response:
        """Recovery claims of your public bodies, the newest first: money an association owes
        back because an amendment lowered a year already paid. `?state=open` or
        `?state=paid_back` narrows them. Record money paid back on the claim as on any
        payable (`POST {id}/payments/`), not before the day it was claimed."""
        state = request.query_params.get("state", "")
        if state and state not in adjustments.CLAIM_STATES:
            raise serializers.ValidationError(
                {
                    "state": _("Choose one of: %(states)s.")
                    % {"states": ", ".join(adjustments.CLAIM_STATES)}
                }
            )
        page = self.paginate_queryset(adjustments.recovery_claims_for(request.user, state))
        return self.get_paginated_response(
            RecoveryClaimSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(
        responses={
            200: PayableSerializer,
            404: OpenApiResponse(description="Not a payable of your public bodies"),
        },
    )
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        """A payable of your public bodies, paid or not, with its whole ledger."""
        return Response(self.get_serializer(self._row(pk)).data)

    @extend_schema(
        request=PaymentRecordSerializer,
        responses={
            200: PayableSerializer,
            400: OpenApiResponse(description="Bad input; nothing saved"),
            404: OpenApiResponse(description="Not a payable of your public bodies"),
            409: OpenApiResponse(description="The record takes no payment now"),
        },
    )
    @action(detail=True, methods=["post"])
    def payments(self, request: Request, pk: str | None = None) -> Response:
        """Record a payment: the `record_payment` transition of the payable's subject. Answers
        the payable's row with what is paid and what is left (0.00 once paid in full)."""
        return self._perform(pk, PaymentRecordSerializer, payables.payment_record_for)

    @extend_schema(
        request=PaymentReverseSerializer,
        responses={
            200: PayableSerializer,
            400: OpenApiResponse(
                description="No reason, not a payment of this payable, a reversing entry, or "
                "a grant whose report is in; nothing saved"
            ),
            403: OpenApiResponse(description="Only finance reverses payments"),
            404: OpenApiResponse(description="Not a payable of your public bodies"),
            409: OpenApiResponse(description="The payment was already reversed"),
        },
    )
    @action(detail=True, methods=["post"])
    def reversals(self, request: Request, pk: str | None = None) -> Response:
        """Reverse a payment with a reason: the `reverse_payment` transition of the payable's
        subject writes a reversing entry (the negative amount, naming the payment), audited
        like every state change; what was paid is left to pay again. A payment is reversed
        once; a reversing entry is never reversed. Answers the payable's row."""
        return self._perform(pk, PaymentReverseSerializer, payables.payment_reverse_for)


# --- payment batches ------------------------------------------------------------------------


class PaymentBatchItemSerializer(serializers.ModelSerializer):
    # The payment recorded for the item when the batch was marked as sent (null before).
    payment = serializers.IntegerField(source="payment.pk", allow_null=True, read_only=True)

    class Meta:
        model = PaymentBatchItem
        fields = ["id", "payable", "payee", "business_id", "iban", "amount", "reference", "payment"]


class PaymentBatchSerializer(serializers.ModelSerializer):
    public_body_name = serializers.CharField(source="public_body.name", read_only=True)
    created_by = serializers.SerializerMethodField()
    sent_by = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()
    items = PaymentBatchItemSerializer(many=True, read_only=True)
    exports = serializers.SerializerMethodField()

    class Meta:
        model = PaymentBatch
        fields = [
            "id",
            "public_body",
            "public_body_name",
            "created_by",
            "created_at",
            "execution_date",
            "state",
            "sent_on",
            "sent_by",
            "sent_at",
            "total",
            "items",
            "exports",
        ]

    def get_created_by(self, batch: PaymentBatch) -> str:
        return batch.created_by.display_name

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_sent_by(self, batch: PaymentBatch) -> str | None:
        return batch.sent_by.display_name if batch.sent_by else None

    @extend_schema(responses=OpenApiTypes.DECIMAL)
    def get_total(self, batch: PaymentBatch) -> str:
        return f"{batches.batch_total(batch):.2f}"

    def get_exports(self, batch: PaymentBatch) -> dict[str, str]:
        path = reverse("payment-batch-export", kwargs={"pk": batch.pk})
        request = self.context.get("request")
        return {name: _absolute(request, f"{path}?format={name}") for name in batches.EXPORTS}


class PaymentBatchCreateSerializer(serializers.Serializer):
    public_body = serializers.PrimaryKeyRelatedField(queryset=PublicBody.objects.all())
    payables = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        allow_empty=False,
        max_length=1000,
    )
    execution_date = serializers.DateField()


class BatchMarkSentSerializer(serializers.Serializer):
    sent_on = serializers.DateField(
        help_text="The day the batch's file was sent to the bank: each item's payment is dated "
        "so. Not in the future, not before the batch was made."
    )


class PaymentBatchViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Payment batches of your public bodies: create one from payables in your inbox, export
    it for the bank (`export/?format=csv|xlsx|sepa`), then mark it as sent to the bank
    (`mark-sent/`), which records the payment of each item."""

    permission_classes = [permissions.IsAuthenticated, IsFinance]
    serializer_class = PaymentBatchSerializer
    lookup_value_regex = ANY_ID

    def get_queryset(self):
        return batches.batches_for(self.request.user)

    def perform_content_negotiation(self, request: Request, force: bool = False):
        # The export's `?format=` names a file format, not one of DRF's renderers.
        return super().perform_content_negotiation(request, force=force or self.action == "export")

    @extend_schema(
        request=PaymentBatchCreateSerializer,
        responses={
            201: PaymentBatchSerializer,
            400: OpenApiResponse(
                description="Bad input, or the body lacks what its payment file must state "
                "(`public_body` names it); nothing saved"
            ),
            403: OpenApiResponse(description="You do not handle this body's payments"),
        },
    )
    def create(self, request: Request) -> Response:
        body = PaymentBatchCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        batch = batches.payment_batch_create(
            user=request.user,
            public_body_id=body.validated_data["public_body"].pk,
            payable_ids=body.validated_data["payables"],
            execution_date=body.validated_data["execution_date"],
        )
        fresh = self.get_queryset().get(pk=batch.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=list(batches.EXPORTS), required=True),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
            (200, batches.SEPA_CONTENT_TYPE): OpenApiTypes.BINARY,
            400: OpenApiResponse(
                description="Unknown format, or the body lacks what the payment file must "
                "state (`public_body` names it)"
            ),
        },
    )
    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The batch as a file: CSV or XLSX for people, SEPA pain.001 XML for the bank."""
        batch = self.get_object()
        data, content_type, filename = batches.batch_export(
            batch, request.query_params.get("format", "")
        )
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @extend_schema(
        request=BatchMarkSentSerializer,
        responses={
            200: PaymentBatchSerializer,
            400: OpenApiResponse(description="A day in the future or before the batch was made"),
            403: OpenApiResponse(description="Only finance marks batches as sent"),
            404: OpenApiResponse(description="Not a batch of your public bodies"),
            409: OpenApiResponse(
                description="Already marked as sent, or an item can no longer be paid (the "
                "message names it); nothing recorded"
            ),
        },
    )
    @action(detail=True, methods=["post"], url_path="mark-sent")
    def mark_sent(self, request: Request, pk: str | None = None) -> Response:
        """Mark the batch as sent to the bank on `sent_on`: its `mark_sent` transition records
        the payment of every item (the subject's `record_payment`), dated `sent_on`, all of
        them or none. A batch is marked once."""
        batch_id = parse_id(pk)
        if batch_id is None:
            raise Http404
        body = BatchMarkSentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            batch = batches.payment_batch_mark_sent(
                user=request.user, batch_id=batch_id, sent_on=body.validated_data["sent_on"]
            )
        except PaymentBatch.DoesNotExist:
            raise Http404 from None
        fresh = self.get_queryset().get(pk=batch.pk)
        return Response(self.get_serializer(fresh).data)
