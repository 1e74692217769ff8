"""Document work in Celery: after a decision commits or a payable opens, and a sweep that
catches up on anything missed while the broker was down. Idempotent: a document already made is
not made again."""

from celery import shared_task

from documents import services, sweeps


@shared_task(acks_late=True)
def generate_decision_document(application_id: int) -> None:
    services.decision_document_generate(application_id)


@shared_task(acks_late=True)
def hand_over_to_finance(payable_id: int) -> None:
    services.finance_hand_over(payable_id)


@shared_task(acks_late=True)
def sweep_documents() -> int:
    return sweeps.sweep()


def _pdf_time_limits() -> dict[str, int]:
    # LibreOffice's own timeout (PDF_TIMEOUT_SECONDS) comes first and kills the office
    # process; the soft limit then the hard one are for a conversion stuck anywhere else.
    from django.conf import settings

    seconds = settings.PDF_TIMEOUT_SECONDS
    return {"soft_time_limit": seconds + 30, "time_limit": seconds + 60}


# Routed to the "pdf" queue (task_routes in config/celery.py; the task attribute `queue` is
# deprecated since Celery 5.5), which one worker of concurrency 1 consumes.
@shared_task(acks_late=True, **_pdf_time_limits())
def make_pdf_copy(document_id: int) -> bool:
    """The PDF copy of a generated document."""
    from documents import pdf

    return pdf.pdf_copy_make(document_id)
