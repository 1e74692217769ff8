"""Who you are, and registering and keeping an association's details through the API."""

from contextlib import contextmanager

import pytest
from rest_framework.test import APIClient

from organisations.identifiers import business_id_for, iban_for
from organisations.models import Association, AssociationRole
from tests.conftest import as_user
from tests.factories import ApplicationFactory, UserFactory
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

URL = "/api/v1/associations/"
ME = "/api/v1/me/"
VALID_IBAN = "FI2112345600000785"


def snapshot(*associations) -> dict:
    state = {
        "associations": Association.objects.count(),
        "roles": AssociationRole.objects.count(),
        "audit": TransitionLog.objects.count(),
    }
    for association in associations:
        fresh = Association.objects.get(pk=association.pk)
        state[association.pk] = {
            f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields
        }
    return state


@contextmanager
def saves_nothing(*associations):
    before = snapshot(*associations)
    yield
    assert snapshot(*associations) == before


def new_association(n: int = 1, **overrides) -> dict:
    return {
        "name": f"Uusi Yhdistys {n} ry",
        "business_id": business_id_for(900_000 + n),
        "register_number": f"{900_000 + n}",
        "iban": iban_for(500_000 + n),
        "email": f"uusi{n}@example.fi",
        **overrides,
    }


# --- me -------------------------------------------------------------------------------------


def test_me_shows_association_roles(api, association, representative):
    response = as_user(api, representative).get(ME)

    assert response.status_code == 200
    assert response.data["username"] == "rep"
    assert response.data["name"] == representative.get_full_name()
    assert response.data["association_roles"] == {"representative": [association.pk]}
    assert response.data["official_roles"] == {}


def test_me_shows_official_roles(api, body, people):
    response = as_user(api, people["preparer"]).get(ME)

    assert response.status_code == 200
    assert response.data["association_roles"] == {}
    assert response.data["official_roles"] == {"preparer": [body.pk]}


def test_me_needs_a_signed_in_person():
    assert APIClient().get(ME).status_code in {401, 403}


# --- registering ----------------------------------------------------------------------------


def test_registering_an_association_makes_the_caller_its_representative(api):
    user = UserFactory()
    client = as_user(api, user)
    payload = new_association()

    response = client.post(URL, payload)

    assert response.status_code == 201, response.data
    association = Association.objects.get(business_id=payload["business_id"])
    assert response.data["id"] == association.pk
    assert association.name == payload["name"]
    assert association.iban == payload["iban"]
    assert AssociationRole.objects.filter(
        user=user, association=association, role=AssociationRole.Role.REPRESENTATIVE
    ).exists()
    assert client.get(ME).data["association_roles"] == {"representative": [association.pk]}
    assert [a["id"] for a in client.get(URL).data["results"]] == [association.pk]
    assert TransitionLog.objects.filter(object_id=association.pk, transition="register").exists()


def test_a_business_id_without_the_dash_is_stored_formatted(api):
    formatted = business_id_for(900_002)
    compact = formatted.replace("-", "")

    response = as_user(api, UserFactory()).post(URL, new_association(2, business_id=compact))

    assert response.status_code == 201, response.data
    assert response.data["business_id"] == formatted
    assert Association.objects.get(pk=response.data["id"]).business_id == formatted


def test_an_iban_with_spaces_is_stored_compact(api):
    response = as_user(api, UserFactory()).post(
        URL, new_association(3, iban="FI21 1234 5600 0007 85")
    )

    assert response.status_code == 201, response.data
    assert Association.objects.get(pk=response.data["id"]).iban == VALID_IBAN


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("business_id", "0737546-3"),
        ("business_id", "0737546"),
        ("business_id", "07375462-2"),
        ("business_id", "abcdefg-h"),
        ("business_id", ""),
        ("iban", "FI0012345600000785"),
        ("iban", "FI2112345600000786"),
        ("iban", "FI21"),
        ("iban", ""),
        ("email", "not-an-email"),
        ("name", ""),
    ],
)
def test_invalid_details_are_refused_with_the_field_name(api, field, value):
    user = UserFactory()

    with saves_nothing():
        response = as_user(api, user).post(URL, new_association(4, **{field: value}))

    assert response.status_code == 400, response.data
    assert field in response.data
    assert not AssociationRole.objects.filter(user=user).exists()


