from django.contrib import admin

from assessments.models import Criterion, Reviewer, Score


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "call", "weight", "scale_min", "scale_max", "position"]
    list_filter = ["call__public_body"]
    search_fields = ["name", "call__name"]
    list_select_related = ["call"]


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    """Assigning here goes around the audit: the preparer assigns on the pages or the API."""

    list_display = ["user", "call", "application", "assigned_at"]
    list_select_related = ["user", "call", "application"]
    raw_id_fields = ["application"]


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    """Scores are the reviewers' own: read here, changed only by scoring (audited)."""

    list_display = ["application", "criterion", "reviewer", "value", "scored_at"]
    list_select_related = ["application", "criterion", "reviewer"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
