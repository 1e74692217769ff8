"""The parts of a document's data that every kind shares: the public body, the payee, a
person. Each subject app builds its kinds' data from them (grants/documents.py,
agreements/documents.py, finance/documents.py) in the shape of the kind's sample in
documents/samples.py, which the lint checks templates against."""

from datetime import datetime
from typing import Any

from django.utils import timezone, translation
from stdnum import iban

from organisations.facts import official_title
from organisations.languages import BASE_LANGUAGE, in_language
from organisations.models import Association, PublicBody, Unit
from workflow.models import ApprovalRun, StepRecord


def body_fields(body: PublicBody, unit: Unit | None, language: str) -> dict[str, Any]:
    """The body as the document names it, in the language of the matter (Language Act
    423/2003 10 §): a fact not on record is "", which the templates leave out."""
    return {
        "name": in_language(body, "name", language),
        "business_id": body.business_id,
        "unit": in_language(unit, "name", language) if unit else "",
        "address": body.address,
        "phone": body.phone,
        # Where a request for rectification is filed (Local Government Act 134 §).
        "registry_address": body.registry_address,
        "email": body.registry_email,
    }


def payee_fields(association: Association) -> dict[str, Any]:
    """The association as a document names it. An unregistered group has no business ID: the
    document states, where the business ID would be, that it is an unregistered group and who
    its responsible person is, in the association's language."""
    with translation.override(association.language):
        business_id = association.business_id or association.unregistered_label
    return {
        "name": association.name,
        "business_id": business_id,
        "register_number": association.register_number,
        "iban": iban.format(association.iban),
        "email": association.email,
        "postal_address": "\n".join(association.address_lines),
    }


def person_fields(
    user: Any, body: PublicBody | None = None, language: str = BASE_LANGUAGE
) -> dict[str, Any]:
    """A person as a document names them. An official of `body` carries the title of their
    role there, in the matter's language (organisations.facts.official_title), else their
    job title."""
    if user is None:
        return {"name": "", "title": "", "email": "", "phone": ""}
    title = official_title(user, body, language) if body is not None else ""
    return {
        "name": user.display_name,
        "title": title or user.title,
        "email": user.email,
        "phone": user.phone,
    }


def decision_maker_fields(
    user: Any, body: PublicBody, language: str, at: datetime | None
) -> dict[str, Any]:
    """Who made a decision, with the title of their role in the body in the matter's
    language, and its electronic signature: their name, title and the moment (Administrative
    Procedure Act 44 §; Act 13/2003 16 §: a decision signed electronically in a system that
    records its maker and time). `at` None: not made yet, no signature is printed."""
    person = person_fields(user, body, language)
    return {
        "maker": person["name"],
        "maker_title": person["title"],
        "signed": {
            "name": person["name"],
            "title": person["title"],
            "at": timezone.localtime(at) if at is not None else None,
        },
    }


def preparer_of(subject: Any) -> Any:
    """The person who can give more information (Administrative Procedure Act 44 §): whoever
    prepared the decision, the actor of the first done step of its latest approval run."""
    run = (
        subject.approval_runs.exclude(status=ApprovalRun.Status.CANCELLED)
        .order_by("-started_at", "-pk")
        .first()
    )
    first = run.steps.filter(status=StepRecord.Status.DONE).first() if run else None
    return first.actor if first else None
