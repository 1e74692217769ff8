"""An agreement's yearly instalments reach finance through the grants' path: a payable per
year once the decision is legally valid and the payment date has come, in finance's inbox
with its payment order, in payment batches, and paid with `record_payment`."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from agreements import instalments, services
from agreements.documents import agreement_document_generate
from agreements.models import Agreement
from agreements.summary import yearly_summary
from documents.models import GeneratedDocument, Kind
from finance import batches
from finance.hand_over import finance_hand_over
from finance.models import Payable, Payment
from organisations.models import OfficialRole
from tests.agreements.builders import act, at, fresh, log_of, terms, version_of
from tests.factories import PublicBodyFactory, UserFactory, grant_role
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def payables_of(agreement: Agreement) -> list[Payable]:
    return list(
        Payable.objects.filter(
            content_type=ContentType.objects.get_for_model(Agreement), object_id=agreement.pk
        ).order_by("payable_on")
    )


def test_an_instalment_becomes_payable_on_its_date_once(active, association, body, time_machine):
    version = active.in_force_version
    assert version.appeal_ends_on < date(2027, 2, 1)

    time_machine.move_to(at(date(2027, 1, 31)), tick=False)
    assert instalments.open_due_instalments() == 0
    time_machine.move_to(at(date(2027, 2, 1)), tick=False)
    assert instalments.open_due_instalments() == 1
    assert instalments.open_due_instalments() == 0

    (payable,) = payables_of(active)
    assert (payable.amount, payable.payable_on, payable.decided_on) == (
        Decimal("10000.00"),
        date(2027, 2, 1),
        date(2026, 12, 15),
    )
    assert (payable.public_body, payable.association) == (body, association)
    assert payable.decision_number == active.number
    assert "2027" in payable.title
    assert log_of(active).count("instalment_payable") == 1
    assert fresh(active).state == Agreement.State.ACTIVE


def test_money_waits_for_the_period_for_a_request_for_rectification(
    body, association, representative, negotiate_to_force, time_machine
):
    """Local Government Act 134 §: the instalment dated before the appeal period ends is
    payable the day after it ends."""
    early = terms()
    early["resources"][0]["pays_on"] = date(2027, 1, 1)
    time_machine.move_to(at(date(2026, 12, 28)), tick=False)
    agreement = services.agreement_create(
        user=representative, public_body=body, associations=[association], terms_given=early
    )
    version = negotiate_to_force(version_of(agreement))
    appeal_ends_on = version.appeal_ends_on
    assert appeal_ends_on >= date(2027, 1, 1)

    time_machine.move_to(at(appeal_ends_on), tick=False)
    assert instalments.open_due_instalments() == 0
    time_machine.move_to(at(date.fromordinal(appeal_ends_on.toordinal() + 1)), tick=False)
    assert instalments.open_due_instalments() == 1
    (payable,) = payables_of(agreement)
    assert payable.payable_on == date.fromordinal(appeal_ends_on.toordinal() + 1)


@pytest.fixture
def payable(active, time_machine):
    time_machine.move_to(at(date(2027, 2, 2)), tick=False)
    instalments.open_due_instalments()
    return payables_of(active)[0]


def pay(api, user, payable, amount, paid_on="2027-02-02"):
    api.force_authenticate(user)
    return api.post(
        reverse("payable-payments", args=[payable.pk]),
        {"amount": amount, "paid_on": paid_on, "reference": "MAKSU-1"},
        format="json",
    )


def test_finance_pays_an_instalment_on_the_grants_path(
    api, payable, active, people, representative
):
    finance_person = people["finance"]
    outsider = grant_role(UserFactory(), PublicBodyFactory(), OfficialRole.Role.FINANCE)
    assert [p.pk for p in batches.payable_inbox(finance_person)] == [payable.pk]
    assert list(batches.payable_inbox(outsider)) == []

    # The tasks queued on commit, run here: the agreement document, then the hand-over that
    # makes the payment order and mails both to the finance mailbox, as for a grant.
    agreement_document_generate(active.in_force_version_id)
    finance_hand_over(payable.pk)
    (email,) = mail.outbox
    assert [name.split(".")[0] for name, _content, _type in email.attachments] == [
        Kind.AGREEMENT,
        Kind.PAYMENT_ORDER,
    ]
    kinds = set(
        GeneratedDocument.objects.filter(
            content_type=payable.content_type, object_id=active.pk
        ).values_list("kind", flat=True)
    )
    assert {Kind.PAYMENT_ORDER, Kind.AGREEMENT} <= kinds

    batch = batches.payment_batch_create(
        user=finance_person,
        public_body_id=payable.public_body_id,
        payable_ids=[payable.pk],
        execution_date=date(2027, 2, 3),
    )
    (item,) = batch.items.all()
    assert (item.amount, item.payee, item.reference) == (
        Decimal("10000.00"),
        active.lead_association.name,
        active.number,
    )

    assert pay(api, representative, payable, "100.00").status_code == 403
    assert pay(api, outsider, payable, "100.00").status_code == 404
    too_much = pay(api, finance_person, payable, "10000.01")
    assert too_much.status_code == 400, too_much.data
    assert not Payment.objects.exists()

    first = pay(api, finance_person, payable, "4000.00")
    assert first.status_code == 200, first.data
    assert (first.data["paid"], first.data["remaining"]) == ("4000.00", "6000.00")
    rest = pay(api, finance_person, payable, "6000.00")
    assert rest.data["remaining"] == "0.00"
    assert list(batches.payable_inbox(finance_person)) == []
    assert fresh(active).state == Agreement.State.ACTIVE
    assert log_of(active).count("record_payment") == 2
    assert (
        TransitionLog.objects.filter(transition="record_payment", actor=finance_person).count() == 2
    )


def test_an_instalment_sent_in_a_batch_and_reversed_is_to_be_paid_again(
    api, payable, active, people
):
    """The agreement's money takes the batch's path and the correction's, as a grant's does;
    the agreement's own state does not follow its money."""
    finance_person = people["finance"]
    batch = batches.payment_batch_create(
        user=finance_person,
        public_body_id=payable.public_body_id,
        payable_ids=[payable.pk],
        execution_date=date(2027, 2, 3),
    )
    api.force_authenticate(finance_person)

    sent = api.post(reverse("payment-batch-mark-sent", args=[batch.pk]), {"sent_on": "2027-02-02"})

    assert sent.status_code == 200, sent.data
    (payment,) = Payment.objects.all()
    assert (payment.amount, payment.paid_on, payment.batch_item.batch) == (
        Decimal("10000.00"),
        date(2027, 2, 2),
        batch,
    )
    assert list(batches.payable_inbox(finance_person)) == []

    reversed_ = api.post(
        reverse("payable-reversals", args=[payable.pk]),
        {"payment_id": payment.pk, "reason": "Pankki palautti: tili suljettu."},
    )

    assert reversed_.status_code == 200, reversed_.data
    assert reversed_.data["remaining"] == "10000.00"
    assert [p.pk for p in batches.payable_inbox(finance_person)] == [payable.pk]
    assert fresh(active).state == Agreement.State.ACTIVE
    assert log_of(active).count("reverse_payment") == 1
    # The welfare report's summary of 2027 counts no money paid once the payment is reversed.
    assert yearly_summary(active.public_body_id, 2027).total.money == 0


