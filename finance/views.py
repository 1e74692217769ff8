"""Finance: payable decisions and agreements, payments and payment batches.

The pages read through finance.batches (`payable_inbox`, `payables_for`, `batches_for`: a
person sees only the payables and batches of the public bodies where they work in finance;
another body's answers 404) and write through finance.payables (`payment_record_for` and
`payment_reverse_for`: the subject's `record_payment` and `reverse_payment` transitions) and
finance.batches (`payment_batch_create`, `payment_batch_mark_sent`).

A payment is recorded only after the person has seen what will be recorded and confirmed it;
a batch's payments are recorded when finance marks it as sent to the bank.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from stdnum import iban as iban_number
from stdnum.exceptions import ValidationError as NumberError

from documents.downloads import docx_response
from documents.selectors import documents_for
from finance import batches, payables
from finance.forms import (
    SUBJECT_KINDS,
    BatchForm,
    BatchSentForm,
    InboxFilterForm,
    PaymentConfirmForm,
    PaymentForm,
    ReversalForm,
)
from finance.models import Payable, Payment, PaymentBatch
from organisations.models import PublicBody
from portal.forms import errors_apply
from portal.portals import portal_required
from workflow import formats
from workflow.api import parse_id
from workflow.errors import TransitionConflict

INBOX_PAGE_SIZE = 50
PAGE_SIZE = 25


# --- helpers ----------------------------------------------------------------------------------


def _iban(value: str) -> str:
    """The IBAN in groups of four, as it is printed on paper: FI21 1234 5600 0007 85."""
    try:
        return iban_number.format(value)
    except NumberError:
        return value


def _payment_form_id(payable_id: int) -> str:
    # Unique ids for the payment form of each row of the inbox.
    return f"payable{payable_id}_%s"


def _decorate(rows: list[batches.InboxRow], *, with_forms: bool = False) -> list[Any]:
    """What the templates show besides the row: the IBAN grouped, the subject's kind in
    words and, for a payable with money left, its payment form."""
    for row in rows:
        row.iban = _iban(row.payable.association.iban)
        row.kind_label = SUBJECT_KINDS.get(row.subject_kind, row.subject_kind)
        row.form = None
        row.confirm = None
        if with_forms and row.remaining > 0:
            row.form = PaymentForm(auto_id=_payment_form_id(row.payable.pk))
    return rows


def _row_or_404(user: Any, payable_id: int) -> batches.InboxRow:
    """One of the person's payables (paid or not) as an inbox row; 404 for another body's."""
    found = batches.inbox_rows(batches.payables_for(user).filter(pk=payable_id), ledger=True)
    if not found:
        raise Http404
    return found[0]


def _safe_next(request: HttpRequest, default: str) -> str:
    target = (request.POST if request.method == "POST" else request.GET).get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _body_choices(user: Any) -> list[tuple[int, str]]:
    """The public bodies the person pays for, by name; a query only when there are several."""
    ids = payables.finance_bodies(user)
    if len(ids) < 2:
        return []
    return list(PublicBody.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name"))


# --- the inbox ----------------------------------------------------------------------------------


def _inbox(
    request: HttpRequest,
    *,
    batch_form: BatchForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    filters = InboxFilterForm(request.GET or None, bodies=_body_choices(user))
    inbox: QuerySet[Payable] = batches.payable_inbox(user)
    if filters.is_bound:
        if filters.is_valid():
            if body := filters.cleaned_data.get("body"):
                inbox = inbox.filter(public_body_id=body)
            if kind := filters.cleaned_data.get("kind"):
                inbox = inbox.filter(content_type__model=kind)
        else:
            status = 400
    page = Paginator(inbox, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    # The rows' payment forms come when a row is opened (payment_form): fifty forms rendered
    # up front would cost more than the rest of the page.
    rows = _decorate(batches.inbox_rows(page.object_list))
    if batch_form is None:
        batch_form = BatchForm()
    # The boxes ticked before a batch came back with errors stay ticked.
    selected = set(map(parse_id, request.POST.getlist("payables")))
    return render(
        request,
        "finance/home.html",
        {
            "filters": filters,
            "page_obj": page,
            "rows": rows,
            "batch_form": batch_form,
            "selected": selected,
            # Back to the inbox as filtered, also when a batch came back with errors.
            "next_url": reverse("finance:home")
            + (f"?{request.GET.urlencode()}" if request.GET else ""),
            "filtered": filters.is_bound and any(filters.data.get(f) for f in filters.fields),
        },
        status=status,
    )


@portal_required("finance")
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The inbox: what the person's bodies must pay now, oldest first."""
    return _inbox(request)


