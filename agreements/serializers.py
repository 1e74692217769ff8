"""What the agreements API reads and writes. The terms are written through `TermsSerializer`
(creating an agreement, drafting or editing a version); everything else is read-only here and
changed through the services and the transitions."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agreements.models import (
    Agreement,
    AgreementAttachment,
    AgreementParty,
    AgreementVersion,
    Evaluation,
    Goal,
    GoalResult,
    Meeting,
    Resource,
    Side,
    Signature,
    VersionComment,
)
from agreements.selectors import MEETING_STATUSES
from agreements.signatures import SideSignatures, signature_slots, still_to_sign
from agreements.terms import GOAL_FIELDS, RESOURCE_FIELDS, TERM_FIELDS
from finance.api import PaymentRecordSerializer, PaymentReverseSerializer
from organisations.models import Association, PublicBody
from premises.models import Premises
from workflow import chains
from workflow.api import MAX_ID, AvailableTransitionsField, FileAttachmentSerializer
from workflow.attachments import validate_attachment
from workflow.models import ApprovalRun
from workflow.rectification import RectificationOutcome
from workflow.rules import is_official

MONEY = {"max_digits": 12, "decimal_places": 2}


def _id_field(**kwargs: Any) -> serializers.IntegerField:
    # Ids fit a bigint: a larger number is a 400, never a database overflow.
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class PersonSerializer(serializers.Serializer):
    """A named contact person: the liaison, the association's contact, a signer."""

    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    email = serializers.EmailField()

    def get_name(self, user: Any) -> str:
        return user.display_name


# --- the terms ------------------------------------------------------------------------------


class _RowSerializer(serializers.ModelSerializer):
    """A goal or a resource is written whole, also inside a partial change of the terms
    (where DRF would skip the fields missing from a row)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        missing = [
            name
            for name, field in self.fields.items()
            if field.required and not field.read_only and name not in attrs
        ]
        if missing:
            raise serializers.ValidationError(
                {name: self.fields[name].error_messages["required"] for name in missing}
            )
        return attrs


class GoalSerializer(_RowSerializer):
    class Meta:
        model = Goal
        fields = ["id", "position", *GOAL_FIELDS]
        read_only_fields = ["id", "position"]


class ResourceSerializer(_RowSerializer):
    hours_per_year = serializers.DecimalField(max_digits=10, decimal_places=1, read_only=True)
    # Free premises: the entry of the agreement's body's catalogue (premises.models), by name.
    premises = serializers.PrimaryKeyRelatedField(
        queryset=Premises.objects.all(), allow_null=True, required=False
    )
    premises_name = serializers.CharField(source="premises.name", read_only=True, allow_null=True)

    class Meta:
        model = Resource
        fields = ["id", "position", *RESOURCE_FIELDS, "premises_name", "hours_per_year"]
        read_only_fields = ["id", "position"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        # Premises and staff time are counted in hours a week or a year: one without the other
        # cannot be added up in the yearly summary.
        if (attrs.get("hours") is None) != (not attrs.get("hours_per")):
            raise serializers.ValidationError(
                {"hours_per": _("Give the hours and whether they are a week or a year.")}
            )
        return attrs


class TermsSerializer(serializers.ModelSerializer):
    """The terms of a version: its fields, goals and resources (each list replaced whole)."""

    goals = GoalSerializer(many=True, max_length=50)
    resources = ResourceSerializer(many=True, max_length=200, required=False)

    class Meta:
        model = AgreementVersion
        fields = [*TERM_FIELDS, "goals", "resources"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # A partial change is checked against the terms it changes.
        starts_on = attrs.get("starts_on", getattr(self.instance, "starts_on", None))
        ends_on = attrs.get("ends_on", getattr(self.instance, "ends_on", None))
        if starts_on and ends_on and ends_on <= starts_on:
            raise serializers.ValidationError({"ends_on": _("The term must end after it starts.")})
        return attrs


class SignatureSerializer(serializers.ModelSerializer):
    signer = PersonSerializer()

    class Meta:
        model = Signature
        fields = ["signer", "side", "association", "signed_at"]


class SideSignaturesSerializer(serializers.Serializer):
    """One side's signatures on a version (agreements.signatures): how many it requires, who
    signed, how many are still missing and who may still give them."""

    side = serializers.CharField()
    association = serializers.IntegerField(source="association_id", allow_null=True)
    name = serializers.CharField()
    required = serializers.IntegerField()
    signed = serializers.SerializerMethodField()
    missing = serializers.IntegerField()
    still_to_sign = serializers.SerializerMethodField()

    def get_signed(self, slot: SideSignatures) -> list[dict[str, Any]]:
        return PersonSerializer([s.signer for s in slot.signed], many=True).data

    def get_still_to_sign(self, slot: SideSignatures) -> list[dict[str, Any]]:
        if self.context.get("in_list"):
            return []
        return PersonSerializer(still_to_sign(slot), many=True).data


def _in_list(field: serializers.Field) -> bool:
    """Is the record shown in a list? Who may still act is named on the record's own answer
    only: a list costs the same queries whatever its length."""
    return isinstance(field.root, serializers.ListSerializer)


@extend_schema_field(SideSignaturesSerializer(many=True))
class SigningField(serializers.ReadOnlyField):
    """Who still has to sign, per side: while the version is approved or awaiting
    signatures; afterwards the signatures as given, with nobody left to sign. A list counts
    the signatures; the version's own answer names who may still give them."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", **kwargs)

    def to_representation(self, version: AgreementVersion) -> list[dict[str, Any]]:
        S = AgreementVersion.State
        if version.state not in (S.APPROVED, S.AWAITING_SIGNATURES, S.IN_FORCE, S.SUPERSEDED):
            return []
        slots = signature_slots(version)
        return SideSignaturesSerializer(slots, many=True, context={"in_list": _in_list(self)}).data


