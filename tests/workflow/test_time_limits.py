"""Finnish statutory time limits (Act 150/1930) against a table of real calendar dates.

Every expected date below was checked against the real calendar (weekdays computed with
Python's datetime, holidays of Finland listed for 2025–2027). Each row says why it ends where it
does.
"""

from datetime import date

import pytest

from workflow import time_limits
from workflow.time_limits import (
    is_working_day,
    next_working_day,
    previous_working_day,
    time_limit_end,
)

# (start, days, expected end, reason)
TABLE = [
    # 2 §: the day of the event is not counted.
    (date(2026, 2, 2), 14, date(2026, 2, 16), "mon-plus-14-is-mon-two-weeks-on"),
    (date(2026, 2, 2), 1, date(2026, 2, 3), "mon-plus-1-is-tue"),
    (date(2026, 2, 11), 0, date(2026, 2, 11), "zero-days-on-working-day-stays"),
    # 5 §: Saturday and Sunday move to Monday.
    (date(2026, 3, 2), 12, date(2026, 3, 16), "ends-sat-14-mar-2026-to-mon"),
    (date(2026, 3, 2), 13, date(2026, 3, 16), "ends-sun-15-mar-2026-to-mon"),
    (date(2026, 3, 14), 0, date(2026, 3, 16), "zero-days-on-saturday-to-mon"),
    (date(2026, 1, 30), 30, date(2026, 3, 2), "30-days-ends-sun-1-mar-2026-to-mon"),
    # Midsummer Eve (Friday) and Midsummer Day (Saturday) move to Monday.
    (date(2026, 6, 5), 14, date(2026, 6, 22), "midsummer-eve-fri-19-jun-2026"),
    (date(2026, 6, 6), 14, date(2026, 6, 22), "midsummer-day-sat-20-jun-2026"),
    (date(2025, 6, 6), 14, date(2025, 6, 23), "midsummer-eve-fri-20-jun-2025"),
    (date(2025, 6, 7), 14, date(2025, 6, 23), "midsummer-day-sat-21-jun-2025"),
    # Christmas: Eve, Day and Second Day of Christmas, then the weekend.
    (date(2026, 12, 10), 14, date(2026, 12, 28), "christmas-eve-thu-2026-to-mon-28"),
    (date(2026, 12, 11), 14, date(2026, 12, 28), "christmas-day-fri-2026-to-mon-28"),
    (date(2026, 12, 17), 7, date(2026, 12, 28), "letter-deemed-received-on-christmas-eve"),
    (date(2027, 12, 10), 14, date(2027, 12, 27), "christmas-eve-fri-2027-to-mon-27"),
    (date(2025, 12, 10), 14, date(2025, 12, 29), "christmas-eve-wed-2025-to-mon-29"),
    # New Year's Day and Epiphany.
    (date(2025, 12, 18), 14, date(2026, 1, 2), "new-years-day-thu-2026-to-fri"),
    (date(2026, 12, 31), 1, date(2027, 1, 4), "new-years-day-fri-2027-to-mon"),
    (date(2025, 12, 23), 14, date(2026, 1, 7), "epiphany-tue-2026-to-wed"),
    # Easter: Good Friday, (Saturday, Easter Sunday), Easter Monday.
    (date(2026, 3, 20), 14, date(2026, 4, 7), "good-friday-3-apr-2026-to-tue-7-apr"),
    (date(2026, 3, 23), 14, date(2026, 4, 7), "easter-monday-6-apr-2026-to-tue"),
    (date(2027, 3, 15), 14, date(2027, 3, 30), "easter-monday-29-mar-2027-to-tue"),
    (date(2027, 3, 12), 14, date(2027, 3, 30), "good-friday-26-mar-2027-to-tue"),
    # May Day and Ascension Day.
    (date(2026, 4, 17), 14, date(2026, 5, 4), "may-day-fri-2026-to-mon-4-may"),
    (date(2026, 4, 30), 14, date(2026, 5, 15), "ascension-thu-14-may-2026-to-fri"),
    # Independence Day and All Saints' Day.
    (date(2026, 11, 22), 14, date(2026, 12, 7), "independence-day-sun-2026-to-mon"),
    (date(2027, 11, 22), 14, date(2027, 12, 7), "independence-day-mon-2027-to-tue"),
    (date(2026, 10, 17), 14, date(2026, 11, 2), "all-saints-sat-31-oct-2026-to-mon"),
]


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [pytest.param(s, d, e, id=reason) for s, d, e, reason in TABLE],
)
def test_time_limit_end(start, days, expected):
    assert time_limit_end(start, days) == expected


def test_table_ends_on_working_days_only():
    """Every expected end in the table is itself a working day (guards the table)."""
    for _start, _days, expected, reason in TABLE:
        assert expected.weekday() < 5, reason
        assert is_working_day(expected), reason