# --- one payable and its payments ---------------------------------------------------------


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


def _reversible(row: batches.InboxRow) -> list[tuple[int, str]]:
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
    row: batches.InboxRow,
    *,
    form: PaymentForm | None = None,
    reversal: ReversalForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The payable's page: details, documents, the ledger, and the forms to record a payment
    (while money is left) and to reverse one (while a payment stands)."""
    row = _decorate([row], with_forms=True)[0]
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
                (row.payable.association.name, None),
            ],
        },
        status=status,
    )


def _refused(form: forms.Form, error: Exception) -> int:
    """A service's refusal on the form: 400 for bad input, 409 for the state of things."""
    if isinstance(error, TransitionConflict):
        form.add_error(None, error.message)
        return 409
    errors_apply(form, error)
    return 400


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
    row = _row_or_404(user, pk)
    if request.method == "GET":
        return _payable_page(request, row)
    next_url = _safe_next(request, reverse("finance:home"))
    step = request.POST.get("step", "check")
    auto_id = _payment_form_id(pk)
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
                status = _refused(form, error)
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
            status = _refused(form, error)
        else:
            return _confirmation(request, row, form, next_url=next_url)
    else:
        status = 400
    if request.htmx:
        row = _decorate([row])[0]
        row.form = form
        return _row_fragment(request, row, next_url=next_url, focus="form", status=status)
    return _payable_page(request, row, form=form, status=status)


def _confirmation(
    request: HttpRequest, row: batches.InboxRow, form: PaymentForm, *, next_url: str
) -> HttpResponse:
    """What a checked payment will record, to be confirmed: in the inbox's row for htmx, a
    page of its own otherwise."""
    pk = row.payable.pk
    row = _decorate([row])[0]
    row.confirm = PaymentConfirmForm.of(
        form, entries_seen=len(row.entries), auto_id=_payment_form_id(pk)
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
    row = _decorate([_row_or_404(request.user, pk)])[0]
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
    row = _decorate([_row_or_404(request.user, pk)], with_forms=True)[0]
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
            "next_url": _safe_next(request, reverse("finance:home")),
        },
    )


@portal_required("finance")
@require_POST
def payment_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    """Reverse one of the payable's payments, with the reason: the subject's
    `reverse_payment` transition writes the reversing entry (finance.payables)."""
    user = request.user
    row = _row_or_404(user, pk)
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
            status = _refused(form, error)
        else:
            label = dict(form.fields["payment_id"].choices)[form.cleaned_data["payment_id"]]
            messages.success(request, _("Payment %(payment)s reversed.") % {"payment": label})
            return redirect(reverse("finance:payable", args=[pk]) + "#payments")
    return _payable_page(request, row, reversal=form, status=status)


# --- payment batches ------------------------------------------------------------------------


@portal_required("finance")
@require_POST
def batch_create(request: HttpRequest) -> HttpResponse:
    """A payment batch of the payables ticked in the inbox; errors come back on the inbox."""
    user = request.user
    form = BatchForm(request.POST)
    if not form.is_valid():
        return _inbox(request, batch_form=form, status=400)
    ids = form.cleaned_data["payables"]
    bodies = set(
        batches.payables_for(user).filter(pk__in=ids).values_list("public_body_id", flat=True)
    )
    if len(bodies) > 1:
        form.add_error(
            "payables", _("A batch holds the payables of one public body: choose from one.")
        )
        return _inbox(request, batch_form=form, status=400)
    # None of them the person's: the service refuses them, naming no body.
    body_id = bodies.pop() if bodies else min(payables.finance_bodies(user))
    try:
        batch = batches.payment_batch_create(
            user=user,
            public_body_id=body_id,
            payable_ids=ids,
            execution_date=form.cleaned_data["execution_date"],
        )
    except ValidationError as error:
        errors_apply(form, error)
        return _inbox(request, batch_form=form, status=400)
    messages.success(
        request,
        _("Payment batch %(number)s made with %(count)s payments.")
        % {"number": batch.pk, "count": len(ids)},
    )
    return redirect("finance:batch", pk=batch.pk)


