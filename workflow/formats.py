"""Money and dates the way each language writes them, in documents and in messages alike.

Finnish and Swedish: 5 000,00 € and 1.12.2026 (a narrow no-break space groups thousands);
English: €5,000.00 and 1 December 2026.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

_GROUP = "\u202f"  # narrow no-break space: the thousands never break across lines
_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _grouped(whole: int, separator: str) -> str:
    return f"{whole:,}".replace(",", separator)


def money(value: Decimal | int | str | None, language: str) -> str:
    if value is None or value == "":
        return ""
    amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, cents = divmod(abs(amount) * 100, 100)
    if language == "en":
        return f"{sign}€{_grouped(int(whole), ',')}.{int(cents):02d}"
    return f"{sign}{_grouped(int(whole), _GROUP)},{int(cents):02d}\u00a0€"


def local_date(value: date | str | None, language: str) -> str:
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    if language == "en":
        return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day}.{day.month}.{day.year}"
