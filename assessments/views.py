"""The officials' pages of the assessment: scoring an application, and the call's ranking.
The application's workbench page shows the scores side by side (templatetags/assessments.py)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import selectors, services
from assessments.api import application_for_assessor
from assessments.models import Criterion, Reviewer
from organisations.languages import in_language
from organisations.models import OfficialRole
from organisations.roles import roles_of
from portal.portals import portal_required
from workflow.errors import TransitionConflict
from workflow.transitions import is_disqualified

Role = OfficialRole.Role


class ScoresForm(forms.Form):
    """A score and a comment per criterion of the call, each within its scale."""

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "fi"
        for criterion in criteria:
            self.fields[f"value_{criterion.pk}"] = forms.IntegerField(
                label=in_language(criterion, "name", language),
                min_value=criterion.scale_min,
                max_value=criterion.scale_max,
                help_text=_("From %(low)s to %(high)s.")
                % {"low": criterion.scale_min, "high": criterion.scale_max},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”")
                % {"criterion": in_language(criterion, "name", language)},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.criteria = criteria

    def given(self) -> list[services.Given]:
        return [
            services.Given(
                criterion=c.pk,
                value=self.cleaned_data[f"value_{c.pk}"],
                comment=self.cleaned_data[f"comment_{c.pk}"],
            )
            for c in self.criteria
        ]


@portal_required("officials")
def score(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewer's scoring form; a bad score comes back with its message (400), nothing
    saved."""
    application = application_for_assessor(request.user, pk)
    criteria = selectors.criteria_of(application.call_id)
    if not criteria or not selectors.is_reviewer(request.user, application):
        raise Http404
    own = {s.criterion_id: s for s in application.scores.filter(reviewer=request.user)}
    initial = {}
    for criterion_id, existing in own.items():
        initial[f"value_{criterion_id}"] = existing.value
        initial[f"comment_{criterion_id}"] = existing.comment
    status = 200
    form = ScoresForm(
        request.POST if request.method == "POST" else None, criteria=criteria, initial=initial
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.scores_record(application, reviewer=request.user, given=form.given())
            except ValidationError as error:
                form.add_error(None, error.messages)
            except (PermissionDenied, TransitionConflict) as refusal:
                messages.error(request, str(getattr(refusal, "message", refusal)))
                return redirect(reverse("officials:application", args=[application.pk]))
            else:
                messages.success(request, _("Your scores are saved."))
                return redirect(reverse("officials:application", args=[application.pk]))
        status = 400
    return render(
        request,
        "assessments/score.html",
        {
            "application": application,
            "form": form,
            "disqualified": is_disqualified(application, request.user),
        },
        status=status,
    )


def _call_of_official(request: HttpRequest, pk: int) -> Any:
    """The call when the person is an official of its body, else 404."""
    call_model = Criterion._meta.get_field("call").related_model
    try:
        call = call_model.objects.get(pk=pk)
    except call_model.DoesNotExist:
        raise Http404 from None
    if call.public_body_id not in roles_of(request.user).all_public_bodies:
        raise Http404
    return call


class ReviewerForm(forms.Form):
    """Whom the preparer assigns: an official of the call's body, for one submitted
    application or for all of them."""

    user = forms.ModelChoiceField(queryset=None, label=_("Reviewer"))
    application = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Application"),
        empty_label=_("Every application of the call"),
    )

    def __init__(self, *args: Any, call: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_model = Reviewer._meta.get_field("user").related_model
        self.fields["user"].queryset = (
            user_model.objects.filter(official_roles__public_body_id=call.public_body_id)
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["application"].queryset = (
            selectors.application_model()
            .objects.filter(call_id=call.pk, state__in=selectors.scoreable_states())
            .select_related("association")
        )
        self.fields["application"].label_from_instance = lambda a: a.association.name


@portal_required("officials")
def reviewers(request: HttpRequest, pk: int) -> HttpResponse:
    """The call's reviewers; the preparer assigns one (a refusal or a repeat is a 400 with
    its message, nothing saved)."""
    call = _call_of_official(request, pk)
    form = ReviewerForm(request.POST if request.method == "POST" else None, call=call)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.reviewer_assign(
                    call,
                    form.cleaned_data["user"],
                    actor=request.user,
                    application=form.cleaned_data["application"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("The reviewer is assigned."))
                return redirect(reverse("assessments:reviewers", args=[call.pk]))
        status = 400
    assigned = (
        Reviewer.objects.filter(call=call)
        .select_related("user", "application__association")
        .order_by("pk")
    )
    return render(
        request,
        "assessments/reviewers.html",
        {
            "call": call,
            "form": form,
            "reviewers": assigned,
            "may_assign": call.public_body_id
            in roles_of(request.user).public_bodies(Role.PREPARER, Role.ADMINISTRATOR),
        },
        status=status,
    )


@portal_required("officials")
@require_POST
def reviewer_remove(request: HttpRequest, pk: int, reviewer_pk: int) -> HttpResponse:
    """The preparer removes an assignment (the button beside it on the reviewers' page); the
    reviewer's scores stop counting. Another call's assignment is not found (404)."""
    call = _call_of_official(request, pk)
    reviewer = get_object_or_404(Reviewer.objects.select_related("call"), pk=reviewer_pk, call=call)
    services.reviewer_remove(reviewer, actor=request.user)  # another official: 403
    messages.success(request, _("The reviewer was removed: their scores no longer count."))
    return redirect(reverse("assessments:reviewers", args=[call.pk]))


@portal_required("officials")
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    """The call's applications by weighted total, for its body's officials."""
    call = _call_of_official(request, pk)
    return render(
        request,
        "assessments/ranking.html",
        {"call": call, "ranked": selectors.ranking_for_call(call)},
    )
