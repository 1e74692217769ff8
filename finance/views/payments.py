"""One payable's page: a payment recorded after the person has seen what will be recorded and
confirmed it (finance.payables `payment_record_for`), and a reversing entry with a reason
(`payment_reverse_for`), both the subject's own transitions."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from finance import batches as payment_batches
from finance import payables
from finance.forms import (
    PaymentConfirmForm,
    PaymentForm,
    ReversalForm,
)
from finance.models import Payable
from finance.views.common import decorate, payment_form_id, refusal_on_form, row_or_404
from portal.portals import portal_required, safe_next
from workflow import formats
from workflow.errors import TransitionConflict


def _row_fragment(
    request: HttpRequest, row: Any, *, next_url: str, focus: str = "", status: int = 200
) -> HttpResponse:
    """The payable's rows of the inbox table (a <tbody>), for htmx to swap in, with the
    messages swapped into the page's message area. `focus` names what takes the keyboard's
    focus after the swap (app.js, data-swap-focus): the confirmation ("confirm"), the form
    ("form") or the row itself ("row")."""
    return render(
        request,
        "finance/_inbox_row.html",
        {"row": row, "next_url": next_url, "selected": set(), "swap": True, "focus": focus},
        status=status,
    )


def _reversible(row: payment_batches.InboxRow) -> list[tuple[int, str]]:
    """The payments of the row that stand, as the reversal form offers them."""
    language = translation.get_language()
    return [
        (
            payment.pk,
            " · ".join(
                part
                for part in (
                    formats.local_date(payment.paid_on, language),
                    formats.money(payment.amount, language),
                    payment.reference,
                )
                if part
            ),
        )
        for payment in payables.standing(row.entries)
    ]


def _payable_page(
    request: HttpRequest,
    row: payment_batches.InboxRow,
    *,
    form: PaymentForm | None = None,
    reversal: ReversalForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The payable's page: details, documents, the ledger, and the forms to record a payment
    (while money is left) and to reverse one (while a payment stands)."""
    row = decorate([row], with_forms=True)[0]
    if form is not None:
        row.form = form
    choices = _reversible(row)
    if reversal is None and choices:
        reversal = ReversalForm(payments=choices, auto_id="reversal_%s")
    return render(
        request,
        "finance/payable.html",
        {
            "row": row,
            "form": row.form,
            "reversal": reversal,
            "entries": row.entries,
            "next_url": reverse("finance:payable", args=[row.payable.pk]),
            "breadcrumbs": [
                (_("Finance"), reverse("finance:home")),
                *(
                    [(_("Recovery claims"), reverse("finance:recovery_claims"))]
                    if row.payable.kind == Payable.Kind.RECOVERY
                    else []
                ),
                (row.payable.association.name, None),
            ],
        },
        status=status,
    )


@portal_required("finance")
@require_http_methods(["GET", "POST"])
def payable(request: HttpRequest, pk: int) -> HttpResponse:
    """A payable: its details, documents, batches and ledger, the form to record a payment and
    the one to reverse a payment.

    Recording a payment takes two steps, and the inbox's rows post here too. The person types
    what the bank statement says (nothing is filled in); `step=check` checks it against every
    rule of the payment without recording it and shows payee, IBAN, amount, day and decision
    to confirm; only `step=confirm` records it. `step=change` goes back to the form with the
    values. A second press of the confirming button records nothing (`entries_seen`)."""
    user = request.user
    row = row_or_404(user, pk)
    if request.method == "GET":
        return _payable_page(request, row)
    next_url = safe_next(request, reverse("finance:home"))
    step = request.POST.get("step", "check")
    auto_id = payment_form_id(pk)
    form = PaymentForm(request.POST, auto_id=auto_id)
    status = 200
    if step == "confirm":
        confirmed = PaymentConfirmForm(request.POST, auto_id=auto_id)
        status = 400
        if confirmed.is_valid():
            data = confirmed.cleaned_data
            try:
                payables.payment_record_for(
                    pk,
                    user=user,
                    amount=data["amount"],
                    paid_on=data["paid_on"],
                    reference=data["reference"],
                    entries_seen=data["entries_seen"],
                )
            except Payable.DoesNotExist:
                raise Http404 from None
            except (ValidationError, TransitionConflict) as error:
                form.is_valid()
                status = refusal_on_form(form, error)
            else:
                return _recorded(request, pk, next_url=next_url)
        elif form.is_valid():
            # Confirmed without the confirmation's own inputs: checked again, never recorded.
            form.add_error(None, _("Check the payment before recording it."))
    elif step == "change":
        # The values as they were typed, shown in the page's notation ("5000,00" in Finnish).
        shown = PaymentConfirmForm(request.POST, auto_id=auto_id)
        if shown.is_valid():
            form = PaymentForm(initial=shown.cleaned_data, auto_id=auto_id)
        else:
            form.is_valid()
    elif form.is_valid():
        try:
            payables.payment_check_for(pk, user=user, **form.cleaned_data)
        except Payable.DoesNotExist:
            raise Http404 from None
        except (ValidationError, TransitionConflict) as error:
            status = refusal_on_form(form, error)
        else:
            return _confirmation(request, row, form, next_url=next_url)
    else:
        status = 400
    if request.htmx:
        row = decorate([row])[0]
        row.form = form
        return _row_fragment(request, row, next_url=next_url, focus="form", status=status)
    return _payable_page(request, row, form=form, status=status)


