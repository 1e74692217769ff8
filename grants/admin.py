from django.contrib import admin

from assessments.models import Criterion
from grants.models import Application, Call, ReasonText, RoundDecision
from workflow.admin import ReadOnlyAdmin


class CriterionInline(admin.StackedInline):
    """The criteria the call publishes, edited with the call (issue 14): a criterion's scale
    cannot shrink under scores already given (assessments.models.Criterion.clean)."""

    model = Criterion
    extra = 0
    fields = [
        ("position", "weight", "scale_min", "scale_max"),
        ("name", "name_sv", "name_en"),
        ("description", "description_sv", "description_en"),
    ]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["name", "public_body", "category", "opens_at", "closes_at", "budget"]
    list_filter = ["public_body", "category"]
    search_fields = ["name"]
    inlines = [CriterionInline]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """Applications change only through their transitions (the API and the portals)."""

    list_display = ["id", "association", "call", "state", "requested_amount", "granted_amount"]
    list_filter = ["state", "call"]
    list_select_related = ["association", "call"]
    search_fields = ["association__name", "purpose"]


@admin.register(ReasonText)
class ReasonTextAdmin(admin.ModelAdmin):
    """The reasons a body gives often, offered on the round page."""

    list_display = ["text", "public_body"]
    list_filter = ["public_body"]
    search_fields = ["text", "text_sv"]


@admin.register(RoundDecision)
class RoundDecisionAdmin(ReadOnlyAdmin):
    """Made only by deciding a round (grants.rounds)."""

    list_display = ["call", "decided_at", "decided_by", "board", "meeting_date", "meeting_section"]
    list_select_related = ["call", "decided_by"]
