from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from application_forms.models import FormVersion
from application_forms.schema import json_schema
from finance.api import PaymentReverseSerializer
from finance.models import Payment
from grants.models import (
    Application,
    Attachment,
    BudgetLine,
    Call,
    Channel,
    Outcome,
)
from workflow.api import AvailableTransitionsField, FileAttachmentSerializer
from workflow.rectification import RectificationOutcome

MONEY = {"max_digits": 12, "decimal_places": 2}


class CallSerializer(serializers.ModelSerializer):
    public_body = serializers.StringRelatedField()
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "id",
            "name",
            "category",
            "description",
            "public_body",
            "opens_at",
            "closes_at",
            "is_open",
            "budget",
            "max_per_application",
            "report_due_on",
            "report_due_days",
        ]

    def get_is_open(self, call: Call) -> bool:
        return call.is_open()


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": True,
        "description": "The answers to the call's form, by question key, as its JSON Schema "
        "says (`GET /api/v1/calls/{id}/form/`). A draft's may be incomplete; sending requires "
        "every question that applies. Refused answers are a 400 "
        '`{"answers": {"<path>": ["message"]}}`, the path naming the question ("events.3.name").',
    }
)
class AnswersField(serializers.JSONField):
    pass


class FormVersionSerializer(serializers.ModelSerializer):
    """The version of a call's form new applications are started on, with its JSON Schema."""

    name = serializers.CharField(source="definition.name", read_only=True)
    version = serializers.IntegerField(source="number", read_only=True)
    content = serializers.SerializerMethodField()
    schema = serializers.SerializerMethodField()

    class Meta:
        model = FormVersion
        fields = ["id", "name", "version", "content", "schema"]

    @extend_schema_field(
        {
            "type": "object",
            "additionalProperties": True,
            "description": "The form's sections and fields, with labels in fi, sv and en.",
        }
    )
    def get_content(self, version: FormVersion) -> dict:
        return version.content

    @extend_schema_field(
        {
            "type": "object",
            "additionalProperties": True,
            "description": "The JSON Schema (draft 2020-12) a complete application's answers "
            "meet; `x-show-if` and `x-require-if` name the conditions checked beside it.",
        }
    )
    def get_schema(self, version: FormVersion) -> dict:
        return json_schema(version.content)


class BudgetLineSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(min_value=Decimal("0.01"), **MONEY)

    class Meta:
        model = BudgetLine
        fields = ["description", "amount"]


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["amount", "paid_on", "reference"]


class ApplicationSerializer(serializers.ModelSerializer):
    budget_lines = BudgetLineSerializer(many=True, required=False, max_length=500)
    answers = AnswersField(required=False)
    requested_amount = serializers.DecimalField(min_value=Decimal("0.01"), **MONEY)
    available_transitions = AvailableTransitionsField()
    payments = PaymentSerializer(many=True, read_only=True)
    paid_total = serializers.DecimalField(read_only=True, **MONEY)
    # Blank until decided and notified. Declared here because DRF drops `allow_blank` from a
    # read-only model field, and the schema would then refuse the "" the API answers with.
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True, read_only=True)
    notification_channel = serializers.ChoiceField(
        choices=Channel.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "call",
            "association",
            "state",
            "available_transitions",
            "requested_amount",
            "purpose",
            "budget_lines",
            "form_version",
            "answers",
            "created_at",
            "submitted_at",
            "completion_request",
            "completion_due_on",
            "outcome",
            "granted_amount",
            "reasons",
            "conditions",
            "decided_at",
            "notified_on",
            "notification_channel",
            "deemed_received_on",
            "appeal_ends_on",
            "legally_valid_on",
            "payments",
            "paid_total",
            "report_due_on",
        ]
        read_only_fields = [
            f
            for f in fields
            if f
            not in {"call", "association", "requested_amount", "purpose", "budget_lines", "answers"}
        ]

    def validate(self, attrs):
        if self.instance is not None:
            for field in ("call", "association"):
                if field in attrs and attrs[field] != getattr(self.instance, field):
                    raise serializers.ValidationError({field: "This cannot be changed."})
        return attrs


class AttachmentSerializer(FileAttachmentSerializer):
    class Meta(FileAttachmentSerializer.Meta):
        model = Attachment


# --- parameters of the transitions that take any ----------------------------------------


class DueDateParams(serializers.Serializer):
    due_on = serializers.DateField(required=False)


class RecordStepParams(serializers.Serializer):
    proposed_amount = serializers.DecimalField(min_value=Decimal(0), **MONEY)
    reasons = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)


class DecideParams(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    granted_amount = serializers.DecimalField(min_value=Decimal(0), default=Decimal(0), **MONEY)
    reasons = serializers.CharField(max_length=20000)
    conditions = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20000
    )


class NotifyParams(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    sent_on = serializers.DateField(required=False)


class DecideRectificationParams(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=RectificationOutcome.choices)
    reasons = serializers.CharField(max_length=20000)
    granted_amount = serializers.DecimalField(min_value=Decimal(0), required=False, **MONEY)


class RecordPaymentParams(serializers.Serializer):
    # Ids fit a bigint: a larger number is a 400, never a database overflow.
    payable_id = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    amount = serializers.DecimalField(min_value=Decimal("0.01"), **MONEY)
    paid_on = serializers.DateField()
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class SubmitReportParams(serializers.Serializer):
    activities = serializers.CharField(max_length=50000)
    amount_used = serializers.DecimalField(min_value=Decimal(0), **MONEY)


TRANSITION_PARAMS = {
    "request_completion": DueDateParams,
    "record_step": RecordStepParams,
    "decide": DecideParams,
    "notify": NotifyParams,
    "decide_rectification": DecideRectificationParams,
    "record_payment": RecordPaymentParams,
    "reverse_payment": PaymentReverseSerializer,
    "submit_report": SubmitReportParams,
    "return_report": DueDateParams,
}
