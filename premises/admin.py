from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import ForeignKey
from django.http import HttpRequest

from organisations.models import PublicBody
from organisations.roles import roles_of
from premises.models import Premises
from premises.selectors import premises_of_official
from premises.services import premises_save


@admin.register(Premises)
class PremisesAdmin(admin.ModelAdmin):
    """The body's officials keep its catalogue here; each save is audited
    (premises.services). An official sees and edits only their bodies' entries."""

    list_display = ["name", "public_body", "town", "capacity", "value_per_hour", "active"]
    list_filter = ["active", "public_body"]
    list_select_related = ["public_body"]
    search_fields = ["name", "name_sv", "address", "town"]
    fieldsets = [
        (None, {"fields": ["public_body", "active", ("name", "name_sv", "name_en")]}),
        (None, {"fields": [("address", "postal_code", "town"), "capacity"]}),
        (
            None,
            {
                "fields": [
                    ("step_free_access", "accessible_toilet", "induction_loop"),
                    ("accessibility", "accessibility_sv", "accessibility_en"),
                ]
            },
        ),
        (None, {"fields": [("hours_available", "hours_available_sv", "hours_available_en")]}),
        (None, {"fields": [("booking_email", "booking_phone"), "value_per_hour"]}),
    ]

    def get_queryset(self, request: HttpRequest):
        return premises_of_official(request.user)

    def formfield_for_foreignkey(self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any):
        if db_field.name == "public_body" and not request.user.is_superuser:
            kwargs["queryset"] = PublicBody.objects.filter(
                pk__in=roles_of(request.user).all_public_bodies
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # An entry that was used stays for the report; one no longer lent is made inactive.
        return False

    def save_model(self, request: HttpRequest, obj: Premises, form: forms.ModelForm, change: bool):
        premises_save(obj, user=request.user, changed=form.changed_data if change else None)
