"""A decision's published form (Local Government Act 140 §): public from its sending to the end
of its appeal periods, then, by the scheduled job and exactly once, without its personal data,
remaining as granted support."""

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from grants import scans as grant_scans
from publicity import scans, services
from publicity.models import Publication
from tests.publicity.conftest import START
from workflow.formats import money
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
AMOUNT = money(Decimal("4000"), "fi")  # the page's language: Finnish by default
REASONS = "Hanke tukee nuorten harrastuksia; yhteyshenkilö Maija Meikäläinen, puh. 040 1234567."


def _page(publication: Publication) -> str:
    response = Client().get(reverse("public:decision", args=[publication.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _removals(app) -> int:
    return TransitionLog.objects.filter(
        object_id=app.pk, transition="published_personal_data_removed"
    ).count()


def test_a_decision_is_public_in_its_appeal_period_and_then_remains_as_granted_support(
    send, application, people
):
    with time_machine.travel(START, tick=False) as clock:
        app = send(application, amount="4000.00", reasons=REASONS, conditions="Ehto A.")
        publication = app.publication
        # Electronic: deemed received on the 3rd day, the party's period 14 days from then;
        # a resident is deemed to know on the 7th day after publication (139 §).
        assert app.appeal_ends_on == START.date() + timedelta(days=17)
        assert publication.residents_appeal_ends_on == START.date() + timedelta(days=21)

        page = _page(publication)
        assert "Maija Meikäläinen" in page
        assert "Ehto A." in page
        assert application.association.name in page
        assert AMOUNT in page
        assert "oikaisu" in page.lower()  # the appeal instructions
        for official in (people["decision_maker"], people["preparer"]):
            assert official.last_name not in page  # no names of persons beyond the text

        # The party's period is over and the decision legally valid, the residents' is not.
        clock.move_to(START + timedelta(days=19))
        grant_scans.make_decisions_legally_valid()
        assert scans.remove_personal_data() == 0
        assert "Maija Meikäläinen" in _page(publication)

        clock.move_to(START + timedelta(days=22))
        grant_scans.make_decisions_legally_valid()
        assert scans.remove_personal_data() == 1
        assert scans.remove_personal_data() == 0  # the next run of the beat: nothing left
        assert services.personal_data_remove(publication.pk) is False  # a retried task

    page = _page(publication)
    assert "Maija Meikäläinen" not in page
    assert "040 1234567" not in page
    assert "Ehto A." not in page
    assert application.association.name in page
    assert application.purpose in page
    assert AMOUNT in page
    assert "2026" in page
    publication.refresh_from_db()
    assert (publication.reasons, publication.conditions) == ("", "")
    assert publication.year == 2026
    assert publication.amount_awarded == Decimal("4000.00")
    assert _removals(app) == 1
    entry = TransitionLog.objects.get(
        object_id=app.pk, transition="published_personal_data_removed"
    )
    assert entry.actor is None  # the system
    # The application, the legal record, keeps its decision.
    app.refresh_from_db()
    assert app.reasons == REASONS


def test_a_request_for_rectification_keeps_the_decision_published(send, application, walk):
    with time_machine.travel(START, tick=False) as clock:
        app = send(application)
        clock.move_to(START + timedelta(days=2))
        walk(app, "file_rectification")
        clock.move_to(START + timedelta(days=40))
        grant_scans.make_decisions_legally_valid()
        assert scans.remove_personal_data() == 0
    assert Publication.objects.get().personal_data_removed_at is None


def test_a_decision_on_rectification_replaces_the_published_form(send, application, walk):
    with time_machine.travel(START, tick=False) as clock:
        app = send(application, amount="3000.00")
        first = Publication.objects.get()
        assert services.decision_publish(app.pk) == first  # a retried task changes nothing
        clock.move_to(START + timedelta(days=2))
        app = walk(app, "file_rectification")
        clock.move_to(START + timedelta(days=5))
        app = walk(
            app,
            "decide_rectification",
            "notify",
            decide_rectification={
                "params": {
                    "outcome": "changed",
                    "granted_amount": Decimal("5000.00"),
                    "reasons": "Oikaistu.",
                }
            },
        )
        scans.publish_sent_decisions()  # nothing new: the publication exists
        assert Publication.objects.get().amount_awarded == Decimal("3000.00")
        services.decision_publish(app.pk)  # what the notify task does
    publication = Publication.objects.get()
    assert publication.amount_awarded == Decimal("5000.00")
    assert publication.reasons == "Oikaistu."
    assert publication.published_on == START.date() + timedelta(days=5)
    published = TransitionLog.objects.filter(object_id=app.pk, transition="decision_published")
    assert published.count() == 2


def test_sending_a_decision_queues_its_publication(
    walk, application, django_capture_on_commit_callbacks
):
    app = walk(application, "submit", "start_review", "record_step", "decide")
    with (
        mock.patch("publicity.tasks.publish_decision.apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        walk(app, "notify")
    queued.assert_called_once_with((app.pk,))


def test_a_decision_valid_before_the_public_pages_is_published_as_granted_support(
    send, application
):
    with time_machine.travel(START, tick=False) as clock:
        send(application)
        Publication.objects.all().delete()  # as if decided before the public pages existed
        clock.move_to(START + timedelta(days=30))
        grant_scans.make_decisions_legally_valid()
        assert scans.publish_sent_decisions() == 1
        assert scans.publish_sent_decisions() == 0
    publication = Publication.objects.get()
    assert publication.personal_data_removed
    assert publication.reasons == ""
    assert publication.amount_awarded == Decimal("5000.00")
