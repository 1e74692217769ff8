"""Model fields for identifiers people type in many ways ("0737546-2", "07375462",
"FI21 1234 5600 0007 85"). `to_python` puts the value in its canonical form before the length
check and the python-stdnum validators run, so spacing never decides whether it is valid."""

from django.db import models
from stdnum import iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import ytunnus

from organisations.validators import validate_business_id, validate_iban


class BusinessIdField(models.CharField):
    """A Finnish business ID (Y-tunnus), stored as NNNNNNN-N."""

    default_validators = [validate_business_id]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", 9)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return ytunnus.format(value) if value else value
        except StdnumError:
            return value  # left for the validator to refuse with a message

    def pre_save(self, model_instance, add):
        value = self.to_python(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class IbanField(models.CharField):
    """An IBAN, stored compact (no spaces), upper case."""

    default_validators = [validate_iban]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", 34)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return iban.compact(value) if value else value

    def pre_save(self, model_instance, add):
        value = self.to_python(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
