from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from organisations.models import Association
from organisations.roles import roles_of
from organisations.services import association_register, association_update


class AssociationSerializer(serializers.ModelSerializer):
    # Checked by the model (which first strips the spaces people type), not by raw length.
    business_id = serializers.CharField(max_length=40)
    iban = serializers.CharField(max_length=60)

    class Meta:
        model = Association
        fields = [
            "id",
            "name",
            "business_id",
            "register_number",
            "iban",
            "email",
            "language",
            "accepts_electronic_notification",
        ]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            # Name, business ID and register number come from the association register.
            for name in ("name", "business_id", "register_number"):
                fields[name].read_only = True
        return fields


class AssociationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Your own associations, and for officials those that applied to their public body.
    Registering one makes you its representative; representatives update its details."""

    serializer_class = AssociationSerializer

    def get_queryset(self):
        roles = roles_of(self.request.user)
        return Association.objects.filter(
            Q(pk__in=roles.all_associations)
            | Q(applications__call__public_body_id__in=roles.all_public_bodies)
        ).distinct()

    def perform_create(self, serializer: AssociationSerializer) -> None:
        serializer.instance = association_register(
            user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: AssociationSerializer) -> None:
        serializer.instance = association_update(
            serializer.instance, user=self.request.user, **serializer.validated_data
        )


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    language = serializers.CharField()
    association_roles = serializers.DictField(child=serializers.ListField())
    official_roles = serializers.DictField(child=serializers.ListField())


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    """Who you are signed in as: each of your roles with the ids of the organisations where
    you hold it."""
    roles = roles_of(request.user)
    return Response(
        MeSerializer(
            {
                "username": request.user.username,
                "name": request.user.get_full_name(),
                "language": request.user.language,
                "association_roles": {k: sorted(v) for k, v in roles.association.items()},
                "official_roles": {k: sorted(v) for k, v in roles.official.items()},
            }
        ).data
    )
