"""Downloading generated documents: an association's people see their own association's,
officials and finance those of their public body (finance also the documents of every subject
with a payable of its bodies, agreements included), nobody else (404)."""

from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request

from documents.models import GeneratedDocument, Payable
from documents.payables import finance_bodies
from grants.models import Application
from grants.selectors import applications_for_user


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


class GeneratedDocumentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Decision documents and payment orders, every version (filter with ?application=)."""

    serializer_class = GeneratedDocumentSerializer

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
        application = self.request.query_params.get("application")
        if application and application.isdigit():
            queryset = queryset.filter(object_id=int(application))
        return queryset

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
