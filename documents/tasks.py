"""Document work in Celery: the PDF copy of each generated document, and a sweep (scheduled
in celery_app.py) that queues again the copies whose job was lost while the broker was down."""

from celery import shared_task

from documents import sweeps


def _pdf_time_limits() -> dict[str, int]:
    # LibreOffice's own timeout (PDF_TIMEOUT_SECONDS) comes first and kills the office
    # process; the soft limit then the hard one are for a conversion stuck anywhere else. A copy
    # may wait that long twice: for the PDF server (settings.PDF_SERVER), then for the cold
    # conversion that stands in for it (documents.pdf.docx_to_pdf).
    from django.conf import settings

    seconds = 2 * settings.PDF_TIMEOUT_SECONDS
    return {"soft_time_limit": seconds + 30, "time_limit": seconds + 60}


# Routed to the "pdf" queue (task_routes in config/celery.py; the task attribute `queue` is
# deprecated since Celery 5.5), which one worker of concurrency 1 consumes.
@shared_task(acks_late=True, **_pdf_time_limits())
def make_pdf_copy(document_id: int) -> bool:
    """The PDF copy of a generated document."""
    from documents import pdf

    return pdf.pdf_copy_make(document_id)


@shared_task(acks_late=True)
def sweep_pdf_copies() -> int:
    lost = sweeps.lost_pdf_copies()
    for document_id in lost:
        make_pdf_copy.apply_async((document_id,), queue="pdf")
    return len(lost)
