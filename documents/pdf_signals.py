"""A new generated document gets its PDF copy: queued on the "pdf" queue once the document's
transaction commits. A broker outage costs the copy (until the sweep), never the document."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from documents.models import GeneratedDocument
from workflow.enqueue import enqueue_on_commit

# config/celery.py routes the task here too; naming the queue keeps it off the default one.
PDF_QUEUE = "pdf"


@receiver(post_save, sender=GeneratedDocument, dispatch_uid="documents.pdf_copy")
def _queue_pdf_copy(sender, instance: GeneratedDocument, created: bool, raw=False, **kwargs):
    from documents import tasks

    if created and not raw:
        enqueue_on_commit(tasks.make_pdf_copy, instance.pk, queue=PDF_QUEUE)
