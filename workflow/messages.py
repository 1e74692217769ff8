"""Turning an outbox row into an email in the recipient's language: plain text and HTML.

Each kind has a text template per language, `notifications/<lang>/<kind>.txt`, whose first
line is the subject; the HTML part is the same text in a simple accessible layout.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from workflow.models import Notification


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
    subject, body = _render(notification.kind, notification.language, notification.context)
    return _email(
        notification.recipient.email,
        subject,
        body,
        notification.language,
        f"notification-{notification.pk}",
    )


def digest_email_for(rows: list[Notification]) -> EmailMultiAlternatives:
    """One message for a person's optional notifications of the day."""
    person = rows[0].recipient
    items = [_render(row.kind, person.language, row.context)[0] for row in rows]
    subject, body = _render("digest", person.language, {"items": items, "count": len(items)})
    return _email(person.email, subject, body, person.language, f"digest-{rows[0].pk}")
