"""Reads: which generated documents a person may see, in one query whatever their number.

The same rule for every subject that has documents (a grant application, a partnership
agreement: each subject app registers itself with `subject_register` when it is ready):

- The association's side (its people, for the records they see) gets the decisions addressed
  to it (`DECISION_KINDS`). An agreement document is rendered only for an approved version,
  which both sides have seen, so every agreement document of an agreement they see is theirs
  (matching the version's `source` would hide a copy regenerated in the admin, whose `source`
  is empty).
- The public body's officials get every document of the body's records, payment orders
  included: those are the body's instructions to its finance.
- Other rules are registered with `visibility_register`: finance gets every document of a
  subject with a payable of the bodies where they work in finance (finance.payables).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from documents.models import DECISION_KINDS, GeneratedDocument
from organisations.roles import roles_of


@dataclass(frozen=True)
class Subject:
    """A kind of record documents are made for."""

    model: type[Model]
    # The records of the model the person sees (the subject app's own rule).
    visible: Callable[[Any], QuerySet]
    # The lookup from a record to its public body's id.
    body_field: str


_SUBJECTS: dict[str, Subject] = {}
_RULES: list[Callable[[Any], Q]] = []


def subject_register(
    name: str, model: type[Model], *, visible: Callable[[Any], QuerySet], body_field: str
) -> None:
    """Documents may be made for `model`, which the API calls `name`."""
    _SUBJECTS[name] = Subject(model, visible, body_field)


def visibility_register(rule: Callable[[Any], Q]) -> None:
    """One more reason a person may see a document: `rule(user)` selects the documents."""
    if rule not in _RULES:
        _RULES.append(rule)


def subjects() -> dict[str, type[Model]]:
    """The models documents are made for, by the name the API gives their type."""
    return {name: subject.model for name, subject in _SUBJECTS.items()}


def subject_is(model: type) -> Q:
    """Documents whose subject is a `model` (matched on its content type's natural key in the
    same query, so the query count does not depend on ContentType's cache)."""
    return Q(
        content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name
    )


def _of_subject(subject: Subject, user: Any, bodies: Any) -> Q:
    """Documents of the records of `subject` the person sees: their decisions, and every
    document of those of the person's public bodies."""
    visible = subject.visible(user).prefetch_related(None)
    of_body = visible.filter(**{f"{subject.body_field}__in": bodies})
    return subject_is(subject.model) & (
        Q(kind__in=DECISION_KINDS, object_id__in=visible.values("pk"))
        | Q(object_id__in=of_body.values("pk"))
    )


def documents_for(user: Any) -> QuerySet[GeneratedDocument]:
    """The generated documents the person may see and download (the module's rule), with
    their template and their subject's content type."""
    bodies = roles_of(user).all_public_bodies
    seen = Q(pk__in=[])
    for subject in _SUBJECTS.values():
        seen |= _of_subject(subject, user, bodies)
    for rule in _RULES:
        seen |= rule(user)
    return GeneratedDocument.objects.filter(seen).select_related("template", "content_type")


def subject_documents_for(user: Any, subject: Model) -> QuerySet[GeneratedDocument]:
    """The documents of one record that the person may see."""
    return documents_for(user).filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    )
