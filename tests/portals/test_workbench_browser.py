"""The officials' part of the grant story in Chromium, and axe-core on every workbench page in
Finnish, Swedish and English.

The association's side (submitting, completing) is done through the services here: the
association portal has its own browser tests. Real time, no time travel: the browser keeps the
session cookie by the real clock.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.models import Application
from grants.services import application_update
from organisations.models import OfficialRole
from tests.factories import (
    ApplicationFactory,
    AssociationFactory,
    CallFactory,
    UserFactory,
    represent,
)
from tests.portals.conftest import assert_accessible, login
from workflow.models import StepRecord
from workflow.transitions import transition_perform

pytestmark = pytest.mark.browser

S = Application.State


def body_of(person):
    return person.official_roles.get(
        role__in=[OfficialRole.Role.PREPARER, OfficialRole.Role.DECISION_MAKER]
    ).public_body


def submitted_application(people, **kwargs) -> Application:
    representative = people["representative"]
    association = representative.association_roles.get().association
    call = kwargs.pop("call", None) or CallFactory(
        public_body=body_of(people["preparer"]), name="Toiminta-avustukset 2027"
    )
    application = ApplicationFactory(
        call=call, association=association, created_by=representative, **kwargs
    )
    return transition_perform(application, "submit", actor=representative)


def sign_out(page) -> None:
    page.locator(".site-header form.inline-form button").click()
    page.wait_for_load_state()


def submit(page, action: str) -> None:
    page.locator(f"form[action$='/actions/{action}/'] button[type=submit]").click()
    page.wait_for_load_state()


def test_the_officials_part_of_the_grant_story(page, portal_people):
    application = submitted_application(portal_people, requested_amount=Decimal("5000.00"))
    preparer, decision_maker = portal_people["preparer"], portal_people["decision_maker"]

    # The preparer finds the new application in their queue and requests completion.
    login(page, preparer)
    page.goto("/workbench/")
    assert_accessible(page)
    page.locator(f"#queue-check ~ div a[href='/workbench/applications/{application.pk}/']").click()
    page.wait_for_load_state()
    due = timezone.localdate() + timedelta(days=21)
    page.locator("[name='request_completion-comment']").fill("Liittäkää vuoden 2025 tilinpäätös.")
    page.locator("[name='request_completion-due_on']").fill(due.isoformat())
    submit(page, "request_completion")
    assert page.locator("#messages .message--success").count() == 1
    application.refresh_from_db()
    assert application.state == S.RETURNED
    assert application.completion_request == "Liittäkää vuoden 2025 tilinpäätös."

    # The association completes its application and sends it again.
    representative = portal_people["representative"]
    application_update(application, user=representative, purpose="Kerhot ja tilinpäätös liitteenä.")
    transition_perform(application, "resubmit", actor=representative)

    # The preparer starts the review and records the proposal; a first try with too much money
    # comes back with the error at the amount and the error summary focused.
    page.reload()
    submit(page, "start_review")
    assert Application.objects.get(pk=application.pk).state == S.IN_REVIEW
    page.locator("[name='record_step-proposed_amount']").fill("9 000,00")
    submit(page, "record_step")
    assert page.locator("#id_record_step-proposed_amount_error").is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert_accessible(page)
    page.locator("[name='record_step-proposed_amount']").fill("4 500,00")
    page.locator("[name='record_step-reasons']").fill("Osa kuluista katetaan muualta.")
    submit(page, "record_step")
    step = StepRecord.objects.get(run__object_id=application.pk, position=1)
    assert step.status == "done"
    assert step.data["proposed_amount"] == "4500.00"
    # Who proposed does not decide: no decision form for the preparer.
    assert page.locator("form[action$='/actions/decide/']").count() == 0
    sign_out(page)

    # The decision-maker sees the step waiting, decides and records the notification.
    login(page, decision_maker)
    page.goto("/workbench/")
    page.locator(f"#queue-steps ~ div a[href='/workbench/applications/{application.pk}/']").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.locator("[name='decide-outcome'][value='partially_approved']").check()
    page.locator("[name='decide-granted_amount']").fill("4 500")
    page.locator("[name='decide-reasons']").fill("Haettu toiminta on avustuskelpoista.")
    submit(page, "decide")
    application.refresh_from_db()
    assert application.state == S.DECIDED
    assert application.granted_amount == Decimal("4500.00")
    assert application.decided_by == decision_maker

    page.locator("[name='notify-channel'][value='letter']").check()
    submit(page, "notify")
    application.refresh_from_db()
    assert application.state == S.NOTIFIED
    assert application.notified_on == timezone.localdate()
    # The history shows every step, the internal proposal included.
    assert page.locator("#history ~ div tbody tr").count() >= 6
    assert_accessible(page)


@pytest.mark.parametrize("page", [{"javascript": False}], indirect=True)
def test_declaring_a_conflict_of_interest_works_without_javascript(page, portal_people):
    application = submitted_application(portal_people)
    login(page, portal_people["preparer"])
    page.goto(f"/workbench/applications/{application.pk}/")

    page.locator("[name='disqualification-reason']").fill("Puolisoni on yhdistyksen hallituksessa.")
    page.locator("form[action$='/disqualification/'] button[type=submit]").click()
    page.wait_for_load_state()

    assert application.disqualifications.get().user == portal_people["preparer"]
    assert page.locator("form[action$='/actions/start_review/']").count() == 0


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_workbench_page_passes_axe(page, portal_people, language):
    portal_people["preparer"].language = language
    portal_people["preparer"].save()
    call = CallFactory(public_body=body_of(portal_people["preparer"]), name="Kohdeavustukset")
    waiting = submitted_application(portal_people, call=call)
    transition_perform(waiting, "start_review", actor=portal_people["preparer"])
    returned = submitted_application(portal_people, call=call)
    transition_perform(
        returned, "request_completion", actor=portal_people["preparer"], comment="Liitä."
    )
    for _ in range(2):
        other = AssociationFactory()
        rep = represent(UserFactory(), other)
        transition_perform(
            ApplicationFactory(call=call, association=other, created_by=rep), "submit", actor=rep
        )

    login(page, portal_people["preparer"])
    for path in [
        "/workbench/",
        "/workbench/applications/",
        f"/workbench/applications/?state=submitted&call={call.pk}&q=ry",
        "/workbench/applications/?call=nonsense",  # the filters' errors
        f"/workbench/applications/{waiting.pk}/",
        f"/workbench/applications/{returned.pk}/",
        "/workbench/deadlines/",
        "/workbench/calls/",
        f"/workbench/calls/{call.pk}/",
        "/workbench/dashboard/",
    ]:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language, path
        assert_accessible(page)

    # an action form with errors, and the dashboard's tables opened
    page.goto(f"/workbench/applications/{waiting.pk}/")
    page.locator("[name='record_step-proposed_amount']").fill("-1")
    submit(page, "record_step")
    assert_accessible(page)
    page.goto("/workbench/dashboard/")
    for summary in page.locator("details.chart-table summary").all():
        summary.click()
    assert_accessible(page)


def test_the_workbench_reflows_at_320_pixels(page, portal_people):
    application = submitted_application(portal_people)
    login(page, portal_people["preparer"])
    page.set_viewport_size({"width": 320, "height": 640})

    for path in [
        "/workbench/",
        f"/workbench/applications/{application.pk}/",
        "/workbench/dashboard/",
        "/workbench/applications/",
    ]:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
