"""The liaison people are kept in the admin; the meetings change only through
`liaison.services` (the workbench and the API), so the admin shows them read only. A staff
member who is not a superuser sees and edits only the records of the public bodies where they
are a liaison or an administrator."""

from django.contrib import admin
from django.db.models import QuerySet

from liaison.models import AssociationMeeting, LiaisonPerson
from liaison.services import liaison_person_save
from organisations.models import OfficialRole, PublicBody, User
from organisations.roles import roles_of
from workflow.admin import ReadOnlyAdmin

Role = OfficialRole.Role


def _bodies(request) -> frozenset[int] | None:
    """The bodies the person keeps here; None: every body (a superuser)."""
    if request.user.is_superuser:
        return None
    return roles_of(request.user).public_bodies(Role.LIAISON, Role.ADMINISTRATOR)


class _ScopedToBody:
    def get_queryset(self, request) -> QuerySet:
        queryset = super().get_queryset(request)
        bodies = _bodies(request)
        return queryset if bodies is None else queryset.filter(public_body_id__in=bodies)


@admin.register(LiaisonPerson)
class LiaisonPersonAdmin(_ScopedToBody, admin.ModelAdmin):
    list_display = ["display_name", "title", "public_body", "working_time_percent", "starts_on"]
    list_filter = ["public_body"]
    list_select_related = ["public_body", "user"]
    search_fields = ["name", "user__first_name", "user__last_name", "title"]
    fields = [
        "public_body",
        ("user", "name"),
        ("title", "title_sv", "title_en"),
        "duties",
        "duties_sv",
        "duties_en",
        "working_time_percent",
        ("email", "phone"),
        ("starts_on", "ends_on"),
    ]

    def save_model(self, request, obj: LiaisonPerson, form, change: bool) -> None:
        liaison_person_save(obj, user=request.user, changed=form.changed_data if change else None)

    def has_delete_permission(self, request, obj=None) -> bool:
        # A liaison person's time ends on `ends_on`: the public record of who held the duty stays.
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        bodies = _bodies(request)
        if bodies is not None and db_field.name == "public_body":
            kwargs["queryset"] = PublicBody.objects.filter(pk__in=bodies)
        if bodies is not None and db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(
                official_roles__public_body_id__in=bodies
            ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(AssociationMeeting)
class AssociationMeetingAdmin(_ScopedToBody, ReadOnlyAdmin):
    """Planned, recorded and cancelled in the workbench (liaison.services), each audited."""

    list_display = ["starts_at", "public_body", "place", "state"]
    list_filter = ["state", "public_body"]
    list_select_related = ["public_body"]
