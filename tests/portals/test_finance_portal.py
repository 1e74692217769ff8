"""The finance portal (/finance/): the inbox of payable decisions and instalments with their
documents, recording payments (with and without htmx), payment batches and their files for
the bank, and the payables paid in full.

The world: our body's finance person; two legally valid grants (5 000,00 € with decision
documents and a payment order, and 1 234,56 €) and a foreign body's legally valid grant, all
decided 30 days ago. Lists that only need rows get payables opened directly.
"""

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree
from stdnum import iban as iban_number

from agreements import services as agreement_services
from documents.models import DocumentTemplate, GeneratedDocument, Kind
from finance import batches, payables
from finance.models import Payable, Payment, PaymentBatch, PaymentBatchItem
from grants.models import Application
from organisations.models import OfficialRole
from tests.agreements.builders import terms
from tests.factories import (
    ApplicationFactory,
    AssociationFactory,
    CallFactory,
    PublicBodyFactory,
    UserFactory,
    grant_role,
    represent,
)
from workflow import formats
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

Role = OfficialRole.Role
INBOX = "/finance/"
BATCHES = "/finance/batches/"
NEW_BATCH = "/finance/batches/new/"
PAID = "/finance/paid/"
PAIN = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.03}"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def english():
    # Messages and amounts are asserted in English; the other languages are the browser's.
    from django.utils import translation

    with translation.override("en"):
        yield


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    client.cookies["django_language"] = "en"
    user.language = "en"
    user.save(update_fields=["language"])
    return client


def legally_valid(walk, app, amount: str, **actors) -> Application:
    """Decided (granting `amount`) and notified; legally valid once the time has moved on."""
    granted = Decimal(amount)
    outcome = "approved" if granted == app.requested_amount else "partially_approved"
    by_preparer = {"actor": actors["preparer"]} if "preparer" in actors else {}
    by_decider = {"actor": actors["decider"]} if "decider" in actors else {}
    return walk(
        app,
        "submit",
        "start_review",
        "record_step",
        "decide",
        "notify",
        start_review=by_preparer,
        record_step={**by_preparer, "params": {"proposed_amount": granted}},
        decide={
            **by_decider,
            "params": {"outcome": outcome, "granted_amount": granted, "reasons": "Hyvä."},
        },
        notify=by_preparer,
    )


def add_document(subject, kind: str, version: int = 1, source: str = "") -> GeneratedDocument:
    template, _created = DocumentTemplate.objects.get_or_create(
        kind=kind,
        language="fi",
        version=1,
        defaults={"file": ContentFile(b"template", name="t.docx"), "sha256": "0" * 64},
    )
    return GeneratedDocument.objects.create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        kind=kind,
        language="fi",
        version=version,
        template=template,
        data={},
        file=ContentFile(f"{kind} v{version}".encode(), name=f"{kind}.docx"),
        sha256="1" * 64,
        source=source,
    )


def open_payable(subject, body, association, amount="100.00", days_ago=1, number=None):
    """A payable opened directly on `subject` (for lists: its state does not matter)."""
    return payables.payable_open(
        subject,
        source=f"test:{subject.pk}:{amount}:{days_ago}",
        public_body_id=body.pk,
        association_id=association.pk,
        amount=Decimal(amount),
        decision_number=number or f"DEC-{subject.pk}",
        decided_on=timezone.localdate() - timedelta(days=days_ago + 20),
        payable_on=timezone.localdate() - timedelta(days=days_ago),
        title="Avustus",
    )


class World:
    pass


@pytest.fixture
def world(walk, association, representative, body, time_machine):
    # Decided 30 days ago, so legally valid today (and a session made today stays valid).
    today = timezone.now()
    time_machine.move_to(today - timedelta(days=30), tick=False)
    call = CallFactory(public_body=body)
    w = World()
    w.body = body
    w.first = legally_valid(
        walk,
        ApplicationFactory(call=call, association=association, created_by=representative),
        "5000.00",
    )
    second_payee = AssociationFactory(
        name="Toinen Yhdistys ry", accepts_electronic_notification=True
    )
    represent(representative, second_payee)
    w.second = legally_valid(
        walk,
        ApplicationFactory(call=call, association=second_payee, created_by=representative),
        "1234.56",
    )
    w.foreign_body = PublicBodyFactory(name="Naapurikunta")
    w.foreign_finance = grant_role(UserFactory(), w.foreign_body, Role.FINANCE)
    foreign_preparer = grant_role(UserFactory(), w.foreign_body, Role.PREPARER)
    foreign_decider = grant_role(UserFactory(), w.foreign_body, Role.DECISION_MAKER)
    w.foreign = legally_valid(
        walk,
        ApplicationFactory(
            call=CallFactory(public_body=w.foreign_body),
            association=association,
            created_by=representative,
        ),
        "3000.00",
        preparer=foreign_preparer,
        decider=foreign_decider,
    )
    time_machine.move_to(today, tick=False)
    w.first, w.second, w.foreign = (
        walk(app, "become_legally_valid") for app in (w.first, w.second, w.foreign)
    )
    add_document(w.first, Kind.GRANT_DECISION, 1)
    w.decision = add_document(w.first, Kind.GRANT_DECISION, 2)
    w.order = add_document(
        w.first,
        Kind.PAYMENT_ORDER,
        source=payables.payment_order_source(w.first.payables.get()),
    )
    w.foreign_decision = add_document(w.foreign, Kind.GRANT_DECISION)
    return w


