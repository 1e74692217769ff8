"""What finance sees when an amendment lowers a year already payable (issue 17): a reduced
payable in a batch not yet sent is paid at its new amount, one in a batch already sent keeps
what was sent and the difference is claimed back; recovery claims have their own list (page
and API) and are recorded as paid back; the reason is read in the reader's language."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements import instalments, services
from documents.models import GeneratedDocument, Kind
from finance import batches, payables
from finance.hand_over import finance_hand_over, hand_over_sweep
from finance.models import Payable, PaymentBatch
from organisations.models import OfficialRole, RegisterStatus
from tests.agreements.builders import at, fresh, terms
from tests.conftest import as_user
from tests.factories import PublicBodyFactory, UserFactory, grant_role
from workflow.errors import TransitionConflict
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

CLAIMS_API = "/api/v1/finance/payable/recovery-claims/"
CLAIMS_PAGE = "/finance/recovery-claims/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def payables_of(agreement) -> list[Payable]:
    return list(payables.payables_of(agreement).order_by("id"))


@pytest.fixture
def payable(active, time_machine) -> Payable:
    """The 2027 instalment, 10 000 €, payable from 1 February 2027."""
    time_machine.move_to(at(date(2027, 2, 2)), tick=False)
    assert instalments.open_due_instalments() == 1
    return payables_of(active)[0]


def amend_2027(agreement, people, negotiate_to_force, time_machine, amount: str) -> date:
    """An amendment setting 2027 to `amount`, in force and past its period for a request for
    rectification; returns the day its money is adjusted (and moves time to it)."""
    time_machine.move_to(at(date(2027, 3, 1)), tick=False)
    changed = terms()["resources"]
    changed[0]["amount"] = Decimal(amount)
    amendment = services.version_draft(
        fresh(agreement), user=people["liaison"], terms_given={"resources": changed}
    )
    amendment = negotiate_to_force(amendment)
    day = amendment.appeal_ends_on + timedelta(days=1)
    time_machine.move_to(at(day), tick=False)
    return day


def page_client(user, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    client.cookies["django_language"] = language
    user.language = language
    user.save(update_fields=["language"])
    return client


def batch_of(people, body, *items: Payable) -> PaymentBatch:
    return batches.payment_batch_create(
        user=people["finance"],
        public_body_id=body.pk,
        payable_ids=[p.pk for p in items],
        execution_date=timezone.localdate() + timedelta(days=3),
    )


# --- a reduction and the batches --------------------------------------------------------------


def test_a_reduced_payable_in_a_batch_not_sent_is_paid_at_its_new_amount(
    payable, active, body, people, negotiate_to_force, time_machine
):
    """Before: the batch still said 10 000 € and marking it sent was refused ("only 8 000 €
    left to pay"), and the payment order was not made again."""
    finance_hand_over(payable.pk)
    batch = batch_of(people, body, payable)
    assert batch.items.get().amount == Decimal("10000.00")

    day = amend_2027(active, people, negotiate_to_force, time_machine, "8000.00")
    assert instalments.open_due_instalments() == 1

    (reduced,) = payables_of(active)
    assert reduced.amount == Decimal("8000.00")
    item = batch.items.get()
    assert item.amount == Decimal("8000.00")
    # The files for the bank are made from the items: they say the new amount.
    csv_file, _type, _name = batches.batch_export(batch, "csv")
    header, row = (line.split(";") for line in csv_file.decode("utf-8-sig").splitlines())
    assert row[header.index("Summa (€)")] == "8000,00"
    # The batch says what changed, in the reader's language.
    page = page_client(people["finance"], "en").get(f"/finance/batches/{batch.pk}/")
    text = page.content.decode()
    assert "lowered from €10,000.00 to €8,000.00" in text
    assert "download it again" in text
    assert TransitionLog.objects.filter(object_id=batch.pk, transition="batch_item_reduced")

    # The payment order is made again for the new amount and handed to finance.
    order = finance_hand_over(reduced.pk)
    assert order.source == f"payable:{reduced.pk}:r1"
    assert Decimal(order.data["payment"]["amount"]) == Decimal("8000.00")
    (row,) = batches.inbox_rows(batches.payable_inbox(people["finance"]))
    assert order in row.documents

    marked = batches.payment_batch_mark_sent(user=people["finance"], batch_id=batch.pk, sent_on=day)
    assert marked.state == PaymentBatch.State.SENT
    assert [p.amount for p in reduced.payments.all()] == [Decimal("8000.00")]
    assert list(batches.payable_inbox(people["finance"])) == []


def test_a_payable_in_a_batch_already_sent_keeps_the_amount_sent_and_the_rest_is_claimed(
    payable, active, body, people, negotiate_to_force, time_machine
):
    batch = batch_of(people, body, payable)
    batches.payment_batch_mark_sent(
        user=people["finance"], batch_id=batch.pk, sent_on=timezone.localdate()
    )

    amend_2027(active, people, negotiate_to_force, time_machine, "8000.00")
    assert instalments.open_due_instalments() == 1

    paid, claim = payables_of(active)
    assert (paid.amount, batch.items.get().amount) == (Decimal("10000.00"), Decimal("10000.00"))
    assert (claim.kind, claim.amount) == (Payable.Kind.RECOVERY, Decimal("2000.00"))
    assert not TransitionLog.objects.filter(object_id=batch.pk, transition="batch_item_reduced")


def test_an_item_with_nothing_left_to_pay_leaves_the_batch(
    payable, active, body, people, negotiate_to_force, time_machine
):
    """Paid 8 000 € one at a time, the rest in a batch: lowered to 8 000 €, nothing is left to
    pay, so the batch no longer pays it (and can be marked sent)."""
    payables.payment_record_for(
        payable.pk, user=people["finance"], amount=Decimal("8000.00"), paid_on=date(2027, 2, 2)
    )
    batch = batch_of(people, body, payable)
    assert batch.items.get().amount == Decimal("2000.00")

    day = amend_2027(active, people, negotiate_to_force, time_machine, "8000.00")
    assert instalments.open_due_instalments() == 1

    assert payables_of(active)[0].amount == Decimal("8000.00")
    assert not batch.items.exists()
    page = page_client(people["finance"], "fi").get(f"/finance/batches/{batch.pk}/")
    assert "poistui maksuerästä" in page.content.decode()
    batches.payment_batch_mark_sent(user=people["finance"], batch_id=batch.pk, sent_on=day)


# --- the reason in the reader's language ------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", "alennettiin summasta 10\u202f000,00\u00a0€ summaan"),
        ("sv", "Avtalsändring"),
        ("en", "Reduced from €10,000.00 to €8,000.00: amendment"),
    ],
)
def test_the_reason_is_read_in_the_readers_language(
    payable, active, api, people, negotiate_to_force, time_machine, language, expected
):
    amend_2027(active, people, negotiate_to_force, time_machine, "8000.00")
    instalments.open_due_instalments()
    (reduced,) = payables_of(active)
    assert reduced.reason == ""
    assert reduced.reasons[0]["change"] == "reduction"
    assert reduced.reasons[0]["number"] == active.number

    for path in ("/finance/", f"/finance/payables/{reduced.pk}/"):
        text = page_client(people["finance"], language).get(path).content.decode()
        assert expected in text, path
        assert active.number in text, path
    client = as_user(api, people["finance"])
    client.credentials(HTTP_ACCEPT_LANGUAGE=language)
    answer = client.get(reverse("payable-detail", args=[reduced.pk])).data
    assert expected in answer["reason"][0]
    assert answer["reasons"][0]["change"] == "reduction"
    assert answer["reasons"][0]["after"] == "8000.00"


