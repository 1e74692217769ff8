"""The partnership pages' forms: the terms (with goals and resources as formsets), the
parties of a new agreement, and the parameters each transition and service takes.

The forms check what a person can type wrong (types, lengths, ranges, a term that ends before
it starts); the services and transitions check the rest and their `ValidationError`s come back
as these forms' errors (`portal.forms.errors_apply`). Field names follow the parameters the
services take (`chain_id`, `meeting_id`, `goals_met`, ...), so an error the domain raises lands
on its field.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agreements import terms
from agreements.effects import matter_language
from agreements.models import (
    AgreementVersion,
    Goal,
    Meeting,
    Resource,
    Side,
)
from agreements.serializers import (
    CancelByDecisionParams,
    DecideParams,
    DecideRectificationParams,
    EvaluateParams,
    ProposeCancellationParams,
    RecordStepParams,
    RenewParams,
    ResultParams,
    ReturnEvaluationParams,
    SubmitEvaluationParams,
    SubmitForReviewParams,
    TerminateParams,
)
from organisations.languages import matter_language_help, untranslated_names
from organisations.models import Association, PublicBody
from portal.forms import AmountField, DateInput
from portal.params import param, params_validated
from premises.models import Premises
from workflow.api import TransitionRequestSerializer, parse_id
from workflow.chains import chains_to_choose, subject_kind
from workflow.models import ApprovalChain
from workflow.rectification import RectificationOutcome

TEXT_MAX = 20000


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text, widget=DateInput)


def text_field(
    label: Any, *, required: bool = True, max_length: int = TEXT_MAX, help_text: Any = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


# --- the terms -------------------------------------------------------------------------------


class TermsForm(forms.Form):
    """A version's own terms: what it is for, its term, each side's responsibilities and the
    cadence of meetings, evaluations and notice. One field for each of `terms.TERM_FIELDS`
    (the one list of them), with the note on what the version changes."""

    title = forms.CharField(label=pgettext_lazy("agreement", "Title"), max_length=200)
    purpose = text_field(pgettext_lazy("agreement", "Purpose"))
    starts_on = date_field(pgettext_lazy("agreement", "Starts on"))
    ends_on = date_field(pgettext_lazy("agreement", "Ends on"))
    public_body_responsibilities = text_field(_("The public body's responsibilities"))
    association_responsibilities = text_field(_("The association's responsibilities"))
    meetings_per_year = forms.IntegerField(
        label=_("Cooperation meetings a year"), min_value=1, max_value=12, initial=2
    )
    evaluation_every_months = forms.IntegerField(
        label=_("Evaluation every (months)"), min_value=1, max_value=36, initial=12
    )
    notice_period_months = forms.IntegerField(
        label=_("Notice period (months)"), min_value=0, max_value=24, initial=3
    )
    change_note = text_field(
        _("What this version changes"),
        required=False,
        help_text=_("A few words for the other side: what you changed and why."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("The term must end after it starts."))
        return data

    def terms(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in terms.TERM_FIELDS}


class GoalForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("agreement", "Goal"), max_length=300)
    indicator = forms.CharField(label=_("Indicator"), max_length=300)
    target = AmountField(label=_("Target value"))


RESOURCE_KINDS = [
    ("", pgettext_lazy("resource kind", "Choose")),
    (Resource.Kind.MONEY, pgettext_lazy("resource kind", "Money")),
    (Resource.Kind.PREMISES, pgettext_lazy("resource kind", "Free premises")),
    (Resource.Kind.STAFF, pgettext_lazy("resource kind", "Staff time")),
]
PROVIDERS = [
    (Side.PUBLIC_BODY, pgettext_lazy("provided by", "The public body")),
    (Side.ASSOCIATION, pgettext_lazy("provided by", "The association")),
]
HOURS_PER = [
    ("", pgettext_lazy("hours", "No hours")),
    (Resource.Per.WEEK, pgettext_lazy("hours", "Hours a week")),
    (Resource.Per.YEAR, pgettext_lazy("hours", "Hours a year")),
]


class ResourceForm(forms.Form):
    year = forms.IntegerField(
        label=pgettext_lazy("resource", "Year"), min_value=2000, max_value=2200
    )
    kind = forms.ChoiceField(label=pgettext_lazy("resource", "Kind"), choices=RESOURCE_KINDS)
    provided_by = forms.ChoiceField(
        label=_("Provided by"), choices=PROVIDERS, initial=Side.PUBLIC_BODY
    )
    description = forms.CharField(
        label=pgettext_lazy("resource", "Description"),
        max_length=300,
        required=False,
        help_text=_("Which premises, whose time, what the money is for."),
    )
    amount = AmountField(
        label=_("Euros"),
        required=False,
        help_text=_("Money: the year's instalment. Premises and staff time: their value."),
    )
    hours = AmountField(
        label=pgettext_lazy("resource", "Hours"), required=False, max_digits=8, decimal_places=1
    )
    hours_per = forms.ChoiceField(label=_("Hours counted"), choices=HOURS_PER, required=False)
    pays_on = date_field(
        pgettext_lazy("resource", "Paid on"),
        required=False,
        help_text=_("Money: the day the instalment is paid."),
    )
    premises = forms.ModelChoiceField(
        label=_("Premises"),
        queryset=Premises.objects.none(),
        required=False,
        help_text=_("Free premises: the entry of the body's catalogue of premises."),
    )

    def __init__(self, *args: Any, premises: QuerySet[Premises] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if premises is not None:
            self.fields["premises"].queryset = premises

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("amount") is None:
            data["amount"] = Decimal(0)
        # Premises and staff time are counted in hours a week or a year: one without the
        # other cannot be added up in the yearly summary.
        counted = "hours" in data and "hours_per" in data
        if counted and (data["hours"] is None) != (not data["hours_per"]):
            self.add_error("hours_per", _("Give the hours and whether they are a week or a year."))
        return data


def premises_offered(public_body_id: int | None, rows: list[dict[str, Any]]) -> QuerySet[Premises]:
    """The entries a premises resource may name: the body's active ones (every body's on a
    new agreement, whose body is chosen on the same page; the terms refuse another body's),
    and those the rows already name."""
    named = [row["premises"].pk for row in rows if row.get("premises") is not None]
    found = Premises.objects.filter(Q(active=True) | Q(pk__in=named))
    if public_body_id is not None:
        found = found.filter(public_body_id=public_body_id)
    return found.select_related("public_body").order_by("public_body__name", "name")


class RowFormSet(forms.BaseFormSet):
    """Rows of the terms: a saved row is removed with its checkbox, a blank one is skipped."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = pgettext_lazy("row", "Remove this row")