def test_a_malformed_json_registration_saves_nothing(api):
    with saves_nothing():
        response = as_user(api, UserFactory()).post(
            URL, data='{"name": "x",', content_type="application/json"
        )

    assert response.status_code == 400


@pytest.mark.parametrize("spelling", ["same", "without_dash"])
def test_a_duplicate_business_id_is_refused(api, association, spelling):
    business_id = (
        association.business_id if spelling == "same" else association.business_id.replace("-", "")
    )

    with saves_nothing(association):
        response = as_user(api, UserFactory()).post(
            URL, new_association(5, business_id=business_id)
        )

    assert response.status_code == 400, response.data
    assert "business_id" in response.data


def test_an_anonymous_person_cannot_register_an_association():
    with saves_nothing():
        response = APIClient().post(URL, new_association(6))

    assert response.status_code in {401, 403}


# --- keeping the details current ------------------------------------------------------------


def test_the_representative_changes_the_iban_and_it_is_stored_compact(
    api, association, representative
):
    response = as_user(api, representative).patch(
        f"{URL}{association.pk}/", {"iban": "FI21 1234 5600 0007 85"}
    )

    assert response.status_code == 200, response.data
    assert response.data["iban"] == VALID_IBAN
    association.refresh_from_db()
    assert association.iban == VALID_IBAN
    assert TransitionLog.objects.filter(
        object_id=association.pk, transition="update_details"
    ).exists()


def test_an_invalid_iban_in_a_change_is_refused(api, association, representative):
    with saves_nothing(association):
        response = as_user(api, representative).patch(
            f"{URL}{association.pk}/", {"iban": "FI0012345600000785"}
        )

    assert response.status_code == 400
    assert "iban" in response.data


def test_a_change_cannot_touch_the_business_id_or_name(api, association, representative):
    original = (association.business_id, association.name)

    response = as_user(api, representative).patch(
        f"{URL}{association.pk}/",
        {"business_id": business_id_for(900_007), "name": "Kaapattu ry"},
    )

    assert response.status_code in {200, 400}
    association.refresh_from_db()
    assert (association.business_id, association.name) == original


def test_a_person_who_cannot_see_the_association_gets_404(api, association, foreign_representative):
    with saves_nothing(association):
        response = as_user(api, foreign_representative).patch(
            f"{URL}{association.pk}/", {"iban": VALID_IBAN}
        )

    assert response.status_code == 404


def test_an_official_of_a_body_it_did_not_apply_to_gets_404(api, association, people):
    with saves_nothing(association):
        response = as_user(api, people["preparer"]).patch(
            f"{URL}{association.pk}/", {"iban": VALID_IBAN}
        )

    assert response.status_code == 404


def test_the_signatory_sees_the_association_but_cannot_change_it(api, association, signatory):
    client = as_user(api, signatory)
    assert client.get(f"{URL}{association.pk}/").status_code == 200

    with saves_nothing(association):
        response = client.patch(f"{URL}{association.pk}/", {"iban": VALID_IBAN})

    assert response.status_code == 403


def test_an_official_of_a_body_it_applied_to_sees_it_but_cannot_change_it(
    api, association, call, representative, people, walk
):
    walk(
        ApplicationFactory(call=call, association=association, created_by=representative), "submit"
    )
    client = as_user(api, people["preparer"])
    assert client.get(f"{URL}{association.pk}/").status_code == 200

    with saves_nothing(association):
        response = client.patch(f"{URL}{association.pk}/", {"iban": VALID_IBAN})

    assert response.status_code == 403


def test_an_official_does_not_see_an_association_whose_only_application_is_an_unsent_draft(
    api, application, people, walk
):
    client = as_user(api, people["preparer"])
    url = f"/api/v1/associations/{application.association_id}/"

    assert client.get(url).status_code == 404

    walk(application, "submit")

    assert client.get(url).status_code == 200
