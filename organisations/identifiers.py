"""Valid business IDs and IBANs made from a sequence number, for the demo and the tests.

The check digits come from python-stdnum, so they are right by construction.
"""

from stdnum import iban
from stdnum.fi import alv, ytunnus


def business_id_for(seq: int) -> str:
    base = f"{seq % 10_000_000:07d}"
    for digit in "0123456789":
        if alv.is_valid(base + digit):
            return ytunnus.format(base + digit)
    # Bases whose remainder would need check digit 10 have no valid business ID.
    return business_id_for(seq + 1)


def iban_for(seq: int) -> str:
    bban = f"{seq:014d}"
    return f"FI{iban.calc_check_digits('FI00' + bban)}{bban}"
