"""The association's own state changes of an application, each confirmed on a page of its
own: withdrawing it, requesting rectification of its decision, and the follow-up report."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from grants.portal.common import (
    PORTAL,
    S,
    application_or_404,
    back_to_application,
    is_representative,
    report_of,
)
from grants.portal_forms import RectificationForm, ReportForm, WithdrawForm
from portal.pages import breadcrumbs
from portal.portals import portal_required
from portal.posting import refused, transition_post
from portal.templatetags.formats import money
from workflow.history import history_for
from workflow.transitions import available_transitions


def _confirm(
    request: HttpRequest,
    pk: int,
    *,
    transition: str,
    form_class: type[Form],
    template: str,
    title: str | Promise,
    not_representative: str,
    not_now: str,
    done: str,
) -> HttpResponse:
    """A page where a representative confirms a state change of the application with a
    comment: the form, then the change. Someone else of the association gets 403 (with
    `not_representative`), a representative whose application's state no longer allows it
    `not_now` on the application's page; an invalid comment is 400 with nothing saved."""
    application = application_or_404(request.user, pk)
    if transition not in available_transitions(application, request.user):
        if not is_representative(request.user, application):
            raise PermissionDenied(not_representative)
        messages.error(request, not_now)
        return redirect("associations:application", pk=application.pk)
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        performed = transition_post(
            request,
            application,
            transition,
            form,
            back=reverse("associations:application", args=[application.pk]),
            done=done,
            conflict=back_to_application(request, application),
        )
        if performed is not None:
            return performed
    return render(
        request,
        template,
        {
            "application": application,
            "form": form,
            "breadcrumbs": breadcrumbs(
                (
                    application.call.name,
                    reverse("associations:application", args=[application.pk]),
                ),
                (title, None),
            ),
        },
        status=status,
    )


@portal_required(PORTAL)
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw the application, until it has been decided: it will not be handled."""
    return _confirm(
        request,
        pk,
        transition="withdraw",
        form_class=WithdrawForm,
        template="associations/withdraw.html",
        title=gettext_lazy("Withdraw the application"),
        not_representative=_("Only the association's representatives withdraw its applications."),
        not_now=_("The application can no longer be withdrawn."),
        done=_("The application was withdrawn."),
    )


@portal_required(PORTAL)
@require_http_methods(["GET", "POST"])
def rectification(request: HttpRequest, pk: int) -> HttpResponse:
    """A request for rectification of the decision, within the appeal period (Local Government
    Act 134 §: 14 days from notification)."""
    return _confirm(
        request,
        pk,
        transition="file_rectification",
        form_class=RectificationForm,
        template="associations/rectification.html",
        title=gettext_lazy("Request for rectification"),
        not_representative=_("Only the association's representatives request rectification."),
        not_now=_("A request for rectification cannot be made now."),
        done=_("The request for rectification was filed. You will get its decision."),
    )


@portal_required(PORTAL)
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The follow-up report, due once the grant has been paid (or again when it came back)."""
    app = application_or_404(request.user, pk)
    refusal = refused(app, "submit_report", request.user)
    if refusal == "conflict":
        messages.error(request, _("A report is not due for this application now."))
        return redirect("associations:application", pk=app.pk)
    if refusal == "forbidden":
        raise PermissionDenied(_("Only the association's representatives submit its reports."))
    previous = report_of(app)
    initial = (
        {"activities": previous.activities, "amount_used": previous.amount_used} if previous else {}
    )
    form = ReportForm(request.POST or None, initial=initial, granted=money(app.granted_amount))
    status = 200
    if request.method == "POST":
        status = 400
        performed = transition_post(
            request,
            app,
            "submit_report",
            form,
            params=form.params,
            back=reverse("associations:application", args=[app.pk]),
            done=_("The report was sent. Thank you."),
            conflict=back_to_application(request, app),
        )
        if performed is not None:
            return performed
    returned = None
    if app.state == S.REPORT_RETURNED:
        returned = (
            history_for(request.user, app)
            .filter(transition="return_report")
            .order_by("-at", "-id")
            .first()
        )
    return render(
        request,
        "associations/report.html",
        {
            "application": app,
            "form": form,
            "returned": returned,
            "breadcrumbs": breadcrumbs(
                (app.call.name, reverse("associations:application", args=[app.pk])),
                (gettext_lazy("Follow-up report"), None),
            ),
        },
        status=status,
    )
