"""Grant work in Celery: the decision document after a decision commits, and the periodic
scans (scheduled in celery_app.py). Idempotent: running one twice changes nothing more."""

from celery import shared_task

from grants import documents, round_documents, scans
from grants.portal import uploads


@shared_task(acks_late=True)
def generate_decision_document(application_id: int) -> None:
    documents.decision_document_generate(application_id)


@shared_task(acks_late=True)
def sweep_decision_documents() -> int:
    """Decisions whose document task never ran (the broker was down) get their document."""
    return documents.decision_documents_sweep()


@shared_task(acks_late=True)
def generate_round_decision_lists(record_id: int) -> None:
    round_documents.decision_lists_generate(record_id)


@shared_task(acks_late=True)
def sweep_round_decision_lists() -> int:
    """Round decisions whose list task never ran get their lists."""
    return round_documents.decision_lists_sweep()


@shared_task(acks_late=True)
def expire_drafts_of_closed_calls() -> int:
    return scans.expire_drafts_of_closed_calls()


@shared_task(acks_late=True)
def make_decisions_legally_valid() -> int:
    return scans.make_decisions_legally_valid()


@shared_task(acks_late=True)
def preparers_weekly_digest() -> int:
    return scans.preparers_weekly_digest()


@shared_task(acks_late=True)
def sweep_pending_uploads() -> int:
    """Files kept aside on a refused application form and never saved, older than a day."""
    return uploads.pending_sweep()
