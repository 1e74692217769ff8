from rest_framework import serializers

from assessments.models import Criterion, Reviewer

SMALLINT = {"min_value": -32768, "max_value": 32767}


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = [
            "id",
            "position",
            "name",
            "name_sv",
            "name_en",
            "description",
            "description_sv",
            "description_en",
            "weight",
            "scale_min",
            "scale_max",
        ]


class GivenSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    value = serializers.IntegerField(**SMALLINT)
    comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=5000)


class ScoresInSerializer(serializers.Serializer):
    scores = GivenSerializer(many=True, max_length=100)


class ScoreOutSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(source="criterion_id")
    value = serializers.IntegerField()
    comment = serializers.CharField()
    scored_at = serializers.DateTimeField()


class ReviewerRowSerializer(serializers.Serializer):
    reviewer = serializers.IntegerField(source="reviewer.pk")
    name = serializers.CharField(source="reviewer.get_full_name")
    disqualified = serializers.BooleanField(help_text="Disqualified: the scores do not count.")
    removed = serializers.BooleanField(
        help_text="No longer assigned as a reviewer: the scores do not count."
    )
    scores = ScoreOutSerializer(many=True, source="scored")


class SheetSerializer(serializers.Serializer):
    criteria = CriterionSerializer(many=True)
    rows = ReviewerRowSerializer(many=True)
    total = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, help_text="Weighted total, 0–100."
    )


class ReviewerSerializer(serializers.ModelSerializer):
    """A reviewer of every application of the call (no application), or of one."""

    user = serializers.IntegerField(source="user_id", min_value=1, max_value=2**63 - 1)
    application = serializers.IntegerField(
        source="application_id", min_value=1, max_value=2**63 - 1, required=False, allow_null=True
    )

    class Meta:
        model = Reviewer
        fields = ["id", "user", "application", "assigned_at"]
        read_only_fields = ["id", "assigned_at"]
