"""Document work in Celery: after a decision commits, and a sweep that catches up on anything
missed while the broker was down. Idempotent: a document already made is not made again."""

from celery import shared_task

from documents import services, sweeps


@shared_task(acks_late=True)
def generate_decision_document(application_id: int) -> None:
    services.decision_document_generate(application_id)


@shared_task(acks_late=True)
def hand_over_to_finance(application_id: int) -> None:
    services.finance_hand_over(application_id)


@shared_task(acks_late=True)
def sweep_documents() -> int:
    return sweeps.sweep()