class ReviewSerializer(serializers.Serializer):
    """Where the version is in the public body's review: the chain, the step waiting and who
    may do it."""

    chain = serializers.IntegerField(source="chain_id")
    chain_name = serializers.CharField(source="chain.name")
    step = serializers.SerializerMethodField()
    next_actors = serializers.SerializerMethodField()

    def get_step(self, run: ApprovalRun) -> dict[str, Any] | None:
        step = chains.current_step(self.context["version"])
        if step is None:
            return None
        return {"position": step.position, "name": step.name, "role": step.role}

    def get_next_actors(self, run: ApprovalRun) -> list[dict[str, Any]]:
        if self.context["in_list"]:
            return []
        return PersonSerializer(chains.next_actors(self.context["version"]), many=True).data


@extend_schema_field(ReviewSerializer(allow_null=True))
class ReviewField(serializers.ReadOnlyField):
    """The review in progress, for the body's officials (the association does not see its
    internal steps: agreements.portal.versions); null otherwise. Who acts next is named on
    the version's own answer, not in a list."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", **kwargs)

    def to_representation(self, version: AgreementVersion) -> dict[str, Any] | None:
        run = chains.run_in_progress(version)
        if run is None or not is_official(self.context["request"].user, version):
            return None
        context = {"version": version, "in_list": _in_list(self)}
        return ReviewSerializer(run, context=context).data


class VersionTermsSerializer(TermsSerializer):
    """The terms in force, shown with the agreement."""

    signatures = SignatureSerializer(many=True, read_only=True)
    money_total = serializers.DecimalField(read_only=True, **MONEY)

    class Meta:
        model = AgreementVersion
        fields = [
            "id",
            "number",
            "in_force_from",
            *TERM_FIELDS,
            "goals",
            "resources",
            "money_total",
            "signatures",
        ]
        read_only_fields = fields


class CommentSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True)

    class Meta:
        model = VersionComment
        fields = ["id", "author", "side", "body", "created_at"]
        read_only_fields = ["author", "side", "created_at"]
        extra_kwargs = {"body": {"max_length": 20000}}


class AgreementVersionSerializer(TermsSerializer):
    """A version with its full terms and its negotiation, review, decision and signatures.
    PATCH changes the terms (and the change note) of a draft."""

    signatures = SignatureSerializer(many=True, read_only=True)
    signing = SigningField()
    review = ReviewField()
    comments = CommentSerializer(many=True, read_only=True)
    money_total = serializers.DecimalField(read_only=True, **MONEY)
    available_transitions = AvailableTransitionsField()
    # Blank until decided (see ApplicationSerializer.outcome).
    outcome = serializers.ChoiceField(
        choices=AgreementVersion.Outcome.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = AgreementVersion
        fields = [
            "id",
            "agreement",
            "number",
            "state",
            "available_transitions",
            "based_on",
            "author_side",
            "created_at",
            "change_note",
            *TERM_FIELDS,
            "goals",
            "resources",
            "money_total",
            "agreed_at",
            "decided_at",
            "outcome",
            "reasons",
            "deemed_received_on",
            "appeal_ends_on",
            "in_force_from",
            "signatures",
            "review",
            "signing",
            "comments",
        ]
        read_only_fields = [
            f for f in fields if f not in {*TERM_FIELDS, "goals", "resources", "change_note"}
        ]
        extra_kwargs = {"change_note": {"max_length": 20000}}


class VersionDraftSerializer(TermsSerializer):
    """A new version: the terms it changes from the newest on the table, and why."""

    change_note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20000
    )

    class Meta(TermsSerializer.Meta):
        fields = [*TermsSerializer.Meta.fields, "change_note"]


class DiffEntrySerializer(serializers.Serializer):
    field = serializers.CharField(help_text='A term, or a goal or resource: "goals[2]".')
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


# --- the agreement --------------------------------------------------------------------------


class PartySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="association.name", read_only=True)

    class Meta:
        model = AgreementParty
        fields = ["association", "name", "signatures_required"]


class VersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementVersion
        fields = ["id", "number", "state", "author_side", "created_at"]


class MeetingSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=MEETING_STATUSES, read_only=True)
    minutes = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "agreement", "due_on", "status", "held_on", "notes", "minutes"]

    def get_minutes(self, meeting: Meeting) -> str | None:
        """The name of the minutes' file; download it from `minutes/`."""
        return meeting.minutes.name.rsplit("/", 1)[-1] if meeting.minutes else None


class EvaluationSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = ["id", "period_starts_on", "period_ends_on", "due_on", "state"]


class AgreementSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    ends_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="The last day in force (none before a version is in force).",
    )
    starts_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="The first day in force: the term's first day, or the day of the last "
        "signature when that came later. A `signed` agreement comes into force on it.",
    )
    # Blank until notice is given or the agreement ends (see ApplicationSerializer.outcome).
    notice_given_by = serializers.ChoiceField(
        choices=Side.choices, allow_blank=True, read_only=True
    )
    end_reason = serializers.ChoiceField(
        choices=Agreement.EndReason.choices, allow_blank=True, read_only=True
    )
    cancellation_side = serializers.ChoiceField(
        choices=Side.choices,
        allow_blank=True,
        read_only=True,
        help_text="The side that proposed to cancel the signed agreement before its term, "
        "while the other side has not answered; blank otherwise.",
    )
    cancellation_section = serializers.CharField(
        read_only=True,
        help_text="The section of the body's decision that cancelled it; blank when both "
        "sides agreed to cancel it.",
    )
    cancellation_appeal_ends_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="The last day to request rectification of the body's decision to cancel it "
        "(Local Government Act 134 §), or, once that request is decided, to appeal to the "
        "administrative court (135 §).",
    )
    parties = PartySerializer(many=True, read_only=True)
    liaison = PersonSerializer(read_only=True, allow_null=True)
    contact = PersonSerializer(read_only=True, allow_null=True)
    in_force_version = VersionTermsSerializer(read_only=True, allow_null=True)
    versions = VersionSummarySerializer(many=True, read_only=True)
    successor = serializers.SerializerMethodField()
    meetings = MeetingSerializer(many=True, read_only=True)
    evaluations = EvaluationSummarySerializer(many=True, read_only=True)
    available_transitions = AvailableTransitionsField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "number",
            "title",
            "state",
            "available_transitions",
            "public_body",
            "unit",
            "parties",
            "public_body_signatures_required",
            "liaison",
            "contact",
            "chain",
            "created_side",
            "created_at",
            "shared_at",
            "in_force_version",
            "versions",
            "predecessor",
            "successor",
            "activated_on",
            "starts_on",
            "ends_on",
            "notice_given_on",
            "notice_given_by",
            "termination_reason",
            "ends_early_on",
            "ended_on",
            "end_reason",
            "cancellation_side",
            "cancellation_reason",
            "cancellation_proposed_at",
            "cancelled_on",
            "cancellation_section",
            "cancellation_appeal_ends_on",
            "meetings",
            "evaluations",
        ]
        read_only_fields = fields

    def get_successor(self, agreement: Agreement) -> int | None:
        """The renewal's id, once renewed."""
        successor = getattr(agreement, "successor", None)
        return successor.pk if successor is not None else None


