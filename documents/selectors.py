"""Reads: which generated documents a person may see, in one query whatever their number.

The same rule for a grant application and a partnership agreement:

- The association's side (its people, for the applications and agreements they see) gets the
  decisions addressed to it: the grant and rectification decisions, the agreement. An agreement
  document is rendered only for an approved version, which both sides have seen, so every
  agreement document of an agreement they see is theirs (matching the version's `source`
  would hide a copy regenerated in the admin, whose `source` is empty).
- The public body's officials get every document of the body's applications and agreements,
  payment orders included: those are the body's instructions to its finance.
- Finance gets every document of a subject with a payable of the bodies where they work in
  finance.
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from agreements.models import Agreement
from agreements.selectors import agreements_for_user
from documents.models import GeneratedDocument, Payable
from documents.payables import finance_bodies
from documents.services import DECISION_KINDS
from grants.models import Application
from grants.selectors import applications_for_user
from organisations.roles import roles_of

# The subjects a document may have, by the name the API gives their type.
SUBJECTS: dict[str, type[Application] | type[Agreement]] = {
    "application": Application,
    "agreement": Agreement,
}


def subject_is(model: type) -> Q:
    """Documents whose subject is a `model` (matched on its content type's natural key in the
    same query, so the query count does not depend on ContentType's cache)."""
    return Q(
        content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name
    )


def _of_subjects(model: type, visible: QuerySet, body_field: str, bodies: Any) -> Q:
    """Documents of the `visible` records of `model`: their decisions, and every document of
    those of the person's public bodies (`body_field` names a record's body)."""
    of_body = visible.filter(**{f"{body_field}__in": bodies})
    return subject_is(model) & (
        Q(kind__in=DECISION_KINDS, object_id__in=visible.values("pk"))
        | Q(object_id__in=of_body.values("pk"))
    )


def documents_for(user: Any) -> QuerySet[GeneratedDocument]:
    """The generated documents the person may see and download (the module's rule), with
    their template and their subject's content type."""
    bodies = roles_of(user).all_public_bodies
    applications = applications_for_user(user).prefetch_related(None)
    agreements = agreements_for_user(user).prefetch_related(None)
    paid_by_me = Payable.objects.filter(
        content_type=OuterRef("content_type"),
        object_id=OuterRef("object_id"),
        public_body_id__in=finance_bodies(user),
    )
    return GeneratedDocument.objects.filter(
        _of_subjects(Application, applications, "call__public_body_id", bodies)
        | _of_subjects(Agreement, agreements, "public_body_id", bodies)
        | Q(Exists(paid_by_me))
    ).select_related("template", "content_type")


def subject_documents_for(user: Any, subject: Model) -> QuerySet[GeneratedDocument]:
    """The documents of one application or agreement that the person may see."""
    return documents_for(user).filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    )
