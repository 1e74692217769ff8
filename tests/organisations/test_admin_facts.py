"""The body's facts, names in Swedish and English and the decision-makers' titles are edited
in the admin; the register of decisions is read there, never changed."""

from datetime import date

import pytest
from django.urls import reverse

from organisations.models import OfficialRole, PublicBody, SectionRegister
from organisations.registers import section_take
from tests.factories import CallFactory, PublicBodyFactory, UnitFactory, UserFactory, grant_role

pytestmark = pytest.mark.django_db

FACTS = [
    "name_sv",
    "name_en",
    "address",
    "phone",
    "registry_address",
    "registry_email",
    "payment_service_id",
    "sepa_version",
    "court_name",
]


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.fi", "pw"))
    return client


def test_every_fact_of_the_body_is_on_its_page(admin_client):
    body = PublicBodyFactory()
    page = admin_client.get(reverse("admin:organisations_publicbody_change", args=[body.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert set(FACTS) <= set(form.fields)


def test_the_body_unit_and_titles_are_saved_in_swedish(admin_client):
    body = PublicBodyFactory(name="Esimerkkilä")
    unit = UnitFactory(public_body=body, name="Kulttuuri")
    official = grant_role(UserFactory(), body, OfficialRole.Role.DECISION_MAKER, title="Johtaja")
    role = OfficialRole.objects.get(user=official)
    url = reverse("admin:organisations_publicbody_change", args=[body.pk])
    data = {
        "name": "Esimerkkilä",
        "name_sv": "Exempelby",
        "name_en": "",
        "kind": body.kind,
        "business_id": body.business_id,
        "address": "PL 1",
        "phone": "09 1",
        "registry_address": "Kirjaamo, PL 1",
        "registry_email": "kirjaamo@example.fi",
        "finance_email": "talous@example.fi",
        "payer_name": "",
        "payer_iban": "",
        "payer_bic": "",
        "payment_service_id": "SERVICE1",
        "sepa_version": PublicBody.SepaVersion.PAIN_001_001_09,
        "court_name": "",
        "court_address": "",
        "court_email": "",
        "units-TOTAL_FORMS": "1",
        "units-INITIAL_FORMS": "1",
        "units-0-id": unit.pk,
        "units-0-public_body": body.pk,
        "units-0-name": "Kulttuuri",
        "units-0-name_sv": "Kultur",
        "units-0-name_en": "",
        "roles-TOTAL_FORMS": "1",
        "roles-INITIAL_FORMS": "1",
        "roles-0-id": role.pk,
        "roles-0-public_body": body.pk,
        "roles-0-user": official.pk,
        "roles-0-unit": "",
        "roles-0-role": role.role,
        "roles-0-title": "Johtaja",
        "roles-0-title_sv": "Direktör",
        "roles-0-title_en": "",
        "section_registers-TOTAL_FORMS": "0",
        "section_registers-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    body.refresh_from_db()
    assert (body.name_sv, body.payment_service_id, body.sepa_version) == (
        "Exempelby",
        "SERVICE1",
        "pain.001.001.09",
    )
    unit.refresh_from_db()
    role.refresh_from_db()
    assert (unit.name_sv, role.title_sv) == ("Kultur", "Direktör")


def test_the_register_of_decisions_is_read_only(admin_client):
    body = PublicBodyFactory()
    section_take(body, date(2026, 5, 1))
    register = SectionRegister.objects.get(public_body=body)
    listing = admin_client.get(reverse("admin:organisations_sectionregister_changelist"))
    assert listing.status_code == 200
    assert str(body) in listing.content.decode()
    url = reverse("admin:organisations_sectionregister_change", args=[register.pk])
    assert admin_client.post(url, {"last_section": 99}).status_code == 403
    register.refresh_from_db()
    assert register.last_section == 1


def test_calls_chains_and_steps_are_named_in_swedish_and_english(admin_client):
    call = CallFactory()
    page = admin_client.get(reverse("admin:grants_call_change", args=[call.pk]))
    assert {"name_sv", "name_en"} <= set(page.context["adminform"].form.fields)
    page = admin_client.get(reverse("admin:workflow_approvalchain_change", args=[call.chain.pk]))
    assert {"name_sv", "name_en"} <= set(page.context["adminform"].form.fields)
    (steps,) = page.context["inline_admin_formsets"]
    assert {"name_sv", "name_en"} <= set(steps.formset.forms[0].fields)
