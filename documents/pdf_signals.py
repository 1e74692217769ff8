"""A new generated document gets its PDF copy: queued on the "pdf" queue once the document's
transaction commits. A broker outage costs the copy, never the document."""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from documents.models import GeneratedDocument

log = logging.getLogger(__name__)

# celery_app.py routes the task here too; naming the queue here keeps it off the default one.
PDF_QUEUE = "pdf"


def _queue(document_id: int) -> None:
    from documents import tasks

    try:
        tasks.make_pdf_copy.apply_async((document_id,), queue=PDF_QUEUE)
    except Exception:
        log.warning("Could not queue the PDF copy of document %s", document_id, exc_info=True)


@receiver(post_save, sender=GeneratedDocument, dispatch_uid="documents.pdf_copy")
def _queue_pdf_copy(sender, instance: GeneratedDocument, created: bool, raw=False, **kwargs):
    if created and not raw:
        document_id = instance.pk
        transaction.on_commit(lambda: _queue(document_id), robust=True)
