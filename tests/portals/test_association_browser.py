"""The association's part of the grant story in Chromium, the application form without
JavaScript and at 320 px, and axe-core on every association portal page in Finnish, Swedish
and English.

The officials' steps are taken through the services here (the workbench has its own browser
tests). Where the story needs the appeal period to pass, the clock is moved only around those
steps: the browser's session keeps to the real clock.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grants import services
from grants.documents import decision_document_generate
from grants.models import Application
from organisations.models import OfficialRole, User
from tests.factories import ApplicationFactory, CallFactory
from tests.portals.conftest import assert_accessible, login
from workflow import outbox
from workflow.models import TransitionLog
from workflow.transitions import transition_perform

pytestmark = pytest.mark.browser

S = Application.State
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
LANGUAGES = ["fi", "sv", "en"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def body_of(people):
    return people["preparer"].official_roles.get(role=OfficialRole.Role.PREPARER).public_body


def association_of(people):
    return people["representative"].association_roles.get().association


def plain(text: str) -> str:
    """Money as the page writes it, with its no-break spaces made ordinary."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def act(application, name, person, **params):
    return transition_perform(
        application, name, actor=person, comment=params.pop("comment", ""), params=params
    )


def decide_and_pay(application, people):
    """The officials decide, the decision becomes legally valid and finance pays: the clock
    moves past the appeal period for these steps only."""
    application = act(application, "start_review", people["preparer"])
    application = act(
        application, "record_step", people["preparer"], proposed_amount=Decimal("1500.00")
    )
    application = act(
        application,
        "decide",
        people["decision_maker"],
        outcome="approved",
        granted_amount=Decimal("1500.00"),
        reasons="Toiminta tukee ikäihmisten hyvinvointia.",
    )
    application = act(application, "notify", people["preparer"], channel="letter")
    decision_document_generate(application.pk)
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        application = act(application, "become_legally_valid", people["preparer"])
        application = act(
            application,
            "record_payment",
            people["finance"],
            amount=Decimal("1500.00"),
            paid_on=timezone.localdate(),
        )
    return application


def click(page, selector: str) -> None:
    page.locator(selector).click()
    page.wait_for_load_state()


