"""An agreement's yearly money reaches the association through the grants' finance path: each
instalment becomes a `finance.Payable` (with its payment order, finance's inbox, batches and
`record_payment`), never a payment mechanism of its own."""

import logging
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from agreements.models import Agreement, AgreementRectification, AgreementVersion, Resource
from finance import payables
from finance.models import Payable
from workflow.actors import SYSTEM
from workflow.audit import action_record
from workflow.locking import locked

log = logging.getLogger(__name__)


# One instalment a year: an amendment that changes a year's money after it became payable
# does not open a second payable for that year.
SOURCE_PREFIX = "instalment:"


def source_of(resource: Resource) -> str:
    return f"{SOURCE_PREFIX}{resource.year}"


def due_instalments(today: date) -> QuerySet[Resource]:
    """Money of versions in force whose payment date has come and whose decision is legally
    valid: Local Government Act 134 § leaves 14 days for a request for rectification, and
    money waits for that period to end, and for the decision on a request made in it."""
    already_payable = Payable.objects.filter(
        content_type=ContentType.objects.get_for_model(Agreement),
        object_id=OuterRef("version__agreement_id"),
        source=Concat(Value(SOURCE_PREFIX), Cast(OuterRef("year"), CharField())),
    )
    pending_rectification = AgreementRectification.objects.filter(
        version_id=OuterRef("version_id"), decided_at__isnull=True
    )
    return (
        Resource.objects.filter(
            kind=Resource.Kind.MONEY,
            amount__gt=0,
            pays_on__lte=today,
            version__state=AgreementVersion.State.IN_FORCE,
            version__appeal_ends_on__lt=today,
            # An ended agreement still pays what fell due before its last day.
            version__agreement__state__in=[*Agreement.IN_FORCE_STATES, Agreement.State.ENDED],
        )
        .exclude(Exists(already_payable))
        # A request for rectification waiting for its decision holds the money back.
        .exclude(Exists(pending_rectification))
        .select_related("version__agreement", "payee")
        .order_by("pays_on", "id")
    )


def instalment_open(resource: Resource) -> Payable | None:
    """The instalment's payable, opened once, to the resource's payee (the lead association
    unless another party is named); None when it falls after the agreement ended (a notice
    of termination ends the obligation to pay later instalments)."""
    version = resource.version
    agreement = version.agreement
    if resource.pays_on > agreement.ends_on:
        return None
    with transaction.atomic():
        # Locked, so two scans at once open and audit the instalment once.
        locked(Agreement.objects.filter(pk=agreement.pk)).get()
        opened = payables.payables_of(agreement).filter(source=source_of(resource)).first()
        if opened is not None:
            return opened
        payable = payables.payable_open(
            agreement,
            source=source_of(resource),
            public_body_id=agreement.public_body_id,
            association_id=resource.payee_id or agreement.lead_association.pk,
            amount=resource.amount,
            decision_number=agreement.number,
            decided_on=timezone.localdate(version.decided_at),
            payable_on=max(resource.pays_on, version.appeal_ends_on + timedelta(days=1)),
            # The payment's message; the agreement's number is the payment order's basis.
            title=f"{version.title}, {resource.year}",
            cost_centre=agreement.cost_centre,
            account=agreement.account,
        )
        action_record(
            agreement,
            action="instalment_payable",
            actor=SYSTEM,
            data={"year": resource.year, "amount": resource.amount, "payable": payable.pk},
        )
    return payable


def open_due_instalments(today: date | None = None, batch: int = 500) -> int:
    """Open the payables of every instalment that has come due; return how many are new."""
    today = today or timezone.localdate()
    done = 0
    for resource in due_instalments(today)[:batch]:
        try:
            if instalment_open(resource) is not None:
                done += 1
        except Exception:
            log.exception("Instalment %s could not be made payable", resource.pk)
    return done
