from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from application_forms.definition import INDICATORS
from documents.downloads import docx_response
from documents.spreadsheets import XLSX_CONTENT_TYPE
from grants import (
    in_kind,
    indicators,
    round_documents,
    round_export,
    rounds,
    selectors,
    services,
)
from grants.models import PremisesUse, RoundDecision
from grants.serializers import (
    MONEY,
    TRANSITION_PARAMS,
    ApplicationSerializer,
    AttachmentSerializer,
    CallSerializer,
    FormVersionSerializer,
)
from organisations.roles import roles_of
from premises.models import Premises
from workflow.api import ANY_ID, MAX_ID, TransitionsMixin, parse_id
from workflow.validation import FIRST_YEAR, LAST_YEAR


class PremisesUseSerializer(serializers.ModelSerializer):
    """In-kind support: hours of free use of an entry of the body's premises in a year (POST
    sets them, 0 removes them)."""

    premises = serializers.PrimaryKeyRelatedField(queryset=Premises.objects.all())
    premises_name = serializers.CharField(source="premises.name", read_only=True)
    hours = serializers.DecimalField(max_digits=8, decimal_places=1, min_value=Decimal(0))

    class Meta:
        model = PremisesUse
        fields = ["id", "premises", "premises_name", "year", "hours"]
        read_only_fields = ["id"]
        validators = []  # setting the same premises and year again replaces its hours


class RoundRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="application.pk")
    association = serializers.CharField(source="application.association.name")
    state = serializers.CharField(source="application.state")
    requested_amount = serializers.DecimalField(source="application.requested_amount", **MONEY)
    score = serializers.DecimalField(allow_null=True, max_digits=8, decimal_places=2)
    proposed_amount = serializers.DecimalField(allow_null=True, **MONEY)
    reasons = serializers.CharField()


class ReasonTextSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    text_sv = serializers.CharField()


class RoundSerializer(serializers.Serializer):
    budget = serializers.DecimalField(source="call.budget", **MONEY)
    granted = serializers.DecimalField(**MONEY)
    proposed = serializers.DecimalField(**MONEY)
    left = serializers.DecimalField(**MONEY)
    applications = RoundRowSerializer(source="rows", many=True)
    reason_texts = ReasonTextSerializer(many=True)


class RoundLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1)
    # 0 rejects (the decision states why, like any other).
    amount = serializers.DecimalField(min_value=Decimal(0), **MONEY)
    reasons = serializers.CharField(allow_blank=True, default="")


class RoundProposeSerializer(serializers.Serializer):
    applications = RoundLineSerializer(many=True, allow_empty=False)

    def lines(self) -> list[rounds.RoundLine]:
        return [
            rounds.RoundLine(line["id"], line["amount"], line["reasons"])
            for line in self.validated_data["applications"]
        ]


class BoardSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    meeting_date = serializers.DateField()
    section = serializers.CharField(max_length=20)


class RoundDecideSerializer(RoundProposeSerializer):
    board = BoardSerializer(required=False, help_text="A board's decision, recorded for it.")

    def board_given(self) -> rounds.Board | None:
        board = self.validated_data.get("board")
        return rounds.Board(**board) if board else None


class RoundDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    decided_at = serializers.DateTimeField()
    board = serializers.CharField()
    meeting_date = serializers.DateField(allow_null=True)
    meeting_section = serializers.CharField()
    applications = serializers.SerializerMethodField()

    def get_applications(self, record) -> list[int]:
        return sorted(a.pk for a in record.applications.all())


class RoundSentSerializer(serializers.Serializer):
    sent = serializers.SerializerMethodField(
        help_text="The applications whose decision was sent now."
    )
    by_letter = serializers.SerializerMethodField(
        help_text="The applications whose association has not consented to electronic "
        "notification: the registry posts their decisions (letters to post)."
    )

    def get_sent(self, result) -> list[int]:
        return [a.pk for a in result.sent]

    def get_by_letter(self, result) -> list[int]:
        return [a.pk for a in result.by_letter]


# The round decision in a path: any segment reaches the view, which answers 404 for one that
# names no round decision of the call.
ROUND_DECISION = r"round/(?P<decision_id>[^/]+)"


class CallViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CallSerializer
    lookup_value_regex = ANY_ID

    def get_queryset(self):
        return selectors.calls_for_user(self.request.user)

    @extend_schema(responses=FormVersionSerializer)
    @action(detail=True, methods=["get"], pagination_class=None)
    def form(self, request: Request, pk: str | None = None) -> Response:
        """The call's form as new applications are started on it, with its JSON Schema; 404
        for a call that asks no questions of its own."""
        call = self.get_object()
        version = call.form.current_version() if call.form_id else None
        if version is None:
            raise Http404
        return Response(FormVersionSerializer(version).data)

    @extend_schema(responses=RoundSerializer)
    @action(detail=True, methods=["get"], pagination_class=None)
    def round(self, request: Request, pk: str | None = None) -> Response:
        """The call's round for its officials: every submitted application with its request,
        score, proposal or decision, and the budget left."""
        call = self.get_object()
        if not rounds.may_see_round(request.user, call):
            raise PermissionDenied(_("Only the call's officials see its round."))
        return Response(RoundSerializer(rounds.round_view(call)).data)

    @extend_schema(request=RoundProposeSerializer, responses=RoundSerializer)
    @action(detail=True, methods=["post"], url_path="round/propose", pagination_class=None)
    def round_propose(self, request: Request, pk: str | None = None) -> Response:
        """The preparer's proposal for the applications listed, all or nothing (409 names the
        application that stopped it)."""
        call = self.get_object()
        body = RoundProposeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rounds.round_propose(call, actor=request.user, lines=body.lines())
        return Response(RoundSerializer(rounds.round_view(call)).data)

    @extend_schema(request=RoundDecideSerializer, responses={201: RoundDecisionSerializer})
    @action(detail=True, methods=["post"], url_path="round/decide", pagination_class=None)
    def round_decide(self, request: Request, pk: str | None = None) -> Response:
        """The decision on the applications listed (any of those proposed), each its own
        decision; all or nothing (409 names the application that stopped it)."""
        call = self.get_object()
        body = RoundDecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = rounds.round_decide(
            call, actor=request.user, lines=body.lines(), board=body.board_given()
        )
        return Response(RoundDecisionSerializer(record).data, status=status.HTTP_201_CREATED)

    def _round_decision(self, decision_id: str) -> RoundDecision:
        """The call's round decision, 404 for a person who is not one of its body's officials
        (a foreign body's round is not theirs to know of)."""
        call = self.get_object()
        number = parse_id(decision_id)
        if number is None or not rounds.may_see_round(self.request.user, call):
            raise Http404
        return get_object_or_404(call.round_decisions.select_related("call"), pk=number)

    @extend_schema(request=None, responses=RoundSentSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path=f"{ROUND_DECISION}/notify",
        pagination_class=None,
    )
    def round_notify(
        self, request: Request, pk: str | None = None, decision_id: str = ""
    ) -> Response:
        """Send every decision of the round electronically, each its own message; those of
        associations without consent are left for a letter. All or nothing (409 names the
        application that stopped it); a second call sends nothing twice."""
        result = rounds.round_notify(self._round_decision(decision_id), actor=request.user)
        return Response(RoundSentSerializer(result).data)

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="Not a call of a body where you are an official"),
        }
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="round/export/(?P<kind>[^/]+)",
        pagination_class=None,
    )
    def round_export(self, request: Request, pk: str | None = None, kind: str = "") -> HttpResponse:
        """The call's submitted applications with their answers, one row each (number,
        association, business ID, state, requested, proposed or granted, assessment total, a
        column per question: a table as its number of rows, a file by its name)."""
        call = self.get_object()
        if kind not in round_export.EXPORTS or not rounds.may_see_round(request.user, call):
            raise Http404
        return round_export.export_response(call, kind)

    @extend_schema(responses={200: OpenApiResponse(description="The .docx file")})
    @action(
        detail=True,
        methods=["get"],
        url_path=f"{ROUND_DECISION}/list/(?P<language>[^/]+)",
        pagination_class=None,
    )
    def round_decision_list(
        self, request: Request, pk: str | None = None, decision_id: str = "", language: str = ""
    ) -> FileResponse:
        """The round decision's list, the annex the decision-maker or the board signs, as the
        document of record in Finnish or Swedish (X-Content-SHA256: its checksum)."""
        record = self._round_decision(decision_id)
        if language not in round_documents.LANGUAGES:
            raise Http404
        document = round_documents.decision_list_document(record, language)
        return docx_response(document, f"round-{record.call_id}-{record.pk}-{language}.docx")


