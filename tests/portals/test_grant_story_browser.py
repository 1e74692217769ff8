"""The whole grant story in Chromium, through the three portals' pages only: an association
submits; the preparer requests completion; the association completes; the preparer proposes;
the decision-maker decides; the decision document appears; finance downloads it and records
the payment (typed, checked, confirmed); the association submits its report; the preparer
accepts it; the application is closed.

Each person signs in through the sign-in form and out through the header's button, in one
browser tab, and sees each step's result on their own pages. Done in code, and only because
they have no page: what the Celery worker and beat do (making the decision document, handing
the payable to finance, the scan that makes decisions legally valid), and the passage of the
appeal period (see `the_appeal_period_passes`). A failing run leaves
var/screenshots/test_the_whole_grant_story_across_the_three_portals.png (tests/portals/conftest.py).
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from finance.tasks import hand_over_to_finance
from grants.models import Application
from grants.scans import make_decisions_legally_valid
from grants.tasks import generate_decision_document
from organisations.models import OfficialRole, User
from tests.factories import CallFactory
from tests.portals.conftest import assert_accessible, login
from workflow.models import TransitionLog

pytestmark = pytest.mark.browser

S = Application.State
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
ZIP_SIGNATURE = b"PK\x03\x04"  # a .docx is a zip archive
REQUEST = "Liittäkää hallituksen hyväksymä toimintasuunnitelma vuodelle 2027."
REASONS = "Salivuokra katetaan osin kaupungin omista tiloista."
APPEAL_DAYS_AGO = 30  # letter: deemed received on the 7th day, then 14 days for rectification


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def plain(text: str) -> str:
    """Text as the page writes it, its no-break spaces (in money) made ordinary."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def main_text(page) -> str:
    return plain(page.locator("main").inner_text())


def badge(page) -> str:
    """The application's state as its page shows it, in the lead under the heading."""
    return page.locator("main .lead .badge").inner_text().strip()


def click(page, selector: str) -> None:
    page.locator(selector).first.click()
    page.wait_for_load_state()


def sign_out(page) -> None:
    click(page, ".site-header form.inline-form button")
    assert page.locator(".site-header form[action$='/logout/']").count() == 0, "not signed out"


def act(page, action: str) -> None:
    """Presses the button of one of the workbench's action forms."""
    click(page, f"form[action$='/actions/{action}/'] button[type=submit]")


def success_message(page) -> str:
    return page.locator("#messages .message--success").inner_text()


def the_appeal_period_passes(application: Application) -> None:
    """Time passes: the decision was made 30 days ago.

    The appeal period (a letter is deemed received on the 7th day, then 14 days for a request
    for rectification) cannot be waited for, and the live server's clock cannot be moved:
    time_machine patches the clock for the whole process while the server thread is serving
    requests, the session and its cookie keep to the real clock, and the legal validity, the
    payable's day and the payment would then fall on different days. So instead only the one
    date no page can set goes back: the moment of the decision (it is `timezone.now()` when the
    decision-maker presses the button). Everything after it is recorded through the pages on
    the real clock: the notify form's "Sent on" takes the decision day, 30 days ago, which the
    model accepts (not before the decision, not in the future) and from which it counts the
    deemed receipt and the end of the appeal period, now in the past; the beat's scan
    `make_decisions_legally_valid` then finds the decision due today, exactly as it would.
    The decision document is made after this, so it carries the same decision day. (The audit
    log keeps the real moment of its "decide" entry; nothing in the story compares the two.)
    """
    Application.objects.filter(pk=application.pk).update(
        decided_at=application.decided_at - timedelta(days=APPEAL_DAYS_AGO)
    )


