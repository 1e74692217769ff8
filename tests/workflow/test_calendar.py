"""Calendar feeds: an association's and an official's open deadlines as iCalendar, behind a
secret token that can be rotated, and the API that hands out and rotates the URLs."""

import ast
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from organisations.models import OfficialRole
from organisations.roles import forget_roles
from tests.conftest import as_user
from tests.factories import ApplicationFactory, UserFactory, grant_role, represent
from tests.portals.catalogues import ROOT
from workflow.calendar import (
    calendar_feed_for_association,
    calendar_feed_for_person,
    calendar_feed_rotate,
    feed_url,
)
from workflow.deadlines import deadline_close, deadline_set, kind_label, registered_kinds
from workflow.models import CalendarFeed, Deadline, TransitionLog

pytestmark = pytest.mark.django_db

API = "/api/v1/calendar/"
ROTATE = "/api/v1/calendar/rotate/"


def in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def open_deadline(app, kind: str, days: int, title: str = "") -> Deadline:
    """A deadline of the application, owned the way grants owns them."""
    return deadline_set(
        app,
        kind=kind,
        due_on=in_days(days),
        title=title or app.title,
        association_id=app.association_id,
        public_body_id=app.call.public_body_id,
    )


def ics_path(feed: CalendarFeed) -> str:
    return f"/calendar/{feed.token}.ics"


def path_of(url: str) -> str:
    return urlsplit(url).path


def fetch(client, feed: CalendarFeed) -> Calendar:
    response = client.get(ics_path(feed))
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, object]:
    """The calendar's events by UID."""
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def uid(deadline: Deadline) -> str:
    return f"deadline-{deadline.pk}@avustus.local"


@pytest.fixture
def foreign_app():
    """An application of another association to another public body."""
    return ApplicationFactory()


# --- what a feed contains ----------------------------------------------------------------------


def test_association_feed_has_one_event_per_open_deadline_of_the_association(
    client, application, representative, foreign_app
):
    ours = [
        open_deadline(application, "call_closes", 10),
        open_deadline(application, "report_due", 120),
    ]
    theirs = open_deadline(foreign_app, "call_closes", 10)
    feed = calendar_feed_for_association(application.association, representative)

    found = events(fetch(client, feed))

    assert set(found) == {uid(d) for d in ours}
    assert uid(theirs) not in found


def test_event_is_an_all_day_event_on_the_due_date_with_a_reminder(
    client, application, representative
):
    deadline = open_deadline(application, "report_due", 30, title="Kerhotoiminta 2026")
    feed = calendar_feed_for_association(application.association, representative)

    response = client.get(ics_path(feed))
    calendar = Calendar.from_ical(response.content)
    event = calendar.walk("VEVENT")[0]

    assert calendar["VERSION"] == "2.0"
    assert "PRODID" in calendar
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in response.content
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in response.content
    assert str(calendar["X-WR-CALNAME"]) == f"Määräajat – {application.association.name}"
    assert event.decoded("DTSTART") == deadline.due_on
    assert event.decoded("DTEND") == deadline.due_on + timedelta(days=1)
    assert b"DTSTART;VALUE=DATE:" + deadline.due_on.strftime("%Y%m%d").encode() in response.content
    assert str(event["SUMMARY"]) == "Selvitys viimeistään: Kerhotoiminta 2026"
    assert "DTSTAMP" in event
    [alarm] = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    # 08:00 on the day before an event that starts at midnight.
    assert alarm.decoded("TRIGGER") == timedelta(hours=-16)


@pytest.mark.parametrize(
    ("language", "label", "opens", "name"),
    [
        ("sv", "Ansökningstiden går ut", "Öppna i tjänsten: http", "Tidsfrister"),
        ("en", "Call closes", "Open in the service: http", "Deadlines"),
    ],
)
def test_the_feed_speaks_its_owner_s_language(
    client, application, representative, language, label, opens, name
):
    application.association.language = language
    application.association.save()
    open_deadline(application, "call_closes", 5, title="Klubb")
    feed = calendar_feed_for_association(application.association, representative)

    calendar = fetch(client, feed)
    [event] = calendar.walk("VEVENT")

    assert str(event["SUMMARY"]) == f"{label}: Klubb"
    assert str(event["DESCRIPTION"]).startswith(f"{label}: ")
    assert opens in str(event["DESCRIPTION"])
    assert str(calendar["X-WR-CALNAME"]) == f"{name} – {application.association.name}"


