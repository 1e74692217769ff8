"""What every stateful API resource shares: error mapping, `available_transitions`, the
`transitions/` endpoint and the `history/` endpoint. Resources declare which parameters each
transition takes; the engine does the rest through `transition_perform`."""

import re
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from organisations.roles import roles_of
from workflow.chains import chains_to_choose
from workflow.disqualification import disqualification_declare
from workflow.errors import TransitionConflict, UnknownTransition
from workflow.history import history_for
from workflow.models import ApprovalChain, ApprovalStep, TransitionLog
from workflow.rules import is_official
from workflow.transitions import (
    DISQUALIFICATIONS,
    available_transitions,
    transition_names,
    transition_perform,
)

# Ids fit a bigint: a larger number is a 400 (or a 404 in a path), never a database overflow.
MAX_ID = 2**63 - 1


def parse_id(value: Any) -> int | None:
    """A record's id as a person or a client sent it, or None: ASCII digits only (str.isdigit()
    also admits "¹", which int() refuses) and within a bigint."""
    text = str(value)
    if not re.fullmatch(r"[0-9]{1,19}", text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


# A viewset's `lookup_value_regex`: every path segment reaches the view, which answers the API's
# JSON 404 for one that names no record (the router's default `[^/.]+` left an id such as `1.5`
# to Django's HTML page).
ANY_ID = "[^/]+"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The record changed; reload it and try again.")
    default_code = "conflict"


def _no_data_translated(exc: exceptions.ValidationError) -> None:
    """DRF says "No data provided" (a body of `null`) in English whatever the language: say it
    in the person's."""
    detail = exc.detail
    if not isinstance(detail, dict):
        return
    errors = detail.get(api_settings.NON_FIELD_ERRORS_KEY)
    if isinstance(errors, list) and [(str(e), e.code) for e in errors] == [
        ("No data provided", "null")
    ]:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = [
            exceptions.ErrorDetail(_("No data was sent."), code="null")
        ]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map domain errors to 400/403/404/409 with messages; let DRF render the rest."""
    if isinstance(exc, exceptions.ValidationError):
        _no_data_translated(exc)
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, UnknownTransition):
        exc = exceptions.ValidationError({"transition": [str(exc)]})
    elif isinstance(exc, TransitionConflict):
        exc = Conflict(detail=exc.message, code=exc.code)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent | RequestDataTooBig):
        # Django's own limits on a body (DATA_UPLOAD_MAX_*): its HTML 400 page, as JSON.
        exc = exceptions.ParseError(_("The request has too many fields or is too large."))
    return drf_exception_handler(exc, context)


ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Each field's messages (a list, or an object per nested row), "
    "`non_field_errors` for the request as a whole, or `detail` for a malformed request.",
    "additionalProperties": {},
}
_ERROR_DESCRIPTIONS = {
    "400": "Bad input; nothing saved",
    "403": "Not signed in, or you may not do this",
    "404": "No such record visible to you",
    "409": "The record's state does not allow this now",
    "415": "The body's media type is none of those listed",
}


def error_responses(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """A drf-spectacular postprocessing hook: every operation declares the errors the API
    answers with (see `exception_handler`): 403 everywhere (signing in is required), 404 where
    the path names a record, 400 where the request carries input, 415 where it has a body,
    409 where it changes a record (whose state may refuse it); each error has its body."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    schemas["ValidationError"] = VALIDATION_ERROR_SCHEMA
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            where = {parameter["in"] for parameter in operation.get("parameters", [])}
            codes = {"403"}
            if "path" in where:
                codes.add("404")
                if method != "get":
                    codes.add("409")
            if "query" in where or "requestBody" in operation:
                codes.add("400")
            if "requestBody" in operation:
                codes.add("415")
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(code, {"description": _ERROR_DESCRIPTIONS[code]})
            for code, response in responses.items():
                if code.startswith("4") and "content" not in response:
                    name = "ValidationError" if code == "400" else "Error"
                    response["content"] = {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                    }
    return result


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class AvailableTransitionsField(serializers.ReadOnlyField):
    """The transitions the requesting user could perform on the record now."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", **kwargs)

    def to_representation(self, instance: Any) -> list[str]:
        return available_transitions(instance, self.context["request"].user)


class TransitionRequestSerializer(serializers.Serializer):
    transition = serializers.CharField()
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)


def transition_request(
    model: type, params: dict[str, type[serializers.Serializer]]
) -> PolymorphicProxySerializer:
    """The schema of a resource's `transitions/` body: one shape per transition of `model`, told
    apart by `transition`, each with that transition's parameters (`params`), so a client, and
    a schema-driven test, sees what every transition takes."""

    def shapes() -> dict[str, type[serializers.Serializer]]:
        named = {}
        for name in transition_names(model):
            # A one-value enum, wrapped so that drf-spectacular does not make it a shared enum
            # component named after the field (each resource's would collide).
            field = extend_schema_field({"allOf": [{"type": "string", "enum": [name]}]})(
                type("TransitionName", (serializers.CharField,), {})
            )
            component = model.__name__ + name.title().replace("_", "") + "Transition"
            bases = (TransitionRequestSerializer, params.get(name, serializers.Serializer))
            named[name] = type(f"{component}Serializer", bases, {"transition": field()})
        return named

    return PolymorphicProxySerializer(
        component_name=f"{model.__name__}Transition",
        serializers=shapes,
        resource_type_field_name="transition",
    )


class HistoryEntrySerializer(serializers.ModelSerializer):
    """An entry of the audit log: a transition, or an audited action (`kind`) named in
    `transition` either way."""

    actor = serializers.SerializerMethodField()

    class Meta:
        model = TransitionLog
        fields = ["id", "kind", "transition", "from_state", "to_state", "actor", "at", "comment"]

    def get_actor(self, entry: TransitionLog) -> str:
        return entry.actor.display_name if entry.actor else "system"


class FileAttachmentSerializer(serializers.ModelSerializer):
    """An attachment (workflow.models.AttachmentBase); subclasses name the model in Meta."""

    file = serializers.FileField(write_only=True)

    class Meta:
        fields = ["id", "name", "size", "content_type", "uploaded_at", "file"]
        read_only_fields = ["name", "size", "content_type", "uploaded_at"]


class DisqualificationSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


def _transition_responses(record: type[serializers.Serializer] | None) -> dict[int, Any]:
    return {
        200: OpenApiResponse(response=record, description="The record after the transition"),
        400: OpenApiResponse(description="Bad input; nothing saved"),
        403: OpenApiResponse(description="You may not perform this transition"),
        404: OpenApiResponse(description="No such record visible to you"),
        409: OpenApiResponse(description="Not available now, or a concurrent change won"),
    }


class TransitionsMixin:
    """For a ModelViewSet whose model has one FSM field.

    `transition_params` maps a transition name to the serializer of its extra parameters;
    `history/` shows what `workflow.history.history_for` lets the person read, and only the
    record's officials declare a conflict of interest.
    """

    transition_params: ClassVar[dict[str, type[serializers.Serializer]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # The schema of `transitions/` names this resource's transitions, their parameters
        # and the record it answers with.
        super().__init_subclass__(**kwargs)
        serializer_class = getattr(cls, "serializer_class", None)
        if serializer_class is None:
            return
        request = transition_request(serializer_class.Meta.model, cls.transition_params)
        extend_schema_view(
            transitions=extend_schema(
                request=request, responses=_transition_responses(serializer_class)
            )
        )(cls)

    def may_declare_disqualification(self, user: Any, obj: Any) -> bool:
        return is_official(user, obj)

    @extend_schema(request=TransitionRequestSerializer, responses=_transition_responses(None))
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str | None = None) -> Response:
        """Perform one transition: `{"transition": "...", "comment": "...", ...parameters}`."""
        visible = self.get_queryset()
        record_id = parse_id(pk)
        if record_id is None:
            raise Http404
        try:
            name, comment, params = self._transition_request(request, visible.model)
        except (exceptions.ValidationError, UnknownTransition):
            # A record the person cannot see answers 404 whatever the body says.
            get_object_or_404(visible.prefetch_related(None), pk=record_id)
            raise
        # The service's locking query is the visibility check too (404), and it answers with
        # the record as the transition left it: what the serializer shows is loaded onto it,
        # not read again. Whether the actor is disqualified the locking query already said.
        obj = transition_perform(
            visible.model(pk=record_id),
            name,
            actor=request.user,
            comment=comment,
            params=params,
            within=visible.prefetch_related(None),
        )
        lookups = [
            lookup
            for lookup in visible._prefetch_related_lookups
            if getattr(lookup, "prefetch_to", lookup) != DISQUALIFICATIONS
        ]
        prefetch_related_objects([obj], *lookups)
        return Response(self.get_serializer(obj).data)

    def _transition_request(self, request: Request, model: type) -> tuple[str, str, dict]:
        """The transition's name, comment and parameters from the body, validated."""
        head = TransitionRequestSerializer(data=request.data)
        head.is_valid(raise_exception=True)
        name = head.validated_data["transition"]
        if name not in transition_names(model):
            raise UnknownTransition(_("Unknown transition: %(name)s.") % {"name": name})
        params_class = self.transition_params.get(name)
        params: dict[str, Any] = {}
        if params_class is not None:
            body = params_class(data=request.data, context=self.get_serializer_context())
            body.is_valid(raise_exception=True)
            params = dict(body.validated_data)
        return name, head.validated_data["comment"], params

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request: Request, pk: str | None = None) -> Response:
        """The record's audit trail, oldest first."""
        obj = self.get_object()
        entries = history_for(request.user, obj)
        return Response(HistoryEntrySerializer(entries, many=True).data)

    @extend_schema(request=DisqualificationSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def disqualification(self, request: Request, pk: str | None = None) -> Response:
        """Declare a conflict of interest on this record (Administrative Procedure Act 28 §)."""
        obj = self.get_object()
        if not self.may_declare_disqualification(request.user, obj):
            raise exceptions.PermissionDenied()
        body = DisqualificationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        disqualification_declare(obj, user=request.user, reason=body.validated_data["reason"])
        return Response(status=status.HTTP_201_CREATED)


# --- approval chains ---------------------------------------------------------------------------


class ChainStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApprovalStep
        fields = ["position", "name", "name_sv", "role", "condition", "threshold"]
        read_only_fields = fields


class ChainSerializer(serializers.ModelSerializer):
    steps = ChainStepSerializer(many=True, read_only=True)

    class Meta:
        model = ApprovalChain
        fields = ["id", "public_body", "name", "name_sv", "subject_kind", "version", "steps"]
        read_only_fields = fields


class ChainFilter(serializers.Serializer):
    """`?kind=`: the chains that review one kind of record (an unknown kind is a 400)."""

    kind = serializers.ChoiceField(choices=ApprovalChain.SubjectKind.choices, required=False)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "kind", OpenApiTypes.STR, enum=ApprovalChain.SubjectKind.values, required=False
            )
        ]
    )
)
class ChainViewSet(viewsets.ReadOnlyModelViewSet):
    """The approval chains you may send a record through: your public bodies' (an association's
    people have none to choose), with their steps; another body's chain answers 404."""

    serializer_class = ChainSerializer
    lookup_value_regex = ANY_ID

    def get_queryset(self) -> QuerySet[ApprovalChain]:
        kind = ""
        if self.action == "list":
            given = ChainFilter(data=self.request.query_params)
            given.is_valid(raise_exception=True)
            kind = given.validated_data.get("kind", "")
        return chains_to_choose(roles_of(self.request.user).all_public_bodies, kind)

    def get_object(self) -> ApprovalChain:
        if parse_id(self.kwargs["pk"]) is None:
            raise Http404
        return super().get_object()
