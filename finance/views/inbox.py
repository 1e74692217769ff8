"""Finance's inbox of payables, the paid list and document downloads (read through
finance.batches: only the payables of the bodies where the person works in finance)."""

from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Subquery
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from documents.downloads import docx_response
from documents.selectors import documents_for
from finance import batches as payment_batches
from finance.models import Payable, Payment
from finance.views.common import PAGE_SIZE, decorate, inbox_page
from portal.portals import portal_required


@portal_required("finance")
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The inbox: what the person's bodies must pay now, oldest first."""
    return inbox_page(request)


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
        payment_batches.payables_for(request.user)
        # A recovery claim paid back is on the recovery claims' page.
        .filter(amount__lte=F("paid_amount"), kind=Payable.Kind.PAYMENT)
        .annotate(last_paid_on=Subquery(last_paid[:1]))
        .order_by(F("last_paid_on").desc(nulls_last=True), "-id")
    )
    page = Paginator(done, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/paid.html",
        {"page_obj": page, "rows": decorate(payment_batches.inbox_rows(page.object_list))},
    )


@portal_required("finance")
@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """A decision, agreement or payment order as the .docx it was generated as, under the one
    rule of who sees which document (documents.selectors.documents_for)."""
    return docx_response(get_object_or_404(documents_for(request.user), pk=pk))