@pytest.mark.parametrize(
    ("owner", "page"),
    [("association", "associations:application"), ("official", "officials:application")],
)
def test_each_event_links_to_its_page_for_the_feed_owner_and_says_what_is_due_and_where(
    client, application, representative, people, settings, owner, page
):
    settings.SITE_URL = "https://avustus.example.fi/"
    deadline = open_deadline(application, "report_due", 30, title="Kerhotoiminta 2026")
    feed = (
        calendar_feed_for_association(application.association, representative)
        if owner == "association"
        else calendar_feed_for_person(people["preparer"])
    )

    [event] = fetch(client, feed).walk("VEVENT")

    link = "https://avustus.example.fi" + reverse(page, args=[application.pk])
    assert str(event["URL"]) == link
    assert str(event["DESCRIPTION"]).split("\n") == [
        f"Selvitys viimeistään: {deadline.due_on.day}.{deadline.due_on.month}."
        f"{deadline.due_on.year}",
        "Kerhotoiminta 2026",
        f"Avaa palvelussa: {link}",
    ]


def test_closed_deadlines_are_absent(client, application, representative):
    kept = open_deadline(application, "report_due", 40)
    open_deadline(application, "call_closes", 3)
    open_deadline(application, "completion_due", 7)
    deadline_close(application, kind="call_closes")
    deadline_close(application, kind="completion_due", status=Deadline.Status.CANCELLED)
    feed = calendar_feed_for_association(application.association, representative)

    assert set(events(fetch(client, feed))) == {uid(kept)}


def test_a_moved_deadline_keeps_its_uid_and_shows_the_new_date(client, application, representative):
    deadline = open_deadline(application, "completion_due", 7)
    moved = open_deadline(application, "completion_due", 21)
    feed = calendar_feed_for_association(application.association, representative)

    found = events(fetch(client, feed))

    assert moved.pk == deadline.pk
    assert found[uid(deadline)].decoded("DTSTART") == in_days(21)


def test_official_feed_has_the_deadlines_of_their_public_bodies_only(
    client, application, people, foreign_app
):
    ours = open_deadline(application, "call_closes", 10)
    theirs = open_deadline(foreign_app, "call_closes", 10)

    mine = events(fetch(client, calendar_feed_for_person(people["preparer"])))
    foreign = events(fetch(client, calendar_feed_for_person(people["foreign_preparer"])))

    assert set(mine) == {uid(ours)}
    assert set(foreign) == set()
    assert uid(theirs) not in mine


def test_official_feed_covers_every_public_body_and_role(client, application, people, foreign_app):
    person = grant_role(people["finance"], foreign_app.call.public_body, OfficialRole.Role.LIAISON)
    ours = open_deadline(application, "report_due", 60)
    theirs = open_deadline(foreign_app, "report_due", 60)

    assert set(events(fetch(client, calendar_feed_for_person(person)))) == {
        uid(ours),
        uid(theirs),
    }


def test_official_feed_follows_roles_as_they_are_now(client, application, people):
    person = people["liaison"]
    open_deadline(application, "call_closes", 10)
    feed = calendar_feed_for_person(person)
    assert len(fetch(client, feed).walk("VEVENT")) == 1

    OfficialRole.objects.filter(user=person).delete()

    assert fetch(client, feed).walk("VEVENT") == []


def test_association_feed_never_shows_an_official_feed_s_other_associations(
    client, application, representative, call
):
    other = ApplicationFactory(call=call)
    open_deadline(other, "call_closes", 10)
    feed = calendar_feed_for_association(application.association, representative)

    assert fetch(client, feed).walk("VEVENT") == []


# --- the .ics URL ------------------------------------------------------------------------------


def test_feed_response_is_text_calendar_and_privately_cached(client, application, representative):
    feed = calendar_feed_for_association(application.association, representative)

    response = client.get(ics_path(feed))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]


def test_unknown_token_answers_404(client, application, representative):
    calendar_feed_for_association(application.association, representative)

    assert client.get("/calendar/not-a-real-token.ics").status_code == 404


