"""Each person's in-app list of notifications (the same rows the email delivery sends)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from workflow.api import ANY_ID
from workflow.messages import link_of, subject_of
from workflow.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    subject = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "subject",
            "link",
            "context",
            "status",
            "created_at",
            "sent_at",
            "read_at",
            "legally_significant",
        ]

    def get_subject(self, notification: Notification) -> str:
        return subject_of(notification)

    def get_link(self, notification: Notification) -> str:
        """The absolute address of the page the message is about, as in its email."""
        return link_of(notification)


class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Your notifications, newest first. Nobody sees another person's."""

    serializer_class = NotificationSerializer
    lookup_value_regex = ANY_ID

    def get_queryset(self):
        return Notification.objects.filter(recipient_id=self.request.user.pk)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        """Mark the notification read."""
        notification = self.get_object()
        if notification.read_at is None:
            Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
                read_at=timezone.now()
            )
            notification.refresh_from_db(fields=["read_at"])
        return Response(self.get_serializer(notification).data)
