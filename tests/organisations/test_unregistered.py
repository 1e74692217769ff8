"""An unregistered group: without a business ID only under a named responsible person, the
business ID unique when set; registered through the API and the admin; left out of the
register's readings and never stopped by them; marked on its pages."""

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from grants.documents import grant_decision
from organisations import tasks
from organisations.admin import AssociationAdmin
from organisations.association_register import payment_refusal, register_check, register_read
from organisations.mandates import Act, SuomiFiMandates
from organisations.models import Association
from tests.conftest import as_user
from tests.factories import AssociationFactory, CallFactory, UserFactory, represent
from tests.grants.round_helpers import submitted
from tests.organisations.test_api import URL, new_association, saves_nothing

pytestmark = pytest.mark.django_db

PERSON = "Päivi Virtanen"


def group(**fields) -> Association:
    defaults = {
        "name": "Kylän Äidit",
        "business_id": "",
        "register_number": "",
        "responsible_person": PERSON,
        "iban": "FI2112345600000785",
        "email": "aidit@example.fi",
    }
    return Association(**{**defaults, **fields})


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.message_dict


def test_a_group_under_a_responsible_person_needs_no_business_id_and_stores_null():
    first, second = group(), group(name="Pihapiirin Pelaajat")
    for each in (first, second):
        each.full_clean()
        each.save()

    assert list(
        Association.objects.filter(pk__in=[first.pk, second.pk]).values_list(
            "business_id", flat=True
        )
    ) == [None, None]
    assert first.is_unregistered_group
    with translation.override("en"):
        assert first.unregistered_label == f"Unregistered group — responsible person: {PERSON}"
    with translation.override("sv"):
        assert first.unregistered_label == f"Oregistrerad grupp – ansvarsperson: {PERSON}"


def test_a_registered_association_still_needs_a_valid_business_id_and_register_number():
    errors = errors_of(group(responsible_person=""))
    assert list(errors) == ["business_id"]
    assert "rekisteröimätön ryhmä" in errors["business_id"][0]
    assert list(
        errors_of(group(responsible_person="", business_id="0737546-3", register_number="1"))
    ) == ["business_id"]
    assert list(errors_of(group(responsible_person="", business_id="0737546-2"))) == [
        "register_number"
    ]


def test_a_business_id_and_a_responsible_person_together_are_refused():
    errors = errors_of(group(business_id="1234567-1", register_number="123.456"))

    assert list(errors) == ["responsible_person"]
    assert not group(business_id="1234567-1", register_number="1").is_unregistered_group


def test_the_database_refuses_a_registered_association_without_a_business_id():
    with pytest.raises(IntegrityError), transaction.atomic():
        group(responsible_person="").save()


def test_a_business_id_is_unique_when_set_and_said_beside_the_field():
    taken = AssociationFactory()

    errors = errors_of(
        group(
            business_id=taken.business_id.replace("-", ""),
            register_number="123.456",
            responsible_person="",
        )
    )

    assert list(errors) == ["business_id"]
    with pytest.raises(IntegrityError), transaction.atomic():
        group(business_id=taken.business_id).save()


def test_a_group_registers_through_the_api_under_its_responsible_person(api):
    user = UserFactory()
    payload = new_association(8, business_id="", register_number="", responsible_person=PERSON)

    response = as_user(api, user).post(URL, payload, format="json")

    assert response.status_code == 201, response.data
    assert response.data["business_id"] is None
    assert response.data["responsible_person"] == PERSON
    assert Association.objects.get(pk=response.data["id"]).is_unregistered_group


def test_without_either_the_api_refuses_with_the_field_and_saves_nothing(api):
    user = UserFactory()
    with saves_nothing():
        response = as_user(api, user).post(
            URL, new_association(9, business_id=None, register_number=""), format="json"
        )

    assert response.status_code == 400, response.data
    assert "business_id" in response.data


def test_the_responsible_person_is_not_changed_through_the_api(api):
    association = AssociationFactory(business_id=None, responsible_person=PERSON)
    representative = represent(UserFactory(), association)

    response = as_user(api, representative).patch(
        f"{URL}{association.pk}/", {"responsible_person": "Joku Muu"}, format="json"
    )

    assert response.status_code == 200, response.data
    association.refresh_from_db()
    assert association.responsible_person == PERSON


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.fi", "x")
    client.force_login(admin)
    return client


def _admin_data(**fields) -> dict:
    return {
        "name": "Kylän Äidit",
        "business_id": "",
        "register_number": "",
        "responsible_person": PERSON,
        "iban": "FI2112345600000785",
        "email": "aidit@example.fi",
        "language": "fi",
        "street_address": "",
        "postal_code": "",
        "post_office": "",
        **fields,
    }


