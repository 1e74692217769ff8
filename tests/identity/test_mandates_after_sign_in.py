"""Strong identification and e-Authorizations together, as deployed: the identity code the
provider vouches for reaches the mandate check of each act through the session only (encrypted,
never in clear, never in a row), and the act's audit record says on what basis it was done."""

import pytest
from django.test import Client
from django.utils import timezone

from grants.models import Application
from identity.models import Identity
from tests.factories import ApplicationFactory, AssociationFactory, UserFactory, represent
from tests.identity.flow import sign_in
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

CODE = "010190-123M"  # aino-suomifi's identity code at the test provider
APPLY_TOPIC = "avustushakemuksen_tekeminen"


def submit(client: Client, application: Application):
    return client.post(
        f"/api/v1/applications/{application.pk}/transitions/",
        {"transition": "submit"},
        HTTP_ACCEPT_LANGUAGE="fi",
    )


def test_the_mandate_of_the_person_who_signed_in_decides_each_act(oidc_settings, standin, settings):
    settings.MANDATES_SOURCE = "suomifi"
    association = AssociationFactory()
    aino = represent(UserFactory(username="aino"), association)
    Identity.objects.create(
        user=aino, provider="suomifi", subject="aino-suomifi", last_sign_in_at=timezone.now()
    )
    first, second = (ApplicationFactory(association=association, created_by=aino) for _ in range(2))
    standin.control(
        "suomifi",
        authorizations={f"{CODE}|{association.business_id}|{APPLY_TOPIC}": "suomifi_allowed"},
    )
    client = Client()

    assert sign_in(client, "aino-suomifi").status_code == 302
    assert CODE not in repr(dict(client.session))  # kept encrypted only

    response = submit(client, first)

    assert response.status_code == 200, response.content
    record = TransitionLog.objects.get(object_id=first.pk, transition="submit")
    assert record.data["acted_on"] == {
        "basis": "mandate",
        "association": association.business_id,
        "topic": APPLY_TOPIC,
    }

    standin.control("suomifi", authorizations={})  # the association revoked the mandate

    response = submit(client, second)

    assert response.status_code == 403
    second.refresh_from_db()
    assert second.state == Application.State.DRAFT
