"""The removal of personal data is exactly once when two beats (or a retried task) run it at the
same moment: the row lock orders them and the second finds it done (PostgreSQL)."""

import threading
from datetime import timedelta

import pytest
import time_machine

from grants import scans as grant_scans
from publicity import scans
from tests.grants.test_concurrency import run_in_threads
from tests.publicity.conftest import START
from workflow.models import TransitionLog

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_scans_at_once_remove_the_personal_data_once(send, application):
    with time_machine.travel(START, tick=False) as clock:
        app = send(application)
        clock.move_to(START + timedelta(days=30))
        grant_scans.make_decisions_legally_valid()
        together = threading.Barrier(2)

        def scan() -> int:
            together.wait()
            return scans.remove_personal_data()

        results = run_in_threads(scan, scan)
    assert sorted(results) == [("ok", 0), ("ok", 1)]
    removals = TransitionLog.objects.filter(
        object_id=app.pk, transition="published_personal_data_removed"
    )
    assert removals.count() == 1
