"""Drafting terms: a new agreement, a new version (a counter-proposal or an amendment), a
draft edited. The terms form with its goals and resources as formsets."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from agreements import services, terms
from agreements.models import Agreement, AgreementVersion
from agreements.portal.pages import PORTAL, agreement_crumbs, agreement_or_404, draft_base
from agreements.portal.versions import version_or_404
from agreements.portal_forms import (
    AgreementCreateForm,
    GoalFormSet,
    ResourceFormSet,
    TermsForm,
    premises_offered,
    rows_of,
)
from agreements.rules import side_of
from organisations.models import Association, AssociationRole, OfficialRole, PublicBody
from organisations.roles import roles_of
from portal.portals import portal_required
from portal.posting import form_post

S = AgreementVersion.State


def _formset(
    cls: type,
    request: HttpRequest,
    prefix: str,
    initial: list,
    extra: int,
    form_kwargs: dict[str, Any] | None = None,
):
    """A formset of rows; on the page's "add a row" button one more blank row, without
    JavaScript."""
    form_kwargs = form_kwargs or {}
    if request.method != "POST":
        formset = cls(prefix=prefix, initial=initial, form_kwargs=form_kwargs)
        formset.extra = extra
        return formset
    data = request.POST
    if data.get("add") == prefix:
        data = data.copy()
        key = f"{prefix}-TOTAL_FORMS"
        try:
            total = int(data.get(key, ""))
        except ValueError:
            total = len(initial)
        data[key] = str(min(total + 1, cls.absolute_max))
    # Posted rows are taken as they come: a blank row is skipped whatever row it replaced.
    return cls(data, prefix=prefix, form_kwargs=form_kwargs)


def _terms_initial(version: AgreementVersion) -> dict[str, Any]:
    data = terms.terms_of(version)
    return {name: data[name] for name in terms.TERM_FIELDS}


@dataclass
class TermsForms:
    form: forms.Form
    goals: forms.BaseFormSet
    resources: forms.BaseFormSet
    adding: bool

    def valid(self) -> bool:
        # Every part is validated, so all errors show at once.
        results = [self.form.is_valid(), self.goals.is_valid(), self.resources.is_valid()]
        return all(results)

    def terms(self) -> dict[str, Any]:
        return {
            **self.form.terms(),
            "goals": rows_of(self.goals),
            "resources": rows_of(self.resources),
        }

    @property
    def has_errors(self) -> bool:
        return self.form.is_bound and bool(
            self.form.errors or self.goals.total_error_count() or self.resources.total_error_count()
        )

    @property
    def submitted(self) -> bool:
        """Posted to be saved, not to add a row."""
        return self.form.is_bound and not self.adding


def _terms_submit(
    request: HttpRequest, parts: TermsForms, write: Callable[[], Any], **how: Any
) -> HttpResponse | None:
    """`submit` for the terms and their rows, once they are submitted: every part is
    checked, and the service's errors go to the terms form."""
    if not parts.submitted:
        return None
    return form_post(request, parts.form, write, valid=parts.valid(), **how)


def _terms_forms(
    request: HttpRequest,
    form_class: type[TermsForm],
    *,
    version: AgreementVersion | None,
    form_kwargs: dict[str, Any] | None = None,
    initial: dict[str, Any] | None = None,
) -> TermsForms:
    data = request.POST if request.method == "POST" else None
    rows = terms.terms_of(version) if version is not None else {"goals": [], "resources": []}
    goals, resources = rows["goals"], rows["resources"]
    parts = TermsForms(
        form=form_class(data, initial=initial or {}, **(form_kwargs or {})),
        goals=_formset(GoalFormSet, request, "goals", goals, extra=1 if goals else 2),
        resources=_formset(
            ResourceFormSet,
            request,
            "resources",
            resources,
            extra=2,
            form_kwargs={
                "premises": premises_offered(
                    version.agreement.public_body_id if version is not None else None, resources
                )
            },
        ),
        adding=data is not None and data.get("add") in ("goals", "resources"),
    )
    if parts.adding:
        # A row added is not a submission: what is half filled in shows no errors yet.
        for form in (parts.form, *parts.goals.forms, *parts.resources.forms):
            form._errors = ErrorDict()
            form.cleaned_data = {}
        for formset in (parts.goals, parts.resources):
            formset._errors = [ErrorDict() for _form in formset.forms]
            formset._non_form_errors = formset.error_class()
    return parts


def _terms_page(request: HttpRequest, parts: TermsForms, context: dict[str, Any]) -> HttpResponse:
    """The terms form; once submitted and not saved, with its errors and a 400."""
    return render(
        request,
        "partnerships/terms_form.html",
        {"form": parts.form, "goals": parts.goals, "resources": parts.resources, **context},
        status=400 if parts.submitted else 200,
    )


