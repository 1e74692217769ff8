"""An administrator links an existing person to their personal identity code before their
first strong sign-in (the admin's write-only field, or `manage.py link_identity_code`): only the
keyed hash is kept, the code is never shown back, the link is audited, and the next sign-in
through the provider finds that person instead of creating a second one."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from identity.models import Identity
from identity.services import ADVANCE, hetu_hash
from organisations.models import User
from tests.factories import AssociationFactory, UserFactory, represent
from tests.identity.conftest import HASH_KEY
from tests.identity.flow import sign_in
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

# Aino's code at the test provider (tests/identity/provider/provider.mjs).
AINO_CODE = "010190-123M"


@pytest.fixture
def hash_key(settings):
    settings.IDENTITY_HASH_KEY = HASH_KEY


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser("root", "r@example.fi", "pw", language="en")
    )
    return client


def links(user: User) -> list[TransitionLog]:
    return list(
        TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(User),
            object_id=user.pk,
            transition="link_identity_code",
        )
    )


def _post(admin_client: Client, user: User, code: str):
    url = reverse("admin:organisations_user_change", args=[user.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
            "identity_code": code,
            **{
                f"{prefix}-{key}": value
                for prefix in ("association_roles", "official_roles")
                for key, value in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()
            },
        }
    )
    data.pop("last_login", None)
    data.pop("password", None)
    data.pop("groups", None)
    data.pop("user_permissions", None)
    return admin_client.post(url, data)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("010190-123", "DDMMYY"),
        ("010190-123N", "check character"),
        ("310290-123M", "birth date"),
    ],
)
def test_the_admin_refuses_an_invalid_code_with_a_clear_message(
    admin_client, hash_key, code, message
):
    aino = UserFactory(username="aino")

    response = _post(admin_client, aino, code)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["identity_code"]
    assert message in " ".join(errors)
    assert code not in response.content.decode()  # not even echoed back
    assert not Identity.objects.exists()


def test_the_admin_keeps_only_the_keyed_hash_audited_and_never_shows_it(admin_client, hash_key):
    aino = UserFactory(username="aino")

    response = _post(admin_client, aino, AINO_CODE)

    assert response.status_code == 302, response.context["adminform"].form.errors
    identity = Identity.objects.get()
    assert (identity.user, identity.provider) == (aino, ADVANCE)
    assert identity.hetu_hash == hetu_hash(AINO_CODE) != ""
    (entry,) = links(aino)
    assert AINO_CODE not in str(entry.data)
    assert identity.hetu_hash not in str(entry.data)
    page = admin_client.get(reverse("admin:organisations_user_change", args=[aino.pk]))
    content = page.content.decode()
    assert AINO_CODE not in content
    assert identity.hetu_hash not in content
    assert 'name="identity_code"' in content


def test_a_code_linked_to_another_person_is_refused(admin_client, hash_key):
    _post(admin_client, UserFactory(username="first"), AINO_CODE)
    second = UserFactory(username="second")

    response = _post(admin_client, second, AINO_CODE)

    assert response.status_code == 200
    assert "already linked" in " ".join(response.context["adminform"].form.errors["identity_code"])
    assert not Identity.objects.filter(user=second).exists()


def test_the_command_links_a_person_from_standard_input(hash_key, monkeypatch):
    aino = UserFactory(username="aino")
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{AINO_CODE}\n"))

    call_command("link_identity_code", "aino", stdout=io.StringIO())

    assert Identity.objects.get(user=aino).hetu_hash == hetu_hash(AINO_CODE)
    monkeypatch.setattr("sys.stdin", io.StringIO("010190-123N\n"))
    # In the site's language, as the command answers an administrator at the shell.
    with pytest.raises(CommandError, match="tarkistusmerkki ei täsmää"):
        call_command("link_identity_code", "aino", stdout=io.StringIO())


def test_without_a_hash_key_nothing_is_linked(settings, monkeypatch):
    settings.IDENTITY_HASH_KEY = ""
    UserFactory(username="aino")
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{AINO_CODE}\n"))

    with pytest.raises(CommandError, match="IDENTITY_HASH_KEY"):
        call_command("link_identity_code", "aino", stdout=io.StringIO())
    assert not Identity.objects.exists()


def test_the_next_sign_in_through_the_provider_finds_the_person_linked_in_advance(
    oidc_settings, monkeypatch
):
    association = AssociationFactory()
    aino = represent(UserFactory(username="aino", language="fi"), association)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{AINO_CODE}\n"))
    call_command("link_identity_code", "aino", stdout=io.StringIO())
    client = Client()

    response = sign_in(client, "aino-suomifi")

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == aino.pk
    assert User.objects.count() == 1
    identity = Identity.objects.get()
    assert (identity.user, identity.provider, identity.subject) == (aino, "suomifi", "aino-suomifi")
    assert identity.hetu_hash == hetu_hash(AINO_CODE)
    (entry,) = TransitionLog.objects.filter(transition="sign_in", object_id=aino.pk)
    assert entry.data == {"provider": "suomifi", "matched_by": "identity_code"}
