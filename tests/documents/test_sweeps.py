"""The sweep makes what a lost task did not: decisions' documents and finance hand-overs."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from documents.generation import documents_of
from documents.sweeps import sweep

pytestmark = pytest.mark.django_db
APPROVE = {"outcome": "approved", "granted_amount": Decimal("5000.00"), "reasons": "Hyvä."}


def test_a_decision_without_its_document_gets_one_once(walk, application):
    app = walk(
        application, "submit", "start_review", "record_step", "decide", decide={"params": APPROVE}
    )

    assert sweep() == 1
    assert sweep() == 0
    assert [d.kind for d in documents_of(app)] == ["grant_decision"]


def test_a_rectification_decided_while_the_broker_was_down_gets_its_document(walk, application):
    app = walk(
        application,
        "submit",
        "start_review",
        "record_step",
        "decide",
        "notify",
        decide={"params": APPROVE},
    )
    sweep()
    walk(
        app,
        "file_rectification",
        "decide_rectification",
        decide_rectification={
            "params": {"outcome": "upheld", "reasons": "Päätös on lainmukainen."}
        },
    )

    assert sweep() == 1
    assert {d.kind for d in documents_of(app)} == {"grant_decision", "rectification_decision"}


@pytest.mark.parametrize("mailbox", ["talous@example.fi", ""])
def test_a_payable_grant_is_handed_over_once_and_never_retried_without_a_mailbox(
    walk, application, mailbox
):
    body = application.call.public_body
    body.finance_email = mailbox
    body.save()
    app = walk(
        application,
        "submit",
        "start_review",
        "record_step",
        "decide",
        "notify",
        decide={"params": APPROVE},
    )
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        walk(app, "become_legally_valid")
        first, second = sweep(), sweep()

    assert first == (2 if mailbox else 1)  # the decision's document, and the hand-over
    assert second == 0
    finance_mail = [m for m in mail.outbox if m.attachments]
    assert len(finance_mail) == (1 if mailbox else 0)
