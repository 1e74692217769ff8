"""Who signed in: the person a provider's verified claims name, found or created, and audited.

People are matched by what the provider vouches for, never by what a person typed: the
provider's `sub`, then the keyed hash of the personal identity code (the same person through
another provider or a new broker). An email address is not a verified identity and never
matches anyone."""

import hashlib
import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.fi import hetu

from identity.models import Identity
from organisations.mandates import DELEGATE_ATTRIBUTE
from workflow.audit import action_record

logger = logging.getLogger(__name__)

# The provider name of an identity an administrator linked in advance (identity_code_link):
# no provider signs in by it; it holds only the keyed hash, for the first real sign-in to find.
ADVANCE = "advance"

LANGUAGES = {code for code, _name in settings.LANGUAGES}


class SignInRefused(Exception):
    """The provider's answer names nobody this service can sign in; nothing was saved."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def hetu_hash(code: str) -> str:
    """The keyed hash (HMAC-SHA256 under IDENTITY_HASH_KEY) of a personal identity code, or ""
    without a key or for a code that is not one. Without the key the hash cannot be turned
    back into a code by trying the few million codes there are; the code itself is never kept
    (GDPR art. 5(1)(c) and Data Protection Act 1050/2018 29 §: the code only where needed)."""
    key = settings.IDENTITY_HASH_KEY
    if not key or not code or not hetu.is_valid(code):
        return ""
    return salted_hmac(
        "identity.hetu", hetu.compact(code), secret=key, algorithm="sha256"
    ).hexdigest()


def identity_code_check(code: str) -> str:
    """The personal identity code (henkilötunnus) in its compact form, or a ValidationError
    saying what is wrong with it: its form, its birth date or century sign, or its check
    character. Temporary codes (individual number 900-999) are no one's lasting identity."""
    try:
        return hetu.validate(code)
    except stdnum_errors.InvalidFormat:
        message = _(
            "A personal identity code is the birth date (DDMMYY), the century sign (+, -, Y, "
            "X, W, V, U, A, B, C, D, E or F), three digits and a check character, for example "
            "131052-308T."
        )
    except stdnum_errors.InvalidChecksum:
        message = _("The check character of the personal identity code does not match.")
    except stdnum_errors.ValidationError:
        message = _(
            "The personal identity code's birth date, century sign or individual number is "
            "not possible."
        )
    raise ValidationError(message, code="invalid")


def identity_code_hash_for(user: Any, code: str) -> str:
    """The keyed hash `code` would link `user` by; ValidationError when it cannot: an invalid
    code, no hash key, or a code already linked to someone else."""
    hashed = hetu_hash(identity_code_check(code))
    if not hashed:
        raise ValidationError(
            _("Personal identity codes are not in use here (IDENTITY_HASH_KEY is not set)."),
            code="no_key",
        )
    if Identity.objects.filter(hetu_hash=hashed).exclude(user=user).exists():
        raise ValidationError(
            _("This personal identity code is already linked to another person."),
            code="taken",
        )
    return hashed


@transaction.atomic
def identity_code_link(*, user: Any, code: str, actor: Any) -> None:
    """An administrator links `user` to their personal identity code before their first
    sign-in through strong identification, so that the sign-in finds this person (by the
    code's keyed hash, as it finds one known at another provider) instead of creating a
    second one. Only the keyed hash is kept; the link is audited on the person, without the
    code or its hash. ValidationError for an invalid code, without a hash key, or for a code
    already linked to someone else."""
    hashed = identity_code_hash_for(user, code)
    Identity.objects.update_or_create(
        provider=ADVANCE,
        subject=str(user.pk),
        defaults={"user": user, "hetu_hash": hashed, "last_sign_in_at": timezone.now()},
    )
    action_record(user, action="link_identity_code", actor=actor)