@pytest.mark.parametrize("days", [-1, -14])
def test_negative_time_limit_is_refused(days):
    with pytest.raises(ValueError, match="negative"):
        time_limit_end(date(2026, 2, 2), days)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        pytest.param(date(2026, 2, 2), True, id="ordinary-monday"),
        pytest.param(date(2026, 2, 6), True, id="ordinary-friday"),
        pytest.param(date(2026, 12, 31), True, id="new-years-eve-is-working"),
        pytest.param(date(2026, 12, 23), True, id="dec-23-is-working"),
        pytest.param(date(2026, 6, 18), True, id="thursday-before-midsummer-eve"),
        pytest.param(date(2026, 4, 7), True, id="tuesday-after-easter"),
        pytest.param(date(2026, 3, 14), False, id="saturday"),
        pytest.param(date(2026, 3, 15), False, id="sunday"),
        pytest.param(date(2026, 1, 1), False, id="new-years-day"),
        pytest.param(date(2026, 1, 6), False, id="epiphany"),
        pytest.param(date(2026, 4, 3), False, id="good-friday"),
        pytest.param(date(2026, 4, 6), False, id="easter-monday"),
        pytest.param(date(2026, 5, 1), False, id="may-day"),
        pytest.param(date(2026, 5, 14), False, id="ascension-day"),
        pytest.param(date(2026, 6, 19), False, id="midsummer-eve"),
        pytest.param(date(2027, 12, 6), False, id="independence-day-on-monday"),
        pytest.param(date(2026, 12, 24), False, id="christmas-eve"),
        pytest.param(date(2026, 12, 25), False, id="christmas-day"),
        pytest.param(date(2025, 12, 26), False, id="second-day-of-christmas"),
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 2, 4), date(2026, 2, 4), id="working-day-is-itself"),
        pytest.param(date(2026, 10, 31), date(2026, 11, 2), id="all-saints-sat-to-mon"),
        pytest.param(date(2026, 12, 24), date(2026, 12, 28), id="christmas-eve-to-mon"),
        pytest.param(date(2027, 1, 1), date(2027, 1, 4), id="new-years-day-fri-to-mon"),
        pytest.param(date(2026, 4, 3), date(2026, 4, 7), id="good-friday-to-tue"),
    ],
)
def test_next_working_day(day, expected):
    assert next_working_day(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 2, 4), date(2026, 2, 4), id="working-day-is-itself"),
        pytest.param(date(2026, 12, 27), date(2026, 12, 23), id="sun-27-dec-to-wed-23"),
        pytest.param(date(2026, 4, 6), date(2026, 4, 2), id="easter-monday-to-thu"),
        pytest.param(date(2027, 1, 2), date(2026, 12, 31), id="sat-2-jan-to-new-years-eve"),
        pytest.param(date(2026, 6, 21), date(2026, 6, 18), id="midsummer-sun-to-thu"),
    ],
)
def test_previous_working_day(day, expected):
    assert previous_working_day(day) == expected


# Christmas Eve and Midsummer Eve (the Friday between 19 and 25 June) in years far ahead.
FAR_AHEAD = [
    pytest.param(date(2031, 12, 24), id="christmas-eve-wed-2031"),
    pytest.param(date(2031, 6, 20), id="midsummer-eve-2031"),
    pytest.param(date(2040, 12, 24), id="christmas-eve-mon-2040"),
    pytest.param(date(2040, 6, 22), id="midsummer-eve-2040"),
    pytest.param(date(2060, 12, 24), id="christmas-eve-fri-2060"),
    pytest.param(date(2060, 6, 25), id="midsummer-eve-25-jun-2060"),
]


@pytest.mark.parametrize("day", FAR_AHEAD)
def test_eves_are_not_working_days_far_ahead(day):
    assert day.weekday() < 5  # a weekday: only its being an eve makes it a non-working day
    assert not is_working_day(day)


@pytest.fixture
def holidays_without_eves(monkeypatch):
    """The `holidays` package as if it listed no holiday at all for Finland."""
    time_limits._holidays_of.cache_clear()
    monkeypatch.setattr(time_limits.holidays, "Finland", lambda years: {})
    yield
    time_limits._holidays_of.cache_clear()


@pytest.mark.parametrize("day", FAR_AHEAD)
def test_eves_are_not_working_days_even_if_holidays_package_omits_them(holidays_without_eves, day):
    assert not is_working_day(day)


def test_fallback_fixture_really_removes_the_package_holidays(holidays_without_eves):
    # Christmas Day 2031 is a Thursday: a working day once the package lists nothing, which
    # shows the eves above are non-working because time_limits adds them itself.
    assert is_working_day(date(2031, 12, 25))
    assert time_limit_end(date(2031, 12, 10), 14) == date(2031, 12, 25)
    assert time_limit_end(date(2031, 6, 6), 14) == date(2031, 6, 23)
