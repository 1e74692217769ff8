"""Catch-up for documents whose task never ran (the broker was down when the decision
committed): decisions without their document, payable grants not yet handed to finance."""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef

from documents import services, tasks
from documents.models import GeneratedDocument, Kind
from documents.pdf import libreoffice_available
from grants.models import Application

log = logging.getLogger(__name__)


def sweep(batch: int = 200) -> int:
    application_type = ContentType.objects.get_for_model(Application)
    documents = GeneratedDocument.objects.filter(
        content_type=application_type, object_id=OuterRef("pk")
    )
    missing_decision = (
        Application.objects.filter(decided_at__isnull=False)
        .exclude(
            Exists(documents.filter(kind__in=[Kind.GRANT_DECISION, Kind.RECTIFICATION_DECISION]))
        )
        .values_list("pk", flat=True)[:batch]
    )
    not_handed_over = (
        Application.objects.filter(state=Application.State.LEGALLY_VALID, granted_amount__gt=0)
        .exclude(
            Exists(documents.filter(kind=Kind.PAYMENT_ORDER, sent_to_finance_at__isnull=False))
        )
        .values_list("pk", flat=True)[:batch]
    )
    done = 0
    if libreoffice_available():
        # PDF copies whose job was lost: queue them again (the job itself is idempotent).
        for document_id in GeneratedDocument.objects.filter(pdf="").values_list("pk", flat=True)[
            :batch
        ]:
            tasks.make_pdf_copy.apply_async((document_id,), queue="pdf")
    for work, ids in (
        (services.decision_document_generate, missing_decision),
        (services.finance_hand_over, not_handed_over),
    ):
        for application_id in list(ids):
            try:
                work(application_id)
                done += 1
            except Exception:
                log.exception("%s failed for application %s", work.__name__, application_id)
    return done
