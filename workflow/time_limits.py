"""Finnish statutory time limits (Act on the Calculation of Statutory Time Limits 150/1930).

Pure functions of dates: no clock, no database.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[date]:
    days = set(holidays.Finland(years=year))
    # Act 150/1930 5 § names Christmas Eve and Midsummer Eve beside the public holidays; add
    # them in case the holidays package stops listing them (it does list them today).
    days.add(date(year, 12, 24))
    midsummer_eve = next(date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4)
    days.add(midsummer_eve)
    return frozenset(days)


def is_working_day(day: date) -> bool:
    """Not a Saturday, Sunday, public holiday, Christmas Eve or Midsummer Eve."""
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def next_working_day(day: date) -> date:
    """The day itself if it is a working day, otherwise the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date) -> date:
    """The day itself if it is a working day, otherwise the last working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def time_limit_end(start: date, days: int) -> date:
    """The last day of a time limit of `days` days from the event on `start`.

    Act 150/1930 2 §: the day of the event is not counted. 5 §: when the last day falls on a
    Saturday, Sunday, public holiday, Independence Day, May Day, Christmas Eve or Midsummer
    Eve, the time limit ends on the next working day.
    """
    if days < 0:
        raise ValueError("A time limit cannot be negative.")
    return next_working_day(start + timedelta(days=days))


def appeal_dates(sent_on: date, *, electronic: bool, period_days: int) -> tuple[date, date]:
    """(deemed received, last day of the appeal period) for a decision sent on `sent_on`.

    Administrative Procedure Act 59 §, Local Government Act 139 §: a letter is deemed received
    on the 7th day after sending; electronically with consent (Act 13/2003 19 §) on the 3rd.
    The appeal period counts from that day under Act 150/1930 (see `time_limit_end`).
    """
    from django.conf import settings

    deemed_days = (
        settings.NOTIFICATION_DEEMED_DAYS_ELECTRONIC
        if electronic
        else settings.NOTIFICATION_DEEMED_DAYS_LETTER
    )
    received = sent_on + timedelta(days=deemed_days)
    return received, time_limit_end(received, period_days)