def test_feed_needs_no_sign_in_but_only_reads(client, application, representative):
    feed = calendar_feed_for_association(application.association, representative)

    assert client.get(ics_path(feed)).status_code == 200
    assert client.post(ics_path(feed)).status_code == 405


def test_deactivated_person_feed_answers_404(client, people):
    person = people["preparer"]
    feed = calendar_feed_for_person(person)
    person.is_active = False
    person.save()

    assert client.get(ics_path(feed)).status_code == 404


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize("owner", ["association", "official"])
def test_feed_query_count_does_not_grow_with_deadlines(
    client, call, association, representative, people, django_assert_num_queries, count, owner
):
    for _ in range(count):
        app = ApplicationFactory(call=call, association=association)
        open_deadline(app, "call_closes", 10)
    feed = (
        calendar_feed_for_association(association, representative)
        if owner == "association"
        else calendar_feed_for_person(people["preparer"])
    )

    # The feed with its owner, the deadlines, then their records (for the links), one query
    # per kind of record.
    with django_assert_num_queries(3):
        response = client.get(ics_path(feed))

    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == count


# --- getting a feed ----------------------------------------------------------------------------


def test_association_people_share_one_feed(association, representative, signatory):
    assert (
        calendar_feed_for_association(association, representative).pk
        == calendar_feed_for_association(association, signatory).pk
    )
    assert CalendarFeed.objects.count() == 1


def test_person_without_role_in_the_association_cannot_get_its_feed(
    association, foreign_representative, people
):
    for outsider in (foreign_representative, people["preparer"]):
        with pytest.raises(PermissionDenied):
            calendar_feed_for_association(association, outsider)
    assert not CalendarFeed.objects.exists()


def test_only_officials_have_a_feed_of_their_own(representative):
    with pytest.raises(PermissionDenied):
        calendar_feed_for_person(representative)


def test_a_feed_has_exactly_one_owner(association, representative):
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarFeed.objects.create(association=association, person=representative)
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarFeed.objects.create()


# --- rotating ----------------------------------------------------------------------------------


def test_rotating_gives_a_new_token_and_the_old_url_answers_404(
    client, application, representative
):
    open_deadline(application, "call_closes", 10)
    feed = calendar_feed_for_association(application.association, representative)
    old_path = ics_path(feed)
    old_token = feed.token

    calendar_feed_rotate(feed, representative)

    feed.refresh_from_db()
    assert feed.token != old_token
    assert feed.rotated_at is not None
    assert client.get(old_path).status_code == 404
    assert len(fetch(client, feed).walk("VEVENT")) == 1
    assert TransitionLog.objects.filter(transition="rotate_calendar_token").count() == 1


def test_only_representatives_rotate_an_association_feed(
    association, representative, signatory, foreign_representative
):
    feed = calendar_feed_for_association(association, representative)

    for person in (signatory, foreign_representative):
        with pytest.raises(PermissionDenied):
            calendar_feed_rotate(feed, person)


def test_only_the_owner_rotates_a_person_feed(people):
    feed = calendar_feed_for_person(people["preparer"])

    with pytest.raises(PermissionDenied):
        calendar_feed_rotate(feed, people["preparer2"])
    calendar_feed_rotate(feed, people["preparer"])


# --- the API -----------------------------------------------------------------------------------


def test_api_needs_authentication(api, association, representative):
    feed = calendar_feed_for_association(association, representative)

    assert api.get(API).status_code in (401, 403)
    assert api.post(ROTATE, {"feed": feed.pk}).status_code in (401, 403)
    assert CalendarFeed.objects.get().token == feed.token


def test_api_lists_own_official_feed_and_one_per_association(
    api, client, body, association, foreign_association
):
    person = grant_role(UserFactory(), body, OfficialRole.Role.PREPARER)
    represent(person, association)
    represent(person, foreign_association)

    response = as_user(api, person).get(API)

    assert response.status_code == 200
    feeds = response.json()
    assert [f["owner"] for f in feeds] == ["person", "association", "association"]
    assert {f["association"] for f in feeds[1:]} == {association.pk, foreign_association.pk}
    assert all(f["may_rotate"] for f in feeds)
    own = CalendarFeed.objects.get(person=person)
    assert feeds[0]["url"] == feed_url(own)
    assert feeds[0]["url"].endswith(f"/calendar/{own.token}.ics")
    assert client.get(path_of(feeds[0]["url"])).status_code == 200


