"""Sending a decision electronically (tiedoksianto, Act 13/2003 19 §).

`Application.notify` writes the decision's message into the outbox for the association's
representatives and its contact address. When the outbox sends the first of them, the decision
has been sent: Local Government Act 139 § counts the deemed receipt (the 3rd day) and so the
appeal period from that day, not from the day someone pressed the button. If the outbox sends it
on a later day (the mail server was down overnight), the dates move to that day; the move and
the sending are in the audit log. Each message encloses the decision document whose appeal
instructions carry those dates.
"""

from typing import Any

from django.utils import timezone

from documents.downloads import DOCX
from grants import effects
from grants.documents import decision_document_generate
from grants.models import Application, Channel
from workflow.actors import SYSTEM
from workflow.audit import action_record
from workflow.locking import locked
from workflow.messages import Enclosure
from workflow.models import Notification


def decision_message_prepare(row: Notification) -> tuple[dict[str, Any], list[Enclosure]]:
    """Run as a `decision_notified` row is sent: the sending day recorded, the decision's
    dates for the message, and its document enclosed."""
    application = _record_sending(row)
    document = decision_document_generate(application.pk)
    number = effects.current_decision_number(application)
    with document.file.open("rb") as handle:
        enclosure = Enclosure(f"{number}.docx", handle.read(), DOCX)
    context = {
        "decision_number": number,
        "sent_on": application.notified_on,
        "deemed_received_on": application.deemed_received_on,
        "appeal_ends_on": application.appeal_ends_on,
    }
    return context, [enclosure]


def _record_sending(row: Notification) -> Application:
    """The first message of the decision to go sets its sending day; later ones (another
    representative, a retry) leave it. The row lock orders concurrent deliveries, so the
    second sees the first's message as sent."""
    application = locked(
        Application.objects.select_related("association", "call").filter(
            pk=row.context["application_id"]
        )
    ).get()
    current = (
        application.state == Application.State.NOTIFIED
        and application.notification_channel == Channel.ELECTRONIC
        and application.decision_message_key == row.key
    )
    sent = Notification.objects.filter(key=row.key, status=Notification.Status.SENT)
    if not current or sent.exists():
        return application
    today = timezone.localdate()
    if application.notified_on != today:
        effects.sending_record(application, today)
        application.save(update_fields=["notified_on", "deemed_received_on", "appeal_ends_on"])
    action_record(
        application,
        action="decision_sent",
        actor=SYSTEM,
        data={"sent_on": today, "to": row.email_address},
    )
    return application
