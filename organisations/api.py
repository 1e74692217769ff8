from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from organisations.models import Association
from organisations.roles import roles_of


class AssociationSerializer(serializers.ModelSerializer):
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


class AssociationViewSet(viewsets.ReadOnlyModelViewSet):
    """Your own associations, and for officials those that applied to their public body."""

    serializer_class = AssociationSerializer

    def get_queryset(self):
        roles = roles_of(self.request.user)
        return Association.objects.filter(
            Q(pk__in=roles.all_associations)
            | Q(applications__call__public_body_id__in=roles.all_public_bodies)
        ).distinct()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    language = serializers.CharField()
    association_roles = serializers.DictField(child=serializers.ListField())
    official_roles = serializers.DictField(child=serializers.ListField())


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    """Who you are signed in as, and your roles by organisation id."""
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
