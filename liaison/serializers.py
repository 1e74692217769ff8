"""The association meetings API's shapes: a meeting as its reader sees it, and the bodies of
planning, recording and cancelling one."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from liaison.models import AssociationMeeting, Invitation, RaisedMatter
from workflow.api import MAX_ID
from workflow.attachments import validate_attachment


class AssociationMeetingInvitationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="association.name", read_only=True)

    class Meta:
        model = Invitation
        fields = ["association", "name", "invited_at"]


class RaisedMatterSerializer(serializers.ModelSerializer):
    class Meta:
        model = RaisedMatter
        fields = ["id", "association", "matter", "response"]


class AssociationMeetingSerializer(serializers.ModelSerializer):
    invitations = AssociationMeetingInvitationSerializer(many=True, read_only=True)
    matters = RaisedMatterSerializer(many=True, read_only=True)
    minutes_file = serializers.SerializerMethodField()

    class Meta:
        model = AssociationMeeting
        fields = [
            "id",
            "public_body",
            "starts_at",
            "place",
            "agenda",
            "state",
            "minutes",
            "minutes_file",
            "public_summary",
            "invitations",
            "matters",
        ]

    def get_minutes_file(self, meeting: AssociationMeeting) -> str | None:
        """The name of the minutes' file; download it from `minutes/`."""
        return meeting.minutes_file.name.rsplit("/", 1)[-1] if meeting.minutes_file else None


class AssociationMeetingPlanSerializer(serializers.Serializer):
    public_body = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    starts_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=300)
    agenda = serializers.CharField(max_length=50000)


class RaisedMatterInputSerializer(serializers.Serializer):
    association = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    matter = serializers.CharField(max_length=50000)
    response = serializers.CharField(max_length=50000, required=False, allow_blank=True)


class AssociationMeetingRecordSerializer(serializers.Serializer):
    minutes = serializers.CharField(max_length=50000)
    public_summary = serializers.CharField(max_length=50000)
    matters = RaisedMatterInputSerializer(many=True, required=False)
    minutes_file = serializers.FileField(required=False)

    def validate_minutes_file(self, upload: Any) -> Any:
        try:
            validate_attachment(upload)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["file"]) from None
        return upload


class AssociationMeetingCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)
