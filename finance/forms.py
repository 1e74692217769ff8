"""The finance portal's forms: the inbox's filters, recording a payment (and its confirmation),
reversing one, making a payment batch and marking it as sent to the bank. They check the shape
of the input; the rules (how much is left, whose payable it is) are the services'
(finance.payables, finance.batches), whose ValidationErrors the views put on these forms'
fields."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.forms import COMMA_DECIMAL, AmountField
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


class RecoveryFilterForm(forms.Form):
    """The recovery claims' filter: open ones, those paid back, or all."""

    state = forms.ChoiceField(
        label=pgettext_lazy("recovery claim", "State"),
        required=False,
        choices=[
            ("", pgettext_lazy("filter", "All")),
            ("open", pgettext_lazy("recovery claim", "Open")),
            ("paid_back", _("Paid back")),
        ],
    )


class PaymentForm(forms.Form):
    """A payment made on one payable, as the bank statement shows it: how much, when and the
    bank's reference. Nothing is filled in for the person: a prefilled amount and day were
    recorded as they stood by one press of a button, whatever the bank had done."""

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


class PaymentConfirmForm(PaymentForm):
    """The payment as checked, carried by the confirmation step in hidden inputs, with the
    number of ledger entries the person saw: a second press of the button, or a payment made
    meanwhile, is then refused instead of recorded twice (payables.payment_record_for)."""

    entries_seen = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("amount", "paid_on", "reference"):
            self.fields[name].widget = forms.HiddenInput()

    @classmethod
    def of(cls, checked: PaymentForm, *, entries_seen: int, auto_id: str) -> "PaymentConfirmForm":
        """The confirmation of a checked payment: its values as the hidden inputs carry them."""
        data = checked.cleaned_data
        confirm = cls(
            {
                "amount": f"{data['amount']:.2f}",
                "paid_on": data["paid_on"].isoformat(),
                "reference": data["reference"],
                "entries_seen": entries_seen,
            },
            auto_id=auto_id,
        )
        confirm.full_clean()  # its cleaned_data is what the confirmation shows
        return confirm


class PaymentChoiceField(forms.ChoiceField):
    """One of the payable's payments that stand, by id."""

    def to_python(self, value) -> int | None:
        return parse_id(value) if value not in self.empty_values else None

    def valid_value(self, value) -> bool:
        return any(str(value) == str(key) for key, _label in self.choices)


class ReversalForm(forms.Form):
    """A recorded payment corrected by a reversing entry: which payment, and why."""

    payment_id = PaymentChoiceField(
        label=_("Payment to reverse"),
        widget=forms.RadioSelect,
        choices=(),
        error_messages={
            "required": _("Choose the payment to reverse."),
            "invalid_choice": _(
                "Choose one of the payments listed: that one is not a payment of this payable "
                "that stands (it may have been reversed meanwhile)."
            ),
        },
    )
    reason = forms.CharField(
        label=_("Reason for the reversal"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: recorded on the wrong payable, or the bank returned the transfer. "
            "Kept with the reversing entry and shown with it."
        ),
        error_messages={"required": _("Give the reason for reversing the payment.")},
    )

    def __init__(self, *args, payments: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payment_id"].choices = payments


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


class BatchSentForm(forms.Form):
    """The day finance sent the batch's file to the bank: the date of its payments."""

    sent_on = forms.DateField(
        label=_("Sent to the bank on"),
        help_text=_("Each payment of the batch is recorded with this date."),
        widget=_date_input(),
    )


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
