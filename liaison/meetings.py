"""Reads of the association meetings for other rooms: the yearly association report
(järjestötietoraportti) counts the meetings held (seed 003: "järjestöt kutsutaan koolle
vähintään kahdesti vuodessa")."""

from datetime import date, datetime, time

from django.db.models import Count
from django.utils import timezone

from liaison.models import AssociationMeeting
from organisations.models import PublicBody


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The calendar year in local time, as [start, end) moments."""
    zone = timezone.get_default_timezone()
    return (
        timezone.make_aware(datetime.combine(date(year, 1, 1), time.min), zone),
        timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min), zone),
    )


def meetings_held(body: PublicBody | int, year: int) -> list[AssociationMeeting]:
    """The body's meetings held in the calendar year (local time), ordered by date; each has
    `matters_count`, the number of matters raised, read in the same query."""
    start, end = year_bounds(year)
    body_id = body if isinstance(body, int) else body.pk
    return list(
        AssociationMeeting.objects.filter(
            public_body_id=body_id,
            state=AssociationMeeting.State.HELD,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .annotate(matters_count=Count("matters"))
        .order_by("starts_at", "pk")
    )
