"""The yearly summary API: `GET /api/v1/agreements-summary/?public_body=<id>&year=<yyyy>`
with `format=json|csv|xlsx` (json by default) and `language=fi|sv|en` for the files' column
headers (fi by default).

Only the officials of the public body (any official role) see its summary; for everyone else
the body answers 404, so the API does not tell which bodies exist. A missing or malformed
parameter is a 400. The figures come from agreements.summary.
"""

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agreements.summary import EXPORTS, LANGUAGES, yearly_summary
from documents.spreadsheets import XLSX_CONTENT_TYPE
from organisations.roles import roles_of
from workflow.api import MAX_ID
from workflow.validation import FIRST_YEAR, LAST_YEAR

FORMATS = ["json", *EXPORTS]


class AgreementSummaryQuerySerializer(serializers.Serializer):
    public_body = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    format = serializers.ChoiceField(choices=FORMATS, default="json")
    language = serializers.ChoiceField(choices=LANGUAGES, default="fi")


class AgreementSummaryRowSerializer(serializers.Serializer):
    association = serializers.IntegerField(source="association_id", allow_null=True)
    association_name = serializers.CharField()
    business_id = serializers.CharField()
    agreements = serializers.IntegerField()
    goals_met = serializers.IntegerField()
    goals_not_met = serializers.IntegerField()
    money = serializers.DecimalField(max_digits=14, decimal_places=2)
    premises_hours = serializers.DecimalField(max_digits=12, decimal_places=1)
    premises_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    staff_hours = serializers.DecimalField(max_digits=12, decimal_places=1)
    meetings_held = serializers.IntegerField()
    meetings_missed = serializers.IntegerField()


class AgreementSummarySerializer(serializers.Serializer):
    public_body = serializers.IntegerField(source="public_body_id")
    year = serializers.IntegerField()
    rows = AgreementSummaryRowSerializer(many=True)
    total = AgreementSummaryRowSerializer(
        help_text="Each agreement once: not the sum of the rows when an agreement has "
        "several associations."
    )


class AgreementSummaryView(APIView):
    """The yearly summary of a public body's partnership agreements for its welfare report
    (hyvinvointikertomus): per association and in total, the agreements in force during the
    year, the goals met and not met, the money paid, the free premises and staff time
    provided and the cooperation meetings held and missed."""

    def perform_content_negotiation(self, request: Request, force: bool = False):
        # `?format=` names csv or xlsx files too, not only DRF's renderers.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="agreements_summary",
        parameters=[AgreementSummaryQuerySerializer],
        responses={
            (200, "application/json"): AgreementSummarySerializer,
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="A missing or malformed parameter"),
            404: OpenApiResponse(description="Not a public body where you are an official"),
        },
    )
    def get(self, request: Request) -> Response | HttpResponse:
        query = AgreementSummaryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        body_id, year = query.validated_data["public_body"], query.validated_data["year"]
        if body_id not in roles_of(request.user).all_public_bodies:
            raise Http404
        summary = yearly_summary(body_id, year)
        export_format = query.validated_data["format"]
        if export_format == "json":
            return Response(AgreementSummarySerializer(summary).data)
        render, content_type = EXPORTS[export_format]
        response = HttpResponse(
            render(summary, query.validated_data["language"]), content_type=content_type
        )
        filename = f"kumppanuussopimukset-{body_id}-{year}.{export_format}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
