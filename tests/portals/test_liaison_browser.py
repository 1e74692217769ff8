"""The association meetings (yhdistysilta) in the browser: the liaison plans one, the
association is invited, the liaison records it as held with a matter raised, and the
association's representative reads the minutes; every page passes axe (WCAG 2.1 A and AA)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.models import AssociationMeeting
from organisations.models import PublicBody
from tests.factories import ApplicationFactory, CallFactory
from tests.portals.conftest import assert_accessible, login

pytestmark = pytest.mark.browser


def sign_out(page) -> None:
    page.locator(".site-header form.inline-form button").click()
    page.wait_for_load_state()


def test_a_meeting_planned_recorded_and_read(page, portal_people):
    body = PublicBody.objects.get(name="Esimerkkilän kaupunki")
    representative = portal_people["representative"]
    association = representative.association_roles.get().association
    ApplicationFactory(
        call=CallFactory(public_body=body),
        association=association,
        created_by=representative,
        submitted_at=timezone.now(),
    )

    login(page, portal_people["liaison"])
    page.goto("/workbench/meetings/")
    assert page.locator(".notice").count() == 1  # none this year yet
    assert_accessible(page)
    page.locator("a[href='/workbench/meetings/new/']").click()
    page.wait_for_load_state()
    assert_accessible(page)
    day = timezone.localdate() + timedelta(days=14)
    page.locator("[name=day]").fill(day.isoformat())
    page.locator("[name=time]").fill("18:00")
    page.locator("[name=place]").fill("Kaupungintalo, valtuustosali")
    page.locator("[name=agenda]").fill("1. Asukkaiden hyvinvointi\n2. Tilat ja avustukset")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    meeting = AssociationMeeting.objects.get()
    assert page.url.endswith(f"/workbench/meetings/{meeting.pk}/")
    assert association.name in page.locator("main").inner_text()
    assert_accessible(page)

    # The meeting has been held.
    AssociationMeeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=2)
    )
    page.goto(f"/workbench/meetings/{meeting.pk}/record/")
    assert_accessible(page)
    page.locator("[name=minutes]").fill("Keskusteltiin tiloista.")
    page.locator("[name=public_summary]").fill("Tilat ja avustukset.")
    page.locator("[name=matters-0-association]").select_option(str(association.pk))
    page.locator("[name=matters-0-matter]").fill("Kerhotilan vuorot")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    meeting.refresh_from_db()
    assert meeting.state == AssociationMeeting.State.HELD
    assert_accessible(page)
    sign_out(page)

    login(page, representative)
    page.goto("/association/meetings/")
    assert_accessible(page)
    page.goto(f"/association/meetings/{meeting.pk}/")
    assert "Kerhotilan vuorot" in page.locator("main").inner_text()
    assert_accessible(page)
