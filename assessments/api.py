"""The API of the assessment: a call's criteria (public, like the call) and an application's
scores (its body's officials only; anyone else gets the 404 of a record they cannot see)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import selectors, services
from assessments.models import Criterion, Reviewer
from assessments.serializers import (
    CriterionSerializer,
    ReviewerSerializer,
    ScoresInSerializer,
    SheetSerializer,
)
from organisations.roles import roles_of
from workflow.api import parse_id


def _call_or_404(pk: str) -> Any:
    call_model = Criterion._meta.get_field("call").related_model
    number = parse_id(pk)
    if number is None:
        raise Http404
    try:
        return call_model.objects.get(pk=number)
    except call_model.DoesNotExist:
        raise Http404 from None


def application_for_assessor(user: Any, pk: Any) -> Any:
    """The application when `user` may see its scores, else 404 (docs/architecture.md: a
    record outside your organisations is not found)."""
    number = parse_id(pk)
    if number is None:
        raise Http404
    model = selectors.application_model()
    try:
        application = model.objects.select_related("call").get(pk=number)
    except model.DoesNotExist:
        raise Http404 from None
    if not selectors.may_see_scores(user, application):
        raise Http404
    return application


class CriteriaView(APIView):
    """The criteria a call's applications are assessed against, published with the call."""

    @extend_schema(responses=CriterionSerializer(many=True))
    def get(self, request: Request, pk: str) -> Response:
        call = _call_or_404(pk)
        return Response(CriterionSerializer(selectors.criteria_of(call.pk), many=True).data)


class ScoresView(APIView):
    """An application's scores side by side per reviewer, and the weighted total (0–100);
    POST records your own scores as an assigned reviewer, replacing earlier ones."""

    @extend_schema(responses=SheetSerializer)
    def get(self, request: Request, pk: str) -> Response:
        application = application_for_assessor(request.user, pk)
        return Response(SheetSerializer(selectors.sheet(application)).data)

    @extend_schema(request=ScoresInSerializer, responses={201: SheetSerializer})
    def post(self, request: Request, pk: str) -> Response:
        application = application_for_assessor(request.user, pk)
        body = ScoresInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.scores_record(
            application,
            reviewer=request.user,
            given=[services.Given(**item) for item in body.validated_data["scores"]],
        )
        return Response(
            SheetSerializer(selectors.sheet(application)).data, status=status.HTTP_201_CREATED
        )


def _officials_call_or_404(request: Request, pk: str) -> Any:
    """The call when the person is an official of its body, else 404."""
    call = _call_or_404(pk)
    if call.public_body_id not in roles_of(request.user).all_public_bodies:
        raise Http404
    return call


class ReviewersView(APIView):
    """The call's reviewers, for its body's officials; POST assigns one (the preparer)."""

    @extend_schema(responses=ReviewerSerializer(many=True))
    def get(self, request: Request, pk: str) -> Response:
        call = _officials_call_or_404(request, pk)
        reviewers = Reviewer.objects.filter(call=call).order_by("pk")
        return Response(ReviewerSerializer(reviewers, many=True).data)

    @extend_schema(request=ReviewerSerializer, responses={201: ReviewerSerializer})
    def post(self, request: Request, pk: str) -> Response:
        call = _officials_call_or_404(request, pk)
        body = ReviewerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user_model = Reviewer._meta.get_field("user").related_model
        user = user_model.objects.filter(pk=body.validated_data["user_id"]).first()
        application_id = body.validated_data.get("application_id")
        application = (
            selectors.application_model().objects.filter(pk=application_id).first()
            if application_id
            else None
        )
        if user is None or (application_id and application is None):
            field = "user" if user is None else "application"
            raise ValidationError({field: [_("No such record.")]})
        reviewer = services.reviewer_assign(call, user, actor=request.user, application=application)
        return Response(ReviewerSerializer(reviewer).data, status=status.HTTP_201_CREATED)


class ReviewerView(APIView):
    """One assignment of the call; DELETE removes it (the preparer): the reviewer's scores are
    kept but no longer count."""

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: str, reviewer_pk: str) -> Response:
        call = _officials_call_or_404(request, pk)
        number = parse_id(reviewer_pk)
        reviewer = Reviewer.objects.filter(pk=number, call=call).first() if number else None
        if reviewer is None:
            raise Http404
        services.reviewer_remove(reviewer, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
