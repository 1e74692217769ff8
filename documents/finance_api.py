"""The finance API: the inbox of payable decisions, payment batches and their bank files.

Only finance people (OfficialRole finance) get in (403 for everyone else); within it each sees
their own bodies' records, another body's batch answers 404. The logic is in documents.finance.
"""

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from documents import finance
from documents.models import GeneratedDocument, PaymentBatch, PaymentBatchItem
from grants.models import MONEY
from organisations.models import PublicBody


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
    application = serializers.IntegerField(source="application.pk")
    public_body = serializers.IntegerField(source="application.call.public_body_id")
    call = serializers.CharField(source="application.call.name")
    association = serializers.CharField(source="application.association.name")
    business_id = serializers.CharField(source="application.association.business_id")
    iban = serializers.CharField(source="application.association.iban")
    decision_number = serializers.CharField(source="application.decision_number")
    decided_on = serializers.SerializerMethodField()
    legally_valid_on = serializers.DateField(source="application.legally_valid_on")
    granted = serializers.DecimalField(source="application.granted_amount", **MONEY)
    paid = serializers.DecimalField(**MONEY)
    remaining = serializers.DecimalField(**MONEY)
    batches = serializers.ListField(source="batch_ids", child=serializers.IntegerField())
    documents = PayableDocumentSerializer(many=True)

    def get_decided_on(self, payable: finance.Payable) -> str:
        return timezone.localtime(payable.application.decided_at).date().isoformat()


class PayableViewSet(viewsets.GenericViewSet):
    """Legally valid decisions of your public bodies awaiting payment, oldest first, with what
    is left to pay and links to their documents. Record a payment with the application's
    `record_payment` transition."""

    permission_classes = [permissions.IsAuthenticated, IsFinance]
    serializer_class = PayableSerializer

    def get_queryset(self):
        return finance.payable_applications(self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            self.get_serializer(finance.payables(page), many=True).data
        )


# --- payment batches ------------------------------------------------------------------------


class PaymentBatchItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = PaymentBatchItem
        fields = ["application", "payee", "business_id", "iban", "amount", "reference"]


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
    applications = serializers.ListField(
        # Ids fit a bigint: a larger number is a 400, never a database overflow.
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        allow_empty=False,
        max_length=1000,
    )
    execution_date = serializers.DateField()


class PaymentBatchViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Payment batches of your public bodies: create one from payable applications, then
    export it for the bank (`export/?format=csv|xlsx|sepa`)."""

    permission_classes = [permissions.IsAuthenticated, IsFinance]
    serializer_class = PaymentBatchSerializer

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
            application_ids=body.validated_data["applications"],
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
            (200, finance.XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
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
