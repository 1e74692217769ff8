"""The sweep makes what a lost task did not: decisions' documents and finance hand-overs
(also of payables that have since fallen due)."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from documents.generation import documents_of
from finance.hand_over import finance_hand_over, hand_over_sweep
from finance.payables import payable_open
from grants.documents import decision_documents_sweep

pytestmark = pytest.mark.django_db


def sweep() -> int:
    """What beat's sweeps make in one round: decision documents, then hand-overs."""
    return decision_documents_sweep() + hand_over_sweep()


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


def test_a_payable_is_handed_over_when_its_day_comes_with_its_own_order(walk, application):
    """An instalment opened ahead of its day waits; on the day the sweep sends its order with
    the subject's decision, apart from the order of the subject's other payable."""
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
        app = walk(app, "become_legally_valid")
        decision = app.payables.get()
        later = payable_open(
            app,
            source="instalment:2",
            public_body_id=decision.public_body_id,
            association_id=decision.association_id,
            amount=Decimal("100.00"),
            decision_number=decision.decision_number,
            decided_on=decision.decided_on,
            payable_on=timezone.localdate() + timedelta(days=7),
            title="Toinen erä",
        )
        assert finance_hand_over(later.pk) is None  # not yet due
        sweep()
        orders = documents_of(app, "payment_order")
        assert [o.source for o in orders] == [f"payable:{decision.pk}"]
        assert len([m for m in mail.outbox if m.attachments]) == 1

    with time_machine.travel(timezone.now() + timedelta(days=47)):
        assert sweep() == 1
        assert sweep() == 0

    later_order = documents_of(app, "payment_order").get(source=f"payable:{later.pk}")
    assert later_order.data["payment"]["amount"] == "100.00"
    assert later_order.data["payment"]["message"] == "Toinen erä"
    finance_mail = [m for m in mail.outbox if m.attachments]
    assert len(finance_mail) == 2
    assert [name for name, _content, _type in finance_mail[1].attachments] == [
        "grant_decision.v1.docx",
        "payment_order.v2.docx",
    ]


def test_a_paid_payable_is_not_handed_over(walk, application, people):
    body = application.call.public_body
    body.finance_email = ""
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
        app = walk(
            app,
            "become_legally_valid",
            "record_payment",
            record_payment={
                "params": {"amount": Decimal("5000.00"), "paid_on": timezone.localdate()}
            },
        )
        body.finance_email = "talous@example.fi"
        body.save()

        assert finance_hand_over(app.payables.get().pk) is None
        sweep()

    assert not documents_of(app, "payment_order").exists()
