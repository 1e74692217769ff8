"""An agreement's deadlines in the calendar feeds: the meetings, the yearly evaluations and the
term's end, named in the feed's language, each event linking to the partnerships page where
the reader acts on it."""

from datetime import date
from urllib.parse import urlsplit

import pytest
from django.urls import resolve
from icalendar import Calendar

from agreements.scans import open_due_evaluations
from tests.agreements.builders import at
from workflow.calendar import (
    calendar_feed_for_association,
    calendar_feed_for_person,
    calendar_for,
)
from workflow.models import Deadline

pytestmark = pytest.mark.django_db

SITE = "https://avustus.example.fi"


@pytest.fixture
def feeds(active, association, representative, people, settings, time_machine):
    """The feeds in January 2028, when the first yearly evaluation has come due."""
    settings.SITE_URL = SITE + "/"
    time_machine.move_to(at(date(2028, 1, 3), 1))
    open_due_evaluations()
    return {
        "association": calendar_feed_for_association(association, representative),
        "liaison": calendar_feed_for_person(people["liaison"]),
    }


@pytest.mark.parametrize("owner", ["association", "liaison"])
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_agreement_deadlines_are_named_in_the_feed_s_language_and_link_to_their_page(
    feeds, active, association, people, owner, language
):
    association.language = people["liaison"].language = language
    association.save()
    people["liaison"].save()
    kinds = set(Deadline.objects.values_list("kind", flat=True))
    assert {"meeting_due", "evaluation_due", "agreement_ends"} <= kinds

    events = Calendar.from_ical(calendar_for(feeds[owner])).walk("VEVENT")

    assert events
    english = ("Meeting due", "Evaluation due", "Agreement ends", "due", "ends")
    for event in events:
        summary, description = str(event["SUMMARY"]), str(event["DESCRIPTION"])
        assert not any(word in summary for word in english), summary
        assert summary.split(":")[0] in description
        url = str(event["URL"])
        assert url.startswith(SITE + "/partnerships/")
        assert url in description
        match = resolve(urlsplit(url).path)
        assert match.namespace == "partnerships"
        assert match.kwargs["pk"] == active.pk


def test_the_liaison_s_meeting_links_to_recording_it_the_association_s_to_the_agreement(
    feeds, active
):
    def meeting_pages(owner: str) -> set[str]:
        events = Calendar.from_ical(calendar_for(feeds[owner])).walk("VEVENT")
        return {
            resolve(urlsplit(str(e["URL"])).path).url_name
            for e in events
            if str(e["UID"]).split("@")[0]
            in {f"deadline-{d.pk}" for d in Deadline.objects.filter(kind="meeting_due")}
        }

    assert meeting_pages("liaison") == {"meeting_record"}
    assert meeting_pages("association") == {"agreement"}
