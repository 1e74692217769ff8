"""Recovery claims: money an association owes back because an amendment lowered a year already
paid (agreements.instalments opens them). Finance collects them, so they never enter the inbox
of what to pay; they have this list of their own, and each its page (the payable's), where the
money paid back is recorded (finance.payables `payment_record_for`)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from finance import adjustments
from finance.forms import SUBJECT_KINDS, RecoveryFilterForm
from finance.views.common import PAGE_SIZE
from portal.portals import portal_required


@portal_required("finance")
@require_GET
def claims(request: HttpRequest) -> HttpResponse:
    """The recovery claims of the person's bodies, the newest first, open or paid back, with
    the reason, the association, the amount and what has been paid back: one query for the
    rows whatever their number."""
    filters = RecoveryFilterForm(request.GET or None)
    state, status = "", 200
    if filters.is_bound:
        if filters.is_valid():
            state = filters.cleaned_data["state"]
        else:
            status = 400
    page = Paginator(adjustments.recovery_claims_for(request.user, state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    for claim in rows:
        claim.state = adjustments.claim_state(claim)
        claim.state_label = adjustments.claim_state_label(claim.state)
        claim.left = claim.amount - claim.paid_amount
        claim.kind_label = SUBJECT_KINDS.get(claim.content_type.model, claim.content_type.model)
    return render(
        request,
        "finance/recovery_claims.html",
        {
            "filters": filters,
            "page_obj": page,
            "rows": rows,
            "filtered": bool(state),
            "breadcrumbs": [
                (_("Finance"), reverse("finance:home")),
                (_("Recovery claims"), None),
            ],
        },
        status=status,
    )
