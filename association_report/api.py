"""The yearly association report API: `GET /api/v1/reports/yearly/?year=<yyyy>` with
`public_body=<id>` (needed only by an official of several bodies), `format=json|csv|xlsx`
(json by default) and `language=fi|sv|en` for the files' headers and names (fi by default).

Only the body's officials (any official role) see its report: another body's id is a 404, a
person who is no body's official a 403; a missing or malformed parameter is a 400. The
figures come from association_report.figures (docs/association-report.md)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agreements.summary_api import AgreementSummarySerializer
from association_report.figures import yearly_report
from association_report.tables import EXPORTS
from documents.spreadsheets import XLSX_CONTENT_TYPE
from grants.api import IndicatorReportSerializer
from organisations.models import PublicBody
from organisations.roles import roles_of
from workflow.api import MAX_ID
from workflow.validation import FIRST_YEAR, LAST_YEAR

MONEY = {"max_digits": 14, "decimal_places": 2}


class YearlyReportQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    public_body = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="Needed when you are an official of several bodies.",
    )
    format = serializers.ChoiceField(choices=["json", *EXPORTS], default="json")
    language = serializers.ChoiceField(choices=["fi", "sv", "en"], default="fi")


class ReportGrantFiguresSerializer(serializers.Serializer):
    applied_count = serializers.IntegerField(help_text="Applications submitted in the year.")
    applied = serializers.DecimalField(help_text="The sum they asked (€).", **MONEY)
    granted_count = serializers.IntegerField(help_text="Grants decided in the year.")
    granted = serializers.DecimalField(help_text="The sum granted (€).", **MONEY)
    paid = serializers.DecimalField(
        help_text="Paid in the year, less reversals and money paid back (€).", **MONEY
    )


class ReportCategoryGrantsSerializer(ReportGrantFiguresSerializer):
    category = serializers.CharField(source="key")


class ReportCallGrantsSerializer(ReportGrantFiguresSerializer):
    call = serializers.IntegerField(source="key")
    call_name = serializers.CharField(source="name")


class ReportAssociationGrantsSerializer(ReportGrantFiguresSerializer):
    association = serializers.IntegerField(source="key")
    association_name = serializers.CharField(source="name")
    business_id = serializers.CharField()


class ReportGrantsSerializer(serializers.Serializer):
    by_category = ReportCategoryGrantsSerializer(many=True)
    by_call = ReportCallGrantsSerializer(many=True)
    by_association = ReportAssociationGrantsSerializer(many=True)
    total = ReportGrantFiguresSerializer()


class ReportPremisesFiguresSerializer(serializers.Serializer):
    hours = serializers.DecimalField(max_digits=12, decimal_places=1)
    value = serializers.DecimalField(
        help_text="At the catalogue's value per hour; premises not in the catalogue at the "
        "value the agreement states (€).",
        **MONEY,
    )


class ReportAssociationPremisesSerializer(ReportPremisesFiguresSerializer):
    association = serializers.IntegerField(source="key")
    association_name = serializers.CharField(source="name")
    business_id = serializers.CharField()


class ReportEntryPremisesSerializer(ReportPremisesFiguresSerializer):
    premises = serializers.IntegerField(
        source="key", allow_null=True, help_text="null: premises not in the catalogue."
    )
    premises_name = serializers.CharField(source="name")


class ReportPremisesSerializer(serializers.Serializer):
    by_association = ReportAssociationPremisesSerializer(many=True)
    by_premises = ReportEntryPremisesSerializer(many=True)
    total = ReportPremisesFiguresSerializer()


class ReportRaisedMatterSerializer(serializers.Serializer):
    association = serializers.IntegerField(source="association_id", allow_null=True)
    association_name = serializers.CharField(source="association.name", default="")
    matter = serializers.CharField()
    response = serializers.CharField()


class ReportMeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    place = serializers.CharField()
    matters_count = serializers.IntegerField()
    matters = ReportRaisedMatterSerializer(many=True)


class ReportMeetingsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    matters_count = serializers.IntegerField()
    held = ReportMeetingSerializer(many=True)


class YearlyReportSerializer(serializers.Serializer):
    public_body = serializers.IntegerField(source="public_body_id")
    public_body_name = serializers.CharField()
    year = serializers.IntegerField()
    grants = ReportGrantsSerializer()
    indicators = IndicatorReportSerializer()
    agreements = AgreementSummarySerializer()
    premises = ReportPremisesSerializer()
    meetings = ReportMeetingsSerializer()


class YearlyReportView(APIView):
    """The yearly association report of a public body (järjestötietoraportti) for its welfare
    report: grants by category, call and association (applied, granted, paid), the indicators
    the applications answered, the partnership agreements' yearly summary, the free premises
    hours the body provided (per association and per premises, with their value) and the
    association meetings (yhdistysilta) held, with the matters raised."""

    def perform_content_negotiation(self, request: Request, force: bool = False):
        # `?format=` names csv or xlsx files too, not only DRF's renderers.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="reports_yearly",
        parameters=[YearlyReportQuerySerializer],
        responses={
            (200, "application/json"): YearlyReportSerializer,
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="A missing or malformed parameter"),
            403: OpenApiResponse(description="Not an official of any public body"),
            404: OpenApiResponse(description="Not a public body where you are an official"),
        },
    )
    def get(self, request: Request) -> Response | HttpResponse:
        query = YearlyReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        bodies = roles_of(request.user).all_public_bodies
        if not bodies:
            raise PermissionDenied
        asked = query.validated_data.get("public_body")
        if asked is None:
            if len(bodies) > 1:
                raise ValidationError(
                    {"public_body": [_("You are an official of several bodies: name one.")]}
                )
            (asked,) = bodies
        if asked not in bodies:
            raise Http404
        report = yearly_report(PublicBody.objects.get(pk=asked), query.validated_data["year"])
        export_format = query.validated_data["format"]
        if export_format == "json":
            return Response(YearlyReportSerializer(report).data)
        render, content_type = EXPORTS[export_format]
        response = HttpResponse(
            render(report, query.validated_data["language"]), content_type=content_type
        )
        filename = f"jarjestotietoraportti-{asked}-{report.year}.{export_format}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
