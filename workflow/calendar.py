"""Deadlines as iCalendar (RFC 5545) feeds that calendar applications subscribe to.

A feed is opened by its secret token alone, so the token is the permission: only people who
may see the owner's deadlines get it (`calendar_feeds_of`), and rotating it retires the old URL
at once. Who the deadlines belong to is read when the feed is fetched, so an official who
loses a role stops seeing that public body's deadlines without anyone rotating anything.
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, vDuration

from organisations.models import Association, AssociationRole, OfficialRole
from organisations.roles import roles_of
from workflow.audit import action_record
from workflow.deadlines import kind_label
from workflow.formats import local_date
from workflow.links import Audience, absolute_url, page_path
from workflow.models import CalendarFeed, Deadline, calendar_token

PRODID = "-//Avustus//Deadlines//EN"


# --- selectors -------------------------------------------------------------------------------


def feed_url(feed: CalendarFeed) -> str:
    """The absolute URL a calendar application subscribes to."""
    return absolute_url(reverse("calendar-feed", args=[feed.token]))


def feed_language(feed: CalendarFeed) -> str:
    return feed.association.language if feed.association_id else feed.person.language


def feed_audience(feed: CalendarFeed) -> str:
    """Whose pages the events link to: the association portal's, or the workbench's."""
    return Audience.ASSOCIATION if feed.association_id else Audience.OFFICIALS


def feed_name(feed: CalendarFeed) -> str:
    owner = feed.association.name if feed.association_id else feed.person.display_name
    with translation.override(feed_language(feed)):
        return _("Deadlines – %(owner)s") % {"owner": owner}


def feed_deadlines(feed: CalendarFeed) -> QuerySet[Deadline]:
    """The open deadlines the feed shows, in one query.

    An official's public bodies are a subquery rather than `roles_of`, so the feed is one
    statement whoever owns it, and reads the roles as they are now.
    """
    if feed.association_id:
        owned = Q(association_id=feed.association_id)
    else:
        owned = Q(
            public_body_id__in=OfficialRole.objects.filter(user_id=feed.person_id).values(
                "public_body_id"
            )
        )
    return (
        Deadline.objects.filter(owned, status=Deadline.Status.OPEN)
        .only("id", "kind", "title", "due_on", "content_type_id", "object_id")
        .order_by("due_on", "id")
    )


def feed_by_token(token: str) -> CalendarFeed:
    """The feed behind a URL, or 404: unknown and rotated tokens look the same."""
    feed = CalendarFeed.objects.select_related("association", "person").filter(token=token).first()
    # A deactivated person's own feed stops with their account.
    if feed is None or (feed.person_id and not feed.person.is_active):
        raise Http404
    return feed


def calendar_feeds_of(user: Any) -> list[CalendarFeed]:
    """The feeds the person may subscribe to: their own if they are an official, then one per
    association where they hold any role. Created on first request."""
    roles = roles_of(user)
    feeds: list[CalendarFeed] = []
    if roles.all_public_bodies:
        feeds.append(calendar_feed_for_person(user))
    # A person holds roles in a handful of associations: one get_or_create each is cheap.
    associations = Association.objects.filter(pk__in=roles.all_associations).order_by("name", "pk")
    feeds.extend(calendar_feed_for_association(a, user) for a in associations)
    return feeds


def feeds_visible_to(user: Any) -> QuerySet[CalendarFeed]:
    """Feeds the person may see: their own, and those of associations where they hold a role."""
    roles = roles_of(user)
    return CalendarFeed.objects.select_related("association", "person").filter(
        Q(person_id=user.pk) | Q(association_id__in=roles.all_associations)
    )


def may_rotate(feed: CalendarFeed, user: Any) -> bool:
    """The owner rotates their own feed; an association's feed, its representatives."""
    if feed.association_id:
        return feed.association_id in roles_of(user).associations(
            AssociationRole.Role.REPRESENTATIVE
        )
    return feed.person_id is not None and feed.person_id == user.pk


