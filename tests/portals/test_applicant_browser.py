"""The applicant's pages in Chromium: the list of applications read on a phone (rows become
cards; a status and an amount are never cut off at 390 px), and axe-core on the check page and
the receipt in Finnish, Swedish and English."""

from decimal import Decimal

import pytest

from grants.models import Application
from organisations.models import AssociationRole, OfficialRole, User
from tests.factories import ApplicationFactory, CallFactory
from tests.portals.conftest import assert_accessible, login

pytestmark = pytest.mark.browser


def _association(people):
    return (
        people["representative"]
        .association_roles.get(role=AssociationRole.Role.REPRESENTATIVE)
        .association
    )


def _call(people, **fields):
    body = people["preparer"].official_roles.get(role=OfficialRole.Role.PREPARER).public_body
    return CallFactory(public_body=body, **fields)


def test_the_applications_read_as_cards_at_390_pixels(page, portal_people):
    association = _association(portal_people)
    call = _call(portal_people, name="Kulttuuri- ja vapaa-ajan toiminta-avustukset vuodelle 2027")
    for state in (Application.State.UNDER_RECTIFICATION, Application.State.REPORT_RETURNED):
        ApplicationFactory(
            call=call,
            association=association,
            created_by=portal_people["representative"],
            requested_amount=Decimal("9999999.99"),
            granted_amount=Decimal("9999999.99"),
            state=state,
        )
    User.objects.update(language="fi")
    login(page, portal_people["representative"])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/association/applications/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Nothing scrolls sideways inside the list, and each status and amount is whole on screen.
    assert page.evaluate(
        "[...document.querySelectorAll('.table-wrap')].every(w => w.scrollWidth <= w.clientWidth)"
    )
    cells = page.locator("main tbody .badge, main tbody td.number")
    assert cells.count() == 6
    for index in range(cells.count()):
        box = cells.nth(index).bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390
    # Each value is named by its column's heading on the card.
    label = page.evaluate(
        "getComputedStyle(document.querySelector('main tbody td.number'), '::before').content"
    )
    assert label == '"Haettu"'


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_check_page_and_the_receipt_pass_axe(page, portal_people, language):
    User.objects.update(language=language)
    application = ApplicationFactory(
        call=_call(portal_people),
        association=_association(portal_people),
        created_by=portal_people["representative"],
    )
    login(page, portal_people["representative"])
    page.goto(f"/association/applications/{application.pk}/check/")
    assert_accessible(page)
    page.locator("main form[action$='/submit/'] button").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/association/applications/{application.pk}/receipt/")
    assert_accessible(page)