class AgreementCreateSerializer(TermsSerializer):
    """A new agreement: its parties and the terms of its first version (a draft)."""

    public_body = serializers.PrimaryKeyRelatedField(queryset=PublicBody.objects.all())
    associations = serializers.ListField(
        child=serializers.PrimaryKeyRelatedField(queryset=Association.objects.all()),
        allow_empty=False,
        max_length=20,
    )
    signatures_required = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5),
        required=False,
        help_text="Per association id, how many of its signatories sign jointly (default 2).",
    )

    class Meta(TermsSerializer.Meta):
        fields = [
            "public_body",
            "associations",
            "signatures_required",
            *TermsSerializer.Meta.fields,
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        ids = {str(a.pk) for a in attrs["associations"]}
        required = attrs.get("signatures_required", {})
        if not set(required) <= ids:
            raise serializers.ValidationError(
                {"signatures_required": _("Give signatures only for the associations named.")}
            )
        attrs["signatures_required"] = {int(k): n for k, n in required.items()}
        return attrs


class ContactsSerializer(serializers.Serializer):
    """Each side's contact person, by the person's id: give either or both."""

    liaison_id = _id_field(required=False)
    contact_id = _id_field(required=False)


class AgreementAttachmentSerializer(FileAttachmentSerializer):
    class Meta(FileAttachmentSerializer.Meta):
        model = AgreementAttachment


class MeetingAddSerializer(serializers.Serializer):
    due_on = serializers.DateField()


class MeetingRecordSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    notes = serializers.CharField(max_length=50000)
    minutes = serializers.FileField(required=False)

    def validate_minutes(self, upload: Any) -> Any:
        # Checked here too, so a refused file is reported under this field's name.
        try:
            validate_attachment(upload)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["file"]) from None
        return upload


# --- evaluations ----------------------------------------------------------------------------


class GoalResultSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="goal.title")
    indicator = serializers.CharField(source="goal.indicator")
    target = serializers.DecimalField(source="goal.target", **MONEY)

    class Meta:
        model = GoalResult
        fields = ["goal", "title", "indicator", "target", "value", "comment", "met"]


class EvaluationSerializer(serializers.ModelSerializer):
    agreement_number = serializers.CharField(source="agreement.number", read_only=True)
    results = GoalResultSerializer(many=True, read_only=True)
    available_transitions = AvailableTransitionsField()

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "agreement",
            "agreement_number",
            "period_starts_on",
            "period_ends_on",
            "due_on",
            "state",
            "available_transitions",
            "report",
            "submitted_at",
            "results",
            "assessment",
            "meeting",
            "evaluated_at",
        ]
        read_only_fields = fields


# --- parameters of the transitions that take any ----------------------------------------


class RenewParams(serializers.Serializer):
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)


class TerminateParams(serializers.Serializer):
    reason = serializers.CharField(max_length=20000)
    notice_given_on = serializers.DateField(required=False)


class ProposeCancellationParams(serializers.Serializer):
    reason = serializers.CharField(max_length=20000)


class CancelByDecisionParams(serializers.Serializer):
    reasons = serializers.CharField(max_length=20000)


class RecordPaymentParams(PaymentRecordSerializer):
    payable_id = _id_field(required=False)


class SubmitForReviewParams(serializers.Serializer):
    chain_id = _id_field(required=False)


class RecordStepParams(serializers.Serializer):
    reasons = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)


class DecideParams(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=AgreementVersion.Outcome.choices)
    reasons = serializers.CharField(max_length=20000)


class DecideRectificationParams(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=RectificationOutcome.choices)
    reasons = serializers.CharField(max_length=20000)


class SignParams(serializers.Serializer):
    side = serializers.ChoiceField(choices=Side.choices, required=False, allow_blank=True)


class ResultParams(serializers.Serializer):
    goal = _id_field()
    value = serializers.DecimalField(min_value=Decimal(0), **MONEY)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class SubmitEvaluationParams(serializers.Serializer):
    report = serializers.CharField(max_length=50000)
    results = ResultParams(many=True, max_length=50)


class ReturnEvaluationParams(serializers.Serializer):
    due_on = serializers.DateField(required=False)


class EvaluateParams(serializers.Serializer):
    assessment = serializers.CharField(max_length=50000)
    meeting_id = _id_field()
    goals_met = serializers.ListField(child=_id_field(), default=list, max_length=50)


AGREEMENT_TRANSITION_PARAMS = {
    "renew": RenewParams,
    "terminate": TerminateParams,
    "propose_cancellation": ProposeCancellationParams,
    "cancel_by_decision": CancelByDecisionParams,
    "decide_rectification": DecideRectificationParams,
    "record_payment": RecordPaymentParams,
    "reverse_payment": PaymentReverseSerializer,
}
VERSION_TRANSITION_PARAMS = {
    "submit_for_review": SubmitForReviewParams,
    "record_step": RecordStepParams,
    "decide": DecideParams,
    "sign": SignParams,
    "decide_rectification": DecideRectificationParams,
}
EVALUATION_TRANSITION_PARAMS = {
    "submit": SubmitEvaluationParams,
    "return_evaluation": ReturnEvaluationParams,
    "evaluate": EvaluateParams,
}
