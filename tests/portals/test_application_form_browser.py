"""A call's own form in Chromium: filled without JavaScript (a table, a conditional question, a
file), refused answers shown by their questions, the page at 320 px, and axe-core on the form,
its errors and the administrator's preview in Finnish, Swedish and English."""

import pytest

from application_forms.models import FormDefinition
from application_forms.versions import version_save
from grants.models import Application
from organisations.models import OfficialRole, User
from tests.application_forms.forms import EVERY_TYPE
from tests.factories import CallFactory, UserFactory
from tests.portals.conftest import assert_accessible, login

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def form_call(people):
    body = people["preparer"].official_roles.get(role=OfficialRole.Role.PREPARER).public_body
    definition = FormDefinition.objects.create(public_body=body, name="Kulttuuri")
    version_save(definition, EVERY_TYPE)
    return CallFactory(public_body=body, form=definition)


def click(page, selector: str) -> None:
    page.locator(selector).click()
    page.wait_for_load_state()


def test_an_association_fills_the_calls_own_form_and_sends_it(page, portal_people, tmp_path):
    call = form_call(portal_people)
    login(page, portal_people["representative"])
    page.goto(f"/association/calls/{call.pk}/apply/")
    page.locator("#id_requested_amount").fill("800")
    page.locator("#id_purpose").fill("Retki.")
    page.locator("#id_lines-0-description").fill("Bussi")
    page.locator("#id_lines-0-amount").fill("800")
    page.locator("#a-name").fill("Seura")
    page.locator("#a-members").fill("paljon")
    page.locator("#a-premises-no").check()
    page.locator("#a-landlord").fill("Kaupunki")  # asked only with premises
    page.locator("#a-events-0-title").fill("Kevätjuhla")
    page.locator("#a-events-0-people").fill("80")
    click(page, "button[name=save]")

    assert Application.objects.count() == 0
    assert page.locator("#a-members-error").is_visible()
    assert page.locator("#a-landlord-error").is_visible()
    assert page.locator("[data-error-summary] a[href='#a-members']").count() == 1
    assert page.locator("#a-events-0-title").input_value() == "Kevätjuhla"
    page.locator("#a-members").fill("40")
    page.locator("#a-premises-yes").check()
    accounts = tmp_path / "tilit.pdf"
    accounts.write_bytes(PDF)
    page.locator("#a-accounts").set_input_files(str(accounts))
    click(page, "button[name=check]")
    # Every answer is read back before sending, the table's rows and the file by its name.
    assert "Kevätjuhla" in page.locator("main").inner_text()
    assert "tilit.pdf" in page.locator("main").inner_text()
    click(page, "main form[action$='/submit/'] button")
    assert "/receipt/" in page.url

    application = Application.objects.get()
    assert application.state == Application.State.SUBMITTED
    assert application.answers["events"] == [{"title": "Kevätjuhla", "people": 80}]
    assert application.answers["landlord"] == "Kaupunki"
    assert application.attachments.get().pk == application.answers["accounts"]


def test_the_form_reflows_at_320_pixels(page, portal_people):
    call = form_call(portal_people)
    login(page, portal_people["representative"])
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/association/calls/{call.pk}/apply/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_form_its_errors_and_the_preview_pass_axe(page, portal_people, language):
    User.objects.update(language=language)
    call = form_call(portal_people)
    login(page, portal_people["representative"])
    page.goto(f"/association/calls/{call.pk}/apply/")
    assert_accessible(page)
    page.locator("#a-members").fill("paljon")
    page.locator("#a-kind-sports").check()
    page.locator("#a-premises-no").check()
    page.locator("#a-landlord").fill("x")
    page.locator("#a-events-0-people").fill("x")
    click(page, "button[name=save]")
    assert page.locator("[data-error-summary]").is_visible()
    assert_accessible(page)

    administrator = UserFactory(is_staff=True, is_superuser=True, language=language)
    page.context.clear_cookies()
    login(page, administrator)
    page.goto(f"/admin/application_forms/formdefinition/{call.form.pk}/preview/")
    assert page.locator(".form-section").count() == 2
    assert_accessible(page)
