from django.contrib import admin

from assessments.models import Criterion, Reviewer, Score


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "call", "weight", "scale_min", "scale_max", "position"]
    list_filter = ["call__public_body"]
    search_fields = ["name", "call__name"]
    list_select_related = ["call"]


class ReadOnly(admin.ModelAdmin):
    """Assignments and scores change only through the services, which check who acts and
    audit it (assessments.services): the admin reads them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Reviewer)
class ReviewerAdmin(ReadOnly):
    list_display = ["user", "call", "application", "assigned_at"]
    list_select_related = ["user", "call", "application"]


@admin.register(Score)
class ScoreAdmin(ReadOnly):
    list_display = ["application", "criterion", "reviewer", "value", "scored_at"]
    list_select_related = ["application", "criterion", "reviewer"]
