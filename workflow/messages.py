"""Turning an outbox row into an email in the recipient's language: plain text and HTML.

Each kind has a text template per language, `notifications/<lang>/<kind>.txt`, whose first
line is the subject; the HTML part is the same text in a simple accessible layout.

A kind whose message depends on the moment it goes (a decision sent electronically: its day
starts the appeal period, and the decision document goes with it) registers a *preparer*,
which runs as the message is sent, inside the delivery's transaction, and returns what it adds
to the context and the files to enclose.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from workflow.models import Notification


@dataclass(frozen=True)
class Enclosure:
    filename: str
    content: bytes
    mimetype: str


Preparer = Callable[[Notification], tuple[dict[str, Any], list[Enclosure]]]
_preparers: dict[str, Preparer] = {}


def register_preparer(kind: str, preparer: Preparer) -> None:
    """Have `preparer(row)` run when a row of `kind` is sent (subject apps, in `ready`)."""
    _preparers[kind] = preparer


def _render(kind: str, language: str, context: dict) -> tuple[str, str]:
    """Subject and body of a kind's template in `language` (dates formatted in it too)."""
    with translation.override(language):
        text = render_to_string(f"notifications/{language}/{kind}.txt", context)
    subject, _, body = text.strip().partition("\n")
    return subject.strip(), body.strip()


def _email(
    to: str, subject: str, body: str, language: str, message_id: str
) -> EmailMultiAlternatives:
    html = render_to_string(
        "notifications/email.html",
        {"subject": subject, "paragraphs": body.split("\n\n"), "language": language},
    )
    email = EmailMultiAlternatives(
        subject,
        body + "\n",
        to=[to],
        # A stable Message-ID lets a receiving server recognise a redelivered message.
        headers={"Message-ID": f"<{message_id}@{settings.NOTIFICATION_MESSAGE_ID_DOMAIN}>"},
    )
    email.attach_alternative(html, "text/html")
    return email


def subject_of(notification: Notification) -> str:
    """The message's subject line, in its recipient's language (for the in-app list)."""
    return _render(notification.kind, notification.language, notification.context)[0]


def email_for(notification: Notification) -> EmailMultiAlternatives:
    """The row's email. A registered preparer runs here: call it only to send the message."""
    context, enclosures = notification.context, []
    preparer = _preparers.get(notification.kind)
    if preparer is not None:
        extra, enclosures = preparer(notification)
        context = {**context, **extra}
    subject, body = _render(notification.kind, notification.language, context)
    email = _email(
        notification.email_address,
        subject,
        body,
        notification.language,
        f"notification-{notification.pk}",
    )
    for enclosure in enclosures:
        email.attach(enclosure.filename, enclosure.content, enclosure.mimetype)
    return email


def digest_email_for(rows: list[Notification]) -> EmailMultiAlternatives:
    """One message for a person's optional notifications of the day."""
    person = rows[0].recipient
    items = [_render(row.kind, person.language, row.context)[0] for row in rows]
    subject, body = _render("digest", person.language, {"items": items, "count": len(items)})
    return _email(person.email, subject, body, person.language, f"digest-{rows[0].pk}")
