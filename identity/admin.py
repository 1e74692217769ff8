from django.contrib import admin

from identity.models import Identity
from workflow.admin import ReadOnlyAdmin


@admin.register(Identity)
class IdentityAdmin(ReadOnlyAdmin):
    """Written by signing in alone (identity.services.person_sign_in)."""

    list_display = ["user", "provider", "created_at", "last_sign_in_at"]
    list_filter = ["provider"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    # The hash matches a code only with the key; shown to nobody all the same.
    exclude = ["hetu_hash"]
