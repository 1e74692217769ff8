"""Reads: which generated documents a person may see, in one query whatever their number.

- A grant application's documents: whoever sees the application (grants.selectors).
- An agreement's documents: whoever sees the agreement (agreements.selectors) its agreement
  documents; the public body's officials among them also its payment orders, which are the
  body's instructions to its finance and belong to no version.

  A party's people see only the versions their side wrote or was shown (agreements'
  `versions_for_user`), but that needs no check here: an agreement document is rendered only
  for an approved version (its `source` is "v{n}:approved" or "v{n}:signed", or empty for a
  copy regenerated in the admin), and a version is approved only after it was proposed and
  accepted. So the rule for the parties is simply "the documents of the approved and signed
  versions": every agreement document of an agreement they see. Matching on `source` would
  hide the regenerated copies.
- Finance: every document of a subject with a payable of the bodies where they work in
  finance, agreements included.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from agreements.models import Agreement
from agreements.selectors import agreements_for_user
from documents.models import GeneratedDocument, Kind, Payable
from documents.payables import finance_bodies
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


def documents_for(user: Any) -> QuerySet[GeneratedDocument]:
    """The generated documents the person may see and download (the module's rule), with
    their template and their subject's content type."""
    applications = applications_for_user(user).prefetch_related(None).values("pk")
    agreements = agreements_for_user(user).prefetch_related(None)
    # The officials' side of the agreements they see: the body's own records.
    body_agreements = agreements.filter(public_body_id__in=roles_of(user).all_public_bodies)
    paid_by_me = Payable.objects.filter(
        content_type=OuterRef("content_type"),
        object_id=OuterRef("object_id"),
        public_body_id__in=finance_bodies(user),
    )
    return GeneratedDocument.objects.filter(
        (subject_is(Application) & Q(object_id__in=applications))
        | (subject_is(Agreement) & Q(kind=Kind.AGREEMENT, object_id__in=agreements.values("pk")))
        | (subject_is(Agreement) & Q(object_id__in=body_agreements.values("pk")))
        | Q(Exists(paid_by_me))
    ).select_related("template", "content_type")
