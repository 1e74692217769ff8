from django.contrib import admin

from grants.models import Application, Call, ReasonText, RoundDecision
from workflow.admin import ReadOnlyAdmin


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["name", "public_body", "category", "opens_at", "closes_at", "budget"]
    list_filter = ["public_body", "category"]
    search_fields = ["name"]


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
