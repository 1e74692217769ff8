"""The calendar feed URL (no sign-in: the token is the secret) and the API that hands the
signed-in person their feed URLs and rotates them."""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from workflow.calendar import (
    calendar_feed_rotate,
    calendar_feeds_of,
    calendar_for,
    feed_by_token,
    feed_name,
    feed_url,
    feeds_visible_to,
    may_rotate,
)
from workflow.models import CalendarFeed


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    response = HttpResponse(
        calendar_for(feed_by_token(token)), content_type="text/calendar; charset=utf-8"
    )
    # The body is one owner's deadlines: no shared cache may keep it, and after a rotation
    # the subscriber should not be served a copy either.
    patch_cache_control(response, private=True, max_age=0)
    response["X-Robots-Tag"] = "noindex"
    return response


class CalendarFeedSerializer(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    may_rotate = serializers.SerializerMethodField()

    class Meta:
        model = CalendarFeed
        fields = [
            "id",
            "owner",
            "association",
            "name",
            "url",
            "may_rotate",
            "created_at",
            "rotated_at",
        ]
        read_only_fields = fields

    def get_owner(self, feed: CalendarFeed) -> str:
        return "association" if feed.association_id else "person"

    def get_name(self, feed: CalendarFeed) -> str:
        return feed_name(feed)

    def get_url(self, feed: CalendarFeed) -> str:
        return feed_url(feed)

    def get_may_rotate(self, feed: CalendarFeed) -> bool:
        return may_rotate(feed, self.context["request"].user)


class RotateSerializer(serializers.Serializer):
    feed = serializers.IntegerField(min_value=1)


class CalendarFeedViewSet(viewsets.GenericViewSet):
    """Your calendar feed URLs: your own if you are an official, and one per association you
    belong to. Anyone with a URL sees its deadlines, so rotate one that has leaked."""

    serializer_class = CalendarFeedSerializer
    pagination_class = None

    def get_queryset(self):
        return feeds_visible_to(self.request.user)

    def list(self, request: Request) -> Response:
        feeds = calendar_feeds_of(request.user)
        return Response(self.get_serializer(feeds, many=True).data)

    @extend_schema(
        request=RotateSerializer,
        responses={
            200: CalendarFeedSerializer,
            403: OpenApiResponse(description="You see this feed but may not rotate it"),
            404: OpenApiResponse(description="No such feed of yours"),
        },
    )
    @action(detail=False, methods=["post"])
    def rotate(self, request: Request) -> Response:
        """Give the feed a new URL; the old one stops working at once."""
        body = RotateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # 404 for a feed the person may not see; the service answers 403 if they may see it
        # but not rotate it.
        feed = get_object_or_404(self.get_queryset(), pk=body.validated_data["feed"])
        return Response(self.get_serializer(calendar_feed_rotate(feed, request.user)).data)
