"""Handing payables to finance: when a payable's day has come, its payment order is made and
the finance mailbox gets it with the subject's decision document, once; a sweep catches up on
hand-overs whose task was lost while the broker was down (and payables that have since fallen
due)."""

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from documents.downloads import DOCX
from documents.generation import decision_document_ensure, document_generate
from documents.models import DECISION_KINDS, GeneratedDocument, Kind
from finance import payables
from finance.documents import payment_order
from finance.models import Payable
from finance.reasons import reason_lines
from workflow.catch_up import catch_up
from workflow.links import Audience, page_path
from workflow.messages import message_email


def finance_hand_over(payable_id: int) -> GeneratedDocument | None:
    """A payable whose day has come goes to finance: make its payment order and send the
    finance mailbox the subject's newest decision document (grant decision, rectification
    decision or agreement) and the order, with a message in FINANCE_DOCUMENT_LANGUAGE that
    links to the payable on the finance portal. Done once per payable (`sent_to_finance_at`
    of the order); a payable not yet due, or paid in full, waits for the sweep or needs
    nothing."""
    payable = Payable.objects.select_related("public_body", "association").get(pk=payable_id)
    if payable.payable_on > timezone.localdate() or payables.paid_total(payable) >= payable.amount:
        return None
    subject = payable.subject
    decision_document_ensure(subject)  # made now if its task was lost
    decisions = GeneratedDocument.objects.filter(
        content_type_id=payable.content_type_id,
        object_id=payable.object_id,
        kind__in=DECISION_KINDS,
    )
    # A subject whose newest document may not be the one in force (an agreement with an
    # amendment approved but not yet signed) names the document finance should get.
    in_force = getattr(subject, "decision_document_source", None)
    if in_force:
        decisions = decisions.filter(source=in_force)
    decision = decisions.order_by("-created_at", "-pk").first()
    order = document_generate(
        subject,
        kind=Kind.PAYMENT_ORDER,
        language=settings.FINANCE_DOCUMENT_LANGUAGE,
        source=payables.payment_order_source(payable),
        context=payment_order(payable),
    )
    mailbox = payable.public_body.finance_email
    if order.sent_to_finance_at is not None or not mailbox:
        return order
    with transaction.atomic():
        # Claim the sending: a concurrent run finds it claimed and sends nothing.
        claimed = GeneratedDocument.objects.filter(
            pk=order.pk, sent_to_finance_at__isnull=True
        ).update(sent_to_finance_at=timezone.now())
        if not claimed:
            return order
        email = message_email(
            to=mailbox,
            kind="finance_hand_over",
            language=settings.FINANCE_DOCUMENT_LANGUAGE,
            context={
                "title": payable.title,
                "decision_number": payable.decision_number,
                "association": payable.association.name,
                "amount": str(payable.amount),
                "payable_on": payable.payable_on,
                # Why the sum changed (a reduced payable's order is made again), in the
                # language of the message.
                "reasons": reason_lines(payable, settings.FINANCE_DOCUMENT_LANGUAGE),
                "path": page_path(payable, Audience.FINANCE),
            },
            message_id=f"finance-hand-over-{order.pk}",
        )
        for document in (d for d in (decision, order) if d is not None):
            with document.file.open("rb") as handle:
                email.attach(f"{document.kind}.v{document.version}.docx", handle.read(), DOCX)
        email.send()
    return order


def hand_over_sweep(batch: int = 200) -> int:
    """Hands over the payables due whose payment order has not gone to finance; how many."""
    # Only bodies with a finance mailbox can be handed over; the rest would be retried forever.
    order_sent = GeneratedDocument.objects.filter(
        content_type=OuterRef("content_type"),
        object_id=OuterRef("object_id"),
        kind=Kind.PAYMENT_ORDER,
        sent_to_finance_at__isnull=False,
    ).filter(
        # finance.payables.payment_order_source: the first order, or one made after a reduction
        # (whose own hand-over the second pass checks).
        Q(source=Concat(Value("payable:"), Cast(OuterRef("pk"), CharField())))
        | Q(
            source__startswith=Concat(
                Value("payable:"), Cast(OuterRef("pk"), CharField()), Value(":")
            )
        )
    )
    not_handed_over = (
        payables.with_paid_amount(Payable.objects.filter(payable_on__lte=timezone.localdate()))
        .exclude(public_body__finance_email="")
        .filter(amount__gt=F("paid_amount"))
        .exclude(Exists(order_sent))
        .order_by("payable_on", "pk")
        .values_list("pk", flat=True)[:batch]
    )
    ids = [*not_handed_over, *_reduced_not_handed_over(batch)]
    return catch_up(
        list(dict.fromkeys(ids))[:batch], finance_hand_over, "Handing payable %s to finance failed"
    )


def _reduced_not_handed_over(batch: int) -> list[int]:
    """Payables reduced since their order went to finance whose order for the new amount has
    not gone (its task lost): each reduction has an order of its own
    (payables.payment_order_source). Few payables carry reasons, so they are read, and their
    orders looked up, in two queries."""
    changed = list(
        payables.with_paid_amount(
            Payable.objects.filter(
                payable_on__lte=timezone.localdate(), kind=Payable.Kind.PAYMENT
            ).exclude(reasons=[])
        )
        .exclude(public_body__finance_email="")
        .filter(amount__gt=F("paid_amount"))
        .order_by("payable_on", "pk")
        .only("pk", "reasons")[: batch * 4]
    )
    current = {payables.payment_order_source(p): p.pk for p in changed}
    sent = set(
        GeneratedDocument.objects.filter(
            kind=Kind.PAYMENT_ORDER, source__in=current, sent_to_finance_at__isnull=False
        ).values_list("source", flat=True)
    )
    return [pk for source, pk in current.items() if source not in sent][:batch]
