"""The forms in the admin: an administrator edits a form's content as JSON without a deploy
(checked by `definition_check`, every fault shown on the field) and previews it as the
association sees it. Saving makes a new version once an application has used the current one
(application_forms.versions)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from application_forms.definition import LANGUAGES, definition_check
from application_forms.models import FormDefinition, FormVersion
from application_forms.rendering import page_sections
from application_forms.versions import default_content, version_save


class FormDefinitionForm(forms.ModelForm):
    content = forms.JSONField(
        label=_("Content"),
        help_text=_(
            "Sections and their fields as JSON (see application_forms/definition.py). Once an "
            "application has used the current version, saving makes a new version; "
            "applications keep theirs."
        ),
        widget=forms.Textarea(attrs={"rows": 40, "cols": 100, "spellcheck": "false"}),
    )

    class Meta:
        model = FormDefinition
        fields = ["public_body", "name"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.current_version() if self.instance.pk else None
        self.fields["content"].initial = current.content if current else default_content()

    def clean_content(self) -> Any:
        content = self.cleaned_data["content"]
        definition_check(content)
        return content


class FormVersionInline(admin.TabularInline):
    model = FormVersion
    fields = ["number", "created_at", "created_by", "preview"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("Preview"))
    def preview(self, version: FormVersion) -> str:
        url = reverse(
            "admin:application_forms_formdefinition_preview", args=[version.definition_id]
        )
        return format_html('<a href="{}?version={}">{}</a>', url, version.number, _("Preview"))


@admin.register(FormDefinition)
class FormDefinitionAdmin(admin.ModelAdmin):
    form = FormDefinitionForm
    list_display = ["name", "public_body", "current_number"]
    list_filter = ["public_body"]
    search_fields = ["name"]
    inlines = [FormVersionInline]

    @admin.display(description=_("version"))
    def current_number(self, definition: FormDefinition) -> int | None:
        current = definition.current_version()
        return current.number if current else None

    def save_model(
        self, request: HttpRequest, obj: FormDefinition, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        version_save(obj, form.cleaned_data["content"], user=request.user)

    def get_urls(self) -> list[Any]:
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path(
                "<int:pk>/preview/",
                preview,
                name="application_forms_formdefinition_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The form as the association sees it, in the chosen language; nothing is saved."""
        definition = get_object_or_404(FormDefinition, pk=pk)
        if not self.has_view_permission(request, definition):
            raise Http404
        versions = definition.versions.order_by("-number")
        number = request.GET.get("version", "")
        version = versions.filter(number=number).first() if number.isdigit() else versions.first()
        if version is None:
            raise Http404
        language = request.GET.get("language", "")
        language = language if language in LANGUAGES else translation.get_language()[:2]
        with translation.override(language):
            sections = page_sections(version.content, {})
            return render(
                request,
                "application_forms/preview.html",
                {
                    "definition": definition,
                    "version": version,
                    "versions": versions,
                    "sections": sections,
                    "languages": LANGUAGES,
                    "language": language,
                },
            )

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        extra = {
            "preview_url": reverse(
                "admin:application_forms_formdefinition_preview", args=[object_id]
            )
            if object_id.isdigit()
            else ""
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})