class ApplicationViewSet(
    TransitionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Grant applications. Records outside your organisations answer 404."""

    serializer_class = ApplicationSerializer
    lookup_value_regex = ANY_ID
    transition_params = TRANSITION_PARAMS

    def get_queryset(self):
        return selectors.applications_for_user(self.request.user)

    def perform_create(self, serializer: ApplicationSerializer) -> None:
        serializer.instance = services.application_create(
            user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: ApplicationSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("call", None)
        data.pop("association", None)
        services.application_update(serializer.instance, user=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @extend_schema(methods=["GET"], responses=AttachmentSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=AttachmentSerializer, responses={201: AttachmentSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def attachments(self, request: Request, pk: str | None = None) -> Response:
        """List the attachments, or upload one (multipart, field `file`)."""
        application = self.get_object()
        if request.method == "POST":
            body = AttachmentSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            attachment = services.attachment_add(
                application, user=request.user, upload=body.validated_data["file"]
            )
            return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)
        return Response(AttachmentSerializer(application.attachments.all(), many=True).data)

    @extend_schema(methods=["GET"], responses=PremisesUseSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=PremisesUseSerializer, responses=PremisesUseSerializer(many=True)
    )
    @action(detail=True, methods=["get", "post"], url_path="in-kind", pagination_class=None)
    def in_kind(self, request: Request, pk: str | None = None) -> Response:
        """The in-kind support (free premises) granted with the application; the body's
        preparers and decision-makers set a year's hours of an entry (0 removes them)."""
        application = self.get_object()
        if request.method == "POST":
            body = PremisesUseSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            in_kind.in_kind_set(application, user=request.user, **body.validated_data)
        uses = in_kind.in_kind_of(application)
        return Response(PremisesUseSerializer(uses, many=True).data)


# --- the year's indicators -------------------------------------------------------------------

# A sum of numbers, money or counts: two decimals, digits for a large municipality's year.
INDICATOR_SUM = {"max_digits": 20, "decimal_places": 2}


class IndicatorQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    public_body = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="Only this body's figures."
    )


class IndicatorFiguresSerializer(serializers.Serializer):
    applications = serializers.IntegerField()

    def get_fields(self) -> dict[str, serializers.Field]:
        # One field per indicator (application_forms.definition.INDICATORS), 0 where no form
        # asked it.
        fields = super().get_fields()
        for name in INDICATORS:
            fields[name] = serializers.DecimalField(
                source=f"indicators.{name}", read_only=True, **INDICATOR_SUM
            )
        return fields


class CallIndicatorsSerializer(IndicatorFiguresSerializer):
    call = serializers.IntegerField(source="call_id")
    call_name = serializers.CharField()


class IndicatorReportSerializer(serializers.Serializer):
    public_body = serializers.IntegerField(source="public_body_id")
    year = serializers.IntegerField()
    calls = CallIndicatorsSerializer(many=True)
    total = IndicatorFiguresSerializer()


class IndicatorReportView(APIView):
    """The year's indicators of each public body where you are an official (grants.indicators):
    per call and in total, the sum of the answers to the form fields marked as indicators
    (members, of whom under 29, volunteers, events, participants) over the applications sent
    in the year. Other bodies' figures are never shown: naming one answers 404."""

    @extend_schema(
        operation_id="reports_indicators",
        parameters=[IndicatorQuerySerializer],
        responses={
            200: IndicatorReportSerializer(many=True),
            400: OpenApiResponse(description="A missing or malformed parameter"),
            404: OpenApiResponse(description="Not a public body where you are an official"),
        },
    )
    def get(self, request: Request) -> Response:
        query = IndicatorQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        bodies = roles_of(request.user).all_public_bodies
        asked = query.validated_data.get("public_body")
        if asked is not None:
            if asked not in bodies:
                raise Http404
            bodies = frozenset({asked})
        year = query.validated_data["year"]
        reports = [indicators.indicator_sums(body, year) for body in sorted(bodies)]
        return Response(IndicatorReportSerializer(reports, many=True).data)
