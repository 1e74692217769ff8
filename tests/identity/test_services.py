"""Finding the person a provider names: the identity code's keyed hash, and two first
sign-ins of the same person at once (PostgreSQL)."""

import threading

import pytest

from identity import services
from identity.models import Identity
from identity.services import hetu_hash, person_sign_in
from organisations.models import User
from tests.grants.test_concurrency import TIMEOUT, run_in_threads

CODE = "020202A4564"


def test_the_hash_is_keyed_and_reads_the_code_in_any_case(settings):
    settings.IDENTITY_HASH_KEY = "one key"
    hashed = hetu_hash(CODE)
    assert hetu_hash(CODE.lower()) == hashed
    assert CODE not in hashed
    assert len(hashed) == 64

    settings.IDENTITY_HASH_KEY = "another key"

    assert hetu_hash(CODE) != hashed


@pytest.mark.parametrize("code", ["", "020202A4565", "not a code"])
def test_no_hash_for_what_is_not_an_identity_code(settings, code):
    settings.IDENTITY_HASH_KEY = "a key"

    assert hetu_hash(code) == ""


@pytest.mark.django_db
@pytest.mark.parametrize("sub", [None, "", 42, "x" * 256])
def test_claims_without_a_usable_subject_are_refused(settings, sub):
    settings.OIDC_PROVIDERS = {"suomifi": {"hetu_claim": "hetu"}}

    with pytest.raises(services.SignInRefused):
        person_sign_in("suomifi", {"sub": sub, "given_name": "A"}, language="fi")

    assert not Identity.objects.exists()
    assert not User.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_first_sign_ins_of_one_person_at_once_make_one_person(settings, monkeypatch):
    settings.OIDC_PROVIDERS = {"suomifi": {"hetu_claim": "hetu"}}
    both_creating = threading.Barrier(2, timeout=TIMEOUT)
    create = services._person_create

    def create_together(*args, **kwargs):
        # Both found nobody and both create: the second insert waits on the first's commit.
        both_creating.wait()
        return create(*args, **kwargs)

    monkeypatch.setattr(services, "_person_create", create_together)
    claims = {"sub": "same-person", "given_name": "Uusi", "family_name": "Henkilö"}

    results = run_in_threads(
        lambda: person_sign_in("suomifi", claims, language="fi").pk,
        lambda: person_sign_in("suomifi", claims, language="fi").pk,
    )

    assert [status for status, _pk in results] == ["ok", "ok"]
    assert results[0][1] == results[1][1]
    assert User.objects.count() == 1
    assert Identity.objects.count() == 1
