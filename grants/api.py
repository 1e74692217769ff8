from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from grants import selectors, services
from grants.serializers import (
    TRANSITION_PARAMS,
    ApplicationSerializer,
    AttachmentSerializer,
    CallSerializer,
    FormVersionSerializer,
)
from workflow.api import ANY_ID, TransitionsMixin


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