def test_the_whole_grant_story_across_the_three_portals(page, portal_people):
    User.objects.update(language="fi")
    representative = portal_people["representative"]
    preparer = portal_people["preparer"]
    decision_maker = portal_people["decision_maker"]
    body = preparer.official_roles.get(role=OfficialRole.Role.PREPARER).public_body
    call = CallFactory(public_body=body, name="Toiminta-avustukset 2027")

    # --- 1. The association submits ------------------------------------------------------
    login(page, representative)
    click(page, "main a[href='/association/calls/']")
    click(page, f"main a[href='/association/calls/{call.pk}/']")
    click(page, f"main a[href='/association/calls/{call.pk}/apply/']")
    page.locator("#id_requested_amount").fill("1 500")
    page.locator("#id_purpose").fill("Seniorien liikuntaryhmät kahdesti viikossa.")
    page.locator("#id_lines-0-description").fill("Salivuokra")
    page.locator("#id_lines-0-amount").fill("1 000")
    page.locator("#id_lines-1-description").fill("Ohjaajien matkat")
    page.locator("#id_lines-1-amount").fill("500")
    page.set_input_files(
        "#id_files",
        files=[{"name": "talousarvio.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    click(page, "button[name=check]")
    click(page, "main form[action$='/submit/'] button")

    application = Application.objects.get()
    workbench_url = f"/workbench/applications/{application.pk}/"
    assert page.url.endswith(f"/association/applications/{application.pk}/receipt/")
    assert success_message(page)
    click(page, f"main a[href='/association/applications/{application.pk}/']")
    assert badge(page) == "Lähetetty"
    assert "1 500,00 €" in main_text(page)
    assert "talousarvio.pdf" in main_text(page)
    assert_accessible(page)
    sign_out(page)

    # --- 2. The preparer requests completion ----------------------------------------------
    login(page, preparer)
    page.goto("/workbench/")
    click(page, f"section[aria-labelledby=queue-check] a[href='{workbench_url}']")
    assert badge(page) == "Lähetetty"
    page.locator("[name='request_completion-comment']").fill(REQUEST)
    act(page, "request_completion")
    assert success_message(page)
    assert badge(page) == "Palautettu täydennettäväksi"
    assert REQUEST in main_text(page)
    sign_out(page)

    # --- 3. The association completes -----------------------------------------------------
    login(page, representative)
    # The request waits on the front page; its link leads to the form, which shows it.
    click(page, f"main a[href='/association/applications/{application.pk}/edit/']")
    assert REQUEST in main_text(page)
    page.set_input_files(
        "#id_files",
        files=[{"name": "toimintasuunnitelma.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    # Back through "check your answers": the message to the official is written there.
    click(page, "button[name=check]")
    assert page.url.endswith(f"/association/applications/{application.pk}/check/")
    page.locator("#id_comment").fill("Toimintasuunnitelma liitetty.")
    click(page, "main form[action$='/submit/'] button")
    assert page.url.endswith(f"/association/applications/{application.pk}/receipt/")
    click(page, f"main a[href='/association/applications/{application.pk}/']")
    assert badge(page) == "Lähetetty"
    assert "toimintasuunnitelma.pdf" in main_text(page)
    assert "Toimintasuunnitelma liitetty." in main_text(page)  # on the timeline
    sign_out(page)

    # --- 4. The preparer proposes ---------------------------------------------------------
    login(page, preparer)
    page.goto("/workbench/")
    click(page, f"section[aria-labelledby=queue-check] a[href='{workbench_url}']")
    assert "toimintasuunnitelma.pdf" in main_text(page)
    act(page, "start_review")
    assert badge(page) == "Käsittelyssä"
    page.locator("[name='record_step-proposed_amount']").fill("1 200,00")
    page.locator("[name='record_step-reasons']").fill(REASONS)
    act(page, "record_step")
    assert success_message(page)
    approval = page.locator("section[aria-labelledby=approval]")
    assert "1 200,00 €" in plain(approval.inner_text())
    assert REASONS in approval.inner_text()
    # Who proposed does not decide.
    assert page.locator("form[action$='/actions/decide/']").count() == 0
    sign_out(page)

    # --- 5. The decision-maker decides; the decision document appears ----------------------
    login(page, decision_maker)
    page.goto("/workbench/")
    click(page, f"section[aria-labelledby=queue-steps] a[href='{workbench_url}']")
    page.locator("[name='decide-outcome'][value='partially_approved']").check()
    page.locator("[name='decide-granted_amount']").fill("1 200")
    page.locator("[name='decide-reasons']").fill("Haettu toiminta on avustuskelpoista.")
    act(page, "decide")
    assert badge(page) == "Päätetty"
    decision = page.locator("section[aria-labelledby=decision]")
    assert "1 200,00 €" in plain(decision.inner_text())
    assert decision.locator("a[href^='/workbench/documents/']").count() == 0  # being made

    application.refresh_from_db()
    the_appeal_period_passes(application)
    # The Celery worker's part: the decision's commit queued this task (the test broker is in
    # memory, nothing consumes it); run it as the worker would.
    generate_decision_document(application.pk)

    page.reload()
    document_link = decision.locator("a[href^='/workbench/documents/']")
    assert document_link.count() == 1
    assert "Avustuspäätös" in document_link.inner_text()
    assert_accessible(page)

    # The decision was sent by letter on the decision day.
    decided_on = timezone.localdate() - timedelta(days=APPEAL_DAYS_AGO)
    page.locator("[name='notify-channel'][value='letter']").check()
    page.locator("[name='notify-sent_on']").fill(decided_on.isoformat())
    act(page, "notify")
    assert success_message(page)
    assert badge(page) == "Päätös annettu tiedoksi"
    application.refresh_from_db()
    assert application.notified_on == decided_on
    assert application.appeal_ends_on < timezone.localdate()
    sign_out(page)

    # The worker and the beat: the notification's commit queued the document task again (the
    # dates are those the document already has, so it stays at version 1); the nightly scan
    # makes the decision legally valid and opens finance's payable, whose commit queues the
    # hand-over to finance (the payment order).
    generate_decision_document(application.pk)
    assert make_decisions_legally_valid() == 1
    payable = application.payables.get()
    hand_over_to_finance(payable.pk)

    # --- 6. Finance downloads the decision and records the payment -------------------------
    login(page, portal_people["finance"])
    page.goto("/finance/")
    row = page.locator(f"#payable-{payable.pk}")
    assert "Esimerkkilän Seniorit ry" in row.inner_text()
    assert "1 200,00 €" in plain(row.inner_text())
    with page.expect_download() as download:
        row.get_by_role("link", name="Avustuspäätös").click()
    assert download.value.suggested_filename.endswith(".docx")
    with open(download.value.path(), "rb") as saved:
        assert saved.read(4) == ZIP_SIGNATURE
    assert_accessible(page)

    # What the bank statement says is typed, checked, and recorded once confirmed.
    row.locator("summary").click()
    row.get_by_label("Maksettu summa (€)").fill("1200,00")
    row.get_by_label("Maksupäivä").fill(timezone.localdate().isoformat())
    row.get_by_label("Maksun tunniste").fill("ARK-2027-15")
    row.get_by_role("button", name="Tarkista maksu", exact=True).click()
    confirm = row.locator(".fin-confirm")
    confirm.wait_for()
    assert "1 200,00 €" in plain(confirm.inner_text())
    confirm.get_by_role("button", name="Kirjaa maksu", exact=True).click()
    page.locator("#messages").get_by_text("Maksu kirjattu").wait_for()
    assert "Maksettu kokonaan" in page.locator(f"#payable-{payable.pk}").inner_text()
    sign_out(page)

    # --- 7. The association sees the decision and the payment, and reports -----------------
    login(page, representative)
    page.goto(f"/association/applications/{application.pk}/")
    assert badge(page) == "Maksettu, selvitys odottaa"
    granted = page.locator("main dt", has_text="Myönnetty summa").locator(
        "xpath=following-sibling::dd[1]"
    )
    assert plain(granted.inner_text()) == "1 200,00 €"
    payment = page.locator("main table tbody tr", has_text="ARK-2027-15")
    assert plain(payment.inner_text()).split("\t")[1:] == ["1 200,00 €", "ARK-2027-15"]
    document = page.locator("main a[href*='/documents/']")
    assert document.count() == 1  # the decision, version 1
    assert "Avustuspäätös" in document.inner_text()
    assert_accessible(page)
    click(page, f"main a[href='/association/applications/{application.pk}/report/']")
    page.locator("#id_activities").fill("Ryhmät kokoontuivat 70 kertaa, mukana 35 senioria.")
    page.locator("#id_amount_used").fill("1 200,00")
    click(page, "main form button[type=submit]")
    assert page.url.endswith(f"/association/applications/{application.pk}/")
    assert badge(page) == "Selvitys lähetetty"
    assert "70 kertaa" in main_text(page)
    sign_out(page)

    # --- 8. The preparer accepts the report: the application is closed ----------------------
    login(page, preparer)
    page.goto("/workbench/")
    click(page, f"section[aria-labelledby=queue-reports] a[href='{workbench_url}']")
    assert "70 kertaa" in main_text(page)
    act(page, "accept_report")
    assert success_message(page)
    assert badge(page) == "Päättynyt"
    sign_out(page)

    # The association sees it closed.
    login(page, representative)
    page.goto(f"/association/applications/{application.pk}/")
    assert badge(page) == "Päättynyt"
    assert "Hakemuksen käsittely on päättynyt." in main_text(page)
    assert_accessible(page)

    application.refresh_from_db()
    assert application.state == S.CLOSED
    assert application.granted_amount == application.paid_total == Decimal("1200.00")
    assert list(
        TransitionLog.objects.filter(object_id=application.pk)
        .exclude(transition__in=["create", "edit", "attach"])
        .order_by("at", "id")
        .values_list("transition", flat=True)
    ) == [
        "submit",
        "request_completion",
        "resubmit",
        "start_review",
        "record_step",
        "decide",
        "notify",
        "become_legally_valid",
        "record_payment",
        "submit_report",
        "accept_report",
    ]
