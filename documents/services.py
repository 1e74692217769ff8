"""The documents a grant's life produces, and handing payables to finance."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from documents import contexts
from documents.generation import document_generate
from documents.models import GeneratedDocument, Kind, Payable
from documents.payables import paid_total, payment_order_source
from grants.models import Application
from workflow.links import Audience, page_path
from workflow.messages import message_email

log = logging.getLogger(__name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _application(application_id: int) -> Application:
    return Application.objects.select_related(
        "call__public_body", "call__unit", "association", "decided_by"
    ).get(pk=application_id)


def decision_document_generate(application_id: int) -> GeneratedDocument | None:
    """The document of the application's current decision, in the association's language:
    the grant decision, or the decision on a request for rectification."""
    application = _application(application_id)
    if application.decided_at is None:
        return None
    rectification = application.rectifications.filter(decided_at__isnull=False).last()
    if rectification is not None and rectification.decided_at == application.decided_at:
        kind = Kind.RECTIFICATION_DECISION
        context = contexts.rectification_decision(application, rectification)
    else:
        kind, context = Kind.GRANT_DECISION, contexts.grant_decision(application)
    # One document per decision and appeal dates: sending it on another day or channel than
    # planned (recorded by `notify`) makes a new version with the real dates.
    source = f"decision:{application.decided_at.isoformat()}:{context['appeal']['ends_on']}"
    return document_generate(
        application,
        kind=kind,
        language=application.association.language,
        source=source,
        context=context,
    )


# The documents that decide a payable's money, whatever its subject.
DECISION_KINDS = (Kind.GRANT_DECISION, Kind.RECTIFICATION_DECISION, Kind.AGREEMENT)


def finance_hand_over(payable_id: int) -> GeneratedDocument | None:
    """A payable whose day has come goes to finance: make its payment order and send the
    finance mailbox the subject's newest decision document (grant decision, rectification
    decision or agreement) and the order, with a message in FINANCE_DOCUMENT_LANGUAGE that
    links to the payable on the finance portal. Done once per payable (`sent_to_finance_at`
    of the order); a payable not yet due, or paid in full, waits for the sweep or needs
    nothing."""
    payable = Payable.objects.select_related("public_body", "association").get(pk=payable_id)
    if payable.payable_on > timezone.localdate() or paid_total(payable) >= payable.amount:
        return None
    subject = payable.subject
    if isinstance(subject, Application):
        decision_document_generate(subject.pk)  # made now if its task was lost
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
        source=payment_order_source(payable),
        context=contexts.payment_order(payable),
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
                "path": page_path(payable, Audience.FINANCE),
            },
            message_id=f"finance-hand-over-{order.pk}",
        )
        for document in (d for d in (decision, order) if d is not None):
            with document.file.open("rb") as handle:
                email.attach(f"{document.kind}.v{document.version}.docx", handle.read(), DOCX)
        email.send()
    return order


def regenerate(document: GeneratedDocument) -> GeneratedDocument:
    """A new version rendered from the same data with the current template; the old stays."""
    return document_generate(
        document.subject, kind=document.kind, language=document.language, context=document.data
    )
