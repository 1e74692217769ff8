"""The documents a grant's life produces, and handing payable decisions to finance."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from documents import contexts
from documents.generation import document_generate
from documents.models import GeneratedDocument, Kind
from grants.models import Application

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


def finance_hand_over(application_id: int) -> GeneratedDocument | None:
    """A legally valid grant becomes payable: make its payment order and send the finance
    mailbox the decision and the order. Done once per decision (`sent_to_finance_at`)."""
    application = _application(application_id)
    if application.state != Application.State.LEGALLY_VALID or not application.granted_amount:
        return None
    decision = decision_document_generate(application_id)
    order = document_generate(
        application,
        kind=Kind.PAYMENT_ORDER,
        language=settings.FINANCE_DOCUMENT_LANGUAGE,
        source=f"payable:{application.legally_valid_on.isoformat()}",
        context=contexts.payment_order(application),
    )
    mailbox = application.call.public_body.finance_email
    if order.sent_to_finance_at is not None or not mailbox:
        return order
    with transaction.atomic():
        # Claim the sending: a concurrent run finds it claimed and sends nothing.
        claimed = GeneratedDocument.objects.filter(
            pk=order.pk, sent_to_finance_at__isnull=True
        ).update(sent_to_finance_at=timezone.now())
        if not claimed:
            return order
        email = EmailMessage(
            subject=f"Maksettava päätös {application.decision_number}: "
            f"{application.association.name}",
            body=(
                f"Päätös {application.decision_number} on lainvoimainen "
                f"{application.legally_valid_on:%d.%m.%Y}. Maksatusmääräys ja päätös liitteinä."
            ),
            to=[mailbox],
        )
        for document in (decision, order):
            with document.file.open("rb") as handle:
                email.attach(f"{document.kind}.v{document.version}.docx", handle.read(), DOCX)
        email.send()
    return order


def regenerate(document: GeneratedDocument) -> GeneratedDocument:
    """A new version rendered from the same data with the current template; the old stays."""
    return document_generate(
        document.subject, kind=document.kind, language=document.language, context=document.data
    )
