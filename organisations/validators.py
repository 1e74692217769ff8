"""Identifiers validated with python-stdnum: never a hand-written checksum."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import ytunnus


def validate_business_id(value: str) -> None:
    """Finnish business ID (Y-tunnus), e.g. 0737546-2, with its check digit."""
    try:
        ytunnus.validate(value)
    except StdnumError:
        raise ValidationError(
            _("%(value)s is not a valid business ID (Y-tunnus)."), params={"value": value}
        ) from None


def validate_iban(value: str) -> None:
    try:
        iban.validate(value)
    except StdnumError:
        raise ValidationError(
            _("%(value)s is not a valid IBAN."), params={"value": value}
        ) from None