@portal_required(PORTAL)
def agreement_create(request: HttpRequest) -> HttpResponse:
    """A liaison or an association's representative starts an agreement: the parties, the
    term, its purpose, each side's responsibilities, goals, resources and cadences."""
    user = request.user
    roles = roles_of(user)
    liaison_of = roles.public_bodies(OfficialRole.Role.LIAISON)
    represents = roles.associations(AssociationRole.Role.REPRESENTATIVE)
    if not liaison_of and not represents:
        raise PermissionDenied(_("Only a liaison or an association's representative starts one."))
    bodies = PublicBody.objects.order_by("name")
    if not represents:
        bodies = bodies.filter(pk__in=liaison_of)
    initial = {"associations": sorted(represents)} if represents else {}
    parts = _terms_forms(
        request,
        AgreementCreateForm,
        version=None,
        initial=initial,
        form_kwargs={"bodies": bodies, "associations": Association.objects.order_by("name")},
    )

    def create() -> Agreement:
        data = parts.form.cleaned_data
        associations = list(data["associations"])
        return services.agreement_create(
            user=user,
            public_body=data["public_body"],
            associations=associations,
            terms_given=parts.terms(),
            signatures_required={a.pk: data["signatures_required"] for a in associations},
        )

    answer = _terms_submit(
        request,
        parts,
        create,
        back=reverse("partnerships:home"),
        done=_("The draft has been saved. Only your side sees it until you propose it."),
        then=lambda agreement: redirect("partnerships:version", pk=agreement.pk, number=1),
    )
    if answer:
        return answer
    return _terms_page(
        request,
        parts,
        {
            "title": _("New partnership agreement"),
            "action_url": reverse("partnerships:agreement_create"),
            "button": pgettext_lazy("button", "Save the draft"),
            "breadcrumbs": [
                (_("Partnership agreements"), reverse("partnerships:home")),
                (_("New partnership agreement"), None),
            ],
        },
    )


@portal_required(PORTAL)
def version_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft a new version from the newest terms on the table (a counter-proposal) or from the
    terms in force (an amendment)."""
    agreement = agreement_or_404(request.user, pk)
    side = side_of(request.user, agreement)
    if side is None:
        raise PermissionDenied(_("You act for neither side of this agreement."))
    base, why_not = draft_base(agreement, side)
    if base is None:
        messages.error(request, why_not)
        return redirect("partnerships:agreement", pk=agreement.pk)
    parts = _terms_forms(request, TermsForm, version=base, initial=_terms_initial(base))
    answer = _terms_submit(
        request,
        parts,
        lambda: services.version_draft(
            agreement,
            user=request.user,
            terms_given=parts.terms(),
            change_note=parts.form.cleaned_data["change_note"],
        ),
        back=reverse("partnerships:agreement", args=[agreement.pk]),
        done=_("The new version has been saved as a draft. Propose it when it is ready."),
        then=lambda version: redirect(
            "partnerships:version", pk=agreement.pk, number=version.number
        ),
    )
    if answer:
        return answer
    title = _("New version of %(number)s") % {"number": agreement.number}
    return _terms_page(
        request,
        parts,
        {
            "title": title,
            "lead": _("Starts from version %(number)s. Change what you want to change.")
            % {"number": base.number},
            "agreement": agreement,
            "action_url": reverse("partnerships:version_draft", args=[agreement.pk]),
            "button": pgettext_lazy("button", "Save the draft"),
            "breadcrumbs": agreement_crumbs(agreement, title),
        },
    )


@portal_required(PORTAL)
def version_edit(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Edit a draft: only its author's side, only until it is proposed."""
    version = version_or_404(request.user, pk, number)
    back = reverse("partnerships:version", args=[pk, number])
    if side_of(request.user, version) != version.author_side:
        raise PermissionDenied(_("Only the side that wrote the draft edits it."))
    if version.state != S.DRAFT:
        messages.error(request, _("A proposed version is not edited: draft a new version instead."))
        return redirect(back)
    initial = {**_terms_initial(version), "change_note": version.change_note}
    parts = _terms_forms(request, TermsForm, version=version, initial=initial)
    answer = _terms_submit(
        request,
        parts,
        lambda: services.version_update(
            version,
            user=request.user,
            terms_given=parts.terms(),
            change_note=parts.form.cleaned_data["change_note"],
        ),
        back=back,
        done=_("The draft has been saved."),
    )
    if answer:
        return answer
    title = _("Edit version %(number)s") % {"number": version.number}
    agreement = version.agreement
    return _terms_page(
        request,
        parts,
        {
            "title": title,
            "agreement": agreement,
            "action_url": reverse("partnerships:version_edit", args=[pk, number]),
            "button": pgettext_lazy("button", "Save the draft"),
            "breadcrumbs": [
                (_("Partnership agreements"), reverse("partnerships:home")),
                (agreement.number, reverse("partnerships:agreement", args=[pk])),
                (
                    _("Version %(number)s") % {"number": version.number},
                    back,
                ),
                (title, None),
            ],
        },
    )
