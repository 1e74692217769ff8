"""Organisations: identifiers validated with python-stdnum, normalised on save; roles."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from stdnum import iban
from stdnum.fi import ytunnus

from organisations.identifiers import business_id_for, iban_for
from organisations.models import Association, AssociationRole, OfficialRole, PublicBody, User
from organisations.roles import Roles, forget_roles, roles_of
from tests.factories import (
    AssociationFactory,
    PublicBodyFactory,
    UserFactory,
    grant_role,
    represent,
)

pytestmark = pytest.mark.django_db

VALID_BUSINESS_ID = "0737546-2"
VALID_IBAN = "FI2112345600000785"
BUSINESS_ID_FORMAT = re.compile(r"^\d{7}-\d$")


def association(**fields):
    defaults = {
        "name": "Testiyhdistys ry",
        "business_id": VALID_BUSINESS_ID,
        "register_number": "123456",
        "iban": VALID_IBAN,
        "email": "testi@example.fi",
    }
    return Association(**{**defaults, **fields})


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.message_dict


# --- business ID --------------------------------------------------------------------------


def test_valid_business_id_passes_full_clean():
    association().full_clean()


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("0737546-3", id="wrong-check-digit"),
        pytest.param("0737547-2", id="wrong-digit"),
        pytest.param("abcdefg-h", id="letters"),
        pytest.param("garbage", id="garbage"),
        pytest.param("123", id="too-short"),
        pytest.param("0000006-1", id="base-without-any-check-digit"),
    ],
)
def test_invalid_business_id_is_refused(value):
    errors = errors_of(association(business_id=value))
    assert list(errors) == ["business_id"]


def test_invalid_business_id_is_refused_for_public_body():
    body = PublicBody(name="Kunta", kind=PublicBody.Kind.MUNICIPALITY, business_id="0737546-3")
    assert "business_id" in errors_of(body)


def test_business_id_is_unique():
    AssociationFactory(business_id=VALID_BUSINESS_ID)
    assert "business_id" in errors_of(association(business_id=VALID_BUSINESS_ID))


@pytest.mark.parametrize("value", ["07375462", "0737546-2", " 0737546-2"])
def test_save_normalises_business_id(value):
    saved = association(business_id=value)
    saved.save()
    saved.refresh_from_db()
    assert saved.business_id == "0737546-2"


def test_public_body_save_normalises_business_id():
    body = PublicBody.objects.create(
        name="Kunta", kind=PublicBody.Kind.MUNICIPALITY, business_id="07375462"
    )
    body.refresh_from_db()
    assert body.business_id == "0737546-2"


# --- IBAN ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("FI2112345600000785", id="compact"),
        pytest.param("FI21 1234 5600 0007 85", id="printed-with-spaces"),
        pytest.param("fi2112345600000785", id="lower-case"),
        pytest.param("DE89370400440532013000", id="german"),
    ],
)
def test_valid_iban_passes_full_clean(value):
    association(iban=value).full_clean()


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("FI2112345600000786", id="wrong-check"),
        pytest.param("FI2212345600000785", id="wrong-check-digits"),
        pytest.param("FI21123456", id="too-short-for-finland"),
        pytest.param("XX2112345600000785", id="unknown-country"),
        pytest.param("not an iban", id="garbage"),
    ],
)
def test_invalid_iban_is_refused(value):
    errors = errors_of(association(iban=value))
    assert list(errors) == ["iban"]


@pytest.mark.parametrize(
    "value", ["FI21 1234 5600 0007 85", "fi21 1234 5600 0007 85", "FI2112345600000785"]
)
def test_save_normalises_iban_to_compact_form(value):
    saved = association(iban=value)
    saved.save()
    saved.refresh_from_db()
    assert saved.iban == "FI2112345600000785"


def test_full_clean_then_save_stores_normalised_values():
    """The path a form takes: validate what the person typed, then save it normalised."""
    typed = association(business_id="07375462", iban="fi21 1234 5600 0007 85")
    typed.full_clean()
    typed.save()
    stored = Association.objects.get(pk=typed.pk)
    assert stored.business_id == "0737546-2"
    assert stored.iban == "FI2112345600000785"


# --- identifiers for demo and test data ---------------------------------------------------


@pytest.mark.parametrize("seq", [0, 1, 6, 7, 9, 10, 999, 100_000, 500_000, 999_999])
def test_business_id_for_single_values(seq):
    value = business_id_for(seq)
    assert BUSINESS_ID_FORMAT.match(value)
    assert ytunnus.is_valid(value)
    assert value.startswith(f"{seq:06d}")  # the first six digits are the number


@pytest.mark.parametrize("seq", [-1, 1_000_000, 2_000_000])
def test_business_id_for_refuses_numbers_out_of_range(seq):
    with pytest.raises(ValueError, match="seq"):
        business_id_for(seq)


def test_business_id_for_range_is_valid_and_formatted():
    for seq in range(501):
        value = business_id_for(seq)
        assert BUSINESS_ID_FORMAT.match(value), (seq, value)
        assert ytunnus.is_valid(value), (seq, value)
        assert ytunnus.format(value) == value


def test_business_id_for_range_passes_the_model_validator():
    for seq in range(0, 501, 50):
        association(business_id=business_id_for(seq)).full_clean()


def test_business_id_for_gives_distinct_ids_for_distinct_numbers():
    """The factories use business_id_for(sequence) for a UNIQUE field, so distinct sequence
    numbers must give distinct IDs (an earlier version fell through to the next number when a
    base had no check digit, so 6 and 7 gave the same ID)."""
    seqs = [*range(2001), *range(100_000, 100_500), *range(500_000, 500_500)]
    seqs += list(range(998_000, 1_000_000))
    ids = [business_id_for(seq) for seq in seqs]
    assert len(set(ids)) == len(seqs)


def test_factories_build_many_organisations_in_one_test():
    """With clashing IDs, consecutive factory calls in one test hit IntegrityError."""
    AssociationFactory.create_batch(30)
    PublicBodyFactory.create_batch(30)
    assert Association.objects.count() >= 30
    assert PublicBody.objects.count() >= 30


def test_iban_for_range_is_valid_and_distinct():
    values = [iban_for(seq) for seq in range(501)]
    for seq, value in enumerate(values):
        assert iban.is_valid(value), (seq, value)
        assert value.startswith("FI")
        assert len(value) == 18
        assert iban.compact(value) == value
    assert len(set(values)) == len(values)


def test_iban_for_passes_the_model_validator():
    for seq in range(0, 501, 50):
        association(iban=iban_for(seq)).full_clean()


# --- roles --------------------------------------------------------------------------------


@pytest.fixture
def organisations():
    return {
        "assoc_a": AssociationFactory(),
        "assoc_b": AssociationFactory(),
        "body_a": PublicBodyFactory(),
        "body_b": PublicBodyFactory(),
    }


def test_roles_of_returns_roles_per_organisation(organisations):
    o = organisations
    user = UserFactory()
    represent(user, o["assoc_a"])
    represent(user, o["assoc_b"])
    represent(user, o["assoc_b"], AssociationRole.Role.SIGNATORY)
    grant_role(user, o["body_a"], OfficialRole.Role.PREPARER)
    grant_role(user, o["body_b"], OfficialRole.Role.DECISION_MAKER)
    grant_role(user, o["body_b"], OfficialRole.Role.PREPARER)
    user = User.objects.get(pk=user.pk)

    roles = roles_of(user)

    a, b = o["assoc_a"].pk, o["assoc_b"].pk
    ba, bb = o["body_a"].pk, o["body_b"].pk
    assert roles.association == {"representative": {a, b}, "signatory": {b}}
    assert roles.official == {"preparer": {ba, bb}, "decision_maker": {bb}}
    assert roles.associations("signatory") == {b}
    assert roles.associations("representative", "signatory") == {a, b}
    assert roles.associations("nonexistent") == frozenset()
    assert roles.public_bodies("decision_maker") == {bb}
    assert roles.public_bodies("finance") == frozenset()
    assert roles.all_associations == {a, b}
    assert roles.all_public_bodies == {ba, bb}


def test_roles_of_person_without_roles_is_empty():
    roles = roles_of(UserFactory())
    assert roles == Roles()
    assert roles.all_associations == frozenset()
    assert roles.all_public_bodies == frozenset()


def test_roles_of_queries_twice_then_caches_per_user_object(
    organisations, django_assert_num_queries
):
    user = UserFactory()
    represent(user, organisations["assoc_a"])
    grant_role(user, organisations["body_a"], OfficialRole.Role.FINANCE)

    with django_assert_num_queries(2):
        first = roles_of(user)
    with django_assert_num_queries(0):
        for _ in range(10):
            assert roles_of(user) is first

    # Another Python object for the same person loads its own copy.
    other = User.objects.get(pk=user.pk)
    with django_assert_num_queries(2):
        assert roles_of(other) == first


def test_forget_roles_reloads(organisations, django_assert_num_queries):
    user = UserFactory()
    represent(user, organisations["assoc_a"])
    assert roles_of(user).all_associations == {organisations["assoc_a"].pk}

    AssociationRole.objects.create(
        user=user, association=organisations["assoc_b"], role=AssociationRole.Role.SIGNATORY
    )
    # Cached: the new role is not seen until forgotten.
    assert roles_of(user).associations("signatory") == frozenset()
    forget_roles(user)
    with django_assert_num_queries(2):
        assert roles_of(user).associations("signatory") == {organisations["assoc_b"].pk}
    forget_roles(user)
    forget_roles(user)  # forgetting twice is harmless


@pytest.mark.parametrize(
    "who",
    [
        pytest.param(AnonymousUser(), id="anonymous"),
        pytest.param(None, id="system"),
    ],
)
def test_roles_of_anonymous_or_system_is_empty(who, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert roles_of(who) == Roles()


def test_roles_of_unsaved_user_is_empty(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert roles_of(User(username="unsaved")) == Roles()
