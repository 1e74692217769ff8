"""Money, figures and dates as each language writes them (workflow.formats, on Babel and CLDR).

The outputs are spelt out character by character: a narrow no-break space (U+202F) groups
Finnish and Swedish thousands, a no-break space (U+00A0) stands before "€"."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from workflow.formats import local_date, money, number

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("value", "fi", "en"),
    [
        (0, f"0,00{NBSP}€", "€0.00"),
        ("5000", f"5{NNBSP}000,00{NBSP}€", "€5,000.00"),
        (Decimal("1234567.89"), f"1{NNBSP}234{NNBSP}567,89{NBSP}€", "€1,234,567.89"),
        ("999.99", f"999,99{NBSP}€", "€999.99"),
        ("-5000.5", f"-5{NNBSP}000,50{NBSP}€", "-€5,000.50"),
        # Cents round half up, as a person rounds (Babel alone would round half to even).
        ("0.125", f"0,13{NBSP}€", "€0.13"),
        ("0.135", f"0,14{NBSP}€", "€0.14"),
        ("2.674", f"2,67{NBSP}€", "€2.67"),
        ("-0.125", f"-0,13{NBSP}€", "-€0.13"),
        ("999999.995", f"1{NNBSP}000{NNBSP}000,00{NBSP}€", "€1,000,000.00"),
        # What rounds to nothing has no sign.
        ("-0.004", f"0,00{NBSP}€", "€0.00"),
    ],
)
def test_money(value, fi, en):
    assert money(value, "fi") == fi
    assert money(value, "sv") == fi
    assert money(value, "en") == en


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_no_money_is_an_empty_text(language):
    assert money(None, language) == ""
    assert money("", language) == ""
    assert number(None, language) == ""


@pytest.mark.parametrize(
    ("value", "fi", "en"),
    [
        (Decimal("0.00"), "0", "0"),
        (Decimal("2.50"), "2,5", "2.5"),
        (Decimal("1234.125"), "1234,125", "1234.125"),
        (Decimal("100"), "100", "100"),
        (Decimal("1E+2"), "100", "100"),
        (Decimal("-3.25"), "-3,25", "-3.25"),
        (12, "12", "12"),
        ("0.000001", "0,000001", "0.000001"),
    ],
)
def test_number(value, fi, en):
    """A figure that is not money: no grouping, no rounding, no trailing zeros."""
    assert number(value, "fi") == fi
    assert number(value, "sv") == fi
    assert number(value, "en") == en


@pytest.mark.parametrize(
    ("value", "fi", "en"),
    [
        (date(2026, 12, 1), "1.12.2026", "1 December 2026"),
        (date(2027, 1, 5), "5.1.2027", "5 January 2027"),
        (date(2028, 2, 29), "29.2.2028", "29 February 2028"),
        ("2026-05-31", "31.5.2026", "31 May 2026"),
        ("2026-06-30T23:15:00+03:00", "30.6.2026", "30 June 2026"),
        (datetime(2026, 9, 15, 8, 30), "15.9.2026", "15 September 2026"),
    ],
)
def test_local_date(value, fi, en):
    assert local_date(value, "fi") == fi
    assert local_date(value, "sv") == fi
    assert local_date(value, "en") == en


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_no_date_is_an_empty_text(language):
    assert local_date(None, language) == ""
    assert local_date("", language) == ""


@pytest.mark.parametrize("language", [None, "de"])
def test_another_language_writes_as_finnish(language):
    assert money("5000", language) == f"5{NNBSP}000,00{NBSP}€"
    assert local_date(date(2026, 12, 1), language) == "1.12.2026"
    assert number(Decimal("2.5"), language) == "2,5"
