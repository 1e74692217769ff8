from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from organisations.models import (
    Association,
    AssociationRole,
    OfficialRole,
    PublicBody,
    Unit,
    User,
)


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(PublicBody)
class PublicBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "business_id"]
    search_fields = ["name", "business_id"]
    inlines = [UnitInline]
    fieldsets = [
        (None, {"fields": ["name", "kind", "business_id"]}),
        (_("Registry"), {"fields": ["address", "registry_email"]}),
        (_("Finance"), {"fields": ["finance_email", "payer_name", "payer_iban", "payer_bic"]}),
        (_("Appeals"), {"fields": ["court_name", "court_address", "court_email"]}),
    ]


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ["name", "business_id", "register_number", "language"]
    search_fields = ["name", "business_id", "register_number"]
    list_filter = ["language", "accepts_electronic_notification"]
    # The consent is the association's own act (organisations.services.association_update).
    readonly_fields = [
        "accepts_electronic_notification",
        "electronic_notification_consent_by",
        "electronic_notification_consent_at",
    ]


class AssociationRoleInline(admin.TabularInline):
    model = AssociationRole
    extra = 0
    autocomplete_fields = ["association"]


class OfficialRoleInline(admin.TabularInline):
    model = OfficialRole
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = [*DjangoUserAdmin.fieldsets, (_("Language"), {"fields": ["language"]})]
    inlines = [AssociationRoleInline, OfficialRoleInline]
