"""The association portal's forms: what a treasurer types, checked before a service sees it.

The forms only check the shape of the input (a number, a length); the rules of the grant
(the call's maximum, a budget that covers the request) are the services' and the
transitions', whose ValidationErrors the views put next to these forms' fields.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grants.serializers import SubmitReportParams
from organisations.models import Association
from portal.forms import AmountField
from portal.params import param, params_validated
from workflow.api import TransitionRequestSerializer

MAX_BUDGET_LINES = 100
# A year's worth of fields is plenty; a longer text is a 400, never a database error.
LONG_TEXT = 20000


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once (a phone's picker allows choosing many): a list, maybe empty."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


def attachment_limits() -> dict[str, str]:
    """What may be attached, as the page says it: the types and the size limit."""
    return {
        "types": ", ".join(settings.ATTACHMENT_EXTENSIONS),
        "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
    }


class ApplicationForm(forms.Form):
    """The application itself and new attachments; its budget lines are `BudgetLineFormSet`.

    The attachments' size and type are checked here too, so the person reads the limits in
    their own words; the service checks them again, and that each file's content matches its
    type (workflow.attachments).
    """

    association = forms.ModelChoiceField(
        label=_("Applying association"), queryset=Association.objects.none(), empty_label=None
    )
    requested_amount = AmountField(min_value=Decimal("0.01"), label=_("Amount applied for (€)"))
    purpose = forms.CharField(
        label=_("What is the grant for?"),
        help_text=_("The activity, who it reaches, and when and where it takes place."),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    files = MultipleFileField(label=_("Add attachments"))

    def __init__(
        self,
        *args: Any,
        associations: Any = None,
        maximum: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.only_association = None
        if associations is None:
            # Editing: the association was chosen when the draft was made.
            del self.fields["association"]
        else:
            field = self.fields["association"]
            field.queryset = associations
            choices = list(associations)
            if len(choices) == 1:
                # Nothing to choose: the page names the association instead.
                field.widget = forms.HiddenInput()
                field.initial = choices[0].pk
                self.only_association = choices[0]
        if maximum:
            self.fields["requested_amount"].help_text = _(
                "The call grants at most %(maximum)s per application."
            ) % {"maximum": maximum}
        files = self.fields["files"]
        files.help_text = (
            _(
                "You can choose several files. Allowed file types: %(types)s. At most %(size)s "
                "per file."
            )
            % attachment_limits()
        )
        files.widget.attrs["accept"] = ",".join(
            f".{extension}" for extension in settings.ATTACHMENT_EXTENSIONS
        )

    def clean_files(self) -> list[Any]:
        files = self.cleaned_data["files"]
        limits = attachment_limits()
        errors = []
        for upload in files:
            extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            if extension not in settings.ATTACHMENT_EXTENSIONS:
                errors.append(
                    _("%(name)s: allowed file types are %(types)s.")
                    % {"name": upload.name, **limits}
                )
            elif upload.size == 0:
                errors.append(_("%(name)s is empty.") % {"name": upload.name})
            elif upload.size > settings.ATTACHMENT_MAX_BYTES:
                errors.append(
                    _("%(name)s is larger than %(size)s.") % {"name": upload.name, **limits}
                )
        if errors:
            raise forms.ValidationError(errors)
        return files


class BudgetLineForm(forms.Form):
    """One cost of the budget. A line left empty is no line: empty both fields to remove it."""

    description = forms.CharField(
        label=pgettext_lazy("budget line", "Description"), max_length=300, required=False
    )
    amount = AmountField(
        min_value=Decimal("0.01"),
        label=_("Amount (€)"),
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "data-sum": "budget"}
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        description = (data.get("description") or "").strip()
        amount = data.get("amount")
        if description and amount is None and "amount" not in self.errors:
            self.add_error("amount", _("Give the amount of this cost."))
        if amount is not None and not description:
            self.add_error("description", _("Say what this cost is."))
        return data

    @property
    def line(self) -> dict[str, Any] | None:
        """The line for the services, or None for an empty one."""
        description = (self.cleaned_data.get("description") or "").strip()
        if not description:
            return None
        return {"description": description, "amount": self.cleaned_data["amount"]}


BudgetLineFormSet = forms.formset_factory(
    BudgetLineForm,
    extra=3,
    max_num=MAX_BUDGET_LINES,
    absolute_max=MAX_BUDGET_LINES,
    validate_max=True,
)


def budget_lines(formset: Any) -> list[dict[str, Any]]:
    """The filled-in lines of a valid formset, in their order."""
    # An extra form left empty has no cleaned data, and its `line` is None like an emptied one.
    return [line for form in formset.forms if (line := form.line) is not None]


class CompletionReplyForm(forms.Form):
    """What the association tells the preparer when it sends a completed application."""

    comment = param(
        TransitionRequestSerializer,
        "comment",
        label=_("Message to the official"),
        help_text=_("Optional: what you completed or changed."),
        rows=3,
    )


class WithdrawForm(forms.Form):
    comment = param(
        TransitionRequestSerializer,
        "comment",
        label=_("Reason for withdrawing"),
        help_text=_("Optional."),
        rows=3,
    )


class RectificationForm(forms.Form):
    """A request for rectification (oikaisuvaatimus) of a grant decision."""

    comment = param(
        TransitionRequestSerializer,
        "comment",
        label=_("Grounds of the request"),
        help_text=_("How the decision should be changed, and why."),
        rows=8,
        insist=True,
    )


class ReportForm(forms.Form):
    """The follow-up report (loppuselvitys): what was done and how much of the grant was used,
    the parameters of `submit_report` as the API declares them."""

    activities = param(
        SubmitReportParams,
        "activities",
        label=_("What was done with the grant?"),
        help_text=_("The activities, how many took part, and what was achieved."),
        rows=8,
    )
    amount_used = param(SubmitReportParams, "amount_used", label=_("Amount of the grant used (€)"))

    def __init__(self, *args: Any, granted: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if granted:
            self.fields["amount_used"].help_text = _(
                "You were granted %(granted)s. Any unused money may be reclaimed."
            ) % {"granted": granted}

    def params(self) -> dict[str, Any]:
        """The report as `submit_report` takes it from the API."""
        return params_validated(SubmitReportParams, self.cleaned_data)
