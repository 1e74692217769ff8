"""The finance API: the inbox of payables, recording their payments, payment batches and their
bank files.

Only finance people (OfficialRole finance) get in (403 for everyone else); within it each sees
their own bodies' records, another body's payable or batch answers 404. The logic is in
documents.finance and documents.payables.
"""

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from documents import finance, payables
from documents.exports import XLSX_CONTENT_TYPE
from documents.models import GeneratedDocument, Payable, PaymentBatch, PaymentBatchItem
from organisations.models import PublicBody
from workflow.api import ANY_ID, MAX_ID, parse_id

MONEY = {"max_digits": 12, "decimal_places": 2}


class IsFinance(permissions.BasePermission):
    message = "Only finance people may use the finance API."

    def has_permission(self, request: Request, view: Any) -> bool:
        return finance.is_finance_person(request.user)


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


class PayableSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="payable.pk")
    subject_kind = serializers.CharField()
    subject_id = serializers.IntegerField(source="payable.object_id")
    public_body = serializers.IntegerField(source="payable.public_body_id")
    title = serializers.CharField(source="payable.title")
    association = serializers.CharField(source="payable.association.name")
    business_id = serializers.CharField(source="payable.association.business_id")
    iban = serializers.CharField(source="payable.association.iban")
    decision_number = serializers.CharField(source="payable.decision_number")
    decided_on = serializers.DateField(source="payable.decided_on")
    payable_on = serializers.DateField(source="payable.payable_on")
    amount = serializers.DecimalField(source="payable.amount", **MONEY)
    paid = serializers.DecimalField(**MONEY)
    remaining = serializers.DecimalField(**MONEY)
    batches = serializers.ListField(source="batch_ids", child=serializers.IntegerField())
    documents = PayableDocumentSerializer(many=True)


class PaymentRecordSerializer(serializers.Serializer):
    amount = serializers.DecimalField(min_value=Decimal("0.01"), **MONEY)
    paid_on = serializers.DateField()
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class PayableViewSet(viewsets.GenericViewSet):
    """What your public bodies must pay now (a grant decision's money, an agreement's yearly
    instalment), oldest first, with what is left to pay and links to the documents. Record a
    payment with `POST {id}/payments/`."""

    permission_classes = [permissions.IsAuthenticated, IsFinance]
    serializer_class = PayableSerializer
    lookup_value_regex = ANY_ID

    def get_queryset(self):
        return finance.payable_inbox(self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            self.get_serializer(finance.inbox_rows(page), many=True).data
        )

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
        payable_id = parse_id(pk)
        if payable_id is None:
            raise Http404
        body = PaymentRecordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            payable = payables.payment_record_for(
                payable_id, user=request.user, **body.validated_data
            )
        except Payable.DoesNotExist:
            raise Http404 from None
        (row,) = finance.inbox_rows(finance.payables_for(request.user).filter(pk=payable.pk))
        return Response(self.get_serializer(row).data)


# --- payment batches ------------------------------------------------------------------------


class PaymentBatchItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = PaymentBatchItem
        fields = ["payable", "payee", "business_id", "iban", "amount", "reference"]


class PaymentBatchSerializer(serializers.ModelSerializer):
    public_body_name = serializers.CharField(source="public_body.name", read_only=True)
    created_by = serializers.SerializerMethodField()
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
            "total",
            "items",
            "exports",
        ]

    def get_created_by(self, batch: PaymentBatch) -> str:
        return batch.created_by.get_full_name() or batch.created_by.username

    @extend_schema(responses=OpenApiTypes.DECIMAL)
    def get_total(self, batch: PaymentBatch) -> str:
        return f"{finance.batch_total(batch):.2f}"

    def get_exports(self, batch: PaymentBatch) -> dict[str, str]:
        path = reverse("payment-batch-export", kwargs={"pk": batch.pk})
        request = self.context.get("request")
        return {name: _absolute(request, f"{path}?format={name}") for name in finance.EXPORTS}


class PaymentBatchCreateSerializer(serializers.Serializer):
    public_body = serializers.PrimaryKeyRelatedField(queryset=PublicBody.objects.all())
    payables = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        allow_empty=False,
        max_length=1000,
    )
    execution_date = serializers.DateField()


class PaymentBatchViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Payment batches of your public bodies: create one from payables in your inbox, then
    export it for the bank (`export/?format=csv|xlsx|sepa`)."""

    permission_classes = [permissions.IsAuthenticated, IsFinance]
    serializer_class = PaymentBatchSerializer
    lookup_value_regex = ANY_ID

    def get_queryset(self):
        return finance.batches_for(self.request.user)

    def perform_content_negotiation(self, request: Request, force: bool = False):
        # The export's `?format=` names a file format, not one of DRF's renderers.
        return super().perform_content_negotiation(request, force=force or self.action == "export")

    @extend_schema(
        request=PaymentBatchCreateSerializer,
        responses={
            201: PaymentBatchSerializer,
            400: OpenApiResponse(description="Bad input; nothing saved"),
            403: OpenApiResponse(description="You do not handle this body's payments"),
        },
    )
    def create(self, request: Request) -> Response:
        body = PaymentBatchCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        batch = finance.payment_batch_create(
            user=request.user,
            public_body_id=body.validated_data["public_body"].pk,
            payable_ids=body.validated_data["payables"],
            execution_date=body.validated_data["execution_date"],
        )
        fresh = self.get_queryset().get(pk=batch.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=list(finance.EXPORTS), required=True),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
            (200, finance.SEPA_CONTENT_TYPE): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="Unknown format"),
        },
    )
    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The batch as a file: CSV or XLSX for people, SEPA pain.001 XML for the bank."""
        batch = self.get_object()
        data, content_type, filename = finance.batch_export(
            batch, request.query_params.get("format", "")
        )
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
