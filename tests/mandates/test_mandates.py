"""Who may act for an association: the local roles, and Suomi.fi e-Authorizations against the
stand-in (its own process, recorded answers, the checksum header checked). Checked at sign-in
and inside each legally significant act; a revoked mandate stops the next act with a 403 in
the person's language and nothing saved; the act's audit record says on what basis."""

import base64
import hashlib
import hmac
from datetime import UTC, datetime

import pytest
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from agreements.models import Signature
from grants.models import Application, Rectification
from organisations import mandates, suomifi
from organisations.models import AssociationRole
from tests.agreements.builders import version_of
from tests.conftest import as_user
from tests.factories import ApplicationFactory, AssociationFactory, UserFactory
from tests.portals.test_association_portal import text, url
from workflow.models import TransitionLog
from workflow.transitions import transition_perform

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications/"
DELEGATE = "010180-9026"  # a test identity code of the Population Register Centre
APPLY_TOPIC = "avustushakemuksen_tekeminen"


@pytest.fixture
def suomifi_source(settings, standin):
    settings.MANDATES_SOURCE = "suomifi"
    return standin


def strongly_identified(user, delegate: str = DELEGATE):
    setattr(user, mandates.DELEGATE_ATTRIBUTE, delegate)
    return user


def mandate(standin, association, topic: str = APPLY_TOPIC, delegate: str = DELEGATE, **more):
    """The association has given the person a mandate for the topic (and `more` others)."""
    given = {f"{delegate}|{association.business_id}|{topic}": "suomifi_allowed", **more}
    standin.control("suomifi", authorizations=given)


