"""Agreement work in Celery: the agreement document after the approval or the last signature
commits, and the periodic scans (scheduled in celery_app.py), a sweep for documents whose task
was lost among them. Idempotent: running one twice changes nothing more."""

from celery import shared_task

from agreements import documents, instalments, scans


@shared_task(acks_late=True)
def generate_agreement_document(version_id: int) -> int | None:
    """The id of the version's agreement document (None for a version not approved)."""
    document = documents.agreement_document_generate(version_id)
    return document.pk if document else None


@shared_task(acks_late=True)
def generate_rectification_document(version_id: int) -> int | None:
    """The id of the decision on the version's request for rectification."""
    document = documents.rectification_document_generate(version_id)
    return document.pk if document else None


@shared_task(acks_late=True)
def generate_cancellation_rectification_document(rectification_id: int) -> int | None:
    """The id of the decision on a request for rectification of the decision to cancel."""
    document = documents.cancellation_rectification_document_generate(rectification_id)
    return document.pk if document else None


@shared_task(acks_late=True)
def sweep_agreement_documents() -> int:
    """Both kinds the agreements make: the agreement document and the rectification decision."""
    return documents.agreement_documents_sweep()


@shared_task(acks_late=True)
def daily_scan() -> dict[str, int]:
    """The agreements' date-driven work. An agreement whose term begins today comes into
    force first. Instalments come next, so money due before the last day is made payable
    even when the agreement ends in the same run. Ending runs before
    the rest: an agreement that has ended is not then told to prepare its renewal, and its
    last period's evaluation still falls due (only evaluations of periods after the last day
    are cancelled)."""
    return {
        "activated": scans.activate_signed_agreements(),
        "instalments_payable": instalments.open_due_instalments(),
        "ended": scans.end_agreements(),
        "evaluations_due": scans.open_due_evaluations(),
        "renewals_opened": scans.open_renewals(),
    }
