"""What anyone may read without signing in: calls that have opened, decisions that have been
sent (their publication), and the granted support they leave. Every public page and the open
data read through here, so nothing else (a draft, an undecided application, a call not yet
open) is reachable (docs/architecture.md, invariant 2)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language

from grants.models import Call
from public.models import Publication


def calls_open(at=None) -> QuerySet[Call]:
    """The calls open for applications now, closing first first."""
    at = at or timezone.now()
    return (
        Call.objects.filter(opens_at__lte=at, closes_at__gt=at)
        .select_related("public_body")
        .order_by("closes_at", "pk")
    )


def call_public(pk: int) -> Call | None:
    """A call that has opened (an open call, or a closed one whose support is listed); a call
    not yet open is the body's own until it opens."""
    return (
        Call.objects.filter(pk=pk, opens_at__lte=timezone.now())
        .select_related("public_body", "form")
        .first()
    )


def publications() -> QuerySet[Publication]:
    return Publication.objects.select_related(
        "application", "call", "association", "public_body"
    ).order_by("-published_on", "-pk")


def decisions_in_appeal_period() -> QuerySet[Publication]:
    """The published decisions whose personal data is still there: in their appeal period."""
    return publications().filter(personal_data_removed_at__isnull=True)


GRANTED = Q(amount_awarded__gt=0)


def years() -> list[int]:
    """The years with granted support, newest first."""
    return list(
        Publication.objects.filter(GRANTED)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


@dataclass
class Total:
    name: str
    pk: int
    grants: int
    amount: Decimal


def support_by_call(year: int) -> list[Total]:
    """The year's granted support per call: how many grants and how much."""
    rows = (
        Publication.objects.filter(GRANTED, year=year)
        .values("call_id", "call__name", "call__name_sv", "call__name_en")
        .annotate(grants=Count("pk"), amount=Sum("amount_awarded"))
        .order_by("call__name", "call_id")
    )
    return [
        Total(
            name=_named(row, "call__name"),
            pk=row["call_id"],
            grants=row["grants"],
            amount=row["amount"],
        )
        for row in rows
    ]


def support_by_association(year: int, call_id: int | None = None) -> QuerySet:
    """The year's (or one call's) granted support per association, largest first: values
    rows with `association_id`, `association__name`, `grants`, `amount`."""
    rows = Publication.objects.filter(GRANTED, year=year)
    if call_id is not None:
        rows = rows.filter(call_id=call_id)
    return (
        rows.values("association_id", "association__name")
        .annotate(grants=Count("pk"), amount=Sum("amount_awarded"))
        .order_by("-amount", "association__name", "association_id")
    )


def support_total(year: int) -> dict:
    return Publication.objects.filter(GRANTED, year=year).aggregate(
        grants=Count("pk"), amount=Sum("amount_awarded")
    )


def granted_support() -> QuerySet[Publication]:
    """Every grant awarded and published, for the open data: oldest first, so a page keeps its
    rows as new ones are added at the end."""
    return (
        Publication.objects.filter(GRANTED)
        .select_related("application", "call", "association", "public_body")
        .prefetch_related("application__payables__payments")
        .order_by("pk")
    )


def _named(row: dict, field: str) -> str:
    """A name in the page's language (organisations.languages.in_language, for values rows)."""
    language = (get_language() or "fi")[:2]
    return row.get(f"{field}_{language}") or row[field]
