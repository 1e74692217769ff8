"""Writes on associations: registering one and keeping its contact and bank details current."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from organisations.models import Association, AssociationRole
from organisations.roles import forget_roles
from organisations.rules import represents
from workflow.transitions import audit_record

EDITABLE_FIELDS = ("email", "iban", "language", "accepts_electronic_notification")


@transaction.atomic
def association_register(*, user: Any, **fields: Any) -> Association:
    """Register an association; the person registering it becomes its representative."""
    association = Association(**fields)
    association.full_clean()
    association.save()
    AssociationRole.objects.create(
        user=user, association=association, role=AssociationRole.Role.REPRESENTATIVE
    )
    forget_roles(user)
    audit_record(association, transition="register", source="", target="", actor=user)
    return association


@transaction.atomic
def association_update(association: Association, *, user: Any, **fields: Any) -> Association:
    """A representative changes the contact email, bank account, language or consent."""
    if not represents(user, association):
        raise PermissionDenied(_("Only the association's representatives change its details."))
    association = Association.objects.select_for_update().get(pk=association.pk)
    changed = {k: v for k, v in fields.items() if k in EDITABLE_FIELDS}
    for name, value in changed.items():
        setattr(association, name, value)
    association.full_clean()
    association.save()
    audit_record(
        association,
        transition="update_details",
        source="",
        target="",
        actor=user,
        data={"changed": sorted(changed)},
    )
    return association


def person_update_preferences(user: Any, **fields: Any) -> None:
    """A person's own language and notification delivery; nothing else about them."""
    allowed = {k: v for k, v in fields.items() if k in ("language", "notification_delivery")}
    for name, value in allowed.items():
        setattr(user, name, value)
    user.full_clean(validate_unique=False)
    user.save(update_fields=list(allowed) or None)
