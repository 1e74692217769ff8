"""Downloading generated documents, as documents.selectors.documents_for says who may: an
application's documents whoever sees the application; an agreement's agreement documents its
parties' people and its body's officials, its payment orders only the officials; finance every
document of a subject with a payable of its bodies; nobody else (404)."""

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from documents.downloads import docx_response
from documents.models import GeneratedDocument
from documents.selectors import documents_for, subject_is, subjects
from workflow.api import ANY_ID, MAX_ID


class GeneratedDocumentSerializer(serializers.ModelSerializer):
    template_version = serializers.IntegerField(source="template.version", read_only=True)
    subject_kind = serializers.ChoiceField(
        choices=list(subjects()),
        source="content_type.model",
        read_only=True,
        help_text="What the document is about (as in the finance inbox's payables).",
    )
    subject_id = serializers.IntegerField(
        source="object_id", read_only=True, help_text="The id of the application or agreement."
    )
    application = serializers.SerializerMethodField(
        help_text="The application's id (kept for older clients); null for other subjects."
    )

    class Meta:
        model = GeneratedDocument
        fields = [
            "id",
            "subject_kind",
            "subject_id",
            "application",
            "kind",
            "language",
            "version",
            "template_version",
            "sha256",
            "created_at",
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_application(self, document: GeneratedDocument) -> int | None:
        return document.object_id if document.content_type.model == "application" else None


def _document_filter() -> type[serializers.Serializer]:
    """`?application=<id>`, `?agreement=<id>`: one record's documents, for every subject."""
    fields = {
        name: serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
        for name in subjects()
    }
    return type("DocumentFilter", (serializers.Serializer,), fields)


DocumentFilter = _document_filter()


class GeneratedDocumentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Decision documents, agreement documents and payment orders, every version (filter with
    ?application= or ?agreement=)."""

    serializer_class = GeneratedDocumentSerializer
    lookup_value_regex = ANY_ID

    def get_queryset(self) -> QuerySet[GeneratedDocument]:
        return documents_for(self.request.user)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action != "list":
            return queryset
        # A malformed id is a 400 (str.isdigit() once let "¹" through to int(): a 500).
        given = DocumentFilter(data=self.request.query_params)
        given.is_valid(raise_exception=True)
        for name, subject_id in given.validated_data.items():
            queryset = queryset.filter(subject_is(subjects()[name]), object_id=subject_id)
        return queryset

    @extend_schema(parameters=[DocumentFilter])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: OpenApiResponse(description="The .docx file")})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        return docx_response(self.get_object())
