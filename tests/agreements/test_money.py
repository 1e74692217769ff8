"""Money that follows the terms in force (issue 17): an amendment that changes a year already
payable adjusts what is owed, with its reason shown to finance; a payment is recorded only for
a payable in finance's inbox and not before the day it became payable."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from agreements import instalments, services
from agreements.models import Agreement, AgreementRectification
from agreements.summary import yearly_summary
from finance import batches, payables
from finance.models import Payable
from tests.agreements.builders import at, fresh, terms
from tests.conftest import as_user

pytestmark = pytest.mark.django_db


def payables_of(agreement: Agreement) -> list[Payable]:
    return list(
        Payable.objects.filter(
            content_type=ContentType.objects.get_for_model(Agreement), object_id=agreement.pk
        ).order_by("id")
    )


@pytest.fixture
def payable(active, time_machine) -> Payable:
    """The 2027 instalment, 10 000 €, payable from 1 February 2027."""
    time_machine.move_to(at(date(2027, 2, 2)), tick=False)
    assert instalments.open_due_instalments() == 1
    return payables_of(active)[0]


def amend_2027(agreement, people, negotiate_to_force, amount: str):
    changed = terms()["resources"]
    changed[0]["amount"] = Decimal(amount)
    amendment = services.version_draft(
        fresh(agreement), user=people["liaison"], terms_given={"resources": changed}
    )
    return negotiate_to_force(amendment)


def pay(payable: Payable, people, amount: str, paid_on: date) -> None:
    payables.payment_record_for(
        payable.pk, user=people["finance"], amount=Decimal(amount), paid_on=paid_on
    )


def test_an_increase_of_a_year_paid_is_a_supplementary_payable_for_finance(
    payable, active, people, negotiate_to_force, time_machine
):
    """The walk-through raised 2027 from 12 000 € to 13 000 € and the payable stayed: the
    difference was never paid."""
    pay(payable, people, "10000.00", date(2027, 2, 2))
    time_machine.move_to(at(date(2027, 3, 1)), tick=False)
    amendment = amend_2027(active, people, negotiate_to_force, "13000.00")

    # Money waits for the amendment's own period for a request for rectification.
    time_machine.move_to(at(amendment.appeal_ends_on), tick=False)
    assert instalments.open_due_instalments() == 0
    payable_day = amendment.appeal_ends_on + timedelta(days=1)
    time_machine.move_to(at(payable_day), tick=False)
    assert instalments.open_due_instalments() == 1
    assert instalments.open_due_instalments() == 0

    original, supplementary = payables_of(active)
    assert original.amount == Decimal("10000.00")
    assert (supplementary.amount, supplementary.kind, supplementary.payable_on) == (
        Decimal("3000.00"),
        Payable.Kind.PAYMENT,
        payable_day,
    )
    assert active.number in supplementary.reason_lines[0]
    assert [p.pk for p in batches.payable_inbox(people["finance"])] == [supplementary.pk]

    pay(supplementary, people, "3000.00", payable_day)
    assert yearly_summary(active.public_body_id, 2027).total.money == Decimal("13000.00")


def test_a_decrease_lowers_what_is_unpaid(
    payable, active, people, negotiate_to_force, time_machine
):
    time_machine.move_to(at(date(2027, 3, 1)), tick=False)
    amendment = amend_2027(active, people, negotiate_to_force, "8000.00")
    time_machine.move_to(at(amendment.appeal_ends_on + timedelta(days=1)), tick=False)
    assert instalments.open_due_instalments() == 1

    (reduced,) = payables_of(active)
    assert reduced.amount == Decimal("8000.00")
    assert active.number in reduced.reason_lines[0]
    (row,) = batches.inbox_rows(batches.payable_inbox(people["finance"]))
    assert row.remaining == Decimal("8000.00")


def test_a_decrease_of_a_year_paid_is_a_recovery_claim_not_a_payment(
    payable, active, people, negotiate_to_force, time_machine
):
    pay(payable, people, "10000.00", date(2027, 2, 2))
    time_machine.move_to(at(date(2027, 3, 1)), tick=False)
    amendment = amend_2027(active, people, negotiate_to_force, "8000.00")
    time_machine.move_to(at(amendment.appeal_ends_on + timedelta(days=1)), tick=False)
    assert instalments.open_due_instalments() == 1
    assert instalments.open_due_instalments() == 0

    paid, claim = payables_of(active)
    assert paid.amount == Decimal("10000.00")
    assert (claim.kind, claim.amount) == (Payable.Kind.RECOVERY, Decimal("2000.00"))
    assert active.number in claim.reason_lines[0]
    assert list(batches.payable_inbox(people["finance"])) == []

    # The money returned counts against the year's paid total.
    pay(claim, people, "2000.00", timezone.localdate())
    assert yearly_summary(active.public_body_id, 2027).total.money == Decimal("8000.00")


def test_a_payment_dated_before_the_payable_day_is_refused(api, payable, people):
    """The walk-through recorded the 2027 instalment as paid on 4 December 2026, before the
    signing and the period for a request for rectification ended."""
    response = as_user(api, people["finance"]).post(
        reverse("payable-payments", args=[payable.pk]),
        {"amount": "10000.00", "paid_on": "2026-12-04", "reference": "MAKSU-1"},
        format="json",
    )

    assert response.status_code == 400
    assert "1.2.2027" in str(response.data["paid_on"])
    assert not payable.payments.exists()


def test_a_payable_not_yet_in_the_inbox_takes_no_payment(api, payable, people):
    Payable.objects.filter(pk=payable.pk).update(payable_on=date(2027, 2, 10))
    assert list(batches.payable_inbox(people["finance"])) == []

    response = as_user(api, people["finance"]).post(
        reverse("payable-payments", args=[payable.pk]),
        {"amount": "10000.00", "paid_on": "2027-02-02"},
        format="json",
    )

    assert response.status_code == 400
    assert "10.2.2027" in str(response.data["paid_on"])
    assert not payable.payments.exists()


def test_a_pending_request_for_rectification_of_the_amendment_holds_its_money_back(
    payable, active, people, negotiate_to_force, time_machine, representative
):
    """Local Government Act 134 §: the amendment's money, as the first instalments, waits for
    the decision on a request for rectification made in its period."""
    time_machine.move_to(at(date(2027, 3, 1)), tick=False)
    amendment = amend_2027(active, people, negotiate_to_force, "13000.00")
    request = AgreementRectification.objects.create(
        version=amendment,
        association=active.lead_association,
        filed_by=representative,
        grounds="Rahoitus.",
        original_outcome=amendment.outcome,
        original_decided_at=amendment.decided_at,
    )
    time_machine.move_to(at(amendment.appeal_ends_on + timedelta(days=1)), tick=False)
    assert instalments.open_due_instalments() == 0
    assert len(payables_of(active)) == 1

    AgreementRectification.objects.filter(pk=request.pk).update(decided_at=timezone.now())
    assert instalments.open_due_instalments() == 1
    assert [p.amount for p in payables_of(active)] == [Decimal("10000.00"), Decimal("3000.00")]
