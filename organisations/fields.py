"""Model fields for identifiers people type in many ways ("0737546-2", "07375462",
"FI21 1234 5600 0007 85"). `to_python` puts the value in its canonical form before the length
check and the python-stdnum validators run, so spacing never decides whether it is valid, and
`pre_save` stores that form whichever way the value arrived."""

from django.db import models
from stdnum import iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import ytunnus

from organisations.validators import validate_business_id, validate_iban


class CanonicalCharField(models.CharField):
    """A CharField whose value is kept in the canonical form `canonical()` gives."""

    def canonical(self, value: str) -> str:
        raise NotImplementedError

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        try:
            return self.canonical(value)
        except StdnumError:
            return value  # left as typed for the validator to refuse with a message

    def pre_save(self, model_instance, add):
        value = self.to_python(getattr(model_instance, self.attname))
        if self.null and not value:
            value = None  # "no identifier" is NULL, which a unique constraint does not compare
        setattr(model_instance, self.attname, value)
        return value


class BusinessIdField(CanonicalCharField):
    """A Finnish business ID (Y-tunnus), stored as NNNNNNN-N."""

    default_validators = [validate_business_id]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", 9)
        super().__init__(*args, **kwargs)

    def canonical(self, value: str) -> str:
        return ytunnus.format(value)


class IbanField(CanonicalCharField):
    """An IBAN, stored compact (no spaces), upper case."""

    default_validators = [validate_iban]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", 34)
        super().__init__(*args, **kwargs)

    def canonical(self, value: str) -> str:
        return iban.compact(value)