def submit(client, application, language: str = "fi"):
    return client.post(
        f"{URL}{application.pk}/transitions/",
        {"transition": "submit"},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def acted_on(record, transition: str) -> dict:
    log = TransitionLog.objects.get(object_id=record.pk, transition=transition)
    return log.data["acted_on"]


def test_the_checksum_header_is_the_documented_hmac():
    stamp = datetime(2026, 12, 7, 8, 0, 0, 123000, tzinfo=UTC)
    path = "/service/ypa/api/organizationRoles/010180-9026?requestId=abc"

    header = suomifi.checksum_header("avustus", "s3cret", path, stamp)

    client_id, sent_stamp, checksum = header.split(" ")
    expected = hmac.new(
        b"s3cret", f"{path} 2026-12-07T08:00:00.123+00:00".encode(), hashlib.sha256
    ).digest()
    assert (client_id, sent_stamp) == ("avustus", "2026-12-07T08:00:00.123+00:00")
    assert checksum == base64.b64encode(expected).decode()


def test_a_wrong_secret_is_refused_by_the_service(standin):
    client = suomifi.SuomiFiClient(standin.url, "avustus", "wrong-secret")

    with pytest.raises(suomifi.MandateServiceUnavailable, match="401"):
        client.organisation_roles(DELEGATE)
    assert (
        suomifi.SuomiFiClient(standin.url, "avustus", "standin-secret").organisation_roles(DELEGATE)
        == []
    )


def test_local_roles_are_the_basis_by_default(api, application, representative):
    response = submit(as_user(api, representative), application)

    assert response.status_code == 200, response.data
    assert acted_on(application, "submit") == {
        "basis": "local_role",
        "association": application.association.business_id,
        "role": "representative",
    }


def test_a_valid_mandate_lets_the_person_submit_and_the_audit_says_so(
    suomifi_source, api, application, representative, association
):
    mandate(suomifi_source, association)

    response = submit(as_user(api, strongly_identified(representative)), application)

    assert response.status_code == 200, response.data
    assert acted_on(application, "submit") == {
        "basis": "mandate",
        "association": association.business_id,
        "topic": APPLY_TOPIC,
    }


def test_a_register_role_acts_in_every_matter(
    suomifi_source, api, application, representative, association
):
    roles = [{"example": "suomifi_roles", "businessId": association.business_id, "name": "X"}]
    suomifi_source.control("suomifi", roles={DELEGATE: roles})

    response = submit(as_user(api, strongly_identified(representative)), application)

    assert response.status_code == 200, response.data
    assert acted_on(application, "submit")["basis"] == "register_role"
    assert acted_on(application, "submit")["role"] == "PJ"
    # The register's role sufficed: no mandate was asked for.
    assert [e["path"].split("?")[0] for e in suomifi_source.log()] == [
        f"/service/ypa/api/organizationRoles/{DELEGATE}"
    ]


def test_a_mandate_revoked_between_two_acts_stops_the_second(
    suomifi_source, api, application, call, association, representative
):
    second = ApplicationFactory(call=call, association=association, created_by=representative)
    client = as_user(api, strongly_identified(representative))
    mandate(suomifi_source, association)
    assert submit(client, application).status_code == 200

    suomifi_source.control("suomifi", authorizations={})  # the association revoked it
    response = submit(client, second, language="sv")

    assert response.status_code == 403
    assert "ingen giltig fullmakt" in str(response.data["detail"]).lower()
    second.refresh_from_db()
    assert second.state == Application.State.DRAFT
    assert not TransitionLog.objects.filter(object_id=second.pk, transition="submit").exists()


def test_a_revoked_mandate_stops_a_request_for_rectification(
    suomifi_source, walk, application, association, representative
):
    strongly_identified(representative)
    mandate(suomifi_source, association)
    notified = walk(application, "submit", "start_review", "record_step", "decide", "notify")
    suomifi_source.control("suomifi", authorizations={})

    with pytest.raises(PermissionDenied):
        walk(notified, "file_rectification")

    notified.refresh_from_db()
    assert notified.state == Application.State.NOTIFIED
    assert not Rectification.objects.exists()


@pytest.mark.parametrize("answer", ["suomifi_unknown_field", "suomifi_missing_field"])
def test_an_answer_with_unknown_or_missing_fields_is_refused(
    suomifi_source, api, application, representative, association, answer
):
    suomifi_source.control(
        "suomifi",
        authorizations={f"{DELEGATE}|{association.business_id}|{APPLY_TOPIC}": answer},
    )

    response = submit(as_user(api, strongly_identified(representative)), application)

    assert response.status_code == 403
    assert "ei juuri nyt voitu tarkistaa" in str(response.data["detail"])
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT


def test_the_service_down_refuses_the_act_never_a_500(
    suomifi_source, api, application, representative
):
    suomifi_source.control("suomifi", down=True)

    response = submit(as_user(api, strongly_identified(representative)), application)

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT


def test_without_strong_identification_the_act_is_refused(
    suomifi_source, api, application, representative
):
    response = submit(as_user(api, representative), application, language="en")

    assert response.status_code == 403
    assert "strong electronic identification" in str(response.data["detail"])
    assert suomifi_source.log() == []


def test_a_mandate_for_ones_own_association_does_not_reach_a_foreign_one(
    suomifi_source, api, representative, association, foreign_association, call
):
    foreign = ApplicationFactory(call=call, association=foreign_association)
    mandate(suomifi_source, association)
    mandate(suomifi_source, foreign_association)

    response = submit(as_user(api, strongly_identified(representative)), foreign)

    assert response.status_code == 404


def test_each_signature_for_the_association_checks_the_signatorys_mandate(
    settings, standin, advance, draft, signatories, association
):
    version = advance(
        version_of(draft), "propose", "accept", "submit_for_review", "record_step", "decide"
    )
    settings.MANDATES_SOURCE = "suomifi"
    first = strongly_identified(signatories[0], "A")
    second = strongly_identified(signatories[1], "B")
    mandate(standin, association, topic="sopimuksen_allekirjoittaminen", delegate="A")

    version = transition_perform(version, "sign", actor=first)
    with pytest.raises(PermissionDenied):
        transition_perform(version, "sign", actor=second)

    assert acted_on(version, "sign")["topic"] == "sopimuksen_allekirjoittaminen"
    assert list(Signature.objects.values_list("signer", flat=True)) == [first.pk]


def test_sign_in_keeps_the_identity_encrypted_and_gives_the_registers_roles(
    suomifi_source, client, association
):
    chair = strongly_identified(UserFactory(username="chair"))
    roles = [{"example": "suomifi_roles", "businessId": association.business_id, "name": "Y"}]
    suomifi_source.control("suomifi", roles={DELEGATE: roles})

    client.force_login(chair)

    session = client.session
    stored = str(dict(session.items()))
    assert DELEGATE not in stored
    assert set(
        AssociationRole.objects.filter(user=chair, association=association).values_list(
            "role", flat=True
        )
    ) == {"representative", "signatory"}
    log = TransitionLog.objects.get(object_id=chair.pk, transition="check_mandates")
    assert log.data["register_roles"] == [association.business_id]

    # The next request of the session has the identity back for the acts.
    request = RequestFactory().get("/")
    request.session = session
    request.user = UserFactory.build(pk=chair.pk)
    mandates.MandateDelegateMiddleware(lambda r: None)(request)
    assert mandates.delegate_of(request.user) == DELEGATE


def test_sign_in_goes_on_when_the_service_does_not_answer(suomifi_source, client):
    suomifi_source.control("suomifi", down=True)
    person = strongly_identified(UserFactory())

    client.force_login(person)

    assert client.session.get("_auth_user_id") == str(person.pk)
    assert not TransitionLog.objects.filter(transition="check_mandates").exists()


def test_a_local_role_no_mandate_backs_is_told_at_sign_in(suomifi_source, representative):
    strongly_identified(representative)
    request = RequestFactory().get("/")
    request.session = SessionStore()
    AssociationFactory()  # one the person has no role in: not asked about

    user_logged_in.send(sender=type(representative), request=request, user=representative)

    log = TransitionLog.objects.get(object_id=representative.pk, transition="check_mandates")
    assert log.data["unbacked"] == [representative.association_roles.get().association.name]


def test_the_portal_tells_the_person_why_the_act_was_refused(
    suomifi_source, client, application, representative
):
    client.force_login(strongly_identified(representative))  # the identity kept in the session

    response = client.post(url("submit", application.pk), HTTP_ACCEPT_LANGUAGE="fi")

    assert response.status_code == 403
    assert "Sinulla ei ole voimassa olevaa valtuutta jättää hakemus" in text(response)
    # Asked about this person at sign-in and again at the act: the session's identity came
    # back for it.
    asked = [e["path"] for e in suomifi_source.log() if "/authorization/" in e["path"]]
    assert len(asked) == 2
    assert all(f"/{DELEGATE}/" in path for path in asked)
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT
