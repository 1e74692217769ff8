"""In-kind support of a grant (grants.in_kind): the body's preparer or decision-maker sets a
year's hours of an entry of its catalogue with the proposal, and only a decision-maker on a
decision that granted support, audited; hours proposed for an application then rejected are
not support; the
API and the pages refuse another body's entry, an inactive one, an association's people and
another body's officials; the decision pages show it."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from association_report.premises_hours import hours_provided
from grants import in_kind
from grants.models import PremisesUse
from premises.models import Premises
from tests.conftest import as_user
from workflow.errors import TransitionConflict
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def granted(walk, application):
    return walk(application, "submit", "start_review", "record_step", "decide")


def url(application) -> str:
    return f"/api/v1/applications/{application.pk}/in-kind/"


@pytest.fixture
def in_review(walk, application):
    return walk(application, "submit", "start_review")


def test_proposed_by_the_preparer_changed_on_the_decision_by_the_decision_maker(
    walk, in_review, people, hall
):
    use = in_kind.in_kind_set(
        in_review, user=people["preparer"], premises=hall, year=2027, hours=Decimal(40)
    )
    granted = walk(in_review, "record_step", "decide")
    with pytest.raises(PermissionDenied):
        in_kind.in_kind_set(granted, user=people["preparer"], premises=hall, year=2027, hours=1)
    again = in_kind.in_kind_set(
        granted, user=people["decision_maker"], premises=hall, year=2027, hours=Decimal("12.5")
    )

    assert again.pk == use.pk
    assert PremisesUse.objects.get().hours == Decimal("12.5")
    in_kind.in_kind_set(granted, user=people["decision_maker"], premises=hall, year=2027, hours=0)
    assert not PremisesUse.objects.exists()
    logged = TransitionLog.objects.filter(object_id=granted.pk, transition__startswith="in_kind")
    assert list(logged.order_by("pk").values_list("transition", flat=True)) == [
        "in_kind_set",
        "in_kind_set",
        "in_kind_remove",
    ]


def test_another_bodys_entry_is_refused_by_name(granted, people, foreign_hall):
    with pytest.raises(ValidationError) as refused:
        in_kind.in_kind_set(
            granted, user=people["decision_maker"], premises=foreign_hall, year=2027, hours=10
        )

    assert "Naapurin sali" in str(refused.value.message_dict["premises"])
    assert not PremisesUse.objects.exists()


def test_an_inactive_entry_a_bad_year_or_too_many_hours_are_refused(granted, people, hall):
    Premises.objects.filter(pk=hall.pk).update(active=False)
    hall.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        in_kind.in_kind_set(
            granted, user=people["decision_maker"], premises=hall, year=1999, hours=9000
        )

    assert set(refused.value.message_dict) == {"premises", "year", "hours"}


def test_association_people_and_another_bodys_officials_may_not(
    granted, people, representative, hall
):
    for user in (representative, people["foreign_preparer"], people["finance"]):
        with pytest.raises(PermissionDenied):
            in_kind.in_kind_set(granted, user=user, premises=hall, year=2027, hours=10)


def test_not_on_a_rejected_application_and_what_was_proposed_is_not_support(
    walk, in_review, people, representative, client, hall
):
    in_kind.in_kind_set(in_review, user=people["preparer"], premises=hall, year=2027, hours=40)
    rejected = walk(
        in_review,
        "record_step",
        "decide",
        decide={"params": {"outcome": "rejected", "granted_amount": 0, "reasons": "Ei."}},
    )

    with pytest.raises(TransitionConflict):
        in_kind.in_kind_set(
            rejected, user=people["decision_maker"], premises=hall, year=2027, hours=1
        )
    client.force_login(representative)
    page = client.get(reverse("associations:application", args=[rejected.pk])).content.decode()
    assert "Nuorisotalon sali" not in page
    assert hours_provided(rejected.call.public_body, 2027) == []


def test_the_api_sets_and_lists_and_refuses(
    api, granted, people, representative, hall, foreign_hall
):
    decision_maker = as_user(api, people["decision_maker"])

    set_ = decision_maker.post(url(granted), {"premises": hall.pk, "year": 2027, "hours": "40"})
    foreign = decision_maker.post(
        url(granted), {"premises": foreign_hall.pk, "year": 2027, "hours": "1"}
    )
    by_association = as_user(api, representative).post(
        url(granted), {"premises": hall.pk, "year": 2027, "hours": "99"}
    )
    listed = as_user(api, representative).get(url(granted))

    assert set_.status_code == 200, set_.data
    assert set_.data == [
        {
            "id": PremisesUse.objects.get().pk,
            "premises": hall.pk,
            "premises_name": "Nuorisotalon sali",
            "year": 2027,
            "hours": "40.0",
        }
    ]
    assert foreign.status_code == 400
    assert "Naapurin sali" in str(foreign.data["premises"])
    assert by_association.status_code == 403
    assert listed.status_code == 200
    assert listed.data[0]["hours"] == "40.0"


def test_another_bodys_official_does_not_see_the_application(api, granted, people, hall):
    response = as_user(api, people["foreign_preparer"]).post(
        url(granted), {"premises": hall.pk, "year": 2027, "hours": "1"}
    )

    assert response.status_code == 404


def test_the_decision_pages_show_it(client, granted, people, representative, hall):
    in_kind.in_kind_set(granted, user=people["decision_maker"], premises=hall, year=2027, hours=40)

    client.force_login(people["decision_maker"])
    officials = client.get(reverse("officials:application", args=[granted.pk]))
    posted = client.post(
        reverse("officials:application-in-kind", args=[granted.pk]),
        {"in_kind-premises": hall.pk, "in_kind-year": 2028, "in_kind-hours": "8"},
    )
    client.force_login(representative)
    association = client.get(reverse("associations:application", args=[granted.pk]))

    assert officials.status_code == 200
    assert "Nuorisotalon sali" in officials.content.decode()
    assert posted.status_code == 302
    assert PremisesUse.objects.filter(year=2028, hours=8).exists()
    text = association.content.decode()
    assert "Tilan Nuorisotalon sali maksuton käyttö: 40,0 tuntia vuonna 2027" in text
