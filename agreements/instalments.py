"""An agreement's yearly money reaches the association through the grants' finance path: each
instalment becomes a `finance.Payable` (with its payment order, finance's inbox, batches and
`record_payment`), never a payment mechanism of its own."""

import logging
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from agreements.models import Agreement, AgreementRectification, AgreementVersion, Resource
from finance import adjustments, payables
from finance.models import Payable
from finance.reasons import Change, amendment_reason, cancellation_reason, restoration_reason
from workflow.actors import SYSTEM
from workflow.audit import action_record
from workflow.locking import locked

log = logging.getLogger(__name__)


# One instalment a year: an amendment that changes a year's money after it became payable
# adjusts it (`instalments_adjust`): a supplementary payable, a lower unpaid amount or a
# recovery claim, each with its own source "instalment:<year>:v<version>"; a cancellation
# before the term ("…:cancelled") and its undoing ("…:restored") adjust it the same way.
SOURCE_PREFIX = "instalment:"


def source_of(resource: Resource) -> str:
    return f"{SOURCE_PREFIX}{resource.year}"


def _year_of(source: str) -> int:
    return int(source.removeprefix(SOURCE_PREFIX).split(":")[0])


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
            # Signed before its term, an agreement may pay the first instalment ahead of it;
            # an ended one still pays what fell due before its last day.
            version__agreement__state__in=Agreement.SIGNED_STATES,
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
    """Open the payables of every instalment that has come due, and adjust those an amendment
    changed; return how many payables are new or changed."""
    today = today or timezone.localdate()
    done = 0
    for resource in due_instalments(today)[:batch]:
        try:
            if instalment_open(resource) is not None:
                done += 1
        except Exception:
            log.exception("Instalment %s could not be made payable", resource.pk)
    for agreement in amended_with_payables(today)[:batch]:
        try:
            done += instalments_adjust(agreement, today)
        except Exception:
            log.exception("The instalments of agreement %s could not be adjusted", agreement.pk)
    return done


def amended_with_payables(today: date) -> QuerySet[Agreement]:
    """Agreements whose terms in force are an amendment, legally valid (its own period for a
    request for rectification is over, as for any money), with instalments already payable."""
    pending_rectification = AgreementRectification.objects.filter(
        version_id=OuterRef("in_force_version_id"), decided_at__isnull=True
    )
    return (
        Agreement.objects.filter(
            state__in=Agreement.SIGNED_STATES,
            in_force_version__based_on__isnull=False,
            in_force_version__appeal_ends_on__lt=today,
        )
        # As for the first instalments: a request for rectification of the amendment waiting
        # for its decision holds the money back (Local Government Act 134 §).
        .exclude(Exists(pending_rectification))
        .filter(
            Exists(
                Payable.objects.filter(
                    content_type=ContentType.objects.get_for_model(Agreement),
                    object_id=OuterRef("pk"),
                    source__startswith=SOURCE_PREFIX,
                )
            )
        )
        .select_related("in_force_version")
        .order_by("pk")
    )


def instalments_adjust(agreement: Agreement, today: date) -> int:
    """Make each year's payables owe what the terms in force give that year: an increase
    opens a supplementary payable; a decrease lowers what is still unpaid, and what was
    already paid beyond the new sum becomes a recovery claim. Each with the amendment as its
    reason, audited. Returns how many payables were opened or changed (0 when they agree)."""
    version = agreement.in_force_version
    # Stored as facts with the payable (finance.reasons): each reader reads it in their language.
    facts = {
        "number": agreement.number,
        "version": version.number,
        "decided_on": timezone.localdate(version.decided_at),
    }
    return _adjust(
        agreement,
        **_terms_money(agreement),
        reason=lambda change: amendment_reason(change, **facts),
        source_suffix=f"v{version.number}",
        today=today,
    )


def instalments_cancel(agreement: Agreement, today: date) -> int:
    """An agreement cancelled before its term owes nothing for it: what is unpaid is lowered
    to nothing (out of finance's inbox) and what was paid ahead of the term becomes a recovery
    claim, each with the cancellation as its reason."""
    cancelled_on = agreement.cancelled_on or today
    return _adjust(
        agreement,
        owed={},
        payee={},
        reason=lambda change: cancellation_reason(
            change, number=agreement.number, cancelled_on=cancelled_on
        ),
        source_suffix="cancelled",
        today=today,
    )


def instalments_restore(agreement: Agreement, today: date) -> int:
    """The decision to cancel the agreement was changed on a request for rectification: each
    year's payables owe the terms in force again (what is claimed back and not yet paid back is
    withdrawn first, then a supplementary payable for the rest), each with the change as its
    reason."""
    return _adjust(
        agreement,
        **_terms_money(agreement),
        reason=lambda change: restoration_reason(change, number=agreement.number, decided_on=today),
        source_suffix="restored",
        today=today,
    )


def _terms_money(agreement: Agreement) -> dict[str, dict[int, Any]]:
    """What the terms in force owe each year, and to whom: a supplementary payable goes to
    the year's payee in the terms, as the instalment does (instalment_open)."""
    money = [r for r in agreement.in_force_version.resources.all() if r.kind == Resource.Kind.MONEY]
    return {
        "owed": {r.year: r.amount for r in money},
        "payee": {r.year: r.payee_id or agreement.lead_association.pk for r in money},
    }