# --- recovery claims --------------------------------------------------------------------------


@pytest.fixture
def claim(payable, active, people, negotiate_to_force, time_machine) -> Payable:
    """10 000 € paid for 2027, then lowered to 8 000 €: 2 000 € to be paid back."""
    payables.payment_record_for(
        payable.pk, user=people["finance"], amount=Decimal("10000.00"), paid_on=date(2027, 2, 2)
    )
    amend_2027(active, people, negotiate_to_force, time_machine, "8000.00")
    assert instalments.open_due_instalments() == 1
    return payables_of(active)[1]


def test_finance_lists_its_recovery_claims_and_records_one_paid_back(
    claim, active, api, people, association
):
    client = as_user(api, people["finance"])
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    (listed,) = client.get(CLAIMS_API).data["results"]
    assert listed["id"] == claim.pk
    assert (listed["state"], listed["amount"], listed["paid_back"], listed["remaining"]) == (
        "open",
        "2000.00",
        "0.00",
        "2000.00",
    )
    assert listed["association"] == association.name
    assert listed["decision_number"] == active.number
    assert listed["reason"][0].startswith("To be paid back: amendment")
    assert listed["url"].endswith(f"/api/v1/finance/payable/{claim.pk}/")

    page = page_client(people["finance"], "en").get(CLAIMS_PAGE)
    text = page.content.decode()
    assert page.status_code == 200
    assert f'href="/finance/payables/{claim.pk}/"' in text
    assert association.name in text
    assert "€2,000.00 to pay back" in text
    assert "To be paid back: amendment" in text

    # Money paid back is recorded on the claim, not before the day it was claimed.
    early = client.post(
        reverse("payable-payments", args=[claim.pk]),
        {"amount": "2000.00", "paid_on": (claim.payable_on - timedelta(days=1)).isoformat()},
        format="json",
    )
    assert early.status_code == 400
    assert not claim.payments.exists()
    done = client.post(
        reverse("payable-payments", args=[claim.pk]),
        {"amount": "2000.00", "paid_on": claim.payable_on.isoformat(), "reference": "PALAUTUS"},
        format="json",
    )
    assert done.status_code == 200, done.data
    assert TransitionLog.objects.filter(
        object_id=active.pk, transition="record_payment", actor=people["finance"]
    ).exists()

    assert client.get(CLAIMS_API, {"state": "open"}).data["results"] == []
    (paid_back,) = client.get(CLAIMS_API, {"state": "paid_back"}).data["results"]
    assert (paid_back["state"], paid_back["remaining"]) == ("paid_back", "0.00")
    shown = page_client(people["finance"], "fi").get(CLAIMS_PAGE, {"state": "paid_back"})
    assert "Maksettu takaisin" in shown.content.decode()
    # A claim paid back is not a payment paid in full.
    assert f"/finance/payables/{claim.pk}/" not in (
        page_client(people["finance"], "fi").get("/finance/paid/").content.decode()
    )


