"""Writes on the catalogue: an entry created or changed by an official of its body, checked
whole and audited. Other rooms check that an entry they point at is their record's body's
(`premises_of_body_check`)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organisations.roles import roles_of
from premises.models import Premises
from workflow.audit import action_record


def premises_of_body_check(premises: Premises | None, public_body_id: int, *, field: str) -> None:
    """An agreement's resource or a grant's in-kind support points only at an entry of its own
    body's catalogue: a foreign body's entry is refused by name."""
    if premises is not None and premises.public_body_id != public_body_id:
        raise ValidationError(
            {
                field: _("The premises “%(name)s” are not in this public body’s catalogue.")
                % {"name": premises.name}
            }
        )


def _may_edit(user: Any, public_body_id: int) -> bool:
    return user.is_superuser or public_body_id in roles_of(user).all_public_bodies


@transaction.atomic
def premises_save(premises: Premises, *, user: Any, changed: list[str] | None = None) -> Premises:
    """Create an entry, or save the given fields of one (all when `changed` is None), by an
    official of its body (or an administrator), audited with what changed."""
    if not _may_edit(user, premises.public_body_id):
        raise PermissionDenied(_("Only the public body's officials edit its premises."))
    premises.full_clean()
    created = premises.pk is None
    if created:
        premises.save()
    elif changed == []:
        return premises
    else:
        premises.save(update_fields=changed)
    action_record(
        premises,
        action="create" if created else "edit",
        actor=user,
        data={} if created else {"changed": changed or "all"},
    )
    return premises
