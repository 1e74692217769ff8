"""The round and the assessment in Chromium: the running total counts only the applications
ticked into the round and reads the amounts as written in the page's language (prefilled in
it), and axe-core finds no WCAG 2.1 A/AA violation on the round page, the scoring page (and
its errors), the reviewers' page, the ranking and the application's page with the scores, in
Finnish, Swedish and English."""

from decimal import Decimal

import pytest

from assessments.models import Criterion, Reviewer
from assessments.services import Given, scores_record
from grants.models import Application
from organisations.models import OfficialRole, User
from tests.factories import ApplicationFactory, CallFactory
from tests.grants.round_helpers import submitted
from tests.portals.conftest import assert_accessible, login
from workflow.models import TransitionLog
from workflow.transitions import transition_perform

pytestmark = pytest.mark.browser


def round_call(people, amounts=(Decimal("1234.50"), Decimal("5000.00"))):
    """A call of the people's body with one submitted application per amount, two criteria and
    the preparer reviewing every application."""
    body = people["preparer"].official_roles.get(role=OfficialRole.Role.PREPARER).public_body
    call = CallFactory(public_body=body, budget=Decimal("20000.00"))
    apps = [submitted(call, 1, amount)[0] for amount in amounts]
    Criterion.objects.create(
        call=call, position=1, name="Vaikuttavuus", name_sv="Effekt", name_en="Impact"
    )
    Criterion.objects.create(
        call=call, position=2, name="Kustannukset", name_sv="Kostnader", name_en="Costs"
    )
    Reviewer.objects.create(call=call, user=people["preparer"])
    return call, apps


def total(page) -> str:
    return page.locator("output[data-sum-total=round]").inner_text().replace("\u00a0", " ")


def test_the_running_total_counts_only_the_ticked_rows(page, portal_people):
    call, apps = round_call(portal_people)
    login(page, portal_people["preparer"])
    page.goto(f"/workbench/calls/{call.pk}/round/")

    first, second = (f"#id_amount_{a.pk}" for a in apps)
    # Prefilled in Finnish, as the field reads them back.
    assert page.locator(first).input_value() == "1 234,50"
    assert page.locator(second).input_value() == "5 000,00"
    assert total(page) == "6 234,50 €"
    page.locator(f"#id_include_{apps[1].pk}").uncheck()
    assert total(page) == "1 234,50 €"
    page.locator(first).fill("1 000,25")
    assert total(page) == "1 000,25 €"
    page.locator(second).fill("9 999")  # not in the round: not counted
    assert total(page) == "1 000,25 €"
    page.locator(f"#id_include_{apps[1].pk}").check()
    assert total(page) == "10 999,25 €"

    # What the preparer sees is what is proposed: the unticked row stays out of the round.
    page.locator(f"#id_include_{apps[1].pk}").uncheck()
    with page.expect_navigation():
        page.locator("button[value=propose]").click()
    assert "Kierros esitettiin." in page.locator("main").inner_text(), page.locator(
        "main"
    ).inner_text()
    proposed = Application.objects.get(pk=apps[0].pk)
    assert proposed.state == Application.State.IN_REVIEW
    assert Application.objects.get(pk=apps[1].pk).state == Application.State.SUBMITTED
    assert page.locator(f"#id_amount_{apps[0].pk}").input_value() == "1 000,25"


def test_english_amounts_are_written_and_read_the_english_way(page, portal_people):
    User.objects.update(language="en")
    call, apps = round_call(portal_people, amounts=(Decimal("12500.00"), Decimal("1000.00")))
    login(page, portal_people["preparer"])
    page.goto(f"/workbench/calls/{call.pk}/round/")
    assert page.locator(f"#id_amount_{apps[0].pk}").input_value() == "12,500.00"
    assert total(page) == "€13,500.00"
    page.locator(f"#id_amount_{apps[1].pk}").fill("1,000.50")
    assert total(page) == "€13,500.50"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_assessment_and_round_pages_pass_axe(page, portal_people, language):
    User.objects.update(language=language)
    call, apps = round_call(portal_people)
    criteria = list(Criterion.objects.filter(call=call))
    scores_record(
        apps[0],
        reviewer=portal_people["preparer"],
        given=[Given(criteria[0].pk, 4, "Hyvä"), Given(criteria[1].pk, 3)],
    )
    login(page, portal_people["preparer"])
    for path in (
        f"/workbench/calls/{call.pk}/round/",
        f"/workbench/applications/{apps[0].pk}/",
        f"/workbench/assessment/applications/{apps[1].pk}/scores/",
        f"/workbench/assessment/calls/{call.pk}/reviewers/",
        f"/workbench/assessment/calls/{call.pk}/ranking/",
    ):
        page.goto(path)
        assert_accessible(page)

    # The scoring page and the round page with their errors.
    page.goto(f"/workbench/assessment/applications/{apps[1].pk}/scores/")
    page.locator(f"#id_value_{criteria[0].pk}").fill("9")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("[aria-invalid=true]").count() >= 1
    assert_accessible(page)
    page.goto(f"/workbench/calls/{call.pk}/round/")
    page.locator(f"#id_amount_{apps[0].pk}").fill("x")
    with page.expect_navigation():
        page.locator("button[value=propose]").click()
    assert page.locator(f"#id_amount_{apps[0].pk}[aria-invalid=true]").count() == 1
    assert_accessible(page)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_returned_applications_check_page_passes_axe(page, portal_people, language):
    """The completed application's way back: the check page with the request and the message
    to the official, then the receipt."""
    User.objects.update(language=language)
    representative = portal_people["representative"]
    body = portal_people["preparer"].official_roles.get().public_body
    application = ApplicationFactory(
        call=CallFactory(public_body=body),
        association=representative.association_roles.get().association,
        created_by=representative,
    )
    application = transition_perform(application, "submit", actor=representative)
    application = transition_perform(
        application,
        "request_completion",
        actor=portal_people["preparer"],
        comment="Liittäkää tilinpäätös.",
    )
    login(page, representative)
    page.goto(f"/association/applications/{application.pk}/check/")
    assert "Liittäkää tilinpäätös." in page.locator("main").inner_text()
    assert_accessible(page)
    page.locator("#id_comment").fill("Tilinpäätös liitetty.")
    with page.expect_navigation():
        page.locator("main form[action$='/submit/'] button").click()
    assert page.url.endswith(f"/association/applications/{application.pk}/receipt/")
    assert_accessible(page)
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED
    resubmitted = TransitionLog.objects.get(object_id=application.pk, transition="resubmit")
    assert resubmitted.comment == "Tilinpäätös liitetty."
