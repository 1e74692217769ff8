"""An agreement version's titles in Swedish and English are edited in the admin, audited;
nothing else of the version is."""

import pytest
from django.urls import reverse

from agreements.models import AgreementVersion
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.fi", "pw"))
    return client


def test_a_versions_titles_in_swedish_and_english_are_edited_and_audited(active, admin_client):
    version = active.in_force_version
    url = reverse("admin:agreements_agreementversion_change", args=[version.pk])
    form = admin_client.get(url).context["adminform"].form
    assert set(form.fields) == {"title_sv", "title_en"}
    response = admin_client.post(
        url,
        {
            "title_sv": "Partnerskapsavtal",
            "title_en": "",
            "goals-TOTAL_FORMS": "0",
            "goals-INITIAL_FORMS": "0",
            "resources-TOTAL_FORMS": "0",
            "resources-INITIAL_FORMS": "0",
            "signatures-TOTAL_FORMS": "0",
            "signatures-INITIAL_FORMS": "0",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    version = AgreementVersion.objects.get(pk=version.pk)
    assert version.title_sv == "Partnerskapsavtal"
    assert version.state == AgreementVersion.State.IN_FORCE
    assert TransitionLog.objects.filter(transition="edit", object_id=version.pk).exists()
