"""The public pages (publicity/) pass axe (WCAG 2.1 A and AA) in Finnish, Swedish and English, as
an anonymous visitor, with every kind of content on them: an open call with criteria and
questions, a decision in its appeal period and one whose personal data has been removed, the
year's granted support, and the catalogue of free premises."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from assessments.models import Criterion
from liaison.models import AssociationMeeting, LiaisonPerson, RaisedMatter
from publicity import services
from tests.factories import ApplicationFactory, AssociationFactory, form_of, represent
from tests.portals.conftest import assert_accessible, switch_language
from tests.premises.conftest import entry

pytestmark = pytest.mark.browser

QUESTIONS = {
    "sections": [
        {
            "title": {"fi": "Toiminta", "sv": "Verksamhet", "en": "Activities"},
            "fields": [
                {
                    "key": "members",
                    "type": "count",
                    "label": {"fi": "Jäseniä", "sv": "Medlemmar", "en": "Members"},
                    "required": True,
                },
                {
                    "key": "kind",
                    "type": "choice",
                    "label": {"fi": "Laji", "sv": "Typ", "en": "Kind"},
                    "choices": [
                        {"value": "a", "label": {"fi": "Kerho", "sv": "Klubb", "en": "Club"}},
                        {"value": "b", "label": {"fi": "Leiri", "sv": "Läger", "en": "Camp"}},
                    ],
                },
            ],
        }
    ]
}


@pytest.fixture
def published(walk, call, application, representative):
    call.form = form_of(call.public_body, QUESTIONS)
    call.save()
    Criterion.objects.create(
        call=call, name="Vaikuttavuus", name_sv="Verkan", name_en="Impact", weight=2, position=1
    )
    first = walk(application, "submit", "start_review", "record_step", "decide", "notify")
    other = ApplicationFactory(
        call=call,
        association=AssociationFactory(accepts_electronic_notification=True),
        created_by=representative,
    )
    represent(representative, other.association)
    second = walk(
        other,
        "submit",
        "start_review",
        "record_step",
        "decide",
        "notify",
        record_step={"params": {"proposed_amount": Decimal("3000.00")}},
        decide={
            "params": {
                "outcome": "partially_approved",
                "granted_amount": Decimal("3000.00"),
                "reasons": "Osittain.",
            }
        },
    )
    return [services.decision_publish(first.pk), services.decision_publish(second.pk)]


@pytest.fixture
def premises(call):
    """An entry of the catalogue of free premises with every fact filled in."""
    return entry(
        call.public_body,
        "Nuorisotalon sali",
        step_free_access=True,
        induction_loop=True,
        accessibility="Luiska pihan puolelta.",
        accessibility_sv="Ramp från gården.",
        accessibility_en="A ramp from the yard.",
        booking_phone="09 123 4600",
    )


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_public_pages_pass_axe_in_each_language(page, published, premises, language):
    cache.clear()  # the yearly figures are cached by the latest change (publicity.selectors)
    in_period, removed = published
    # As the scan leaves it after the appeal periods (tests/publicity test the scan itself).
    removed.reasons = ""
    removed.personal_data_removed_at = timezone.now()
    removed.save()
    body = in_period.call.public_body
    LiaisonPerson.objects.create(
        public_body=body,
        name="Jaana Järjestöyhdyshenkilö",
        title="Järjestöyhdyshenkilö",
        title_sv="Kontaktperson för föreningar",
        duties="Suunnittelee yhdistysillat.\nTiedottaa yhdistyksille.",
        duties_sv="Planerar föreningsträffarna.\nInformerar föreningarna.",
        working_time_percent=20,
        email="jaana@kunta.example.fi",
        phone="09 123 4567",
    )
    meeting = AssociationMeeting.objects.create(
        public_body=body,
        starts_at=timezone.now(),
        place="Kaupungintalo",
        agenda="Asialista",
        state=AssociationMeeting.State.HELD,
        public_summary="Keskusteltiin tiloista.",
    )
    RaisedMatter.objects.create(meeting=meeting, matter="Tilat")
    page.goto("/public/")
    switch_language(page, language)
    paths = [
        "/public/",
        f"/public/calls/{in_period.call_id}/",
        "/public/decisions/",
        f"/public/decisions/{in_period.pk}/",
        f"/public/decisions/{removed.pk}/",
        "/public/support/",
        f"/public/support/?call={in_period.call_id}",
        "/public/liaison/",
        "/public/premises/",
        f"/public/premises/{premises.pk}/",
    ]
    for path in paths:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language, path
        assert_accessible(page)