@pytest.fixture
def finance_client(people):
    return signed_in(people["finance"])


def payable_of(app) -> Payable:
    return app.payables.get()


def nothing_paid() -> None:
    assert not Payment.objects.exists()
    assert not TransitionLog.objects.filter(transition="record_payment").exists()


def nothing_batched() -> None:
    assert not PaymentBatch.objects.exists()
    assert not PaymentBatchItem.objects.exists()


def make_batch(user, *apps_or_payables, execution_date=None) -> PaymentBatch:
    ids = [p.pk if isinstance(p, Payable) else payable_of(p).pk for p in apps_or_payables]
    return batches.payment_batch_create(
        user=user,
        public_body_id=Payable.objects.get(pk=ids[0]).public_body_id,
        payable_ids=ids,
        execution_date=execution_date or timezone.localdate(),
    )


def text_of(html: str) -> str:
    """The page's visible text in one line, for asserting what a person reads."""
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " "))


def row_html(html: str, payable: Payable) -> str:
    start = html.index(f'<tbody id="payable-{payable.pk}"')
    return html[start : html.index("</tbody>", start)]


# --- the inbox ------------------------------------------------------------------------------


def test_the_inbox_lists_what_is_due_oldest_first_with_payee_amounts_and_documents(
    finance_client, world, association, people
):
    first, second = payable_of(world.first), payable_of(world.second)
    batch = make_batch(people["finance"], world.first)

    response = finance_client.get(INBOX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(f'id="payable-{first.pk}"') < html.index(f'id="payable-{second.pk}"')
    assert f'id="payable-{payable_of(world.foreign).pk}"' not in html
    row = text_of(row_html(html, first))
    assert association.name in row
    assert association.business_id in row
    assert iban_number.format(association.iban) in row
    assert world.first.decision_number in row
    assert "€5,000.00 €0.00 €5,000.00" in row  # granted, paid, left to pay
    assert f"Batch {batch.pk}" in row
    links = row_html(html, first)
    assert f'href="/finance/documents/{world.decision.pk}/download/"' in links
    assert f'href="/finance/documents/{world.order.pk}/download/"' in links
    assert "Grant decision (version 2, FI, .docx)" in row
    assert "Payment order (version 1, FI, .docx)" in row
    assert "€1,234.56" in text_of(row_html(html, second))
    # The payment form comes when the row is opened; without JavaScript, from the payable's page.
    assert f'hx-get="/finance/payables/{first.pk}/payment-form/?next=/finance/"' in links
    assert f'href="/finance/payables/{first.pk}/#record-payment"' in links


def test_an_opened_row_gets_an_empty_payment_form(finance_client, world):
    first = payable_of(world.first)

    response = finance_client.get(
        f"/finance/payables/{first.pk}/payment-form/?next=/finance/%3Fkind%3Dapplication", **HTMX
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<form method="post"')
    assert f'hx-target="#payable-{first.pk}"' in html
    # Nothing filled in: the amount and the day are what the bank statement says.
    assert re.search(rf'<input type="text" name="amount"[^>]*id="payable{first.pk}_amount"', html)
    assert not re.search(r'name="(amount|paid_on)" value=', html)
    assert 'name="step" value="check"' in html
    # Back to the inbox as it was filtered.
    assert 'name="next" value="/finance/?kind=application"' in html


def test_the_payable_page_offers_an_empty_payment_form(finance_client, world):
    response = finance_client.get(f"/finance/payables/{payable_of(world.first).pk}/")

    html = response.content.decode()
    assert 'id="record-payment"' in html
    assert 'name="amount"' in html
    assert not re.search(r'name="(amount|paid_on)" value=', html)


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", ""])
def test_the_payment_form_goes_back_only_to_this_site(finance_client, world, next_url):
    first = payable_of(world.first)

    response = finance_client.get(
        f"/finance/payables/{first.pk}/payment-form/", {"next": next_url}, **HTMX
    )

    assert 'name="next" value="/finance/"' in response.content.decode()


def test_the_payment_form_without_htmx_is_the_payable_page(finance_client, world):
    first = payable_of(world.first)

    response = finance_client.get(f"/finance/payables/{first.pk}/payment-form/")

    assert response.status_code == 302
    assert response["Location"] == f"/finance/payables/{first.pk}/#record-payment"


def test_a_paid_payable_has_no_payment_form(finance_client, world, people):
    paid = payable_of(world.second)
    payables.payment_record_for(
        paid.pk, user=people["finance"], amount=paid.amount, paid_on=timezone.localdate()
    )

    response = finance_client.get(f"/finance/payables/{paid.pk}/payment-form/", **HTMX)

    assert response.status_code == 200
    assert "<form" not in response.content.decode()
    assert "Paid in full" in response.content.decode()


def test_the_inbox_filters_by_kind_of_payment(finance_client, world, body, association, people):
    agreement = agreement_services.agreement_create(
        user=people["liaison"], public_body=body, associations=[association], terms_given=terms()
    )
    instalment = open_payable(agreement, body, association, "10000.00", number="SOP-1")

    grants_only = finance_client.get(INBOX, {"kind": "application"}).content.decode()
    agreements_only = finance_client.get(INBOX, {"kind": "agreement"}).content.decode()

    assert f'id="payable-{payable_of(world.first).pk}"' in grants_only
    assert f'id="payable-{instalment.pk}"' not in grants_only
    assert f'id="payable-{instalment.pk}"' in agreements_only
    assert f'id="payable-{payable_of(world.first).pk}"' not in agreements_only
    assert "Agreement instalment" in text_of(agreements_only)
    # One body: no body filter to choose from.
    assert 'name="body"' not in grants_only


def test_a_person_paying_for_several_bodies_filters_by_body(world, people):
    both = grant_role(people["finance"], world.foreign_body, Role.FINANCE)
    client = signed_in(both)

    everything = client.get(INBOX).content.decode()
    foreign_only = client.get(INBOX, {"body": world.foreign_body.pk}).content.decode()

    assert 'name="body"' in everything
    assert f'id="payable-{payable_of(world.foreign).pk}"' in everything
    assert f'id="payable-{payable_of(world.first).pk}"' in everything
    assert f'id="payable-{payable_of(world.foreign).pk}"' in foreign_only
    assert f'id="payable-{payable_of(world.first).pk}"' not in foreign_only


@pytest.mark.parametrize("query", [{"kind": "invoice"}, {"body": "x"}, {"body": "999999"}])
def test_a_bad_filter_is_a_400_with_the_error_at_the_field(world, people, query):
    client = signed_in(grant_role(people["finance"], world.foreign_body, Role.FINANCE))

    response = client.get(INBOX, query)

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_inbox_says_when_there_is_nothing_to_pay(finance_client):
    response = finance_client.get(INBOX)

    assert response.status_code == 200
    assert "Nothing to pay right now." in response.content.decode()


def _inbox_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(INBOX)
    assert response.status_code == 200
    return len(queries)


def test_the_inbox_runs_the_same_queries_for_one_row_and_ten(finance_client, people, body):
    call = CallFactory(public_body=body)

    def add_row(n: int) -> None:
        payee = AssociationFactory()
        app = ApplicationFactory(call=call, association=payee)
        payable = open_payable(app, body, payee, f"{100 + n}.00", days_ago=n + 1)
        add_document(app, Kind.GRANT_DECISION)
        add_document(app, Kind.PAYMENT_ORDER, source=payables.payment_order_source(payable))
        make_batch(people["finance"], payable)

    add_row(0)
    one = _inbox_queries(finance_client)
    for n in range(1, 10):
        add_row(n)
    ten = _inbox_queries(finance_client)

    assert finance_client.get(INBOX).content.decode().count('class="fin-payable"') == 10
    assert one == ten
    assert ten <= 8


# --- recording a payment --------------------------------------------------------------------


def hidden_inputs(html: str) -> dict[str, str]:
    """The hidden inputs of the confirmation's form, as the browser would send them."""
    form = html[html.index('class="fin-confirm__actions"') :]
    form = form[: form.index("</form>")]
    return dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', form))


def test_pressing_the_button_of_a_prefilled_form_records_no_payment(finance_client, world):
    """The defect: the form came filled with what is left and today, and its button recorded
    them. Those values pressed now only show the payment, to be confirmed."""
    payable = payable_of(world.first)

    response = finance_client.post(
        f"/finance/payables/{payable.pk}/",
        {"amount": "5000.00", "paid_on": timezone.localdate().isoformat(), "reference": ""},
    )

    assert response.status_code == 200
    nothing_paid()
    assert Application.objects.get(pk=world.first.pk).state == Application.State.LEGALLY_VALID
    text = text_of(response.content.decode())
    assert "<h1>Check the payment</h1>" in response.content.decode()
    assert "The payment is not recorded yet." in text
    for shown in (
        f"Payee {world.first.association.name}",
        f"IBAN {iban_number.format(world.first.association.iban)}",
        "Amount paid €5,000.00",
        f"Decision {world.first.decision_number}: Grant decision, {payable.title}",
        "Left to pay after it Nothing: paid in full",
    ):
        assert shown in text


def test_a_confirmation_without_what_was_checked_records_nothing(finance_client, world):
    payable = payable_of(world.first)

    response = finance_client.post(
        f"/finance/payables/{payable.pk}/",
        {"amount": "5000.00", "paid_on": timezone.localdate().isoformat(), "step": "confirm"},
    )

    assert response.status_code == 400
    assert "Check the payment before recording it." in response.content.decode()
    nothing_paid()


def test_only_the_confirmation_records_the_payment_without_javascript(finance_client, world):
    payable = payable_of(world.first)
    entered = {
        "amount": "5 000,00",
        "paid_on": timezone.localdate().isoformat(),
        "reference": "ARK-1",
        "next": "/finance/?kind=application",
    }
    checked = finance_client.post(f"/finance/payables/{payable.pk}/", entered)
    confirmation = hidden_inputs(checked.content.decode())
    assert confirmation == {
        "csrfmiddlewaretoken": confirmation["csrfmiddlewaretoken"],
        "next": "/finance/?kind=application",
        "amount": "5000.00",
        "paid_on": timezone.localdate().isoformat(),
        "reference": "ARK-1",
        "entries_seen": "0",
    }
    nothing_paid()

    response = finance_client.post(
        f"/finance/payables/{payable.pk}/", {**confirmation, "step": "confirm"}
    )

    assert response.status_code == 302
    assert response.url == f"/finance/?kind=application#payable-{payable.pk}"
    (payment,) = Payment.objects.all()
    assert (payment.payable, payment.amount, payment.reference) == (
        payable,
        Decimal("5000.00"),
        "ARK-1",
    )
    assert Application.objects.get(pk=world.first.pk).state == Application.State.PAID
    assert TransitionLog.objects.filter(transition="record_payment").count() == 1
    inbox = finance_client.get(response.url).content.decode()
    assert f"Payment recorded for {world.first.association.name}" in inbox
    assert f'id="payable-{payable.pk}"' not in inbox  # paid in full: off the inbox
    paid = finance_client.get(PAID).content.decode()
    assert f'id="payable-{payable.pk}"' not in paid  # the history is a plain table
    assert world.first.decision_number in paid


def test_a_second_press_of_the_confirming_button_records_nothing(finance_client, world):
    payable = payable_of(world.first)
    checked = finance_client.post(
        f"/finance/payables/{payable.pk}/",
        {"amount": "1000", "paid_on": timezone.localdate().isoformat()},
    )
    confirm = {**hidden_inputs(checked.content.decode()), "step": "confirm"}
    assert finance_client.post(f"/finance/payables/{payable.pk}/", confirm).status_code == 302

    again = finance_client.post(f"/finance/payables/{payable.pk}/", confirm)

    assert again.status_code == 409
    assert "changed after you checked this one" in again.content.decode()
    assert payables.paid_total(payable) == Decimal("1000.00")


def test_a_part_payment_through_htmx_is_checked_then_recorded_in_the_row(finance_client, world):
    payable = payable_of(world.first)

    checked = finance_client.post(
        f"/finance/payables/{payable.pk}/",
        {"amount": "1 000,50", "paid_on": timezone.localdate().isoformat(), "next": INBOX},
        **HTMX,
    )

    assert checked.status_code == 200
    html = checked.content.decode()
    assert html.lstrip().startswith(f'<tbody id="payable-{payable.pk}"')
    assert "<details open>" in html
    assert re.search(r'class="fin-confirm__title"[^>]*data-swap-focus', html)
    assert "Check the payment before recording it: €1,000.50 to" in text_of(html)
    assert "Left to pay after it €3,999.50" in text_of(html)
    assert f'hx-post="/finance/payables/{payable.pk}/"' in html
    nothing_paid()

    recorded = finance_client.post(
        f"/finance/payables/{payable.pk}/",
        {**hidden_inputs(html), "step": "confirm"},
        **HTMX,
    )

    assert recorded.status_code == 200
    html = recorded.content.decode()
    assert html.lstrip().startswith(f'<tbody id="payable-{payable.pk}"')
    assert "€1,000.50 €3,999.50" in text_of(html)  # paid, left to pay
    assert re.search(r'<a href="/finance/payables/\d+/" data-swap-focus>', html)
    assert re.search(r'<div id="messages" hx-swap-oob="innerHTML">\s*<p class="message', html)
    assert "Payment recorded for" in html
    assert payables.paid_total(payable) == Decimal("1000.50")
    # The message was shown in the swap, not again on the next page.
    assert "Payment recorded for" not in finance_client.get(INBOX).content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_change_goes_back_to_the_form_with_what_was_typed(finance_client, world, htmx):
    payable = payable_of(world.first)
    entered = {"amount": "1000.50", "paid_on": "2026-01-02", "reference": "ARK-9"}

    response = finance_client.post(
        f"/finance/payables/{payable.pk}/",
        {**entered, "step": "change", "entries_seen": "0", "next": INBOX},
        **(HTMX if htmx else {}),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'name="amount" value="1000[.,]50"', html)
    assert 'name="paid_on" value="2026-01-02"' in html
    assert 'name="reference" value="ARK-9"' in html
    assert "aria-invalid" not in html
    if htmx:
        assert re.search(r"<form [^>]*data-swap-focus", html)
    nothing_paid()


@pytest.mark.parametrize(
    ("amount", "paid_on", "field"),
    [
        ("0", None, "amount"),
        ("-5", None, "amount"),
        ("abc", None, "amount"),
        ("", None, "amount"),
        ("5000,01", None, "amount"),  # more than is left: the service's error
        ("1,234", None, "amount"),  # three decimals
        ("100", "tomorrow", "paid_on"),
        ("100", "1.1.2026", "paid_on"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_a_bad_payment_is_a_400_at_its_field_and_nothing_is_saved(
    finance_client, world, amount, paid_on, field, htmx
):
    payable = payable_of(world.first)
    day = {
        None: timezone.localdate().isoformat(),
        "tomorrow": (timezone.localdate() + timedelta(days=1)).isoformat(),
    }.get(paid_on, paid_on)

    response = finance_client.post(
        f"/finance/payables/{payable.pk}/",
        {"amount": amount, "paid_on": day, "next": INBOX},
        **(HTMX if htmx else {}),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="payable{payable.pk}_{field}_error"' in html
    assert re.search(rf'aria-invalid="true"[^>]*id="payable{payable.pk}_{field}"', html)
    if htmx:
        assert html.lstrip().startswith(f'<tbody id="payable-{payable.pk}"')
        assert "<details open>" in html
    else:
        assert "data-error-summary" in html
        assert f'href="#payable{payable.pk}_{field}"' in html
    nothing_paid()


def test_the_service_error_for_too_much_says_what_is_left(finance_client, world):
    payable = payable_of(world.second)

    response = finance_client.post(
        f"/finance/payables/{payable.pk}/",
        {"amount": "2000", "paid_on": timezone.localdate().isoformat()},
    )

    assert response.status_code == 400
    assert "Only €1,234.56 is left to pay." in response.content.decode()
    nothing_paid()


def test_a_payment_the_record_cannot_take_now_is_a_409(finance_client, people, body, association):
    draft = ApplicationFactory(call=CallFactory(public_body=body), association=association)
    payable = open_payable(draft, body, association)

    response = finance_client.post(
        f"/finance/payables/{payable.pk}/",
        {"amount": "10", "paid_on": timezone.localdate().isoformat()},
    )

    assert response.status_code == 409
    assert "data-error-summary" in response.content.decode()
    nothing_paid()


def test_the_payable_page_shows_its_payments_and_documents(finance_client, world, people):
    payable = payable_of(world.first)
    payables.payment_record_for(
        payable.pk,
        user=people["finance"],
        amount=Decimal("1000"),
        paid_on=timezone.localdate(),
        reference="ARK-7",
    )

    response = finance_client.get(f"/finance/payables/{payable.pk}/")

    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert f"Payment to {world.first.association.name}" in text
    assert "ARK-7" in text
    assert "€4,000.00" in text
    assert f"/finance/documents/{world.decision.pk}/download/" in response.content.decode()


# --- reversing a payment ----------------------------------------------------------------------


def test_finance_reverses_a_payment_with_a_reason_on_the_payables_page(
    finance_client, world, people
):
    payable = payable_of(world.first)
    payables.payment_record_for(
        payable.pk,
        user=people["finance"],
        amount=Decimal("5000"),
        paid_on=timezone.localdate(),
        reference="ARK-7",
    )
    (payment,) = Payment.objects.all()
    page = finance_client.get(f"/finance/payables/{payable.pk}/").content.decode()
    assert 'id="reverse-payment"' in page
    assert f'value="{payment.pk}"' in page

    response = finance_client.post(
        f"/finance/payables/{payable.pk}/reversals/",
        {"payment_id": payment.pk, "reason": "Pankki palautti maksun."},
    )

    assert response.status_code == 302
    assert response.url == f"/finance/payables/{payable.pk}/#payments"
    assert Application.objects.get(pk=world.first.pk).state == Application.State.LEGALLY_VALID
    text = text_of(finance_client.get(response.url).content.decode())
    today = formats.local_date(timezone.localdate(), "en")
    assert f"Payment {today} · €5,000.00 · ARK-7 reversed." in text
    assert f"Reversed By {people['finance'].display_name}, {today}" in text
    assert "Reason: Pankki palautti maksun." in text
    assert f"-€5,000.00 ARK-7 {people['finance'].display_name}, {today}" in text
    assert f"Reversing entry Reverses the payment of €5,000.00 on {today}." in text
    assert "Left to pay €5,000.00" in text
    # Nothing stands to reverse any more; the payment form is back.
    assert 'id="reverse-payment"' not in finance_client.get(response.url).content.decode()


@pytest.mark.parametrize(("reason", "status"), [("", 400), ("Väärä summa.", 400)])
def test_a_reversal_without_a_reason_or_of_no_payment_is_a_400(
    finance_client, world, people, reason, status
):
    payable = payable_of(world.first)
    payables.payment_record_for(
        payable.pk, user=people["finance"], amount=Decimal("10"), paid_on=timezone.localdate()
    )
    (payment,) = Payment.objects.all()
    target = payment.pk if not reason else 999_999

    response = finance_client.post(
        f"/finance/payables/{payable.pk}/reversals/", {"payment_id": target, "reason": reason}
    )

    assert response.status_code == status
    html = response.content.decode()
    assert "data-error-summary" in html
    assert ("Give the reason for reversing the payment." in html) == (not reason)
    assert not Payment.objects.filter(reverses__isnull=False).exists()


# --- payment batches ------------------------------------------------------------------------


def test_a_batch_of_ticked_payables_is_made_and_shown_with_its_total(finance_client, world):
    first, second = payable_of(world.first), payable_of(world.second)
    execution_date = timezone.localdate() + timedelta(days=2)

    response = finance_client.post(
        NEW_BATCH,
        {"payables": [first.pk, second.pk], "execution_date": execution_date.isoformat()},
    )

    (batch,) = PaymentBatch.objects.all()
    assert response.status_code == 302
    assert response.url == f"/finance/batches/{batch.pk}/"
    assert batch.execution_date == execution_date
    assert sorted(batch.items.values_list("payable_id", flat=True)) == sorted([first.pk, second.pk])
    page = finance_client.get(response.url)
    text = text_of(page.content.decode())
    assert f"Payment batch {batch.pk} made with 2 payments." in text
    assert "Total €6,234.56" in text
    assert iban_number.format(world.second.association.iban) in text
    for export_format in ("xlsx", "csv", "sepa"):
        assert f"/finance/batches/{batch.pk}/export/{export_format}/" in page.content.decode()
    inbox = finance_client.get(INBOX).content.decode()
    assert f"Batch {batch.pk}" in text_of(row_html(inbox, first))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose at least one payable."),
        ({"payables": ["abc"]}, "Choose payables from the list."),
        # Digits int() refuses, and an id no bigint holds: a 400, never a 500.
        ({"payables": ["FIRST", "¹"]}, "Choose payables from the list."),
        ({"payables": [str(2**70)]}, "Choose payables from the list."),
        ({"payables": ["0"]}, "Choose payables from the list."),
        ({"payables": ["FOREIGN"]}, "Not payable by this public body"),
        ({"payables": ["FIRST"], "execution_date": "PAST"}, "cannot be in the past"),
        ({"payables": ["FIRST"], "execution_date": "31.2.2027"}, "Enter a valid date."),
    ],
)
def test_a_bad_batch_comes_back_on_the_inbox_with_a_400_and_nothing_saved(
    finance_client, world, data, message
):
    ids = {
        "FIRST": payable_of(world.first).pk,
        "FOREIGN": payable_of(world.foreign).pk,
    }
    posted = {
        "payables": [ids.get(v, v) for v in data.get("payables", [])],
        "execution_date": {"PAST": (timezone.localdate() - timedelta(days=1)).isoformat()}.get(
            data.get("execution_date"), data.get("execution_date", timezone.localdate().isoformat())
        ),
    }

    response = finance_client.post(NEW_BATCH, posted)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "data-error-summary" in html
    assert "<h1>Payments due</h1>" in html
    # The rows' payment forms still lead back to the inbox.
    assert "/payment-form/?next=/finance/" in html
    if "FIRST" in data.get("payables", []):
        assert re.search(rf'value="{ids["FIRST"]}"[^>]*form="batch-form" checked', html)
    nothing_batched()


def test_a_batch_holds_one_bodys_payables(world, people):
    both = grant_role(people["finance"], world.foreign_body, Role.FINANCE)

    response = signed_in(both).post(
        NEW_BATCH,
        {
            "payables": [payable_of(world.first).pk, payable_of(world.foreign).pk],
            "execution_date": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 400
    assert "one public body" in response.content.decode()
    nothing_batched()


def test_marking_a_batch_sent_records_its_payments_once(finance_client, world, people):
    batch = make_batch(people["finance"], world.first, world.second)
    page = finance_client.get(f"/finance/batches/{batch.pk}/").content.decode()
    assert "Made, not yet sent" in text_of(page)
    assert 'id="mark-sent"' in page
    assert not re.search(r'name="sent_on"[^>]*value=', page)  # the day is typed, not offered
    sent_on = timezone.localdate().isoformat()

    response = finance_client.post(f"/finance/batches/{batch.pk}/sent/", {"sent_on": sent_on})

    assert response.status_code == 302
    assert response.url == f"/finance/batches/{batch.pk}/"
    text = text_of(finance_client.get(response.url).content.decode())
    assert f"Payment batch {batch.pk} marked as sent to the bank on" in text
    assert "2 payments recorded." in text
    assert "Sent to the bank Sent to the bank" in text  # the state, then the day and who
    assert f"marked by {people['finance'].display_name}" in text
    assert text.count("Recorded") >= 2
    assert 'id="mark-sent"' not in finance_client.get(response.url).content.decode()
    assert Payment.objects.count() == 2

    again = finance_client.post(f"/finance/batches/{batch.pk}/sent/", {"sent_on": sent_on})

    assert again.status_code == 409
    assert "was already marked as sent" in again.content.decode()
    assert Payment.objects.count() == 2


def test_a_batch_with_an_item_no_longer_payable_is_refused_naming_it(finance_client, world, people):
    batch = make_batch(people["finance"], world.first, world.second)
    payables.payment_record_for(
        payable_of(world.second).pk,
        user=people["finance"],
        amount=Decimal("1"),
        paid_on=timezone.localdate(),
    )

    response = finance_client.post(
        f"/finance/batches/{batch.pk}/sent/", {"sent_on": timezone.localdate().isoformat()}
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "data-error-summary" in html
    assert f"Toinen Yhdistys ry, {world.second.decision_number}" in html
    assert Payment.objects.count() == 1
    assert PaymentBatch.objects.get(pk=batch.pk).state == PaymentBatch.State.MADE


@pytest.mark.parametrize("sent_on", ["", "tomorrow", "31.2.2027"])
def test_a_bad_day_of_sending_is_a_400_at_its_field(finance_client, world, people, sent_on):
    batch = make_batch(people["finance"], world.first)
    day = {"tomorrow": (timezone.localdate() + timedelta(days=1)).isoformat()}.get(sent_on, sent_on)

    response = finance_client.post(f"/finance/batches/{batch.pk}/sent/", {"sent_on": day})

    assert response.status_code == 400
    assert 'href="#id_sent_on"' in response.content.decode()
    nothing_paid()


def _batches_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(BATCHES)
    assert response.status_code == 200
    return len(queries)


def test_the_batch_list_runs_the_same_queries_for_one_batch_and_ten(finance_client, people, body):
    call = CallFactory(public_body=body)

    def add_batch(n: int) -> None:
        payee = AssociationFactory()
        made = [
            open_payable(ApplicationFactory(call=call, association=payee), body, payee, "10.00")
            for _ in range(2)
        ]
        make_batch(people["finance"], *made)

    add_batch(0)
    one = _batches_queries(finance_client)
    for n in range(1, 10):
        add_batch(n)
    ten = _batches_queries(finance_client)

    html = finance_client.get(BATCHES).content.decode()
    assert len(re.findall(r'href="/finance/batches/\d+/"', html)) == 10
    assert "€20.00" in text_of(html)
    assert one == ten
    assert ten <= 7


def test_the_batch_files_download_as_xlsx_csv_and_sepa(finance_client, world, people, settings):
    settings.PAYER_NAME = "Testilän kunta"
    settings.PAYER_IBAN = "FI21 1234 5600 0007 85"
    settings.PAYER_BIC = "NDEAFIHH"
    batch = make_batch(people["finance"], world.first, world.second)
    url = f"/finance/batches/{batch.pk}/export/"

    as_csv = finance_client.get(f"{url}csv/")
    as_xlsx = finance_client.get(f"{url}xlsx/")
    as_sepa = finance_client.get(f"{url}sepa/")

    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert as_csv["Content-Disposition"] == f'attachment; filename="maksuera-{batch.pk}.csv"'
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig")), delimiter=";"))
    # In the reader's language (this client's is English).
    assert rows[0] == [
        "Record",
        "Payee",
        "Business ID",
        "IBAN",
        "Amount (€)",
        "Decision",
        "Payment date",
    ]
    assert [(r[1], r[4], r[5]) for r in rows[1:]] == [
        (world.first.association.name, "5000,00", world.first.decision_number),
        ("Toinen Yhdistys ry", "1234,56", world.second.decision_number),
    ]
    today = timezone.localdate()
    assert rows[1][6] == f"{today.day}.{today.month}.{today.year}"

    assert as_xlsx["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet.cell(row=4, column=1).value == "Total"
    assert Decimal(str(sheet.cell(row=4, column=5).value)) == Decimal("6234.56")

    assert as_sepa["Content-Type"] == "application/xml"
    tree = etree.fromstring(as_sepa.content)
    assert tree.findtext(f".//{PAIN}GrpHdr/{PAIN}CtrlSum") == "6234.56"
    # One id per item, never the decision number two payables may share.
    assert [e.text for e in tree.iter(f"{PAIN}EndToEndId")] == [
        f"{batch.pk}-{item.pk}" for item in batch.items.order_by("id")
    ]


def test_an_unknown_export_format_is_a_404(finance_client, world, people):
    batch = make_batch(people["finance"], world.first)

    assert finance_client.get(f"/finance/batches/{batch.pk}/export/pdf/").status_code == 404


# --- paid in full ---------------------------------------------------------------------------


def test_the_paid_history_lists_payables_paid_in_full_most_recent_first_in_pages(
    finance_client, people, body, time_machine
):
    call = CallFactory(public_body=body)
    payee = AssociationFactory()
    made = []
    for n in range(27):
        app = ApplicationFactory(call=call, association=payee)
        payable = open_payable(app, body, payee, "10.00", number=f"PAID-{n}")
        Payment.objects.create(
            payable=payable,
            amount=Decimal("10.00"),
            paid_on=timezone.localdate() - timedelta(days=30 - n),
            recorded_by=people["finance"],
        )
        made.append(payable)
    part_paid = open_payable(ApplicationFactory(call=call, association=payee), body, payee, "50")
    Payment.objects.create(
        payable=part_paid,
        amount=Decimal("10"),
        paid_on=timezone.localdate(),
        recorded_by=people["finance"],
    )

    with CaptureQueriesContext(connection) as first_queries:
        first = finance_client.get(PAID)
    second = finance_client.get(PAID, {"page": 2})

    numbers = re.findall(r"PAID-\d+", first.content.decode())
    assert numbers == [f"PAID-{n}" for n in range(26, 1, -1)]  # 25 a page, newest first
    assert re.findall(r"PAID-\d+", second.content.decode()) == ["PAID-1", "PAID-0"]
    assert part_paid.decision_number not in first.content.decode()
    with CaptureQueriesContext(connection) as second_queries:
        finance_client.get(PAID, {"page": 2})
    assert len(first_queries) == len(second_queries)


# --- documents ------------------------------------------------------------------------------


def test_finance_downloads_the_decision_document_of_a_payable(finance_client, world):
    response = finance_client.get(f"/finance/documents/{world.decision.pk}/download/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"grant_decision v2"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-SHA256"] == "1" * 64


def test_finance_downloads_its_bodys_agreement_documents_and_no_other_bodys(
    finance_client, body, association, people, world
):
    # The one rule (documents.selectors.documents_for): the body's officials, finance among
    # them, see its agreements' documents, with or without a payable.
    agreement = agreement_services.agreement_create(
        user=people["liaison"], public_body=body, associations=[association], terms_given=terms()
    )
    document = add_document(agreement, Kind.AGREEMENT)
    url = f"/finance/documents/{document.pk}/download/"

    assert finance_client.get(url).status_code == 200
    assert signed_in(world.foreign_finance).get(url).status_code == 404


def test_a_document_whose_file_is_gone_is_a_404_and_logged(finance_client, world, caplog):
    world.decision.file.storage.delete(world.decision.file.name)

    response = finance_client.get(f"/finance/documents/{world.decision.pk}/download/")

    assert response.status_code == 404
    assert "is missing from storage" in caplog.text


# --- who gets in ----------------------------------------------------------------------------


def test_another_bodys_payable_batch_and_document_are_404(finance_client, world):
    foreign_batch = make_batch(world.foreign_finance, world.foreign)
    foreign = payable_of(world.foreign)

    for url in (
        f"/finance/payables/{foreign.pk}/",
        f"/finance/payables/{foreign.pk}/payment-form/",
        f"/finance/batches/{foreign_batch.pk}/",
        f"/finance/batches/{foreign_batch.pk}/export/csv/",
        f"/finance/batches/{foreign_batch.pk}/export/sepa/",
        f"/finance/documents/{world.foreign_decision.pk}/download/",
        "/finance/payables/99999999/",
        f"/finance/payables/{2**63}/",
        f"/finance/batches/{2**70}/",
    ):
        assert finance_client.get(url).status_code == 404, url
    for step in ("check", "confirm", "change"):
        response = finance_client.post(
            f"/finance/payables/{foreign.pk}/",
            {"amount": "1", "paid_on": timezone.localdate().isoformat(), "step": step},
        )
        assert response.status_code == 404
    payables.payment_record_for(
        foreign.pk,
        user=world.foreign_finance,
        amount=Decimal("1"),
        paid_on=timezone.localdate(),
    )
    foreign_payment = Payment.objects.get()
    assert (
        finance_client.post(
            f"/finance/payables/{foreign.pk}/reversals/",
            {"payment_id": foreign_payment.pk, "reason": "Ei meidän."},
        ).status_code
        == 404
    )
    assert (
        finance_client.post(
            f"/finance/batches/{foreign_batch.pk}/sent/",
            {"sent_on": timezone.localdate().isoformat()},
        ).status_code
        == 404
    )
    assert Payment.objects.count() == 1
    assert PaymentBatch.objects.get(pk=foreign_batch.pk).state == PaymentBatch.State.MADE
    assert f"Batch {foreign_batch.pk}" not in text_of(finance_client.get(BATCHES).content.decode())


@pytest.mark.parametrize("who", ["preparer", "decision_maker", "liaison", "representative"])
def test_people_outside_finance_get_403_on_every_page(world, people, representative, who):
    client = signed_in(representative if who == "representative" else people[who])
    batch = make_batch(people["finance"], world.first)
    payable = payable_of(world.first)

    for url in (
        INBOX,
        PAID,
        BATCHES,
        f"/finance/payables/{payable.pk}/",
        f"/finance/payables/{payable.pk}/payment-form/",
        f"/finance/batches/{batch.pk}/",
        f"/finance/batches/{batch.pk}/export/csv/",
        f"/finance/documents/{world.decision.pk}/download/",
    ):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(
            f"/finance/payables/{payable.pk}/",
            {"amount": "1", "paid_on": timezone.localdate().isoformat()},
        ).status_code
        == 403
    )
    assert (
        client.post(
            NEW_BATCH,
            {"payables": [payable.pk], "execution_date": timezone.localdate().isoformat()},
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/finance/batches/{batch.pk}/sent/", {"sent_on": timezone.localdate().isoformat()}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/finance/payables/{payable.pk}/reversals/", {"payment_id": 1, "reason": "x"}
        ).status_code
        == 403
    )
    assert not Payment.objects.exists()
    assert PaymentBatch.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_sign_in(world):
    response = Client().get(BATCHES)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/finance/batches/")


def test_a_date_in_the_form_is_checked_by_date():
    from finance.forms import PaymentForm

    form = PaymentForm({"amount": "€1,234.50", "paid_on": date(2026, 1, 2).isoformat()})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("1234.50")
