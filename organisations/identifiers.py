"""Valid business IDs and IBANs made from a sequence number, for the demo and the tests.

The check digits come from python-stdnum, so they are right by construction.
"""

from stdnum import iban
from stdnum.fi import alv, ytunnus


def business_id_for(seq: int) -> str:
    """A distinct valid business ID for each seq in 0..999 999.

    The first six digits are `seq`; the seventh is the first that makes a valid number. It has
    weight 2 in the checksum, so at most one of 0 and 1 gives the invalid remainder: distinct
    numbers never collide and every one has a valid ID.
    """
    if not 0 <= seq < 1_000_000:
        raise ValueError("seq must be in 0..999 999")
    for seventh in "0123456789":
        for check in "0123456789":
            if alv.is_valid(f"{seq:06d}{seventh}{check}"):
                return ytunnus.format(f"{seq:06d}{seventh}{check}")
    raise AssertionError("unreachable: one of the first two seventh digits always works")


def iban_for(seq: int) -> str:
    bban = f"{seq:014d}"
    return f"FI{iban.calc_check_digits('FI00' + bban)}{bban}"
