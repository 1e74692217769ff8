"""The person's notifications in the association portal: the list, and marking them read."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from portal.pages import breadcrumbs, page
from portal.portals import portal_required
from workflow.messages import subject_of
from workflow.models import Notification

PORTAL = "associations"


def notifications_of(user: Any) -> QuerySet[Notification]:
    """The person's in-app list (workflow.inbox): their own notifications, newest first."""
    return Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-id")


@dataclass
class NotificationRow:
    notification: Notification
    subject: str
    # The page the message is about, as its email links to it (none on older messages).
    path: str


def notification_rows(notifications: Iterable[Notification]) -> list[NotificationRow]:
    rows = []
    for notification in notifications:
        try:
            subject = subject_of(notification)
        except TemplateDoesNotExist:
            subject = notification.context.get("title") or notification.kind
        rows.append(NotificationRow(notification, subject, notification.context.get("path", "")))
    return rows


@portal_required(PORTAL)
def notifications(request: HttpRequest) -> HttpResponse:
    page_obj = page(request, notifications_of(request.user))
    return render(
        request,
        "associations/notifications.html",
        {
            "page_obj": page_obj,
            "rows": notification_rows(page_obj),
            "unread": notifications_of(request.user).filter(read_at__isnull=True).exists(),
            "breadcrumbs": breadcrumbs(
                (pgettext_lazy("association portal", "Notifications"), None)
            ),
        },
    )


@portal_required(PORTAL)
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark all of the person's notifications read (as the API's `read` does one)."""
    notifications_of(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("All notifications are marked read."))
    return redirect("associations:notifications")
