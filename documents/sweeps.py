"""Catch-up for PDF copies whose job was lost (the broker was down when the document was
made): documents.tasks.sweep_pdf_copies queues them again. The subject apps sweep their own
documents (grants.documents, agreements.documents), finance its hand-overs (finance.hand_over)."""

from datetime import timedelta

from django.utils import timezone

from documents.models import GeneratedDocument
from documents.pdf import libreoffice_available

# How often beat runs the sweep (celery_app.py): each lost PDF job is queued again once.
SWEEP_INTERVAL = timedelta(minutes=5)


def lost_pdf_copies(batch: int = 200) -> list[int]:
    """The documents whose PDF copy should have been made by now: each is found by one sweep
    only (not while the first job may still be waiting in the queue, and not for ever for a
    document LibreOffice cannot convert)."""
    if not libreoffice_available():
        return []
    now = timezone.now()
    lost = GeneratedDocument.objects.filter(
        pdf="",
        created_at__lt=now - timedelta(minutes=10),
        created_at__gte=now - timedelta(minutes=10) - SWEEP_INTERVAL,
    )
    return list(lost.values_list("pk", flat=True)[:batch])