Reason = Callable[[str], dict[str, Any]]


def _adjust(
    agreement: Agreement,
    *,
    owed: dict[int, Decimal],
    payee: dict[int, int],
    reason: Reason,
    source_suffix: str,
    today: date,
) -> int:
    changed = 0
    with transaction.atomic():
        locked(Agreement.objects.filter(pk=agreement.pk)).get()
        rows = payables.with_paid_amount(
            payables.payables_of(agreement).filter(source__startswith=SOURCE_PREFIX)
        ).order_by("-payable_on", "-id")
        by_year: dict[int, list[Payable]] = {}
        # The agreement's lock orders this after any payment of its payables (the transition
        # service locks the subject), so the paid amounts read here stand.
        for payable in rows:
            by_year.setdefault(_year_of(payable.source), []).append(payable)
        for year, rows_of_year in sorted(by_year.items()):
            net = sum(
                -p.amount if p.kind == Payable.Kind.RECOVERY else p.amount for p in rows_of_year
            )
            difference = owed.get(year, Decimal(0)) - net
            source = _free_source(f"{SOURCE_PREFIX}{year}:{source_suffix}", rows_of_year)
            if difference > 0:
                withdrawn = _claims_withdraw(agreement, year, rows_of_year, difference, reason)
                changed += withdrawn > 0
                difference -= withdrawn
            if difference > 0:
                _adjustment_open(
                    agreement,
                    year,
                    difference,
                    Payable.Kind.PAYMENT,
                    reason(Change.SUPPLEMENT),
                    today,
                    payee[year],
                    source,
                )
                changed += 1
            elif difference < 0:
                changed += _decrease(
                    agreement, year, rows_of_year, -difference, reason, today, source
                )
    return changed


def _free_source(source: str, rows: list[Payable]) -> str:
    """`source`, or with a running number when the year already has a payable of that source
    (an agreement cancelled, restored and cancelled again)."""
    taken = {p.source for p in rows}
    n = 1
    found = source
    while found in taken:
        n += 1
        found = f"{source}.{n}"
    return found


def _claims_withdraw(
    agreement: Agreement, year: int, rows: list[Payable], increase: Decimal, reason: Reason
) -> Decimal:
    """An increase first lowers what the year's recovery claims still claim back (not what was
    paid back already): money owed again is not claimed back and then paid out anew. Returns
    how much was withdrawn."""
    withdrawn = Decimal(0)
    for claim in rows:
        unpaid = claim.amount - claim.paid_amount
        if claim.kind != Payable.Kind.RECOVERY or unpaid <= 0 or withdrawn >= increase:
            continue
        cut = min(unpaid, increase - withdrawn)
        reduced = adjustments.payable_reduce(claim.pk, cut=cut, reason=reason(Change.REDUCTION))
        action_record(
            agreement,
            action="recovery_claim_withdrawn",
            actor=SYSTEM,
            data={"year": year, "payable": claim.pk, "to": reduced.amount},
        )
        withdrawn += cut
    return withdrawn


def _decrease(
    agreement: Agreement,
    year: int,
    rows: list[Payable],
    decrease: Decimal,
    reason: Reason,
    today: date,
    source: str,
) -> int:
    """Lower the unpaid amounts of the year, newest payable first (a batch not yet sent that
    holds one is changed with it: finance.adjustments.payable_reduce); a recovery claim for
    the rest, which was paid already (or is in a batch already sent)."""
    changed = 0
    for payable in rows:
        unpaid = payable.amount - payable.paid_amount
        if payable.kind != Payable.Kind.PAYMENT or unpaid <= 0 or decrease <= 0:
            continue
        cut = min(unpaid, decrease)
        before = payable.amount
        reduced = adjustments.payable_reduce(payable.pk, cut=cut, reason=reason(Change.REDUCTION))
        action_record(
            agreement,
            action="instalment_reduced",
            actor=SYSTEM,
            data={"year": year, "payable": payable.pk, "from": before, "to": reduced.amount},
        )
        decrease -= cut
        changed += 1
    if decrease > 0:
        # Claimed back from whom the year's money was paid to (the newest payable's payee).
        paid_to = next(p.association_id for p in rows if p.kind == Payable.Kind.PAYMENT)
        _adjustment_open(
            agreement,
            year,
            decrease,
            Payable.Kind.RECOVERY,
            reason(Change.RECOVERY),
            today,
            paid_to,
            source,
        )
        changed += 1
    return changed


def _adjustment_open(
    agreement: Agreement,
    year: int,
    amount: Decimal,
    kind: str,
    reason: dict[str, Any],
    today: date,
    association_id: int,
    source: str,
) -> Payable:
    version = agreement.in_force_version
    payable = payables.payable_open(
        agreement,
        source=source,
        public_body_id=agreement.public_body_id,
        association_id=association_id,
        amount=amount,
        decision_number=agreement.number,
        decided_on=timezone.localdate(version.decided_at),
        payable_on=today,
        title=f"{version.title}, {year}",
        cost_centre=agreement.cost_centre,
        account=agreement.account,
        kind=kind,
        reasons=[reason],
    )
    action_record(
        agreement,
        action="instalment_supplemented" if kind == Payable.Kind.PAYMENT else "recovery_claimed",
        actor=SYSTEM,
        data={"year": year, "amount": amount, "payable": payable.pk},
    )
    return payable
