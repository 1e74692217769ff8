"""Catch-up for documents whose task never ran (the broker was down when the decision or the
payable committed): decisions without their document, payables not yet handed to finance
(also those that have since fallen due)."""

import logging
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, F, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from documents import services, tasks
from documents.models import GeneratedDocument, Kind, Payable
from documents.payables import with_paid_amount
from documents.pdf import libreoffice_available
from grants.models import Application

log = logging.getLogger(__name__)

# How often beat runs the sweep (celery_app.py): each lost PDF job is queued again once.
SWEEP_INTERVAL = timedelta(minutes=5)


def sweep(batch: int = 200) -> int:
    application_type = ContentType.objects.get_for_model(Application)
    documents = GeneratedDocument.objects.filter(
        content_type=application_type, object_id=OuterRef("pk")
    )
    # A document of the current decision: made after it (a rectification decides anew).
    missing_decision = (
        Application.objects.filter(decided_at__isnull=False)
        .exclude(
            Exists(
                documents.filter(
                    kind__in=[Kind.GRANT_DECISION, Kind.RECTIFICATION_DECISION],
                    created_at__gte=OuterRef("decided_at"),
                )
            )
        )
        .order_by("decided_at")
        .values_list("pk", flat=True)[:batch]
    )
    # Only bodies with a finance mailbox can be handed over; the rest would be retried forever.
    order_sent = GeneratedDocument.objects.filter(
        content_type=OuterRef("content_type"),
        object_id=OuterRef("object_id"),
        kind=Kind.PAYMENT_ORDER,
        # documents.payables.payment_order_source
        source=Concat(Value("payable:"), Cast(OuterRef("pk"), CharField())),
        sent_to_finance_at__isnull=False,
    )
    not_handed_over = (
        with_paid_amount(Payable.objects.filter(payable_on__lte=timezone.localdate()))
        .exclude(public_body__finance_email="")
        .filter(amount__gt=F("paid_amount"))
        .exclude(Exists(order_sent))
        .order_by("payable_on", "pk")
        .values_list("pk", flat=True)[:batch]
    )
    done = 0
    if libreoffice_available():
        # PDF copies whose job was lost: queued again once, not while the first may still be
        # waiting in the queue, and not for ever for a document LibreOffice cannot convert.
        now = timezone.now()
        lost = GeneratedDocument.objects.filter(
            pdf="",
            created_at__lt=now - timedelta(minutes=10),
            created_at__gte=now - timedelta(minutes=10) - SWEEP_INTERVAL,
        ).values_list("pk", flat=True)[:batch]
        for document_id in lost:
            tasks.make_pdf_copy.apply_async((document_id,), queue="pdf")
    for work, ids in (
        (services.decision_document_generate, missing_decision),
        (services.finance_hand_over, not_handed_over),
    ):
        for pk in list(ids):
            try:
                work(pk)
                done += 1
            except Exception:
                log.exception("%s failed for %s", work.__name__, pk)
    return done