def _confirmation(
    request: HttpRequest, row: payment_batches.InboxRow, form: PaymentForm, *, next_url: str
) -> HttpResponse:
    """What a checked payment will record, to be confirmed: in the inbox's row for htmx, a
    page of its own otherwise."""
    pk = row.payable.pk
    row = decorate([row])[0]
    row.confirm = PaymentConfirmForm.of(
        form, entries_seen=len(row.entries), auto_id=payment_form_id(pk)
    )
    row.left_after = row.remaining - form.cleaned_data["amount"]
    if request.htmx:
        return _row_fragment(request, row, next_url=next_url, focus="confirm")
    return render(
        request,
        "finance/payment_confirm.html",
        {
            "row": row,
            "next_url": next_url,
            "breadcrumbs": [
                (_("Finance"), reverse("finance:home")),
                (row.payable.association.name, reverse("finance:payable", args=[pk])),
                (_("Check the payment"), None),
            ],
        },
    )


def _recorded(request: HttpRequest, pk: int, *, next_url: str) -> HttpResponse:
    row = decorate([row_or_404(request.user, pk)])[0]
    messages.success(
        request,
        _("Payment recorded for %(payee)s (%(number)s).")
        % {"payee": row.payable.association.name, "number": row.payable.decision_number},
    )
    if request.htmx:
        return _row_fragment(request, row, next_url=next_url, focus="row")
    return redirect(f"{next_url}#payable-{pk}")


@portal_required("finance")
@require_GET
def payment_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The form to record a payment of an inbox row, for htmx to load when the row is opened;
    anyone else goes to the payable's page, which has the same form."""
    row = decorate([row_or_404(request.user, pk)], with_forms=True)[0]
    if not request.htmx:
        return redirect(reverse("finance:payable", args=[pk]) + "#record-payment")
    if row.form is None:
        return HttpResponse(format_html("<p>{}</p>", _("Paid in full")))
    return render(
        request,
        "finance/_payment_form.html",
        {
            "row": row,
            "form": row.form,
            "in_row": True,
            "next_url": safe_next(request, reverse("finance:home")),
        },
    )


@portal_required("finance")
@require_POST
def payment_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    """Reverse one of the payable's payments, with the reason: the subject's
    `reverse_payment` transition writes the reversing entry (finance.payables)."""
    user = request.user
    row = row_or_404(user, pk)
    form = ReversalForm(request.POST, payments=_reversible(row), auto_id="reversal_%s")
    status = 400
    if form.is_valid():
        try:
            payables.payment_reverse_for(
                pk,
                user=user,
                payment_id=form.cleaned_data["payment_id"],
                reason=form.cleaned_data["reason"],
            )
        except Payable.DoesNotExist:
            raise Http404 from None
        except (ValidationError, TransitionConflict) as error:
            status = refusal_on_form(form, error)
        else:
            label = dict(form.fields["payment_id"].choices)[form.cleaned_data["payment_id"]]
            messages.success(request, _("Payment %(payment)s reversed.") % {"payment": label})
            return redirect(reverse("finance:payable", args=[pk]) + "#payments")
    return _payable_page(request, row, reversal=form, status=status)
