"""Decisions sent and published, for the public pages' tests."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone

from publicity import scans
from tests.factories import CallFactory

# A Monday with no holiday near, where the tests that count the appeal periods travel: the
# periods end on the days counted.
START = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Helsinki"))


@pytest.fixture(autouse=True)
def _fresh_figures():
    """The yearly figures are cached by the latest change (publicity.selectors): a test's own
    records must not meet another test's figures of the same moment."""
    cache.clear()


@pytest.fixture
def call(body):
    """The body's call, open from before START until after today."""
    return CallFactory(
        public_body=body,
        opens_at=START - timedelta(days=10),
        closes_at=timezone.now() + timedelta(days=20),
    )


@pytest.fixture
def send(walk):
    """send(application, amount="5000.00", reasons=...): walked to a decision sent
    electronically today, then published by the beat's sweep (as the lost task would be)."""

    def _send(app, amount: str = "5000.00", reasons: str = "Hyvä hanke.", conditions: str = ""):
        granted = Decimal(amount)
        outcome = (
            "rejected"
            if granted == 0
            else "approved"
            if granted == app.requested_amount
            else "partially_approved"
        )
        app = walk(
            app,
            "submit",
            "start_review",
            "record_step",
            "decide",
            "notify",
            record_step={"params": {"proposed_amount": granted}},
            decide={
                "params": {
                    "outcome": outcome,
                    "granted_amount": granted,
                    "reasons": reasons,
                    "conditions": conditions,
                }
            },
        )
        scans.publish_sent_decisions()
        app.refresh_from_db()
        return app

    return _send
