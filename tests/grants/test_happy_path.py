from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from grants.models import Application
from workflow.models import TransitionLog

S = Application.State
pytestmark = pytest.mark.django_db


def test_application_goes_from_draft_to_closed(application, walk, people):
    app = walk(application, "submit", "start_review", "record_step", "decide", "notify")
    assert app.state == S.NOTIFIED
    assert app.granted_amount == Decimal("5000.00")
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        app = walk(app, "become_legally_valid")
        app = walk(
            app,
            "record_payment",
            record_payment={
                "params": {"amount": Decimal("5000.00"), "paid_on": timezone.localdate()}
            },
        )
        assert app.state == S.PAID
        assert app.report_due_on is not None
        app = walk(app, "submit_report", "accept_report")
    assert app.state == S.CLOSED
    transitions = list(
        TransitionLog.objects.filter(object_id=app.pk).values_list("transition", flat=True)
    )
    assert transitions == [
        "submit",
        "start_review",
        "record_step",
        "decide",
        "notify",
        "become_legally_valid",
        "record_payment",
        "submit_report",
        "accept_report",
    ]
