"""The finance portal's forms: the inbox's filters, recording a payment and making a payment
batch. They check the shape of the input; the rules (how much is left, whose payable it is)
are the services' (documents.payables, documents.finance), whose ValidationErrors the views
put on these forms' fields."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from config.forms import COMMA_DECIMAL, AmountField
from workflow.api import parse_id

# What the inbox calls each kind of subject (Payable.content_type.model).
SUBJECT_KINDS = {
    "application": _("Grant decision"),
    "agreement": _("Agreement instalment"),
}


def _date_input() -> forms.DateInput:
    # A native date picker; its value is always yyyy-mm-dd whatever the page's language.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InboxFilterForm(forms.Form):
    """The inbox's filters; the public body only for a person who pays for several."""

    body = forms.TypedChoiceField(
        label=pgettext_lazy("finance", "Public body"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(label=_("Kind of payment"), required=False)

    def __init__(self, *args, bodies: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        everything = ("", pgettext_lazy("filter", "All"))
        if len(bodies) > 1:
            self.fields["body"].choices = [everything, *bodies]
        else:
            del self.fields["body"]
        self.fields["kind"].choices = [everything, *SUBJECT_KINDS.items()]


class PaymentForm(forms.Form):
    """A payment made on one payable: how much, when and the bank's reference."""

    # A payment: an ambiguous "1,234" is refused rather than read as a thousand euros.
    amount = AmountField(
        label=_("Amount paid (€)"), min_value=Decimal("0.01"), notation=COMMA_DECIMAL
    )
    paid_on = forms.DateField(label=pgettext_lazy("finance", "Paid on"), widget=_date_input())
    reference = forms.CharField(
        label=_("Payment reference"),
        max_length=100,
        required=False,
        help_text=_("For example the bank's archive ID. Optional."),
    )

    def __init__(self, *args, remaining: Decimal | None = None, **kwargs):
        kwargs.setdefault(
            "initial", {"amount": remaining, "paid_on": timezone.localdate(), "reference": ""}
        )
        super().__init__(*args, **kwargs)


class PayableIdsField(forms.Field):
    """The ids of the payables ticked in the inbox (checkboxes named `payables`)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Choose at least one payable."),
        "invalid": _("Choose payables from the list."),
    }

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        ids = [parse_id(item) for item in values]
        if None in ids:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return list(dict.fromkeys(ids))


class BatchForm(forms.Form):
    """A payment batch of the payables ticked in the inbox, to be paid on `execution_date`."""

    payables = PayableIdsField(label=pgettext_lazy("finance", "Payables"))
    execution_date = forms.DateField(
        label=pgettext_lazy("finance", "Execution date"),
        help_text=_("The day the bank is to make the transfers."),
        widget=_date_input(),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"execution_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
