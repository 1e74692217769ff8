from django.contrib.auth import authenticate
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from organisations.models import Association, Language, User
from organisations.roles import roles_of
from organisations.services import (
    api_token_issue,
    association_register,
    association_update,
    person_update_preferences,
)
from workflow.api import ANY_ID


class AssociationSerializer(serializers.ModelSerializer):
    # Checked by the model (which first strips the spaces people type), not by raw length.
    # Left out only by an unregistered group, which names its responsible person instead.
    business_id = serializers.CharField(
        max_length=40, required=False, allow_blank=True, allow_null=True
    )
    iban = serializers.CharField(max_length=60)
    electronic_notification_consent_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Association
        fields = [
            "id",
            "name",
            "business_id",
            "register_number",
            "responsible_person",
            "iban",
            "email",
            "language",
            "street_address",
            "postal_code",
            "post_office",
            "accepts_electronic_notification",
            "electronic_notification_consent_by",
            "electronic_notification_consent_at",
        ]
        read_only_fields = ["electronic_notification_consent_at"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            # Name, business ID and register number come from the association register; an
            # unregistered group's responsible person is changed by an administrator.
            for name in ("name", "business_id", "register_number", "responsible_person"):
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
    lookup_value_regex = ANY_ID

    def get_queryset(self):
        roles = roles_of(self.request.user)
        # Like the applications themselves: an official learns of an association once it has
        # submitted something to their public body, not from a draft it has not sent.
        return Association.objects.filter(
            Q(pk__in=roles.all_associations)
            | Q(
                applications__call__public_body_id__in=roles.all_public_bodies,
                applications__submitted_at__isnull=False,
            )
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
    username = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    notification_delivery = serializers.ChoiceField(choices=User.Delivery.choices, required=False)
    association_roles = serializers.DictField(child=serializers.ListField(), read_only=True)
    official_roles = serializers.DictField(child=serializers.ListField(), read_only=True)


def _me(user: User) -> dict:
    roles = roles_of(user)
    return MeSerializer(
        {
            "username": user.username,
            "name": user.get_full_name(),
            "language": user.language,
            "notification_delivery": user.notification_delivery,
            "association_roles": {k: sorted(v) for k, v in roles.association.items()},
            "official_roles": {k: sorted(v) for k, v in roles.official.items()},
        }
    ).data


@extend_schema(request=MeSerializer, responses=MeSerializer)
@api_view(["GET", "PATCH"])
def me(request: Request) -> Response:
    """Who you are signed in as: each of your roles with the ids of the organisations where
    you hold it. PATCH your language and whether optional notifications come at once or as
    a daily digest."""
    if request.method == "PATCH":
        body = MeSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        person_update_preferences(request.user, **body.validated_data)
    return Response(_me(request.user))


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


@extend_schema(
    request=TokenRequestSerializer,
    responses={
        200: TokenSerializer,
        # Its body is the API's Error (workflow.api.error_responses adds it).
        429: OpenApiResponse(
            description="Too many failed attempts for this username from this address."
        ),
    },
    auth=[],
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def token(request: Request) -> Response:
    """An API token for an integration, in exchange for a username and password: send it as
    `Authorization: Token <token>`. Throttled like signing in (LOGIN_FAILURE_LIMIT failures for
    one username from one address pause it for LOGIN_LOCKOUT_MINUTES)."""
    body = TokenRequestSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    # The HTTP request itself, so that django-axes counts failures by username and address;
    # while they are locked out its middleware answers 429 (config.auth.lockout_response).
    user = authenticate(request._request, **body.validated_data)
    if user is None:
        raise ValidationError({"detail": [_("Wrong username or password.")]})
    return Response({"token": api_token_issue(user)})
