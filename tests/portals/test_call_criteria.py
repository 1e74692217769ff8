"""The call's criteria: shown on the applicant's call page in the reader's language, next to
the form too, and edited inline in the call's admin (a scale that would leave a given score
outside it is refused)."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory

from assessments.models import Criterion, Reviewer
from assessments.services import Given, scores_record
from grants.admin import CriterionInline
from grants.models import Call
from tests.factories import CallFactory, UserFactory
from tests.grants.round_helpers import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    the_call = CallFactory()
    Criterion.objects.create(
        call=the_call,
        name="Vaikuttavuus",
        name_sv="Effekt",
        name_en="Impact",
        description="Miten moni hyötyy.",
        description_sv="Hur många har nytta.",
        weight=2,
    )
    return the_call


@pytest.mark.parametrize(
    ("language", "name", "description"),
    [
        ("fi", "Vaikuttavuus", "Miten moni hyötyy."),
        ("sv", "Effekt", "Hur många har nytta."),
        ("en", "Impact", "Miten moni hyötyy."),  # no English description: the Finnish one
    ],
)
def test_the_call_page_shows_its_criteria_in_the_readers_language(
    call, portal_people, language, name, description
):
    representative = portal_people["representative"]
    representative.language = language
    representative.save(update_fields=["language"])
    client = Client()
    client.force_login(representative)
    html = client.get(f"/association/calls/{call.pk}/").content.decode()
    assert 'id="criteria-title"' in html
    assert name in html
    assert description in html


def inline_formset(call, data=None):
    request = RequestFactory().post("/") if data else RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    inline = CriterionInline(Call, admin.site)
    formset_class = inline.get_formset(request, call)
    return formset_class(data, instance=call, prefix="criteria")


def posted(call, criterion, **changes):
    row = {
        "id": criterion.pk,
        "call": call.pk,
        "position": 1,
        "weight": 2,
        "scale_min": 0,
        "scale_max": 5,
        "name": "Vaikuttavuus",
        "name_sv": "Effekt",
        "name_en": "Impact",
        "description": "",
        "description_sv": "",
        "description_en": "",
        **changes,
    }
    data = {
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "1",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    data.update({f"criteria-0-{key}": str(value) for key, value in row.items()})
    return data


def test_the_criteria_are_edited_inline_in_the_calls_admin(call):
    admin_client = Client()
    admin_client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = admin_client.get(f"/admin/grants/call/{call.pk}/change/").content.decode()
    assert 'name="criteria-0-name"' in page
    assert "Vaikuttavuus" in page

    [criterion] = call.criteria.all()
    formset = inline_formset(call, posted(call, criterion, weight=3, name_en="Reach"))
    assert formset.is_valid(), formset.errors
    formset.save()
    criterion.refresh_from_db()
    assert (criterion.weight, criterion.name_en) == (3, "Reach")


def test_a_scale_under_given_scores_is_refused_inline(call, portal_people):
    preparer = portal_people["preparer"]
    body = preparer.official_roles.get().public_body
    Call.objects.filter(pk=call.pk).update(public_body=body)
    call.refresh_from_db()
    [application] = submitted(call, 1, Decimal("100.00"))
    Reviewer.objects.create(call=call, user=preparer)
    [criterion] = call.criteria.all()
    scores_record(application, reviewer=preparer, given=[Given(criterion.pk, 5)])

    formset = inline_formset(call, posted(call, criterion, scale_max=3))
    assert not formset.is_valid()
    criterion.refresh_from_db()
    assert criterion.scale_max == 5
