"""Declaring a conflict of interest (esteellisyys, Administrative Procedure Act 27–30 §)."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from workflow.audit import action_record
from workflow.models import Disqualification


def disqualification_declare(subject: models.Model, *, user: Any, reason: str) -> Disqualification:
    """The official is disqualified on this record from now on; audited like a transition."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you are disqualified.")})
    try:
        with transaction.atomic():
            declared = Disqualification.objects.create(
                content_type=ContentType.objects.get_for_model(subject),
                object_id=subject.pk,
                user=user,
                reason=reason,
            )
            action_record(subject, action="declare_disqualification", actor=user, comment=reason)
    except IntegrityError:
        raise ValidationError(_("You have already declared a conflict of interest here.")) from None
    return declared
