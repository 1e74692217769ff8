"""The official workbench's forms: the application filters and one form per action.

An action form's fields are its transition's parameters as the API declares them
(`grants.serializers.TRANSITION_PARAMS`, through `portal.params.param`): the form adds the
labels and reads what a person types (localised amounts such as "5 000,00", dates from a date
picker), and its `params()` go through the same serializer, so the page and the API accept
exactly the same.
"""

from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grants.in_kind import YEARS
from grants.models import Application
from grants.serializers import (
    TRANSITION_PARAMS,
    DecideParams,
    DecideRectificationParams,
    DueDateParams,
    NotifyParams,
    RecordStepParams,
)
from organisations.languages import matter_language_help, untranslated_names
from portal.forms import PAGE_NOTATION
from portal.params import param, params_validated
from premises.models import Premises
from workflow.api import DisqualificationSerializer, TransitionRequestSerializer


def _usual_period() -> str:
    return _("Leave empty for the usual period of %(days)s days.") % {
        "days": settings.COMPLETION_PERIOD_DAYS
    }


# --- filters -------------------------------------------------------------------------------


class ApplicationFilterForm(forms.Form):
    """The applications list's filters (GET): all optional."""

    q = forms.CharField(
        label=pgettext_lazy("workbench", "Search"),
        required=False,
        max_length=200,
        help_text=_("Association name, business ID or decision number."),
    )
    call = forms.ModelChoiceField(
        label=pgettext_lazy("workbench", "Call"),
        queryset=None,
        required=False,
        empty_label=pgettext_lazy("workbench", "All calls"),
    )
    state = forms.ChoiceField(label=pgettext_lazy("workbench", "State"), required=False)
    decision_number = forms.CharField(
        label=pgettext_lazy("workbench", "Decision number"), required=False, max_length=30
    )
    waiting = forms.BooleanField(label=_("Only those waiting for my step"), required=False)

    def __init__(self, *args: Any, calls: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls
        self.fields["state"].choices = [("", pgettext_lazy("workbench", "All states"))] + [
            (value, label)
            for value, label in Application.State.choices
            if value != Application.State.DRAFT
        ]


# --- actions -------------------------------------------------------------------------------


class ActionForm(forms.Form):
    """A transition's form: an optional comment, the transition's parameters, a button."""

    transition: ClassVar[str] = ""
    heading: ClassVar[Any] = ""
    button: ClassVar[Any] = ""
    intro: ClassVar[Any] = ""
    comment_label: ClassVar[Any] = pgettext_lazy("workbench", "Comment")
    comment_required: ClassVar[bool] = False

    def __init__(self, *args: Any, application: Application | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.transition)
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["comment"] = param(
            TransitionRequestSerializer,
            "comment",
            label=self.comment_label,
            rows=3,
            insist=self.comment_required,
        )

    @classmethod
    def takes_params(cls) -> bool:
        return cls.transition in TRANSITION_PARAMS

    def params(self) -> dict[str, Any]:
        """The parameters as the API's serializer takes them, its defaults for those left
        empty; a ValidationError (on the field it names) if it refuses one."""
        return params_validated(
            TRANSITION_PARAMS[self.transition],
            {name: value for name, value in self.cleaned_data.items() if name != "comment"},
        )


class StartReviewForm(ActionForm):
    transition = "start_review"
    heading = _("Start the review")
    button = _("Start the review")
    intro = _("The application goes to the call's approval chain; its first step waits for you.")


class RequestCompletionForm(ActionForm):
    transition = "request_completion"
    heading = pgettext_lazy("workbench", "Request completion")
    button = _("Send the request for completion")
    comment_label = _("What should the applicant complete?")
    comment_required = True

    due_on = param(DueDateParams, "due_on", label=_("Due date"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due_on"].help_text = _usual_period()


class RecordStepForm(ActionForm):
    transition = "record_step"
    heading = _("Record the step")
    button = _("Record the step")
    intro = _("Your proposal goes to the next step of the approval chain.")

    proposed_amount = param(
        RecordStepParams,
        "proposed_amount",
        label=_("Proposed amount (€)"),
        notation=PAGE_NOTATION,
    )
    reasons = param(RecordStepParams, "reasons", label=_("Reasons"), rows=5)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.application is not None:
            self.fields["proposed_amount"].initial = self.application.requested_amount


class DecisionTextForm(ActionForm):
    """An action whose texts go into the decision document, written in the language of the
    matter (the association's, Language Act 423/2003 10 §): each of `decision_texts` says
    which language beside it, and the form warns when a name the decision states has no
    text in that language yet (`language_warning`)."""

    decision_texts: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language_warning = ""
        if self.application is None:
            return
        language = self.application.association.language
        for name in self.decision_texts:
            field = self.fields[name]
            field.help_text = matter_language_help(language, field.help_text)
        call = self.application.call
        self.language_warning = untranslated_names(
            language,
            [(call.public_body, "name"), (call.unit, "name"), (call, "name"), (call.chain, "name")],
        )


class DecideForm(DecisionTextForm):
    transition = "decide"
    decision_texts = ("reasons", "conditions")
    heading = pgettext_lazy("workbench", "Decide")
    button = _("Make the decision")
    intro = _(
        "The decision states its reasons (Administrative Procedure Act 45 §); the decision "
        "document is made once it is saved."
    )

    outcome = param(
        DecideParams,
        "outcome",
        label=pgettext_lazy("workbench", "Outcome"),
        widget=forms.RadioSelect,
    )
    granted_amount = param(
        DecideParams,
        "granted_amount",
        label=_("Granted amount (€)"),
        help_text=_("Leave empty when the application is rejected."),
        notation=PAGE_NOTATION,
    )
    reasons = param(DecideParams, "reasons", label=_("Reasons"), rows=5)
    conditions = param(DecideParams, "conditions", label=_("Conditions"), rows=3)


class NotifyForm(ActionForm):
    transition = "notify"
    heading = _("Send the decision")
    button = _("Send the decision")
    intro = _(
        "Electronically, the decision goes now to the association's representatives and its "
        "contact address with the document enclosed, and is deemed received on the 3rd day "
        "after the message goes. By letter, post the printed decision (Letters to post) and "
        "record the day it was posted: it is deemed received on the 7th day."
    )

    channel = param(NotifyParams, "channel", label=_("Sent by"), widget=forms.RadioSelect)
    sent_on = param(
        NotifyParams,
        "sent_on",
        label=_("Posted on"),
        help_text=_("For a letter: the day it was posted. Empty means today."),
    )


class DecideRectificationForm(DecisionTextForm):
    transition = "decide_rectification"
    decision_texts = ("reasons",)
    heading = _("Decide the request for rectification")
    button = _("Decide the request")

    outcome = param(
        DecideRectificationParams,
        "outcome",
        label=pgettext_lazy("workbench", "Outcome"),
        widget=forms.RadioSelect,
    )
    granted_amount = param(
        DecideRectificationParams,
        "granted_amount",
        label=_("Changed amount (€)"),
        help_text=_("Only when the decision is changed."),
        notation=PAGE_NOTATION,
    )
    reasons = param(DecideRectificationParams, "reasons", label=_("Reasons"), rows=5)


class BecomeLegallyValidForm(ActionForm):
    transition = "become_legally_valid"
    heading = _("Mark legally valid")
    button = _("Mark legally valid")
    intro = _("The appeal period has ended with no request for rectification.")


class CloseForm(ActionForm):
    transition = "close"
    heading = pgettext_lazy("workbench", "Close the application")
    button = pgettext_lazy("workbench", "Close the application")
    intro = _("Nothing was granted, so there is nothing to pay or report.")


class AcceptReportForm(ActionForm):
    transition = "accept_report"
    heading = _("Accept the report")
    button = _("Accept the report")
    intro = _("Accepting the report closes the application.")


class ReturnReportForm(ActionForm):
    transition = "return_report"
    heading = _("Return the report")
    button = _("Return the report")
    comment_label = _("What does the report lack?")
    comment_required = True

    due_on = param(DueDateParams, "due_on", label=_("Due date"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due_on"].help_text = _usual_period()


ACTION_FORMS: dict[str, type[ActionForm]] = {
    form.transition: form
    for form in (
        StartReviewForm,
        RequestCompletionForm,
        RecordStepForm,
        DecideForm,
        NotifyForm,
        DecideRectificationForm,
        BecomeLegallyValidForm,
        CloseForm,
        AcceptReportForm,
        ReturnReportForm,
    )
}


class DisqualificationForm(forms.Form):
    heading = _("Declare a conflict of interest")
    button = _("Declare a conflict of interest")
    intro = ""

    reason = param(
        DisqualificationSerializer,
        "reason",
        label=_("Why are you disqualified?"),
        rows=3,
        help_text=_(
            "Administrative Procedure Act 28 §: for example a close relative in the "
            "association's board. From now on another official acts instead of you."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "disqualification")
        super().__init__(*args, **kwargs)


class InKindForm(forms.Form):
    """In-kind support (grants.in_kind): a year's hours of free use of an entry of the
    body's catalogue of premises; 0 hours removes them."""

    prefix = "in_kind"
    heading = _("Set in-kind support")
    button = _("Save the in-kind support")
    intro = _("Free use of the body's premises granted with the application: 0 hours removes it.")

    premises = forms.ModelChoiceField(label=_("Premises"), queryset=Premises.objects.none())
    year = forms.IntegerField(
        label=pgettext_lazy("resource", "Year"), min_value=YEARS.start, max_value=YEARS.stop - 1
    )
    hours = forms.DecimalField(
        label=_("Hours in the year"), min_value=0, max_digits=8, decimal_places=1
    )

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["premises"].queryset = Premises.objects.filter(
            public_body_id=application.public_body_id, active=True
        ).order_by("name")
