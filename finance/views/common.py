"""What the finance pages share: the inbox rows with their forms, a row or 404, the bodies a
person works for in finance."""

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from stdnum import iban as iban_number
from stdnum.exceptions import ValidationError as NumberError

from finance import batches as payment_batches
from finance import payables
from finance.forms import (
    SUBJECT_KINDS,
    BatchForm,
    InboxFilterForm,
    PaymentForm,
)
from finance.models import Payable
from organisations.models import PublicBody
from portal.forms import errors_apply
from workflow.api import parse_id
from workflow.errors import TransitionConflict

INBOX_PAGE_SIZE = 50


PAGE_SIZE = 25


def iban_text(value: str) -> str:
    """The IBAN in groups of four, as it is printed on paper: FI21 1234 5600 0007 85."""
    try:
        return iban_number.format(value)
    except NumberError:
        return value


def payment_form_id(payable_id: int) -> str:
    # Unique ids for the payment form of each row of the inbox.
    return f"payable{payable_id}_%s"


def decorate(rows: list[payment_batches.InboxRow], *, with_forms: bool = False) -> list[Any]:
    """What the templates show besides the row: the IBAN grouped, the subject's kind in
    words and, for a payable with money left, its payment form."""
    for row in rows:
        row.iban = iban_text(row.payable.association.iban)
        row.kind_label = SUBJECT_KINDS.get(row.subject_kind, row.subject_kind)
        row.form = None
        row.confirm = None
        if with_forms and row.remaining > 0:
            row.form = PaymentForm(auto_id=payment_form_id(row.payable.pk))
    return rows


def row_or_404(user: Any, payable_id: int) -> payment_batches.InboxRow:
    """One of the person's payables (paid or not) as an inbox row; 404 for another body's."""
    found = payment_batches.inbox_rows(
        payment_batches.payables_for(user).filter(pk=payable_id), ledger=True
    )
    if not found:
        raise Http404
    return found[0]


def body_choices(user: Any) -> list[tuple[int, str]]:
    """The public bodies the person pays for, by name; a query only when there are several."""
    ids = payables.finance_bodies(user)
    if len(ids) < 2:
        return []
    return list(PublicBody.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name"))


def inbox_page(
    request: HttpRequest,
    *,
    batch_form: BatchForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    filters = InboxFilterForm(request.GET or None, bodies=body_choices(user))
    inbox: QuerySet[Payable] = payment_batches.payable_inbox(user)
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
    rows = decorate(payment_batches.inbox_rows(page.object_list))
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


def refusal_on_form(form: forms.Form, error: Exception) -> int:
    """A service's refusal on the form: 400 for bad input, 409 for the state of things."""
    if isinstance(error, TransitionConflict):
        form.add_error(None, error.message)
        return 409
    errors_apply(form, error)
    return 400
