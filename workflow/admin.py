from django.contrib import admin
from django.db.models import F

from workflow.models import (
    ApprovalChain,
    ApprovalStep,
    CalendarFeed,
    Deadline,
    Disqualification,
    Notification,
    ReminderPolicy,
    ReminderRule,
    TransitionLog,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the engine writes: visible to administrators, changed by nobody."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ApprovalStepInline(admin.TabularInline):
    model = ApprovalStep
    extra = 0


@admin.register(ApprovalChain)
class ApprovalChainAdmin(admin.ModelAdmin):
    list_display = ["name", "public_body", "subject_kind", "version"]
    list_filter = ["subject_kind"]
    inlines = [ApprovalStepInline]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # What a chain reviews is chosen when it is made: records were sent through it as
        # that kind (workflow.chains.kind_mismatch).
        return ["version", "subject_kind"] if obj is not None else ["version"]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # Runs already started keep the steps they copied; the version says which they had.
        if change and any(fs.has_changed() for fs in formsets):
            ApprovalChain.objects.filter(pk=form.instance.pk).update(version=F("version") + 1)


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyAdmin):
    list_display = [
        "at",
        "content_type",
        "object_id",
        "kind",
        "transition",
        "from_state",
        "to_state",
        "actor",
    ]
    list_filter = ["kind", "content_type", "transition"]
    list_select_related = ["content_type", "actor"]
    date_hierarchy = "at"


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["due_on", "kind", "title", "status", "next_step", "next_reminder_at"]
    list_filter = ["kind", "status"]


@admin.register(Disqualification)
class DisqualificationAdmin(ReadOnlyAdmin):
    list_display = ["declared_at", "user", "content_type", "object_id"]


class ReminderRuleInline(admin.TabularInline):
    model = ReminderRule
    extra = 0


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    list_display = ["name"]
    inlines = [ReminderRuleInline]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The outbox. Failed rows (SMTP kept refusing them) are filtered here for follow-up."""

    list_display = [
        "created_at",
        "recipient",
        "address",
        "kind",
        "language",
        "status",
        "attempts",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "kind", "language"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__username", "recipient__email", "address", "key"]
    date_hierarchy = "created_at"


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    """Which feeds exist and when they were rotated; the token stays out of sight, since
    whoever reads it can subscribe to the owner's deadlines."""

    list_display = ["id", "association", "person", "created_at", "rotated_at"]
    list_select_related = ["association", "person"]
    exclude = ["token"]
    search_fields = ["association__name", "person__username"]