def test_an_amendment_does_not_pay_a_year_twice(
    payable, active, people, negotiate_to_force, time_machine
):
    """The year keeps its payable; the amendment's increase is a supplementary payable of its
    own (tests/agreements/test_money.py follows the money further)."""
    changed = terms()["resources"]
    changed[0]["amount"] = Decimal("12000.00")
    amendment = services.version_draft(
        active, user=people["liaison"], terms_given={"resources": changed}
    )
    negotiate_to_force(amendment)
    assert fresh(active).in_force_version == fresh(amendment)

    time_machine.move_to(at(date(2027, 3, 1)), tick=False)
    assert instalments.open_due_instalments() == 1
    assert instalments.open_due_instalments() == 0
    assert [p.amount for p in payables_of(active)] == [Decimal("10000.00"), Decimal("2000.00")]


def test_no_instalment_falls_after_the_last_day(active, representative, time_machine):
    time_machine.move_to(at(date(2027, 10, 15)), tick=False)
    act(active, "terminate", representative, reason="Toiminta päättyy.")
    assert fresh(active).ends_on == date(2028, 1, 15)

    # The 2028 instalment is dated 1.2.2028, after the last day: before the end scan has
    # ended the agreement, the instalment scan must not make it payable either.
    time_machine.move_to(at(date(2028, 2, 2)), tick=False)
    instalments.open_due_instalments()
    assert [p.payable_on.year for p in payables_of(active)] == [2027]


def test_finance_gets_the_document_in_force_not_an_amendment_under_signature(
    payable, active, people, advance
):
    agreement_document_generate(active.in_force_version_id)  # v1 as signed
    amendment = services.version_draft(
        active, user=people["liaison"], terms_given={"meetings_per_year": 4}
    )
    amendment = advance(amendment, "propose", "accept", "submit_for_review", "record_step")
    amendment = advance(amendment, "decide")
    assert agreement_document_generate(amendment.pk).source == "v2:approved"

    finance_hand_over(payable.pk)
    (email,) = mail.outbox
    names = [name for name, _content, _type in email.attachments]
    assert names[0] == "agreement.v1.docx"  # the first document made: v1 as signed
