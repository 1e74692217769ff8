"""The agreements API: agreements, their versions, cooperation meetings and evaluations.

Every record is read through the selectors (what is not yours answers 404) and changed
through the services or the transition service; the views only translate HTTP.
"""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, QuerySet
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agreements import selectors, services, terms
from agreements.serializers import (
    AGREEMENT_TRANSITION_PARAMS,
    EVALUATION_TRANSITION_PARAMS,
    VERSION_TRANSITION_PARAMS,
    AgreementAttachmentSerializer,
    AgreementCreateSerializer,
    AgreementSerializer,
    AgreementVersionSerializer,
    CommentSerializer,
    ContactsSerializer,
    DiffEntrySerializer,
    EvaluationSerializer,
    MeetingAddSerializer,
    MeetingRecordSerializer,
    MeetingSerializer,
    VersionDraftSerializer,
)
from documents.downloads import file_response
from workflow.api import ANY_ID, MAX_ID, TransitionsMixin


class AgreementFilter(serializers.Serializer):
    """`?agreement=<id>`: one agreement's records (a malformed id is a 400)."""

    agreement = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class MeetingFilter(AgreementFilter):
    status = serializers.ChoiceField(choices=selectors.MEETING_STATUSES, required=False)


def _query(request: Request, params: type[serializers.Serializer]) -> dict[str, Any]:
    given = params(data=request.query_params)
    given.is_valid(raise_exception=True)
    return given.validated_data


def _meetings_filtered(meetings: QuerySet, request: Request) -> QuerySet:
    wanted = _query(request, MeetingFilter).get("status")
    return selectors.meetings_with_status(meetings, wanted) if wanted else meetings


AGREEMENT_FILTER = OpenApiParameter("agreement", OpenApiTypes.INT, description="Of one agreement")
STATUS_FILTER = OpenApiParameter("status", OpenApiTypes.STR, enum=selectors.MEETING_STATUSES)


class _ListedByAgreement:
    """A list of records that belong to agreements, narrowed with `?agreement=<id>`."""

    list_filter: type[serializers.Serializer] = AgreementFilter

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action != "list":
            return queryset
        wanted = _query(self.request, self.list_filter).get("agreement")
        return queryset.filter(agreement_id=wanted) if wanted else queryset

    @extend_schema(parameters=[AGREEMENT_FILTER])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


