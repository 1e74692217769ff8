"""The association meetings API (`/api/v1/association-meetings/`), beside the agreements'
cooperation meetings: the body's officials and the invited associations' people read them;
the body's liaison plans, records and cancels them. Reads through `liaison.selectors` (what is
not yours is a 404), writes through `liaison.services`."""

from typing import Any

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from liaison import selectors, services
from liaison.models import AssociationMeeting
from liaison.serializers import (
    AssociationMeetingCancelSerializer,
    AssociationMeetingPlanSerializer,
    AssociationMeetingRecordSerializer,
    AssociationMeetingSerializer,
)
from organisations.models import PublicBody
from workflow.api import ANY_ID


class AssociationMeetingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Association meetings (yhdistysilta) of your public body, or those your association is
    invited to."""

    serializer_class = AssociationMeetingSerializer
    lookup_value_regex = ANY_ID

    def get_queryset(self):
        return selectors.meetings_for_user(self.request.user).order_by("starts_at", "pk")

    def _reread(self, meeting: AssociationMeeting) -> dict[str, Any]:
        return self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data

    @extend_schema(
        request=AssociationMeetingPlanSerializer, responses={201: AssociationMeetingSerializer}
    )
    def create(self, request: Request) -> Response:
        """Plan a meeting (the body's liaison): every association of the body is invited."""
        body = AssociationMeetingPlanSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        public_body = PublicBody.objects.filter(pk=data["public_body"]).first()
        if public_body is None:
            raise exceptions.ValidationError({"public_body": [_("No such public body.")]})
        meeting = services.meeting_plan(
            user=request.user,
            public_body=public_body,
            starts_at=data["starts_at"],
            place=data["place"],
            agenda=data["agenda"],
        )
        return Response(self._reread(meeting), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AssociationMeetingRecordSerializer, responses=AssociationMeetingSerializer
    )
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str | None = None) -> Response:
        """Record the meeting as held: the minutes, the public summary, the matters raised and
        the minutes' file (multipart, field `minutes_file`, optional)."""
        meeting = self.get_object()
        body = AssociationMeetingRecordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = services.meeting_record(meeting, user=request.user, **body.validated_data)
        return Response(self._reread(meeting))

    @extend_schema(
        request=AssociationMeetingCancelSerializer, responses=AssociationMeetingSerializer
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel a planned meeting; the invited associations are told."""
        meeting = self.get_object()
        body = AssociationMeetingCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = services.meeting_cancel(meeting, user=request.user, **body.validated_data)
        return Response(self._reread(meeting))

    @extend_schema(responses={200: OpenApiResponse(description="The minutes' file")})
    @action(detail=True, methods=["get"])
    def minutes(self, request: Request, pk: str | None = None) -> FileResponse:
        meeting = self.get_object()
        if not meeting.minutes_file or meeting.state != AssociationMeeting.State.HELD:
            raise Http404
        try:
            handle = meeting.minutes_file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        name = meeting.minutes_file.name.rsplit("/", 1)[-1]
        return FileResponse(handle, as_attachment=True, filename=name)
