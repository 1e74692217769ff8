"""Turning an outbox row into an email in the recipient's language: plain text and HTML.

Each kind has a text template per language, `notifications/<lang>/<kind>.txt`, whose first
line is the subject; the HTML part is the same text in a simple accessible layout, its links
real links. Every template gets `link`, the absolute address of the page the message is about
(the context's `path`, see `workflow.outbox`), and tells the reader what to do there.

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

from workflow.links import absolute_url
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


def message_render(kind: str, language: str, context: dict[str, Any]) -> tuple[str, str]:
    """Subject and body of a kind's template in `language` (dates and money formatted in it
    too), with `link` to the context's `path`."""
    with translation.override(language):
        text = render_to_string(
            f"notifications/{language}/{kind}.txt",
            {**context, "link": absolute_url(context.get("path"))},
        )
    subject, _, body = text.strip().partition("\n")
    return subject.strip(), body.strip()


def message_email(
    *,
    to: str,
    kind: str,
    language: str,
    context: dict[str, Any],
    message_id: str,
    enclosures: list[Enclosure] | None = None,
) -> EmailMultiAlternatives:
    """The message of `kind` to `to`, as text and HTML, with its enclosures."""
    subject, body = message_render(kind, language, context)
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
    for enclosure in enclosures or []:
        email.attach(enclosure.filename, enclosure.content, enclosure.mimetype)
    return email


def subject_of(notification: Notification) -> str:
    """The message's subject line, in its recipient's language (for the in-app list)."""
    return message_render(notification.kind, notification.language, notification.context)[0]


def link_of(notification: Notification) -> str:
    """The absolute address of the page the message is about (for the in-app list)."""
    return absolute_url(notification.context.get("path"))


def email_for(notification: Notification) -> EmailMultiAlternatives:
    """The row's email. A registered preparer runs here: call it only to send the message."""
    context, enclosures = notification.context, []
    preparer = _preparers.get(notification.kind)
    if preparer is not None:
        extra, enclosures = preparer(notification)
        context = {**context, **extra}
    return message_email(
        to=notification.email_address,
        kind=notification.kind,
        language=notification.language,
        context=context,
        message_id=f"notification-{notification.pk}",
        enclosures=enclosures,
    )


def digest_email_for(rows: list[Notification]) -> EmailMultiAlternatives:
    """One message for a person's optional notifications of the day: one line per message
    with its link, a line that would repeat an earlier one (the same subject and page) once."""
    person = rows[0].recipient
    lines = {
        (message_render(row.kind, person.language, row.context)[0], link_of(row)): None
        for row in rows
    }
    items = [{"subject": subject, "link": link} for subject, link in lines]
    return message_email(
        to=person.email,
        kind="digest",
        language=person.language,
        context={"items": items, "count": len(items)},
        message_id=f"digest-{rows[0].pk}",
    )
