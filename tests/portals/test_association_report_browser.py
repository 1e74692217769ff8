"""The yearly association report's page (association_report/) passes axe (WCAG 2.1 A and AA)
in Finnish with its sections filled (grants, indicators, in-kind premises, a meeting with a
matter raised), and prints without the navigation."""

from datetime import date

import pytest

from grants.choices import Outcome
from grants.models import PremisesUse
from liaison.models import AssociationMeeting, RaisedMatter
from tests.association_report.conftest import S, grant, indicator_form, moment, pay
from tests.factories import CallFactory, form_of
from tests.portals.conftest import assert_accessible, login
from tests.premises.conftest import entry

pytestmark = pytest.mark.browser


@pytest.fixture
def year_of_grants(portal_people):
    preparer = portal_people["preparer"]
    body = preparer.official_roles.get().public_body
    association = portal_people["representative"].association_roles.get().association
    call = CallFactory(
        public_body=body, name="Nuorisoavustukset", form=form_of(body, indicator_form())
    )
    application = grant(
        call,
        association,
        "5000.00",
        submitted=date(2026, 2, 1),
        state=S.PAID,
        decided=date(2026, 4, 1),
        outcome=Outcome.APPROVED,
        granted="4000.00",
        answers={"members": 40, "young": 12, "volunteers": 6, "events": [{"name": "Leiri"}]},
    )
    pay(application, "2500.00", date(2026, 5, 4), portal_people["finance"])
    PremisesUse.objects.create(
        application=application, premises=entry(body, "Kerhohuone"), year=2026, hours=30
    )
    meeting = AssociationMeeting.objects.create(
        public_body=body,
        starts_at=moment(date(2026, 3, 10)),
        place="Kaupungintalo",
        agenda="Ajankohtaiset asiat",
        state=AssociationMeeting.State.HELD,
    )
    RaisedMatter.objects.create(meeting=meeting, association=association, matter="Tilavuorot")
    return preparer


def test_the_report_page_passes_axe_and_prints_without_navigation(page, year_of_grants):
    login(page, year_of_grants)
    page.goto("/workbench/report/?year=2026")

    assert page.locator("html").get_attribute("lang") == "fi"
    assert page.locator("svg.bar-chart__bar").count() == 3  # by category, by call, premises
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator(".workbench-nav").is_visible()
    assert not page.locator(".report-downloads").is_visible()
    assert page.locator("table").first.is_visible()
