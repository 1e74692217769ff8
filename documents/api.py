"""Downloading generated documents: an association's people see their own association's,
officials and finance those of their public body (finance also the documents of every subject
with a payable of its bodies, agreements included), nobody else (404)."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import FileResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from documents.models import GeneratedDocument, Payable
from documents.payables import finance_bodies
from grants.models import Application
from grants.selectors import applications_for_user
from workflow.api import ANY_ID, MAX_ID


class GeneratedDocumentSerializer(serializers.ModelSerializer):
    template_version = serializers.IntegerField(source="template.version", read_only=True)
    application = serializers.IntegerField(source="object_id", read_only=True)

    class Meta:
        model = GeneratedDocument
        fields = [
            "id",
            "application",
            "kind",
            "language",
            "version",
            "template_version",
            "sha256",
            "created_at",
        ]


class DocumentFilter(serializers.Serializer):
    """`?application=<id>`: one application's documents."""

    application = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class GeneratedDocumentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Decision documents and payment orders, every version (filter with ?application=)."""

    serializer_class = GeneratedDocumentSerializer
    lookup_value_regex = ANY_ID

    def get_queryset(self):
        visible = applications_for_user(self.request.user).prefetch_related(None)
        paid_by_me = Payable.objects.filter(
            content_type=OuterRef("content_type"),
            object_id=OuterRef("object_id"),
            public_body_id__in=finance_bodies(self.request.user),
        )
        queryset = GeneratedDocument.objects.filter(
            Q(
                content_type__app_label=Application._meta.app_label,
                content_type__model=Application._meta.model_name,
                object_id__in=visible.values("pk"),
            )
            | Q(Exists(paid_by_me))
        ).select_related("template")
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action != "list":
            return queryset
        # A malformed id is a 400 (str.isdigit() once let "¹" through to int(): a 500).
        given = DocumentFilter(data=self.request.query_params)
        given.is_valid(raise_exception=True)
        application = given.validated_data.get("application")
        return queryset.filter(object_id=application) if application else queryset

    @extend_schema(parameters=[DocumentFilter])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: OpenApiResponse(description="The .docx file")})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        document = self.get_object()
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=f"{document.kind}-{document.object_id}-v{document.version}.docx",
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        # The checksum the record keeps, so a recipient can verify the bytes.
        response["X-Content-SHA256"] = document.sha256
        return response