def test_the_associations_part_of_the_grant_story(page, portal_people):
    representative = portal_people["representative"]
    call = CallFactory(public_body=body_of(portal_people), name="Toiminta-avustukset 2027")

    # From the front page to the call and a new application.
    login(page, representative)
    assert page.url.endswith("/association/")
    click(page, "main a[href='/association/calls/']")
    click(page, f"main a[href='/association/calls/{call.pk}/']")
    click(page, f"main a[href='/association/calls/{call.pk}/apply/']")

    # Two budget lines: the sum follows the typing.
    page.locator("#id_requested_amount").fill("1 500")
    page.locator("#id_purpose").fill("Seniorien liikuntaryhmät kahdesti viikossa.")
    page.locator("#id_lines-0-description").fill("Salivuokra")
    page.locator("#id_lines-0-amount").fill("1 000")
    assert plain(page.locator("output[data-sum-total=budget]").inner_text()) == "1 000,00 €"
    page.locator("#id_lines-1-description").fill("Ohjaajien matkat")
    page.locator("#id_lines-1-amount").fill("500,50")
    assert plain(page.locator("output[data-sum-total=budget]").inner_text()) == "1 500,50 €"
    # More lines when three are not enough: the new one takes the focus.
    page.locator("[data-formset-add=lines]").click()
    assert page.locator("#id_lines-3-description").is_visible()
    assert page.evaluate("document.activeElement.id") == "id_lines-3-description"
    click(page, "button[name=save]")

    # The draft is saved; the edit page has the lines and their sum. Attach and submit.
    draft = Application.objects.get()
    assert draft.state == S.DRAFT
    assert page.url.endswith(f"/association/applications/{draft.pk}/edit/")
    assert plain(page.locator("output[data-sum-total=budget]").inner_text()) == "1 500,50 €"
    page.set_input_files(
        "#id_files",
        files=[{"name": "talousarvio.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    click(page, "button[name=check]")
    click(page, "main form[action$='/submit/'] button")

    application = Application.objects.get()
    assert application.state == S.SUBMITTED
    assert application.requested_amount == Decimal("1500.00")
    assert [line.amount for line in application.budget_lines.all()] == [
        Decimal("1000.00"),
        Decimal("500.50"),
    ]
    assert application.attachments.get().name == "talousarvio.pdf"
    assert page.url.endswith(f"/association/applications/{application.pk}/receipt/")
    assert page.locator("#messages .message--success").count() == 1
    assert_accessible(page)

    # The preparer asks for completion; the request waits on the front page.
    act(
        application,
        "request_completion",
        portal_people["preparer"],
        comment="Liittäkää hallituksen hyväksymä toimintasuunnitelma.",
    )
    page.goto("/association/")
    click(page, f"main a[href='/association/applications/{application.pk}/edit/']")
    assert "hallituksen hyväksymä toimintasuunnitelma" in page.locator("main").inner_text()
    page.set_input_files(
        "#id_files",
        files=[{"name": "toimintasuunnitelma.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    # Back through "check your answers": the message to the official is written there.
    click(page, "button[name=check]")
    assert page.url.endswith(f"/association/applications/{application.pk}/check/")
    assert_accessible(page)
    page.locator("#id_comment").fill("Toimintasuunnitelma liitetty.")
    click(page, "main form[action$='/submit/'] button")
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert application.attachments.count() == 2
    resubmitted = TransitionLog.objects.get(object_id=application.pk, transition="resubmit")
    assert resubmitted.comment == "Toimintasuunnitelma liitetty."

    # Decided and paid; the decision is downloaded and the report is due.
    decide_and_pay(application, portal_people)
    page.goto(f"/association/applications/{application.pk}/")
    with page.expect_download() as download:
        page.locator("main a[href*='/documents/']").first.click()
    assert download.value.suggested_filename.endswith(".docx")
    page.goto("/association/")
    click(page, f"main a[href='/association/applications/{application.pk}/report/']")
    page.locator("#id_activities").fill("Ryhmät kokoontuivat 70 kertaa, mukana 35 senioria.")
    page.locator("#id_amount_used").fill("1 500,00")
    click(page, "main form button[type=submit]")

    application.refresh_from_db()
    assert application.state == S.REPORT_SUBMITTED
    assert application.report.amount_used == Decimal("1500.00")
    assert "70 kertaa" in page.locator("main").inner_text()


@pytest.mark.parametrize("page", [{"javascript": False}], indirect=True)
def test_the_application_form_works_without_javascript(page, portal_people):
    call = CallFactory(public_body=body_of(portal_people))
    login(page, portal_people["representative"])
    page.goto(f"/association/calls/{call.pk}/apply/")

    # No JavaScript: the button that adds lines stays hidden, three empty lines are there.
    assert not page.locator("[data-formset-add=lines]").is_visible()
    page.locator("#id_requested_amount").fill("800")
    page.locator("#id_purpose").fill("Retki.")
    page.locator("#id_lines-0-description").fill("Bussi")
    page.locator("#id_lines-0-amount").fill("600")
    page.locator("#id_lines-1-description").fill("Eväät")  # amount forgotten
    click(page, "button[name=save]")

    # Back with the error by its field and in the summary; nothing saved.
    assert Application.objects.count() == 0
    assert page.locator("#id_lines-1-amount_error").is_visible()
    assert page.locator("[data-error-summary] a[href='#id_lines-1-amount']").count() == 1
    page.locator("#id_lines-1-amount").fill("200")
    click(page, "button[name=save]")

    # Saved: the server wrote the sum.
    application = Application.objects.get()
    assert application.state == S.DRAFT
    assert plain(page.locator("output[data-sum-total=budget]").inner_text()) == "800,00 €"
    click(page, "button[name=check]")
    click(page, "main form[action$='/submit/'] button")
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


def test_the_application_form_reflows_at_320_pixels(page, portal_people):
    call = CallFactory(public_body=body_of(portal_people))
    login(page, portal_people["representative"])
    page.set_viewport_size({"width": 320, "height": 640})

    for path in ["/association/", f"/association/calls/{call.pk}/apply/"]:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


def portal_records(people):
    """One record of each kind the portal shows: a draft, an application returned for
    completion, one decided and paid (with its document), and a notification."""
    representative = people["representative"]
    association = association_of(people)
    call = CallFactory(public_body=body_of(people), name="Toiminta-avustukset 2027")
    draft = ApplicationFactory(call=call, association=association, created_by=representative)
    services.attachment_add(
        draft,
        user=representative,
        upload=SimpleUploadedFile("liite.pdf", PDF),
    )
    returned = ApplicationFactory(
        call=call,
        association=association,
        created_by=representative,
        requested_amount=Decimal("1500.00"),
    )
    returned = act(returned, "submit", representative)
    returned = act(
        returned, "request_completion", people["preparer"], comment="Liittäkää tilinpäätös."
    )
    paid = ApplicationFactory(
        call=call,
        association=association,
        created_by=representative,
        requested_amount=Decimal("1500.00"),
    )
    paid = decide_and_pay(act(paid, "submit", representative), people)
    notified = ApplicationFactory(call=call, association=association, created_by=representative)
    notified = act(notified, "submit", representative)
    notified = act(notified, "start_review", people["preparer"])
    notified = act(notified, "record_step", people["preparer"], proposed_amount=Decimal(0))
    notified = act(
        notified,
        "decide",
        people["decision_maker"],
        outcome="rejected",
        granted_amount=Decimal(0),
        reasons="Toiminta ei ole avointa kaikille.",
    )
    notified = act(notified, "notify", people["preparer"], channel="letter")
    outbox.notify(
        [representative],
        kind="completion_requested",
        key="axe",
        context={"title": call.name, "request": "Liittäkää.", "due_on": "2026-12-01"},
    )
    return call, draft, returned, paid, notified


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_association_portal_page_passes_axe(page, portal_people, language):
    User.objects.update(language=language)
    call, draft, returned, paid, notified = portal_records(portal_people)
    login(page, portal_people["representative"])

    for path in [
        "/association/",
        "/association/calls/",
        f"/association/calls/{call.pk}/",
        f"/association/calls/{call.pk}/apply/",
        "/association/applications/",
        f"/association/applications/{draft.pk}/",
        f"/association/applications/{draft.pk}/edit/",
        f"/association/applications/{draft.pk}/withdraw/",
        f"/association/applications/{returned.pk}/",
        f"/association/applications/{returned.pk}/edit/",
        f"/association/applications/{paid.pk}/",
        f"/association/applications/{paid.pk}/report/",
        f"/association/applications/{notified.pk}/",
        f"/association/applications/{notified.pk}/rectification/",
        "/association/notifications/",
    ]:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language, path
        assert_accessible(page)

    # A form back with its errors: the summary is focused and passes too.
    page.goto(f"/association/applications/{draft.pk}/edit/")
    page.locator("#id_requested_amount").fill("paljon")
    page.locator("#id_lines-0-amount").fill("")
    click(page, "button[name=save]")
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert_accessible(page)
    page.goto(f"/association/applications/{paid.pk}/report/")
    click(page, "main form button[type=submit]")
    assert page.locator("[data-error-summary]").is_visible()
    assert_accessible(page)
