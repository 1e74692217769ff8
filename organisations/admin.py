from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from organisations import ytj
from organisations.association_register import register_check
from organisations.models import (
    UNREGISTERED_GROUP,
    Association,
    AssociationRole,
    OfficialRole,
    PublicBody,
    SectionRegister,
    Unit,
    User,
)
from workflow.admin import ReadOnlyAdmin


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["name", "name_sv", "name_en"]


class SectionRegisterInline(admin.TabularInline):
    """The body's register of decisions: its numbers are given by the decisions alone
    (organisations.registers), so they are read here, never changed."""

    model = SectionRegister
    extra = 0
    can_delete = False
    fields = ["year", "last_section"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class BodyOfficialRoleInline(admin.TabularInline):
    """The body's officials and the titles their decisions state (a decision is refused
    while its maker has none, organisations.facts)."""

    model = OfficialRole
    extra = 0
    fields = ["user", "unit", "role", "title", "title_sv", "title_en"]
    raw_id_fields = ["user"]


@admin.register(PublicBody)
class PublicBodyAdmin(admin.ModelAdmin):
    """The body's facts: what its decisions, notifications and payment files state
    (organisations.facts refuses a decision while one it must state is missing)."""

    list_display = ["name", "name_sv", "kind", "business_id", "registry_email"]
    search_fields = ["name", "name_sv", "name_en", "business_id"]
    inlines = [UnitInline, BodyOfficialRoleInline, SectionRegisterInline]
    fieldsets = [
        (_("Names"), {"fields": ["name", "name_sv", "name_en", "kind", "business_id"]}),
        (_("Contact"), {"fields": ["address", "phone"]}),
        (_("Registry"), {"fields": ["registry_address", "registry_email"]}),
        (
            _("Payer and payment file"),
            {
                "fields": [
                    "finance_email",
                    "payer_name",
                    "payer_iban",
                    "payer_bic",
                    "payment_service_id",
                    "sepa_version",
                ]
            },
        ),
        (_("Administrative court"), {"fields": ["court_name", "court_address", "court_email"]}),
    ]


@admin.register(SectionRegister)
class SectionRegisterAdmin(ReadOnlyAdmin):
    list_display = ["public_body", "year", "last_section"]
    list_filter = ["year", "public_body"]
    list_select_related = ["public_body"]


class UnregisteredFilter(admin.SimpleListFilter):
    """Registered associations, or unregistered groups under a responsible person."""

    title = _("unregistered group")
    parameter_name = "unregistered"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", _("Unregistered groups")), ("no", _("Registered associations"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Association]) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(UNREGISTERED_GROUP)
        if self.value() == "no":
            return queryset.exclude(UNREGISTERED_GROUP)
        return queryset


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "business_id",
        "register_number",
        "language",
        "register_status",
        "responsible_person",
    ]
    search_fields = ["name", "business_id", "register_number", "responsible_person"]
    list_filter = [
        "language",
        "accepts_electronic_notification",
        "register_status",
        UnregisteredFilter,
    ]
    # The consent is the association's own act (organisations.services.association_update);
    # the register's reading is the register's (organisations.association_register).
    readonly_fields = [
        "accepts_electronic_notification",
        "electronic_notification_consent_by",
        "electronic_notification_consent_at",
        "register_status",
        "register_form",
        "register_since",
        "register_read_at",
        "register_tried_at",
        "register_error",
    ]
    actions = ["read_register"]

    @admin.action(description=_("Read the association register now"))
    def read_register(self, request: HttpRequest, queryset: QuerySet[Association]) -> None:
        with ytj.YtjClient() as client:
            counts = register_check(queryset.order_by("pk"), client)
        self.message_user(
            request,
            _("Read: %(read)s; the register did not answer for: %(failed)s.") % counts,
        )


class AssociationRoleInline(admin.TabularInline):
    model = AssociationRole
    extra = 0
    autocomplete_fields = ["association"]


class OfficialRoleInline(admin.TabularInline):
    model = OfficialRole
    extra = 0
    # The title a decision states under its maker's name, in each language of a matter.
    fields = ["public_body", "unit", "role", "title", "title_sv", "title_en"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = [*DjangoUserAdmin.fieldsets, (_("Language"), {"fields": ["language"]})]
    inlines = [AssociationRoleInline, OfficialRoleInline]