@portal_required("finance")
@require_GET
def batches(request: HttpRequest) -> HttpResponse:
    """The payment batches of the person's bodies, newest first."""
    page = Paginator(batches.batches_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for batch in page.object_list:
        batch.total = batches.batch_total(batch)
    return render(request, "finance/batches.html", {"page_obj": page})


def _batch_or_404(user: Any, pk: int) -> PaymentBatch:
    return get_object_or_404(batches.batches_for(user), pk=pk)


def _batch_page(
    request: HttpRequest, found: PaymentBatch, *, form: BatchSentForm | None = None, status=200
) -> HttpResponse:
    items = list(found.items.all())
    for item in items:
        item.iban_formatted = _iban(item.iban)
        item.subject_label = SUBJECT_KINDS.get(
            item.payable.content_type.model, item.payable.content_type.model
        )
    if form is None and found.state == PaymentBatch.State.MADE:
        form = BatchSentForm()
    return render(
        request,
        "finance/batch.html",
        {
            "batch": found,
            "items": items,
            "total": batches.batch_total(found),
            "sent_form": form,
            "exports": [
                ("xlsx", _("Excel workbook (XLSX)")),
                ("csv", _("CSV file")),
                ("sepa", _("SEPA payment file (pain.001)")),
            ],
            "breadcrumbs": [
                (_("Finance"), reverse("finance:home")),
                (_("Payment batches"), reverse("finance:batches")),
                (_("Payment batch %(number)s") % {"number": found.pk}, None),
            ],
        },
        status=status,
    )


@portal_required("finance")
@require_GET
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    """A payment batch: its state, its transfers and their total, the files for the bank and,
    until it is sent, the form to mark it as sent."""
    return _batch_page(request, _batch_or_404(request.user, pk))


@portal_required("finance")
@require_POST
def batch_mark_sent(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the batch as sent to the bank: each item's payment is recorded, dated the day
    given (finance.batches.payment_batch_mark_sent), all of them or none."""
    found = _batch_or_404(request.user, pk)
    form = BatchSentForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            marked = batches.payment_batch_mark_sent(
                user=request.user, batch_id=found.pk, sent_on=form.cleaned_data["sent_on"]
            )
        except PaymentBatch.DoesNotExist:
            raise Http404 from None
        except (ValidationError, TransitionConflict) as error:
            status = _refused(form, error)
            found = _batch_or_404(request.user, pk)  # as it is now, marked by someone else?
        else:
            messages.success(
                request,
                _(
                    "Payment batch %(number)s marked as sent to the bank on %(day)s: "
                    "%(count)s payments recorded."
                )
                % {
                    "number": marked.pk,
                    "day": formats.local_date(marked.sent_on, translation.get_language()),
                    "count": marked.items.count(),
                },
            )
            return redirect("finance:batch", pk=marked.pk)
    return _batch_page(request, found, form=form, status=status)


@portal_required("finance")
@require_GET
def batch_export(request: HttpRequest, pk: int, export_format: str) -> HttpResponse:
    """The batch as a file: XLSX or CSV for people, SEPA pain.001 XML for the bank."""
    found = _batch_or_404(request.user, pk)
    try:
        data, content_type, filename = batches.batch_export(found, export_format)
    except ValidationError:
        raise Http404 from None
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- paid in full -------------------------------------------------------------------------


@portal_required("finance")
@require_GET
def paid(request: HttpRequest) -> HttpResponse:
    """Payables paid in full, the most recently paid first."""
    # The last payment that stands: a reversed one and its reversing entry are not payments.
    last_paid = (
        Payment.objects.filter(payable=OuterRef("pk"), reverses=None, reversal=None)
        .order_by("-paid_on", "-id")
        .values("paid_on")
    )
    done = (
        batches.payables_for(request.user)
        .filter(amount__lte=F("paid_amount"))
        .annotate(last_paid_on=Subquery(last_paid[:1]))
        .order_by(F("last_paid_on").desc(nulls_last=True), "-id")
    )
    page = Paginator(done, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/paid.html",
        {"page_obj": page, "rows": _decorate(batches.inbox_rows(page.object_list))},
    )


# --- documents ------------------------------------------------------------------------------


@portal_required("finance")
@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """A decision, agreement or payment order as the .docx it was generated as, under the one
    rule of who sees which document (documents.selectors.documents_for)."""
    return docx_response(get_object_or_404(documents_for(request.user), pk=pk))