def test_the_admin_adds_a_group_without_a_business_id_but_not_an_association(admin_client):
    url = reverse("admin:organisations_association_add")

    refused = admin_client.post(url, _admin_data(responsible_person=""))
    assert refused.status_code == 200
    assert "business_id" in refused.context["adminform"].form.errors
    added = admin_client.post(url, _admin_data())
    assert added.status_code == 302
    assert Association.objects.get(name="Kylän Äidit").business_id is None
    listing = admin_client.get(
        reverse("admin:organisations_association_changelist") + "?unregistered=yes"
    )
    assert list(listing.context["cl"].result_list) == [Association.objects.get()]
    assert isinstance(site._registry[Association], AssociationAdmin)


def test_the_register_is_not_read_for_a_group_without_a_business_id_and_never_stops_it(
    settings,
):
    settings.REGISTER_CHECK = True
    association = AssociationFactory(business_id=None, responsible_person=PERSON)

    class NoCalls:
        def company(self, *args, **kwargs):
            raise AssertionError("the register was asked about a group without a business ID")

    assert register_read(association, client=NoCalls()) is association
    assert register_check([association], NoCalls()) == {"read": 0, "failed": 0}
    assert association not in tasks.associations_with_money_open()
    # No reading at all, with the check on: still not a reason to wait.
    assert payment_refusal(association) == ""


def test_the_association_page_marks_the_group_and_shows_no_empty_business_id(client: Client):
    association = AssociationFactory(
        business_id=None, register_number="", responsible_person=PERSON
    )
    client.force_login(represent(UserFactory(), association))

    page = client.get(
        f"/accounts/associations/{association.pk}/", HTTP_ACCEPT_LANGUAGE="fi"
    ).content.decode()

    assert f"Rekisteröimätön ryhmä – vastuuhenkilö: {PERSON}" in page
    assert "Y-tunnus" not in page


# --- marked everywhere --------------------------------------------------------------------

LABEL_FI = f"Rekisteröimätön ryhmä – vastuuhenkilö: {PERSON}"


@pytest.fixture
def group_application(call, people):
    """An unregistered group's application, submitted."""
    (app,) = submitted(call, 1)
    Association.objects.filter(pk=app.association_id).update(
        business_id=None, register_number="", responsible_person=PERSON
    )
    app.refresh_from_db()
    return app


def _fi(user) -> Client:
    user.language = "fi"
    user.save(update_fields=["language"])
    client = Client(HTTP_ACCEPT_LANGUAGE="fi")
    client.force_login(user)
    return client


def test_the_application_pages_mark_the_group_for_the_association_and_the_officials(
    group_application, people
):
    representative = represent(UserFactory(), group_application.association)

    own = _fi(representative).get(reverse("associations:application", args=[group_application.pk]))
    officials = _fi(people["preparer"]).get(
        reverse("officials:application", args=[group_application.pk])
    )

    assert own.status_code == officials.status_code == 200
    assert LABEL_FI in own.content.decode()
    assert LABEL_FI in officials.content.decode()
    assert "Y-tunnus None" not in officials.content.decode()


def test_the_round_page_marks_the_groups_rows_in_a_constant_number_of_queries(body, people):
    client = _fi(people["preparer"])

    def queries(count: int) -> tuple[int, str]:
        call = CallFactory(public_body=body)
        apps = submitted(call, count)
        Association.objects.filter(pk__in=[a.association_id for a in apps]).update(
            business_id=None, register_number="", responsible_person=PERSON
        )
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/workbench/calls/{call.pk}/round/")
        assert response.status_code == 200
        return len(captured), response.content.decode()

    few, html = queries(2)
    many, _html = queries(12)
    assert few == many
    assert html.count(LABEL_FI) == 2


def test_the_decision_document_states_the_group_where_the_business_id_would_be(
    group_application,
):
    group_application.association.language = "sv"

    context = grant_decision(group_application)

    assert context["association"]["business_id"] == (
        f"Oregistrerad grupp – ansvarsperson: {PERSON}"
    )


def test_with_e_authorizations_a_groups_people_act_under_the_roles_given_here(settings):
    settings.MANDATES_SOURCE = "suomifi"
    association = AssociationFactory(business_id=None, responsible_person=PERSON)
    representative = represent(UserFactory(), association)

    class NoCalls:
        def __getattr__(self, name):
            raise AssertionError("e-Authorizations was asked about a group without an ID")

    basis = SuomiFiMandates(client=NoCalls()).basis(representative, association, Act.APPLY)

    assert basis is not None
    assert basis.as_data() == {"basis": "local_role", "role": "representative"}
    assert SuomiFiMandates(client=NoCalls()).basis(UserFactory(), association, Act.APPLY) is None
