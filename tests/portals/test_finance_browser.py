"""The finance portal in Chromium: finance downloads a decision document and records its
payment in two steps, typing what the bank statement says and confirming what is shown (htmx
swaps the row at each step and the keyboard's focus follows; without JavaScript the forms post
and redirect), an error comes back at its field, a batch is marked as sent to the bank, a
payment is reversed, and axe-core finds no WCAG 2.1 A/AA violation on any finance page in
Finnish, Swedish or English.

The world, in the finance person's body: a legally valid grant of 5 000,00 € with its decision
document, a second one of 1 234,56 € in a payment batch, and a third paid in full.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from documents.models import Kind
from finance import batches, payables
from finance.models import Payable, Payment, PaymentBatch
from grants.models import Application
from organisations.models import AssociationRole, OfficialRole, User
from tests.factories import ApplicationFactory, AssociationFactory, CallFactory, represent
from tests.portals.conftest import assert_accessible, login
from tests.portals.test_finance_portal import add_document
from workflow.actors import SYSTEM
from workflow.transitions import transition_perform

pytestmark = pytest.mark.browser

LANGUAGES = ["fi", "sv", "en"]


@dataclass
class Payables:
    first: Payable  # 5 000,00 €, with its decision document
    second: Payable  # 1 234,56 €, in a batch
    paid: Payable  # paid in full
    batch: PaymentBatch
    decision_url: str


def _legally_valid(people, association, amount: str) -> Application:
    """An application walked to a decision granting `amount`, notified 30 days ago."""
    body_id = OfficialRole.objects.get(user=people["finance"]).public_body_id
    representative = (
        AssociationRole.objects.filter(
            association=association, role=AssociationRole.Role.REPRESENTATIVE
        )
        .select_related("user")
        .first()
        .user
    )
    with time_machine.travel(timezone.now() - timedelta(days=30)):
        app = ApplicationFactory(
            call=CallFactory(public_body_id=body_id),
            association=association,
            created_by=representative,
            requested_amount=Decimal(amount),
        )
        steps = [
            ("submit", representative, {}),
            ("start_review", people["preparer"], {}),
            ("record_step", people["preparer"], {"proposed_amount": Decimal(amount)}),
            (
                "decide",
                people["decision_maker"],
                {"outcome": "approved", "granted_amount": Decimal(amount), "reasons": "Hyvä."},
            ),
            ("notify", people["preparer"], {"channel": "electronic"}),
        ]
        for name, actor, params in steps:
            app = transition_perform(app, name, actor=actor, params=params)
    return transition_perform(app, "become_legally_valid", actor=SYSTEM)


@pytest.fixture
def payable_world(portal_people, settings, tmp_path) -> Payables:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    User.objects.update(language="fi")
    ours = AssociationRole.objects.get(user=portal_people["representative"]).association
    ours.accepts_electronic_notification = True
    ours.save()
    other = AssociationFactory(name="Toinen Yhdistys ry", accepts_electronic_notification=True)
    represent(portal_people["signatory"], other, AssociationRole.Role.REPRESENTATIVE)

    first = _legally_valid(portal_people, ours, "5000.00")
    decision = add_document(first, Kind.GRANT_DECISION)
    second = _legally_valid(portal_people, other, "1234.56")
    paid = _legally_valid(portal_people, other, "300.00")
    finance_person = portal_people["finance"]
    payables.payment_record_for(
        paid.payables.get().pk,
        user=finance_person,
        amount=Decimal("300.00"),
        paid_on=timezone.localdate(),
        reference="ARK-1",
    )
    batch = batches.payment_batch_create(
        user=finance_person,
        public_body_id=second.call.public_body_id,
        payable_ids=[second.payables.get().pk],
        execution_date=timezone.localdate() + timedelta(days=1),
    )
    return Payables(
        first=first.payables.get(),
        second=second.payables.get(),
        paid=paid.payables.get(),
        batch=batch,
        decision_url=f"/finance/documents/{decision.pk}/download/",
    )


def _row(page, payable: Payable):
    return page.locator(f"#payable-{payable.pk}")


def _enter_payment(row, amount: str) -> None:
    """Types the payment as the bank statement shows it (the day as today's)."""
    row.locator("input[name=amount]").fill(amount)
    row.locator("input[name=paid_on]").fill(timezone.localdate().isoformat())


def test_finance_downloads_the_decision_and_records_the_payment(page, portal_people, payable_world):
    login(page, portal_people["finance"])
    page.goto("/finance/")
    row = _row(page, payable_world.first)

    with page.expect_download() as download:
        row.get_by_role("link", name="Avustuspäätös").click()
    assert download.value.suggested_filename.endswith(".docx")
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == b"grant_decision v1"

    row.locator("summary").click()
    amount = row.get_by_label("Maksettu summa (€)")
    assert amount.input_value() == ""  # nothing filled in
    assert row.get_by_label("Maksupäivä").input_value() == ""
    _enter_payment(row, "5000,00")
    row.get_by_label("Maksun tunniste").fill("ARK-555")
    row.get_by_role("button", name="Tarkista maksu", exact=True).click()

    confirm = row.locator(".fin-confirm")
    confirm.wait_for()
    shown = confirm.inner_text().replace("\u202f", " ").replace("\u00a0", " ")
    for text in ("Esimerkkilän Seniorit ry", "5 000,00 €", "ARK-555", "Maksamatta tämän jälkeen"):
        assert text in shown
    assert payable_world.first.decision_number in shown
    assert not Payment.objects.filter(payable=payable_world.first).exists()
    confirm.get_by_role("button", name="Kirjaa maksu", exact=True).click()

    page.locator("#messages").get_by_text("Maksu kirjattu").wait_for()
    assert "Maksettu kokonaan" in _row(page, payable_world.first).inner_text()
    assert page.url.endswith("/finance/")  # swapped in place, no page load
    (payment,) = Payment.objects.filter(payable=payable_world.first)
    assert (payment.amount, payment.reference) == (Decimal("5000.00"), "ARK-555")
    assert Application.objects.get(pk=payable_world.first.object_id).state == "paid"

    page.goto("/finance/paid/")
    assert payable_world.first.decision_number in page.locator("main").inner_text()


def test_a_bad_amount_comes_back_at_its_field_and_takes_focus(page, portal_people, payable_world):
    login(page, portal_people["finance"])
    page.goto("/finance/")
    row = _row(page, payable_world.second)
    row.locator("summary").click()

    _enter_payment(row, "2000")
    row.get_by_role("button", name="Tarkista maksu", exact=True).click()

    error = _row(page, payable_world.second).locator(".field__errors")
    error.wait_for()
    assert "Maksamatta on enää" in error.inner_text()
    expect(page.locator(f"#payable{payable_world.second.pk}_amount")).to_be_focused()
    assert not Payment.objects.filter(payable=payable_world.second).exists()


@pytest.mark.parametrize("page", [{"javascript": False}], indirect=True)
def test_the_payment_form_works_without_javascript(page, portal_people, payable_world):
    login(page, portal_people["finance"])
    page.goto("/finance/")
    row = _row(page, payable_world.second)
    row.locator("summary").click()

    # Without JavaScript the row leads to the payable's page and its form.
    row.get_by_role("link", name="Kirjaa maksu maksettavan sivulla").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/finance/payables/{payable_world.second.pk}/#record-payment")
    form = page.locator("main form.form").first
    form.get_by_label("Maksettu summa (€)").fill("234,56")
    form.get_by_label("Maksupäivä").fill(timezone.localdate().isoformat())
    form.get_by_role("button", name="Tarkista maksu", exact=True).click()
    page.wait_for_load_state()

    # A page of its own shows the payment; only its button records it.
    assert page.locator("h1").inner_text() == "Tarkista maksu"
    assert "234,56" in page.locator("main").inner_text()
    assert payables.paid_total(payable_world.second) == Decimal(0)
    page.get_by_role("button", name="Kirjaa maksu", exact=True).click()
    page.wait_for_load_state()

    assert f"/finance/payables/{payable_world.second.pk}/" in page.url
    assert "Maksu kirjattu" in page.locator("#messages").inner_text()
    assert "1 000,00" in page.locator("main").inner_text().replace("\u202f", " ")
    assert payables.paid_total(payable_world.second) == Decimal("234.56")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_finance_page_passes_axe(page, portal_people, payable_world, language):
    User.objects.update(language=language)
    login(page, portal_people["finance"])
    world = payable_world
    # A reversed payment on the page of the payable paid in full, and a batch sent.
    (paid,) = world.paid.payments.all()
    payables.payment_record_for(
        world.second.pk,
        user=portal_people["finance"],
        amount=Decimal("34.56"),
        paid_on=timezone.localdate(),
    )
    payables.payment_reverse_for(
        world.second.pk,
        user=portal_people["finance"],
        payment_id=world.second.payments.get().pk,
        reason="Kirjattu väärälle maksettavalle.",
    )
    sent = batches.payment_batch_create(
        user=portal_people["finance"],
        public_body_id=world.first.public_body_id,
        payable_ids=[world.second.pk],
        execution_date=timezone.localdate(),
    )
    batches.payment_batch_mark_sent(
        user=portal_people["finance"], batch_id=sent.pk, sent_on=timezone.localdate()
    )

    page.goto("/finance/")
    row = _row(page, world.first)
    row.locator("summary").click()  # the payment form, open
    row.locator("form.fin-payment-form").wait_for()
    assert_accessible(page)
    _enter_payment(row, "100")
    row.locator("form.fin-payment-form button[type=submit]").click()
    row.locator(".fin-confirm").wait_for()  # the payment to confirm, in the row
    assert_accessible(page)

    # A batch with nothing ticked comes back with its errors (no JavaScript needed for it).
    page.locator("#batch-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").is_visible()
    assert_accessible(page)

    page.goto("/finance/?kind=agreement")  # filtered to nothing
    assert_accessible(page)

    for path in (
        f"/finance/payables/{world.first.pk}/",
        f"/finance/payables/{world.paid.pk}/",
        f"/finance/payables/{world.second.pk}/",
        "/finance/batches/",
        f"/finance/batches/{world.batch.pk}/",
        f"/finance/batches/{sent.pk}/",
        "/finance/paid/",
    ):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language, path
        assert_accessible(page)

    # The payable page's own form, sent with an error, then sent right: its confirmation page.
    page.goto(f"/finance/payables/{world.first.pk}/")
    form = page.locator("#record-payment + form")
    form.locator("input[name=amount]").fill("-1")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").is_visible()
    assert_accessible(page)
    form = page.locator("#record-payment + form")
    form.locator("input[name=amount]").fill("100")
    form.locator("input[name=paid_on]").fill(timezone.localdate().isoformat())
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".fin-confirm").is_visible()
    assert_accessible(page)

    # A reversal without its reason, and a batch sent without its day.
    page.goto(f"/finance/payables/{world.paid.pk}/")
    page.locator(f"input[name=payment_id][value='{paid.pk}']").check()
    page.locator("#reverse-payment + p + form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").is_visible()
    assert_accessible(page)
    page.goto(f"/finance/batches/{world.batch.pk}/")
    page.locator("#mark-sent ~ form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").is_visible()
    assert_accessible(page)


