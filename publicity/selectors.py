"""What anyone may read without signing in: calls that have opened, decisions that have been
sent (their publication), and the granted support they leave. Every public page and the open
data read through here, so nothing else (a draft, an undecided application, a call not yet
open) is reachable (docs/architecture.md, invariant 2)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language

from grants.models import Application, Call
from publicity.models import Publication

T = TypeVar("T")


def calls_open(at: datetime | None = None) -> QuerySet[Call]:
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
    """Every publication, newest first, with what its pages show (not the answers)."""
    return (
        Publication.objects.select_related("application", "call", "association", "public_body")
        .defer("application__answers")
        .order_by("-published_on", "-pk")
    )


def decisions_in_appeal_period() -> QuerySet[Publication]:
    """The published decisions whose personal data is still there: in their appeal period."""
    return publications().filter(personal_data_removed_at__isnull=True)


GRANTED = Q(amount_awarded__gt=0)


def _version() -> str:
    """What the cached figures were computed from: the latest publication and the latest
    change of any (both indexed; a publication is never deleted, and every change saves
    `updated_at`)."""
    found = Publication.objects.aggregate(last=Max("pk"), latest=Max("updated_at"))
    return f"{found['last']}:{found['latest'].isoformat() if found['latest'] else ''}"


def _cached(key: str, compute: Callable[[], T]) -> T:
    """`compute()` kept in the cache until a publication changes: the yearly figures read
    every grant of the year, and change only when a decision is published or amended."""
    return cache.get_or_set(f"public:{_version()}:{key}", compute, PUBLIC_FIGURES_SECONDS)


# How long the yearly figures stay cached at most, whatever the version says.
PUBLIC_FIGURES_SECONDS = 3600


def years() -> list[int]:
    """The years with granted support, newest first."""
    return _cached(
        "years",
        lambda: list(
            Publication.objects.filter(GRANTED)
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        ),
    )


@dataclass
class Total:
    pk: int
    grants: int
    amount: Decimal
    name: str = ""
    names: dict[str, str] = field(default_factory=dict)


@dataclass
class Support:
    """A year's granted support (in one call, or in all): per call, per association, total."""

    by_call: list[Total]
    by_association: list[Total]

    @property
    def grants(self) -> int:
        return sum(row.grants for row in self.by_call)

    @property
    def amount(self) -> Decimal:
        return sum((row.amount for row in self.by_call), Decimal(0))


def support(year: int, call_id: int | None = None) -> Support:
    """The year's granted support per call (every call of the year), and per association,
    largest first (within `call_id` when given). Call names in the page's language."""
    found = _cached(f"support:{year}:{call_id}", lambda: _support(year, call_id))
    language = (get_language() or "fi")[:2]
    for row in found.by_call:
        row.name = row.names.get(language) or row.names["fi"]
    return found


def _support(year: int, call_id: int | None) -> Support:
    rows = Publication.objects.filter(GRANTED, year=year)
    by_call = (
        rows.values("call_id", "call__name", "call__name_sv", "call__name_en")
        .annotate(grants=Count("pk"), amount=Sum("amount_awarded"))
        .order_by("call__name", "call_id")
    )
    if call_id is not None:
        rows = rows.filter(call_id=call_id)
    by_association = (
        rows.values("association_id", "association__name")
        .annotate(grants=Count("pk"), amount=Sum("amount_awarded"))
        .order_by("-amount", "association__name", "association_id")
    )
    return Support(
        by_call=[
            Total(
                pk=row["call_id"],
                grants=row["grants"],
                amount=row["amount"],
                names={
                    "fi": row["call__name"],
                    "sv": row["call__name_sv"],
                    "en": row["call__name_en"],
                },
            )
            for row in by_call
        ],
        by_association=[
            Total(
                pk=row["association_id"],
                grants=row["grants"],
                amount=row["amount"],
                name=row["association__name"],
            )
            for row in by_association
        ],
    )


# What a grant in the open data reads (publicity.open_data.grant), as plain values: a page of
# grants as model instances (five models a row) would cost many times its query.
GRANT_FIELDS = (
    "pk",
    "application_id",
    "amount_awarded",
    "decided_at",
    "updated_at",
    "call_id",
    "call__name",
    "association_id",
    "association__name",
    "association__business_id",
    "public_body__name",
    "public_body__business_id",
    "application__purpose",
    "application__requested_amount",
)


def granted_support() -> QuerySet:
    """Every grant awarded and published, for the open data, as values rows of GRANT_FIELDS:
    oldest first, so a page keeps its rows as new ones are added at the end."""
    return Publication.objects.filter(GRANTED).order_by("pk").values(*GRANT_FIELDS)


@dataclass(frozen=True)
class Disbursed:
    """What has been paid on a grant, and when the last payment (or reversal) was recorded."""

    amount: Decimal
    last_recorded_at: datetime | None


def disbursed(application_ids: list[int]) -> dict[int, Disbursed]:
    """What has been paid on each application, in one query: the sum of its payables'
    payments, where a reversing entry cancels the payment it reverses (finance.payables), and
    the moment the last of them was recorded (a grant's dateModified follows its payments)."""
    rows = (
        Application.objects.filter(pk__in=application_ids)
        .annotate(
            paid=Sum("payables__payments__amount"),
            last_recorded_at=Max("payables__payments__recorded_at"),
        )
        .values_list("pk", "paid", "last_recorded_at")
    )
    # SQLite sums decimals as floats: back to cents.
    return {
        pk: Disbursed(Decimal(str(paid or 0)).quantize(Decimal("0.01")), last)
        for pk, paid, last in rows
    }