def test_recovery_claims_are_for_the_bodys_finance_only(claim, api, people):
    stranger = grant_role(UserFactory(), PublicBodyFactory(), OfficialRole.Role.FINANCE)
    assert as_user(api, stranger).get(CLAIMS_API).data["results"] == []
    assert (
        claim.association.name not in page_client(stranger, "fi").get(CLAIMS_PAGE).content.decode()
    )
    for official in ("liaison", "decision_maker"):
        assert as_user(api, people[official]).get(CLAIMS_API).status_code == 403
        assert page_client(people[official], "fi").get(CLAIMS_PAGE).status_code in (302, 403)


def test_a_bad_state_is_a_400_in_the_persons_language(claim, api, people):
    client = as_user(api, people["finance"])
    client.credentials(HTTP_ACCEPT_LANGUAGE="sv")
    answer = client.get(CLAIMS_API, {"state": "lost"})
    assert answer.status_code == 400
    assert "Välj" in str(answer.data["state"])
    page = page_client(people["finance"], "sv").get(CLAIMS_PAGE, {"state": "lost"})
    assert page.status_code == 400


def test_the_recovery_claims_cost_the_same_queries_for_one_and_three(claim, active, api, people):
    client = as_user(api, people["finance"])
    page = page_client(people["finance"], "fi")

    def count() -> tuple[int, int, int]:
        client.get(CLAIMS_API), page.get(CLAIMS_PAGE)  # warm the per-person caches
        with CaptureQueriesContext(connection) as api_queries:
            listed = client.get(CLAIMS_API).data["results"]
        with CaptureQueriesContext(connection) as page_queries:
            assert page.get(CLAIMS_PAGE).status_code == 200
        return len(listed), len(api_queries), len(page_queries)

    one = count()
    for extra in range(2):
        Payable.objects.create(
            **{
                field: getattr(claim, field)
                for field in (
                    "content_type_id",
                    "object_id",
                    "public_body_id",
                    "association_id",
                    "amount",
                    "decision_number",
                    "decided_on",
                    "payable_on",
                    "title",
                    "kind",
                    "reasons",
                )
            },
            source=f"instalment:2027:extra{extra}",
        )
    three = count()
    assert (one[0], three[0]) == (1, 3)
    assert one[1:] == three[1:]


def test_the_payment_order_of_an_unreduced_payable_keeps_its_source(payable):
    order = finance_hand_over(payable.pk)
    assert order.source == f"payable:{payable.pk}"
    assert GeneratedDocument.objects.filter(kind=Kind.PAYMENT_ORDER).count() == 1


def test_money_paid_back_is_taken_whatever_the_register_says(claim, payable, people, association):
    """The register's block stops payments to an association in liquidation, not money coming
    back from it."""
    type(association).objects.filter(pk=association.pk).update(
        register_status=RegisterStatus.LIQUIDATION
    )
    payables.payment_record_for(
        claim.pk, user=people["finance"], amount=Decimal("500.00"), paid_on=claim.payable_on
    )
    assert [p.amount for p in claim.payments.all()] == [Decimal("500.00")]
    with pytest.raises(TransitionConflict):
        payables.payment_record_for(
            payable.pk, user=people["finance"], amount=Decimal("1.00"), paid_on=claim.payable_on
        )


def test_the_sweep_hands_over_a_reduced_payables_new_order_once(
    payable, active, people, negotiate_to_force, time_machine, mailoutbox
):
    """The hand-over of the reduced payable's new order was lost: the sweep makes and sends it,
    once."""
    assert hand_over_sweep() == 1
    amend_2027(active, people, negotiate_to_force, time_machine, "8000.00")
    assert instalments.open_due_instalments() == 1
    mailoutbox.clear()

    assert hand_over_sweep() == 1
    assert hand_over_sweep() == 0
    order = GeneratedDocument.objects.filter(kind=Kind.PAYMENT_ORDER).latest("version")
    assert (order.source, order.version) == (f"payable:{payable.pk}:r1", 2)
    assert order.sent_to_finance_at is not None
    assert Decimal(order.data["payment"]["amount"]) == Decimal("8000.00")
    (message,) = mailoutbox
    assert "Peruste: Sopimusmuutos" in message.body
    assert "8\u202f000,00" in message.body
