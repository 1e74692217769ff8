from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from identity.models import Identity
from identity.services import identity_code_hash_for, identity_code_link
from organisations.admin import UserAdmin
from workflow.admin import ReadOnlyAdmin


@admin.register(Identity)
class IdentityAdmin(ReadOnlyAdmin):
    """Written by signing in alone (identity.services.person_sign_in), and by an administrator
    linking a person in advance (provider "advance", PersonAdmin below)."""

    list_display = ["user", "provider", "created_at", "last_sign_in_at"]
    list_filter = ["provider"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    # The hash matches a code only with the key; shown to nobody all the same.
    exclude = ["hetu_hash"]


class PersonAdminForm(UserAdmin.form):
    """The person's form with their personal identity code, written and never read back: the
    code is checked (its form, birth date, century sign and check character), and only its
    keyed hash is kept (identity.services.identity_code_link)."""

    identity_code = forms.CharField(
        label=_("personal identity code"),
        required=False,
        max_length=20,
        # Never rendered back, not even after an error: what was typed is not echoed.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Links the person to their strong identification in advance: their first sign-in "
            "through Suomi.fi then finds this person instead of creating a new one. Only a "
            "keyed hash of the code is kept, and the code is never shown. Leave empty to "
            "change nothing."
        ),
    )

    def clean_identity_code(self) -> str:
        code = self.cleaned_data["identity_code"]
        if code:
            identity_code_hash_for(self.instance, code)
        return code


class PersonAdmin(UserAdmin):
    form = PersonAdminForm

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:  # the add form is Django's own (username and password)
            return fieldsets
        return [*fieldsets, (_("Strong identification"), {"fields": ["identity_code"]})]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        code = form.cleaned_data.get("identity_code")
        if code:
            identity_code_link(user=obj, code=code, actor=request.user)


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), PersonAdmin)