def person_sign_in(provider: str, claims: Mapping[str, Any], *, language: str) -> Any:
    """The person `claims` (verified by the provider's signature) name: known by the
    provider's subject, else by the identity code's keyed hash, else created with the name,
    email and language the claims give (`language`, the page's, when they give none). Each
    sign-in is audited on the person. Refuses claims without a subject."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > 255:
        raise SignInRefused(_("The identity service did not say who you are."))
    code = claims.get(settings.OIDC_PROVIDERS[provider]["hetu_claim"])
    hashed = hetu_hash(code) if isinstance(code, str) else ""
    try:
        with transaction.atomic():
            user = _sign_in(provider, subject, hashed, claims, language)
    except IntegrityError:
        # The same person's first sign-in twice at once: the other one created them.
        with transaction.atomic():
            user = _sign_in(provider, subject, hashed, claims, language)
    if isinstance(code, str) and hetu.is_valid(code):
        # On this request's person only, never saved: with Suomi.fi e-Authorizations the
        # sign-in keeps it encrypted in the session for the mandate checks of the acts to come
        # (organisations.mandates), as the service asks for the person by identity code.
        setattr(user, DELEGATE_ATTRIBUTE, hetu.compact(code))
    return user


def _sign_in(provider: str, subject: str, hashed: str, claims: Mapping[str, Any], language: str):
    now = timezone.now()
    identity = (
        Identity.objects.select_for_update()
        .select_related("user")
        .filter(provider=provider, subject=subject)
        .first()
    )
    if identity is not None:
        matched_by = "subject"
        user = identity.user
        identity.last_sign_in_at = now
        identity.hetu_hash = hashed or identity.hetu_hash
        identity.save(update_fields=["last_sign_in_at", "hetu_hash"])
        _update_names(user, claims)
    else:
        known = (
            Identity.objects.select_related("user").filter(hetu_hash=hashed).first()
            if hashed
            else None
        )
        if known is not None:
            matched_by = "identity_code"
            user = known.user
            _update_names(user, claims)
            if known.provider == ADVANCE:
                # The link made in advance has served: the provider's identity created below
                # carries the same hash from now on.
                known.delete()
        else:
            matched_by = "created"
            user = _person_create(provider, subject, claims, language)
        Identity.objects.create(
            user=user, provider=provider, subject=subject, hetu_hash=hashed, last_sign_in_at=now
        )
    action_record(
        user, action="sign_in", actor=user, data={"provider": provider, "matched_by": matched_by}
    )
    return user


def _names(claims: Mapping[str, Any]) -> tuple[str, str]:
    first, last = claims.get("given_name"), claims.get("family_name")
    if not (isinstance(first, str) and isinstance(last, str)):
        full = claims.get("name")
        first, _sep, last = (full if isinstance(full, str) else "").partition(" ")
    return first.strip()[:150], last.strip()[:150]


def _update_names(user: Any, claims: Mapping[str, Any]) -> None:
    """The provider's name wins (a name changed in the population register follows); the
    email and the language are the person's own choice once they have signed in."""
    first, last = _names(claims)
    if first and last and (user.first_name, user.last_name) != (first, last):
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])


def _person_create(provider: str, subject: str, claims: Mapping[str, Any], language: str) -> Any:
    first, last = _names(claims)
    locale = claims.get("locale")
    claimed = locale[:2].lower() if isinstance(locale, str) else ""
    user = get_user_model()(
        # Not the subject itself: a username shows in the admin and in URLs of nothing.
        username=f"{provider}-{hashlib.sha256(subject.encode()).hexdigest()[:20]}",
        first_name=first,
        last_name=last,
        email=_verified_email(claims),
        language=claimed if claimed in LANGUAGES else language,
    )
    # Signs in through the provider only, until an administrator sets a password.
    user.set_unusable_password()
    user.save()
    return user


def _verified_email(claims: Mapping[str, Any]) -> str:
    email = claims.get("email")
    if not isinstance(email, str) or claims.get("email_verified") is False:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        logger.warning("identity: the provider's email claim is not an address; left empty")
        return ""
    return email
