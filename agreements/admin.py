"""Agreements in the admin: to read, with their parties, versions, meetings and evaluations.

States change only through the transitions (the API and the scans), so every state and every
record the engine writes is read-only here. The one thing an administrator changes is who
looks after an agreement (its liaison, contact, unit and approval chain for later reviews);
that change is audited like any other.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _

from agreements.models import (
    Agreement,
    AgreementAttachment,
    AgreementParty,
    AgreementVersion,
    Evaluation,
    Goal,
    GoalResult,
    Meeting,
    Resource,
    Signature,
    VersionComment,
)
from organisations.models import AssociationRole, OfficialRole
from workflow.admin import ReadOnlyAdmin
from workflow.audit import action_record


def edited_save(request: HttpRequest, obj: Any, form: forms.ModelForm, data: dict) -> None:
    """Save only the columns the admin form changed, audited as an edit: a full save would
    write back the state read when the form opened over a transition performed meanwhile."""
    if not form.changed_data:
        return
    obj.save(update_fields=form.changed_data)
    action_record(obj, action="edit", actor=request.user, data=data)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PartyInline(ReadOnlyInline):
    model = AgreementParty
    fields = ["association", "position", "signatures_required"]
    show_change_link = False


class VersionInline(ReadOnlyInline):
    model = AgreementVersion
    fields = ["number", "state", "author_side", "created_at", "title", "starts_on", "ends_on"]


class AttachmentInline(ReadOnlyInline):
    model = AgreementAttachment
    fields = ["name", "size", "content_type", "uploaded_by", "uploaded_at"]
    show_change_link = False


# What an administrator may change: who looks after the agreement.
EDITABLE = ["unit", "chain", "liaison", "contact"]


class AgreementForm(forms.ModelForm):
    """People, a unit and a chain of the agreement's own public body."""

    class Meta:
        model = Agreement
        fields = EDITABLE

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        agreement = self.instance
        body_id = agreement.public_body_id
        if data.get("unit") and data["unit"].public_body_id != body_id:
            self.add_error("unit", _("A unit of the agreement's public body."))
        if data.get("chain") and data["chain"].public_body_id != body_id:
            self.add_error("chain", _("An approval chain of the agreement's public body."))
        liaison = data.get("liaison")
        if (
            liaison
            and not OfficialRole.objects.filter(
                user=liaison, public_body_id=body_id, role=OfficialRole.Role.LIAISON
            ).exists()
        ):
            self.add_error("liaison", _("A liaison of the agreement's public body."))
        contact = data.get("contact")
        if (
            contact
            and not AssociationRole.objects.filter(
                user=contact, association_id__in=agreement.association_ids
            ).exists()
        ):
            self.add_error("contact", _("A person of an association party to the agreement."))
        return data


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    """Agreements are created and change state through the services and transitions; here an
    administrator reads them and may name who looks after them."""

    form = AgreementForm
    list_display = ["number", "title", "public_body", "state", "activated_on", "ended_on"]
    list_filter = ["state", "public_body"]
    list_select_related = ["public_body", "in_force_version"]
    search_fields = ["number", "versions__title", "associations__name"]
    inlines = [PartyInline, VersionInline, AttachmentInline]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("versions")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [
            f.name
            for f in Agreement._meta.concrete_fields
            if f.name not in EDITABLE and f.name != "id"
        ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Agreement, form: forms.ModelForm, change: bool):
        # The edited columns are people (liaison, signatories): the audit keeps their ids.
        edited_save(
            request,
            obj,
            form,
            {f: form.cleaned_data[f] and form.cleaned_data[f].pk for f in form.changed_data},
        )


class GoalInline(ReadOnlyInline):
    model = Goal
    fields = ["position", "title", "indicator", "target"]
    show_change_link = False


class ResourceInline(ReadOnlyInline):
    model = Resource
    fields = ["year", "kind", "provided_by", "description", "amount", "hours", "hours_per"]
    fields += ["pays_on"]
    show_change_link = False


class SignatureInline(ReadOnlyInline):
    model = Signature
    fields = ["side", "association", "signer", "signed_at"]
    show_change_link = False


class CommentInline(ReadOnlyInline):
    model = VersionComment
    fields = ["created_at", "author", "side", "body"]
    show_change_link = False


# A version's terms are never edited; its title in Swedish and English names it in a matter
# handled in that language (organisations.languages) and changes nothing that was agreed.
TRANSLATED = ["title_sv", "title_en"]


@admin.register(AgreementVersion)
class AgreementVersionAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "number", "state", "author_side", "title", "created_at"]
    list_filter = ["state", "author_side"]
    list_select_related = ["agreement"]
    search_fields = ["agreement__number", "title", "title_sv"]
    inlines = [GoalInline, ResourceInline, SignatureInline, CommentInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin.ModelAdmin.has_change_permission(self, request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [
            f.name
            for f in AgreementVersion._meta.concrete_fields
            if f.name not in TRANSLATED and f.name != "id"
        ]

    def save_model(
        self, request: HttpRequest, obj: AgreementVersion, form: forms.ModelForm, change: bool
    ) -> None:
        edited_save(request, obj, form, {f: form.cleaned_data[f] for f in form.changed_data})


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "due_on", "held_on", "status", "recorded_by"]
    list_filter = ["cancelled"]
    list_select_related = ["agreement", "recorded_by"]
    search_fields = ["agreement__number"]
    date_hierarchy = "due_on"


class GoalResultInline(ReadOnlyInline):
    model = GoalResult
    fields = ["goal", "value", "comment", "met"]
    show_change_link = False


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "period_starts_on", "period_ends_on", "due_on", "state"]
    list_filter = ["state"]
    list_select_related = ["agreement"]
    search_fields = ["agreement__number"]
    inlines = [GoalResultInline]
