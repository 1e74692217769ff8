from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from documents.generation import regenerate
from documents.models import DocumentTemplate, GeneratedDocument, Kind
from documents.templates import lint, template_upload
from organisations.models import Language
from workflow.admin import ReadOnlyAdmin


class TemplateUploadForm(forms.ModelForm):
    """A new version of a template; the lint runs on upload and refuses a broken template."""

    kind = forms.ChoiceField(choices=Kind.choices)
    language = forms.ChoiceField(choices=Language.choices)
    file = forms.FileField(help_text="A .docx template (docxtpl syntax).")

    class Meta:
        model = DocumentTemplate
        fields = ["kind", "language", "file"]

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is None or "kind" not in data:
            return data
        if upload.size > 10 * 1024 * 1024:
            raise ValidationError({"file": "The template is larger than 10 MB."})
        upload.seek(0)
        problems = lint(upload.read(), data["kind"])
        upload.seek(0)
        if problems:
            raise ValidationError({"file": problems})
        return data


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    list_display = ["kind", "language", "version", "uploaded_by", "uploaded_at", "sha256"]
    list_filter = ["kind", "language"]
    form = TemplateUploadForm

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # versions are never edited: upload a new one

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # documents name the template version they came from

    def save_model(self, request, obj, form, change) -> None:
        upload = form.cleaned_data["file"]
        upload.seek(0)
        try:
            saved = template_upload(
                kind=form.cleaned_data["kind"],
                language=form.cleaned_data["language"],
                docx=upload.read(),
                user=request.user,
            )
        except ValidationError as exc:
            raise ValidationError(exc.message_dict.get("file", exc.messages)) from None
        obj.pk, obj.version = saved.pk, saved.version


@admin.action(description="Regenerate with the current template (a new version)")
def regenerate_documents(modeladmin, request, queryset) -> None:
    for document in queryset:
        regenerate(document)
    modeladmin.message_user(request, f"{queryset.count()} document(s) regenerated.")


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(ReadOnlyAdmin):
    actions = [regenerate_documents]
    list_display = [
        "created_at",
        "kind",
        "language",
        "version",
        "content_type",
        "object_id",
        "sha256",
    ]
    list_filter = ["kind", "language"]
