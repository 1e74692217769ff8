"""Payment batches: made from payables, exported for the bank (CSV, XLSX, SEPA pain.001) and
marked as sent, which records each item's payment, all of them or none
(finance.batches `payment_batch_create`, `payment_batch_mark_sent`)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from finance import adjustments, payables, sepa
from finance import batches as payment_batches
from finance.forms import (
    SUBJECT_KINDS,
    BatchForm,
    BatchSentForm,
)
from finance.models import PaymentBatch
from finance.views.common import PAGE_SIZE, iban_text, inbox_page, refusal_on_form
from portal.forms import errors_apply
from portal.portals import portal_required
from workflow import formats
from workflow.errors import TransitionConflict


@portal_required("finance")
@require_POST
def batch_create(request: HttpRequest) -> HttpResponse:
    """A payment batch of the payables ticked in the inbox; errors come back on the inbox."""
    user = request.user
    form = BatchForm(request.POST)
    if not form.is_valid():
        return inbox_page(request, batch_form=form, status=400)
    ids = form.cleaned_data["payables"]
    bodies = set(
        payment_batches.payables_for(user)
        .filter(pk__in=ids)
        .values_list("public_body_id", flat=True)
    )
    if len(bodies) > 1:
        form.add_error(
            "payables", _("A batch holds the payables of one public body: choose from one.")
        )
        return inbox_page(request, batch_form=form, status=400)
    # None of them the person's: the service refuses them, naming no body.
    body_id = bodies.pop() if bodies else min(payables.finance_bodies(user))
    try:
        batch = payment_batches.payment_batch_create(
            user=user,
            public_body_id=body_id,
            payable_ids=ids,
            execution_date=form.cleaned_data["execution_date"],
        )
    except ValidationError as error:
        errors_apply(form, error)
        return inbox_page(request, batch_form=form, status=400)
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
    page = Paginator(payment_batches.batches_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for batch in page.object_list:
        batch.total = payment_batches.batch_total(batch)
    return render(request, "finance/batches.html", {"page_obj": page})


def _batch_or_404(user: Any, pk: int) -> PaymentBatch:
    return get_object_or_404(payment_batches.batches_for(user), pk=pk)


def _batch_page(
    request: HttpRequest,
    found: PaymentBatch,
    *,
    form: BatchSentForm | None = None,
    refusals: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The batch page; `refusals`: why the file asked for was not made (by default, why the
    SEPA file cannot be made, if it cannot)."""
    items = list(found.items.all())
    for item in items:
        item.iban_formatted = iban_text(item.iban)
        item.subject_label = SUBJECT_KINDS.get(
            item.payable.content_type.model, item.payable.content_type.model
        )
    sepa_refusal = sepa.payment_refusal(found.public_body)
    if form is None and found.state == PaymentBatch.State.MADE:
        form = BatchSentForm()
    return render(
        request,
        "finance/batch.html",
        {
            "batch": found,
            "items": items,
            "total": payment_batches.batch_total(found),
            # Items lowered or removed after the batch was made (a payable reduced).
            "changes": adjustments.batch_changes(found),
            "sent_form": form,
            # Why the bank's file cannot be made (then its link is not offered), and the
            # names it has to shorten: both said before anyone exports it.
            "sepa_refused": bool(sepa_refusal),
            "refusals": refusals or ([sepa_refusal] if sepa_refusal else []),
            "shortened_names": sepa.shortened_names(found),
            "exports": [
                ("xlsx", _("Excel workbook (XLSX)")),
                ("csv", _("CSV file")),
                (
                    "sepa",
                    _("SEPA payment file (%(version)s)")
                    % {"version": found.public_body.sepa_version},
                ),
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
    given (finance.payment_batches.payment_batch_mark_sent), all of them or none."""
    found = _batch_or_404(request.user, pk)
    form = BatchSentForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            marked = payment_batches.payment_batch_mark_sent(
                user=request.user, batch_id=found.pk, sent_on=form.cleaned_data["sent_on"]
            )
        except PaymentBatch.DoesNotExist:
            raise Http404 from None
        except (ValidationError, TransitionConflict) as error:
            status = refusal_on_form(form, error)
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
    """The batch as a file: XLSX or CSV for people, SEPA pain.001 XML for the bank. A file the
    body cannot make yet comes back as the batch page saying what to fill in (400)."""
    found = _batch_or_404(request.user, pk)
    try:
        data, content_type, filename = payment_batches.batch_export(found, export_format)
    except ValidationError as refused:
        return _batch_page(request, found, refusals=refused.messages, status=400)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