_ROWS = {"formset": RowFormSet, "extra": 0, "can_delete": True, "can_delete_extra": False}
GoalFormSet = forms.formset_factory(
    GoalForm, max_num=50, validate_max=True, absolute_max=60, **_ROWS
)
ResourceFormSet = forms.formset_factory(
    ResourceForm, max_num=200, validate_max=True, absolute_max=220, **_ROWS
)


def rows_of(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    """The rows kept: neither removed nor left blank."""
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not formset._should_delete_form(form)
    ]


# --- a new agreement -----------------------------------------------------------------------


class RecordsField(forms.ModelMultipleChoiceField):
    """Several records by id; an id no bigint holds is refused before it reaches the database
    (SQLite cannot bind it in an `IN` list)."""

    def _check_values(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else []:
            if parse_id(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class AgreementCreateForm(TermsForm):
    public_body = forms.ModelChoiceField(
        label=_("Public body"), queryset=PublicBody.objects.none(), empty_label=None
    )
    associations = RecordsField(
        label=_("Associations"),
        queryset=Association.objects.none(),
        help_text=_("The associations that are party to the agreement (several for a joint one)."),
    )
    signatures_required = forms.IntegerField(
        label=_("Signatures required of each association"),
        min_value=1,
        max_value=5,
        initial=2,
        help_text=_("How many of each association's authorised signatories sign jointly."),
    )

    field_order = ["public_body", "associations", "signatures_required"]

    def __init__(self, *args: Any, bodies: Any, associations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["change_note"]
        self.fields["public_body"].queryset = bodies
        self.fields["associations"].queryset = associations
        self.fields["associations"].widget.attrs["size"] = 6


# --- the version's transitions and comments --------------------------------------------------


class ConfirmForm(forms.Form):
    """An action with nothing to fill in: the button is the form."""

    def params(self) -> dict[str, Any]:
        return {}

    @property
    def comment(self) -> str:
        return ""


def comment_field(label: Any, *, insist: bool = False, help_text: Any = "") -> forms.Field:
    """A transition's comment, as long as the API takes one."""
    return param(
        TransitionRequestSerializer,
        "comment",
        label=label,
        help_text=help_text,
        rows=4,
        insist=insist,
    )


class _Commented(ConfirmForm):
    @property
    def comment(self) -> str:
        return self.cleaned_data.get("comment", "")


class SubmitForReviewForm(ConfirmForm):
    chain_id = forms.ModelChoiceField(
        label=pgettext_lazy("partnerships", "Approval chain"),
        queryset=ApprovalChain.objects.none(),
        empty_label=None,
    )

    def __init__(self, *args: Any, version: AgreementVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agreement = version.agreement
        field = self.fields["chain_id"]
        field.queryset = chains_to_choose([agreement.public_body_id], subject_kind(version))
        field.initial = agreement.chain_id

    def params(self) -> dict[str, Any]:
        chain = self.cleaned_data["chain_id"]
        return params_validated(SubmitForReviewParams, {"chain_id": chain.pk})


class RecordStepForm(_Commented):
    reasons = param(
        RecordStepParams,
        "reasons",
        label=pgettext_lazy("step", "Proposal and its reasons"),
        help_text=_("Seen by the officials on the chain; the association does not see it."),
        rows=4,
    )
    comment = comment_field(pgettext_lazy("step", "Comment"))

    def params(self) -> dict[str, Any]:
        return params_validated(RecordStepParams, {"reasons": self.cleaned_data["reasons"]})


class ReturnToNegotiationForm(_Commented):
    comment = comment_field(
        _("What should be negotiated again"), insist=True, help_text=_("Both sides see this.")
    )


OUTCOMES = [
    (AgreementVersion.Outcome.APPROVED, pgettext_lazy("decision", "Approve")),
    (AgreementVersion.Outcome.REJECTED, pgettext_lazy("decision", "Reject")),
]


def _outcome(params: type, choices: list) -> forms.Field:
    """A decision's outcome, as a decision and a decision on a request for rectification ask it."""
    return param(
        params,
        "outcome",
        label=pgettext_lazy("decision", "Decision"),
        choices=choices,
        widget=forms.RadioSelect,
    )


def _reasons(params: type) -> forms.Field:
    """A decision's reasons, which go into its document."""
    return param(
        params,
        "reasons",
        label=pgettext_lazy("decision", "Reasons"),
        help_text=_(
            "The decisive facts and the rules applied (Administrative Procedure Act 45 §)."
        ),
        rows=4,
    )


class DecideForm(_Commented):
    """The decision; its reasons, written in the language of the matter, go into the document."""

    outcome = _outcome(DecideParams, OUTCOMES)
    reasons = _reasons(DecideParams)
    comment = comment_field(pgettext_lazy("decision", "Comment"))

    def __init__(self, *args: Any, version: AgreementVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agreement = version.agreement
        language = matter_language(agreement)
        field = self.fields["reasons"]
        field.help_text = matter_language_help(language, field.help_text)
        named = [(agreement.public_body, "name"), (agreement.unit, "name")]
        named += [(agreement.chain, "name"), (version, "title")]
        self.language_warning = untranslated_names(language, named)

    def params(self) -> dict[str, Any]:
        data = self.cleaned_data
        return params_validated(
            DecideParams, {"outcome": data["outcome"], "reasons": data["reasons"]}
        )


class RequestRectificationForm(_Commented):
    comment = comment_field(
        _("Grounds of the request for rectification"),
        insist=True,
        help_text=_("What should be changed in the decision, and why."),
    )


RECTIFICATION_OUTCOMES = [
    (RectificationOutcome.UPHELD, pgettext_lazy("rectification", "Uphold the decision")),
    (RectificationOutcome.CHANGED, pgettext_lazy("rectification", "Change the decision")),
]


class DecideRectificationForm(_Commented):
    """The decision on a request for rectification: upheld, or changed (an approval becomes a
    rejection, a rejection an approval)."""

    outcome = _outcome(DecideRectificationParams, RECTIFICATION_OUTCOMES)
    reasons = _reasons(DecideRectificationParams)
    comment = comment_field(pgettext_lazy("decision", "Comment"))

    def params(self) -> dict[str, Any]:
        data = self.cleaned_data
        return params_validated(
            DecideRectificationParams, {"outcome": data["outcome"], "reasons": data["reasons"]}
        )


class CommentForm(forms.Form):
    body = text_field(_("Your comment"))


# --- the agreement's transitions, meetings and attachments ----------------------------------


class RenewForm(_Commented):
    starts_on = param(
        RenewParams,
        "starts_on",
        label=_("The new term starts on"),
        help_text=_("Empty: the day after the current term ends."),
    )
    ends_on = param(
        RenewParams,
        "ends_on",
        label=_("The new term ends on"),
        help_text=_("Empty: as long a term as the current one."),
    )
    comment = comment_field(pgettext_lazy("renewal", "Comment"))

    def params(self) -> dict[str, Any]:
        return params_validated(
            RenewParams, {k: self.cleaned_data[k] for k in ("starts_on", "ends_on")}
        )


class TerminateForm(_Commented):
    reason = param(
        TerminateParams, "reason", label=_("Reason for terminating the agreement"), rows=4
    )
    notice_given_on = param(
        TerminateParams, "notice_given_on", label=_("Notice given on"), help_text=_("Empty: today.")
    )

    def params(self) -> dict[str, Any]:
        return params_validated(
            TerminateParams, {k: self.cleaned_data[k] for k in ("reason", "notice_given_on")}
        )


class ProposeCancellationForm(_Commented):
    reason = param(
        ProposeCancellationParams, "reason", label=_("Reason for cancelling the agreement"), rows=4
    )

    def params(self) -> dict[str, Any]:
        return params_validated(ProposeCancellationParams, {"reason": self.cleaned_data["reason"]})


class CancelByDecisionForm(_Commented):
    reasons = _reasons(CancelByDecisionParams)

    def params(self) -> dict[str, Any]:
        return params_validated(CancelByDecisionParams, {"reasons": self.cleaned_data["reasons"]})


class MeetingAddForm(forms.Form):
    due_on = date_field(_("To be held by"))


class MeetingRecordForm(forms.Form):
    held_on = date_field(_("Held on"))
    notes = text_field(
        _("Record of the meeting"), max_length=50000, help_text=_("What was agreed.")
    )
    minutes = forms.FileField(
        label=_("Minutes"),
        required=False,
        help_text=_("PDF, Word, OpenDocument or an image; up to 10 MB."),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File to attach"))


# --- evaluations ---------------------------------------------------------------------------


class EvaluationSubmitForm(ConfirmForm):
    """A figure and a comment for each goal of the terms in force, and the year's report."""

    report = param(
        SubmitEvaluationParams,
        "report",
        label=_("How the year went"),
        help_text=_("What was done together, what worked and what did not."),
        rows=4,
    )

    def __init__(self, *args: Any, goals: list[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        for goal in goals:
            self.fields[f"value_{goal.pk}"] = param(ResultParams, "value", label=goal.indicator)
            self.fields[f"comment_{goal.pk}"] = param(
                ResultParams,
                "comment",
                label=_("Comment on the goal “%(goal)s”") % {"goal": goal.title},
                rows=4,
            )

    def goal_rows(self) -> list[tuple[Goal, Any, Any]]:
        return [(g, self[f"value_{g.pk}"], self[f"comment_{g.pk}"]) for g in self.goals]

    def params(self) -> dict[str, Any]:
        data = self.cleaned_data
        return params_validated(
            SubmitEvaluationParams,
            {
                "report": data["report"],
                "results": [
                    {
                        "goal": g.pk,
                        "value": data[f"value_{g.pk}"],
                        "comment": data[f"comment_{g.pk}"],
                    }
                    for g in self.goals
                ],
            },
        )


class EvaluateForm(_Commented):
    assessment = param(EvaluateParams, "assessment", label=_("Your assessment"), rows=4)
    goals_met = forms.TypedMultipleChoiceField(
        label=_("Goals met"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the goals that were met; the rest count as not met."),
    )
    meeting_id = forms.TypedChoiceField(
        label=_("The cooperation meeting where the evaluation was discussed"), coerce=int
    )

    def __init__(self, *args: Any, goals: list[Goal], meetings: list[Meeting], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goals_met"].choices = [(g.pk, g.title) for g in goals]
        self.fields["meeting_id"].choices = [(m.pk, m.label) for m in meetings]

    def params(self) -> dict[str, Any]:
        data = self.cleaned_data
        return params_validated(
            EvaluateParams, {k: data[k] for k in ("assessment", "meeting_id", "goals_met")}
        )


class ReturnEvaluationForm(_Commented):
    comment = comment_field(_("What the evaluation lacks"), insist=True)
    due_on = param(
        ReturnEvaluationParams,
        "due_on",
        label=_("New due date"),
        help_text=_("Empty: the usual completion period from today."),
    )

    def params(self) -> dict[str, Any]:
        return params_validated(ReturnEvaluationParams, {"due_on": self.cleaned_data["due_on"]})
