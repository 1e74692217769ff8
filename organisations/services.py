"""Writes on associations: registering one and keeping its contact and bank details current."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from organisations import tasks
from organisations.models import Association, AssociationRole
from organisations.roles import forget_roles
from organisations.rules import represents
from workflow.audit import action_record
from workflow.enqueue import enqueue_on_commit

EDITABLE_FIELDS = (
    "email",
    "iban",
    "language",
    "street_address",
    "postal_code",
    "post_office",
    "accepts_electronic_notification",
)


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
    action_record(association, action="register", actor=user)
    if settings.REGISTER_CHECK and association.business_id:
        # The register fills in the name, form, address and status: asked by the worker, so
        # a slow or unreachable register never holds the person's request.
        enqueue_on_commit(tasks.read_association_register, association.pk)
    return association


@transaction.atomic
def association_update(association: Association, *, user: Any, **fields: Any) -> Association:
    """A representative changes the contact email, bank account, language, postal address or
    the consent to electronic notification, which records who gave it and when."""
    if not represents(user, association):
        raise PermissionDenied(_("Only the association's representatives change its details."))
    association = Association.objects.select_for_update().get(pk=association.pk)
    changed = {
        k: v for k, v in fields.items() if k in EDITABLE_FIELDS and getattr(association, k) != v
    }
    for name, value in changed.items():
        setattr(association, name, value)
    if "accepts_electronic_notification" in changed:
        # Act 13/2003 19 §: the consent is the party's; keep whose it was and since when.
        consenting = association.accepts_electronic_notification
        association.electronic_notification_consent_by = user if consenting else None
        association.electronic_notification_consent_at = timezone.now() if consenting else None
    association.full_clean()
    association.save()
    action_record(
        association, action="update_details", actor=user, data={"changed": sorted(changed)}
    )
    return association


@transaction.atomic
def api_token_issue(user: Any) -> str:
    """The person's API token (DRF's, one per person), made the first time it is asked for;
    each issue is in the audit log, since whoever holds it acts as the person."""
    token, _created = Token.objects.get_or_create(user=user)
    action_record(user, action="issue_api_token", actor=user)
    return token.key


def person_update_preferences(user: Any, **fields: Any) -> None:
    """A person's own language and notification delivery; nothing else about them."""
    allowed = {k: v for k, v in fields.items() if k in ("language", "notification_delivery")}
    for name, value in allowed.items():
        setattr(user, name, value)
    user.full_clean(validate_unique=False)
    user.save(update_fields=list(allowed) or None)
