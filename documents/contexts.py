"""The parts of a document's data that every kind shares: the public body, the payee, a
person. Each subject app builds its kinds' data from them (grants/documents.py,
agreements/documents.py, finance/documents.py) in the shape of the kind's sample in
documents/samples.py, which the lint checks templates against."""

from typing import Any

from stdnum import iban

from organisations.models import Association, PublicBody, Unit
from workflow.models import ApprovalRun, StepRecord


def body_fields(body: PublicBody, unit: Unit | None) -> dict[str, Any]:
    return {
        "name": body.name,
        "business_id": body.business_id,
        "unit": unit.name if unit else "",
        "address": body.address,
        "email": body.registry_email,
    }


def payee_fields(association: Association) -> dict[str, Any]:
    return {
        "name": association.name,
        "business_id": association.business_id,
        "register_number": association.register_number,
        "iban": iban.format(association.iban),
        "email": association.email,
        "postal_address": "\n".join(association.address_lines),
    }


def person_fields(user: Any) -> dict[str, Any]:
    if user is None:
        return {"name": "", "title": "", "email": "", "phone": ""}
    return {
        "name": user.display_name,
        "title": user.title,
        "email": user.email,
        "phone": user.phone,
    }


def maker_fields(user: Any) -> dict[str, str]:
    person = person_fields(user)
    return {"maker": person["name"], "maker_title": person["title"]}


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
