"""The agreement document in Celery: made after the approval or the last signature commits,
and a sweep that makes any whose task was lost while the broker was down. Idempotent: a
document already made is returned, not made again. (Named apart from agreements.tasks, the
agreements' scans; agreements.apps imports it so that workers register these tasks.)"""

from celery import shared_task

from agreements import documents


@shared_task(acks_late=True)
def generate_agreement_document(version_id: int) -> int | None:
    """The id of the version's agreement document (None for a version not approved)."""
    document = documents.agreement_document_generate(version_id)
    return document.pk if document else None


@shared_task(acks_late=True)
def sweep_agreement_documents() -> int:
    return documents.agreement_documents_sweep()