def _on_screen(box: dict, *, width: int) -> bool:
    return box["x"] >= 0 and box["x"] + box["width"] <= width


def test_on_a_phone_the_opened_payment_form_fits_the_screen(page, portal_people, payable_world):
    page.set_viewport_size({"width": 320, "height": 800})
    login(page, portal_people["finance"])
    page.goto("/finance/")
    row = _row(page, payable_world.first)
    row.locator("summary").click()

    for control in (row.get_by_label("Maksettu summa (€)"), row.get_by_role("button")):
        assert _on_screen(control.bounding_box(), width=320)
    # Still in view with the table scrolled sideways to its last column.
    page.locator(".table-wrap").evaluate("wrap => { wrap.scrollLeft = wrap.scrollWidth; }")
    assert _on_screen(row.get_by_label("Maksettu summa (€)").bounding_box(), width=320)


def test_the_breadcrumbs_line_up_with_the_page(page, portal_people, payable_world):
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, portal_people["finance"])
    page.goto(f"/finance/payables/{payable_world.first.pk}/")

    crumbs = page.locator("nav.breadcrumbs ol").bounding_box()
    heading = page.locator("main h1").bounding_box()
    assert crumbs["x"] == heading["x"]


def test_a_payment_by_keyboard_is_checked_then_recorded_and_focus_follows_each_step(
    page, portal_people, payable_world
):
    login(page, portal_people["finance"])
    page.goto("/finance/")
    row = _row(page, payable_world.first)
    row.locator("summary").focus()
    page.keyboard.press("Enter")
    amount = row.get_by_label("Maksettu summa (€)")
    amount.focus()
    page.keyboard.type("5000,00")
    row.get_by_label("Maksupäivä").fill(timezone.localdate().isoformat())
    amount.focus()
    page.keyboard.press("Enter")  # checks the payment

    # The payment is read first: focus on what will be recorded, not on its button.
    title = row.locator(".fin-confirm__title")
    expect(title).to_be_focused()
    assert "5 000,00" in title.inner_text().replace("\u202f", " ").replace("\u00a0", " ")
    page.keyboard.press("Tab")
    expect(row.get_by_role("button", name="Kirjaa maksu", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    expect(row.get_by_role("button", name="Muuta")).to_be_focused()
    page.keyboard.press("Enter")  # back to the form, as typed

    expect(amount).to_be_focused()
    assert amount.input_value() == "5000,00"
    page.keyboard.press("Enter")
    expect(title).to_be_focused()
    page.keyboard.press("Tab")
    assert not Payment.objects.filter(payable=payable_world.first).exists()
    page.keyboard.press("Enter")  # records it

    page.locator("#messages").get_by_text("Maksu kirjattu").wait_for()
    # Focus stays on the row just paid, its payee's link.
    expect(row.get_by_role("link", name="Esimerkkilän Seniorit ry")).to_be_focused()
    assert Payment.objects.filter(payable=payable_world.first).count() == 1
    assert page.url.endswith("/finance/")


def test_finance_marks_a_batch_sent_and_reverses_one_of_its_payments(
    page, portal_people, payable_world
):
    login(page, portal_people["finance"])
    page.goto(f"/finance/batches/{payable_world.batch.pk}/")
    page.get_by_label("Lähetetty pankkiin").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Merkitse lähetetyksi ja kirjaa maksut").click()
    page.wait_for_load_state()

    assert "maksuja kirjattu 1" in page.locator("#messages").inner_text()
    assert "Lähetetty pankkiin" in page.locator("main dl").inner_text()
    (payment,) = Payment.objects.filter(payable=payable_world.second)
    assert payment.batch_item.batch_id == payable_world.batch.pk

    page.goto(f"/finance/payables/{payable_world.second.pk}/")
    page.get_by_label(re.compile(r"1\s234,56")).check()
    page.get_by_label("Peruutuksen syy").fill("Pankki palautti maksun: tili suljettu.")
    page.get_by_role("button", name="Peru maksu").click()
    page.wait_for_load_state()

    main = page.locator("main").inner_text()
    assert "Peruutuskirjaus" in main
    assert "Pankki palautti maksun: tili suljettu." in main
    assert payables.paid_total(payable_world.second) == Decimal(0)


# Submits the first form htmx brings in the instant it is in the page: the fastest keyboard.
SUBMIT_ON_ARRIVAL = """
new MutationObserver((changes, observer) => {
  for (const change of changes) {
    for (const node of change.addedNodes) {
      if (!node.querySelector) continue;
      const form = node.matches("form[hx-post]") ? node : node.querySelector("form[hx-post]");
      if (form) {
        observer.disconnect();
        form.requestSubmit();
        return;
      }
    }
  }
}).observe(document, {childList: true, subtree: true});
"""


def test_a_form_htmx_brings_is_sent_through_htmx_even_at_once(page, portal_people, payable_world):
    """htmx binds what it swaps in when the swap settles; until then a form it brought posts
    as a plain form, a page load that loses the keyboard user's place. Settling at once
    leaves no such moment (why the focus test failed on a fast machine)."""
    login(page, portal_people["finance"])
    page.goto("/finance/")
    page.evaluate(SUBMIT_ON_ARRIVAL)

    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        _row(page, payable_world.first).locator("summary").click()

    assert answer.value.request.headers.get("hx-request") == "true"
    page.wait_for_load_state()
    assert page.url.endswith("/finance/")