# --- services --------------------------------------------------------------------------------


def calendar_feed_for_person(user: Any) -> CalendarFeed:
    """The official's own feed: the deadlines of every public body where they hold a role."""
    if not roles_of(user).all_public_bodies:
        raise PermissionDenied(_("Only officials have a calendar feed of their own."))
    # get_or_create retries the read when a concurrent request inserted the row first.
    feed, _created = CalendarFeed.objects.get_or_create(person=user)
    feed.person = user
    return feed


def calendar_feed_for_association(association: Association, user: Any) -> CalendarFeed:
    """The association's feed, for anyone holding a role in it (all of them share one URL)."""
    if association.pk not in roles_of(user).all_associations:
        raise PermissionDenied(_("Only the association's people see its calendar feed."))
    feed, _created = CalendarFeed.objects.get_or_create(association=association)
    feed.association = association
    return feed


@transaction.atomic
def calendar_feed_rotate(feed: CalendarFeed, user: Any) -> CalendarFeed:
    """Give the feed a new token: the old URL answers 404 from this commit on."""
    if not may_rotate(feed, user):
        raise PermissionDenied(
            _("Only the feed's owner or the association's representatives may rotate it.")
        )
    feed.token = calendar_token()
    feed.rotated_at = timezone.now()
    feed.save(update_fields=["token", "rotated_at"])
    # Who retired a subscription URL, and when, is worth a line in the audit log.
    action_record(feed, action="rotate_calendar_token", actor=user)
    return feed


# --- rendering -------------------------------------------------------------------------------


def calendar_for(feed: CalendarFeed) -> bytes:
    """The feed as an iCalendar document: one all-day event per open deadline, in the feed's
    language, each linking to its record's page for the feed's owner.

    Reads the deadlines in one query and their records in one more per kind of record (the
    feed's owner must already be loaded).
    """
    now = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", feed_name(feed))
    # Hints for subscribing applications; most poll daily otherwise, and a moved deadline
    # should show within the hour.
    # RFC 7986 requires the VALUE parameter here, although DURATION is the only choice.
    calendar.add(
        "refresh-interval", vDuration(timedelta(hours=1)), parameters={"VALUE": "DURATION"}
    )
    calendar.add("x-published-ttl", "PT1H")
    deadlines = list(feed_deadlines(feed))
    prefetch_related_objects(deadlines, "subject")
    audience = feed_audience(feed)
    with translation.override(feed_language(feed)):
        for deadline in deadlines:
            calendar.add_component(_event(deadline, audience, now))
    return calendar.to_ical()


def _event(deadline: Deadline, audience: str, now: datetime) -> Event:
    """One deadline as an event, in the active language: what is due, when, and the page."""
    label = kind_label(deadline.kind)
    summary = f"{label}: {deadline.title}" if deadline.title else label
    link = absolute_url(
        page_path(deadline.subject, audience) if deadline.subject is not None else None
    )
    event = Event()
    # Moving a deadline keeps its row, so the same UID lets applications move the event.
    event.add("uid", f"deadline-{deadline.pk}@{settings.NOTIFICATION_MESSAGE_ID_DOMAIN}")
    # A published feed has no revision history; the time of publication is what RFC 5545
    # accepts for DTSTAMP then.
    event.add("dtstamp", now)
    event.add("dtstart", deadline.due_on)
    event.add("dtend", deadline.due_on + timedelta(days=1))
    event.add("summary", summary)
    event.add("url", link)
    event.add(
        "description",
        "\n".join(
            line
            for line in (
                f"{label}: {local_date(deadline.due_on, translation.get_language())}",
                deadline.title,
                _("Open in the service: %(link)s") % {"link": link},
            )
            if line
        ),
    )
    # A deadline does not make anyone busy for the day.
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    # An all-day event starts at midnight: remind at the reminder hour of the day before.
    alarm.add("trigger", timedelta(hours=settings.REMINDER_HOUR - 24))
    event.add_component(alarm)
    return event