class AgreementViewSet(
    TransitionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Partnership agreements. Records outside your organisations answer 404, and so does a
    draft the other side has not proposed yet."""

    serializer_class = AgreementSerializer
    lookup_value_regex = ANY_ID
    transition_params = AGREEMENT_TRANSITION_PARAMS

    def get_queryset(self):
        return selectors.agreements_for_user(self.request.user)

    @extend_schema(request=AgreementCreateSerializer, responses={201: AgreementSerializer})
    def create(self, request: Request) -> Response:
        """Start an agreement: its parties and the terms of its first version, as a draft only
        your side sees until it is proposed."""
        body = AgreementCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        agreement = services.agreement_create(
            user=request.user,
            public_body=data.pop("public_body"),
            associations=data.pop("associations"),
            signatures_required=data.pop("signatures_required", None),
            terms_given=data,
        )
        fresh = self.get_queryset().get(pk=agreement.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VersionDraftSerializer, responses={201: AgreementVersionSerializer})
    @action(detail=True, methods=["post"])
    def versions(self, request: Request, pk: str | None = None) -> Response:
        """Draft a new version from the newest terms on the table (a counter-proposal) or from
        the terms in force (an amendment); give only the terms that change."""
        agreement = self.get_object()
        body = VersionDraftSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = services.version_draft(
            agreement,
            user=request.user,
            change_note=data.pop("change_note", ""),
            terms_given=data,
        )
        fresh = selectors.versions_for_user(request.user).get(pk=version.pk)
        return Response(
            AgreementVersionSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ContactsSerializer, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def contacts(self, request: Request, pk: str | None = None) -> Response:
        """Name your side's contact person: the body's liaison (a liaison names one of the
        body's liaisons) or the association's contact (a representative names a representative
        of a party)."""
        agreement = self.get_object()
        body = ContactsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.contacts_set(agreement, user=request.user, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=agreement.pk)).data)

    @extend_schema(methods=["GET"], responses=AgreementAttachmentSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=AgreementAttachmentSerializer,
        responses={201: AgreementAttachmentSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def attachments(self, request: Request, pk: str | None = None) -> Response:
        """List the attachments, or upload one (multipart, field `file`)."""
        agreement = self.get_object()
        if request.method == "POST":
            body = AgreementAttachmentSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            attachment = services.attachment_add(
                agreement, user=request.user, upload=body.validated_data["file"]
            )
            return Response(
                AgreementAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED
            )
        return Response(AgreementAttachmentSerializer(agreement.attachments.all(), many=True).data)

    @extend_schema(
        methods=["GET"], parameters=[STATUS_FILTER], responses=MeetingSerializer(many=True)
    )
    @extend_schema(
        methods=["POST"], request=MeetingAddSerializer, responses={201: MeetingSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def meetings(self, request: Request, pk: str | None = None) -> Response:
        """The cooperation meetings (`?status=missed` for the missed ones), or schedule one
        (the liaison)."""
        agreement = self.get_object()
        if request.method == "POST":
            body = MeetingAddSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            meeting = services.meeting_add(agreement, user=request.user, **body.validated_data)
            return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)
        meetings = _meetings_filtered(agreement.meetings.all(), request)
        return Response(MeetingSerializer(meetings, many=True).data)


class AgreementVersionViewSet(
    TransitionsMixin,
    _ListedByAgreement,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Versions of agreements' terms. PATCH edits a draft (its author side only); a proposed
    version is never edited: draft a new one from its agreement's `versions/`."""

    serializer_class = AgreementVersionSerializer
    lookup_value_regex = ANY_ID
    transition_params = VERSION_TRANSITION_PARAMS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.versions_for_user(self.request.user)

    def perform_update(self, serializer: AgreementVersionSerializer) -> None:
        data = dict(serializer.validated_data)
        services.version_update(
            serializer.instance,
            user=self.request.user,
            change_note=data.pop("change_note", None),
            terms_given=data,
        )
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @extend_schema(methods=["GET"], responses=CommentSerializer(many=True))
    @extend_schema(methods=["POST"], request=CommentSerializer, responses={201: CommentSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def comments(self, request: Request, pk: str | None = None) -> Response:
        """The negotiation's comments, oldest first, or add one (either side)."""
        version = self.get_object()
        if request.method == "POST":
            body = CommentSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            comment = services.comment_add(
                version, user=request.user, body=body.validated_data["body"]
            )
            return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        return Response(CommentSerializer(version.comments.all(), many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "against",
                OpenApiTypes.INT,
                description="The number of the version to compare with (default: the one "
                "this version is based on)",
            )
        ],
        responses={
            200: DiffEntrySerializer(many=True),
            400: OpenApiResponse(description="No such version to compare with"),
        },
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def diff(self, request: Request, pk: str | None = None) -> Response:
        """What changed between this version and another of the same agreement: `before` is
        the older version's value, `after` the newer's."""
        version = self.get_object()
        against = request.query_params.get("against")
        if against is None:
            other = version.based_on
        else:
            number = serializers.IntegerField(min_value=1, max_value=MAX_ID)
            try:
                number = number.run_validation(against)
            except serializers.ValidationError as exc:
                raise exceptions.ValidationError({"against": exc.detail}) from None
            other = (
                self.get_queryset().filter(agreement_id=version.agreement_id, number=number).first()
            )
        if other is None:
            raise exceptions.ValidationError(
                {"against": [_("Name a version of this agreement to compare with.")]}
            )
        older, newer = sorted((other, version), key=lambda v: v.number)
        # Dates and euros as the API writes them elsewhere: ISO dates, decimals as strings.
        changes = json.loads(json.dumps(terms.diff(older, newer), cls=RecordsById))
        return Response(DiffEntrySerializer(changes, many=True).data)


class RecordsById(DjangoJSONEncoder):
    """A resource's related records (its payee, its premises) by their ids, as the API
    writes them."""

    def default(self, o: Any) -> Any:
        if isinstance(o, Model):
            return o.pk
        return super().default(o)


class AgreementMeetingViewSet(
    _ListedByAgreement, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Cooperation meetings of the agreements you see; the liaison records them as held."""

    serializer_class = MeetingSerializer
    lookup_value_regex = ANY_ID
    list_filter = MeetingFilter

    def get_queryset(self):
        return selectors.meetings_for_user(self.request.user)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        return _meetings_filtered(queryset, self.request) if self.action == "list" else queryset

    @extend_schema(parameters=[AGREEMENT_FILTER, STATUS_FILTER])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=MeetingRecordSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str | None = None) -> Response:
        """Record the meeting as held: the day, what was agreed and the minutes (multipart,
        field `minutes`, optional)."""
        meeting = self.get_object()
        body = MeetingRecordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = services.meeting_record(meeting, user=request.user, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(responses={200: OpenApiResponse(description="The minutes' file")})
    @action(detail=True, methods=["get"])
    def minutes(self, request: Request, pk: str | None = None) -> FileResponse:
        meeting = self.get_object()
        if not meeting.minutes:
            raise Http404
        return file_response(meeting.minutes, meeting.minutes.name.rsplit("/", 1)[-1])


class EvaluationViewSet(
    TransitionsMixin,
    _ListedByAgreement,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Yearly evaluations: the association submits a figure per goal, the liaison evaluates
    them at a cooperation meeting."""

    serializer_class = EvaluationSerializer
    lookup_value_regex = ANY_ID
    transition_params = EVALUATION_TRANSITION_PARAMS

    def get_queryset(self):
        return selectors.evaluations_for_user(self.request.user)