def test_api_lists_nothing_for_a_person_without_roles(api):
    response = as_user(api, UserFactory()).get(API)

    assert response.status_code == 200
    assert response.json() == []
    assert not CalendarFeed.objects.exists()


def test_api_listing_twice_keeps_the_same_urls(api, representative):
    first = as_user(api, representative).get(API).json()
    second = api.get(API).json()

    assert first == second
    assert CalendarFeed.objects.count() == 1


def test_api_rotate_gives_a_new_url(api, client, representative):
    [feed] = as_user(api, representative).get(API).json()

    response = api.post(ROTATE, {"feed": feed["id"]})

    assert response.status_code == 200
    assert response.json()["url"] != feed["url"]
    assert response.json()["rotated_at"] is not None
    assert client.get(path_of(feed["url"])).status_code == 404


def test_api_rotate_of_a_feed_one_may_not_see_is_404(
    api, association, representative, foreign_representative, people
):
    feed = calendar_feed_for_association(association, representative)
    own = calendar_feed_for_person(people["preparer"])

    for outsider, target in ((foreign_representative, feed), (people["preparer2"], own)):
        forget_roles(outsider)
        response = as_user(api, outsider).post(ROTATE, {"feed": target.pk})
        assert response.status_code == 404
    assert {f.token for f in CalendarFeed.objects.all()} == {feed.token, own.token}


def test_api_rotate_by_a_signatory_is_403(api, association, representative, signatory):
    feed = calendar_feed_for_association(association, representative)

    response = as_user(api, signatory).post(ROTATE, {"feed": feed.pk})

    assert response.status_code == 403
    assert CalendarFeed.objects.get().token == feed.token


@pytest.mark.parametrize("payload", [{}, {"feed": "x"}, {"feed": 0}])
def test_api_rotate_refuses_bad_input_with_400(api, representative, payload):
    response = as_user(api, representative).post(ROTATE, payload)

    assert response.status_code == 400
    assert "feed" in response.json()


def test_an_officials_feed_shows_no_deadline_of_an_unsent_draft(client, people, representative):
    from grants.services import application_create
    from tests.factories import CallFactory
    from workflow.calendar import calendar_feed_for_person

    call = CallFactory(public_body=people["preparer"].official_roles.get().public_body)
    association = representative.association_roles.get().association
    application_create(
        user=representative,
        call=call,
        association=association,
        requested_amount=Decimal("100.00"),
        purpose="x",
        budget_lines=[{"description": "a", "amount": Decimal("100.00")}],
    )
    feed = calendar_feed_for_person(people["preparer"])

    body = client.get(f"/calendar/{feed.token}.ics").content.decode()

    assert "VEVENT" not in body


# --- every kind of deadline has a name -----------------------------------------------------------


def deadline_kinds_opened() -> set[str]:
    """Every kind of deadline any app's code opens, moves or closes (a string literal given as
    `kind=` or first to `deadline_set`, `open_deadline`, `deadline_close`), and every kind the
    reminder settings name."""
    calls = {"deadline_set", "deadline_close", "open_deadline"}
    kinds = set(settings.REMINDER_DEFAULTS)
    for path in (p for apps in ROOT.glob("*/apps.py") for p in apps.parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            if getattr(node.func, "attr", getattr(node.func, "id", "")) not in calls:
                continue
            given = [k.value for k in node.keywords if k.arg == "kind"] + node.args[:1]
            kinds.update(v.value for v in given if isinstance(v, ast.Constant))
    return {kind for kind in kinds if isinstance(kind, str)}


def test_the_walk_finds_the_kinds_of_grants_and_agreements():
    assert {
        "call_closes",
        "completion_due",
        "appeal_period_ends",
        "report_due",
        "meeting_due",
        "evaluation_due",
        "agreement_ends",
    } <= deadline_kinds_opened()


@pytest.mark.parametrize("kind", sorted(deadline_kinds_opened()))
def test_every_kind_of_deadline_has_a_name_in_every_language(kind):
    assert kind in registered_kinds()
    with translation.override("en"):
        english = kind_label(kind)
    for language in ("fi", "sv"):
        with translation.override(language):
            assert kind_label(kind) != english, (language, kind)
