"""The creditor reference of a payment: the RF reference (ISO 11649) the payment order prints
and the payment file sends in structured remittance, so the association's bank statement and
the body's reconciliation match the payment to its payable without reading free text."""

from stdnum import iso11649
from stdnum.iso7064 import mod_97_10

from finance.models import Payable


def creditor_reference(payable: Payable) -> str:
    """The payable's RF reference, electronic form ("RF18539007547034"): check digits over the
    payable's id (ISO 11649: the base, then "RF00", letters as numbers, mod 97-10)."""
    base = f"{payable.pk:08d}"
    check = mod_97_10.calc_check_digits(f"{base}RF")
    return f"RF{check}{base}"


def printed(reference: str) -> str:
    """An RF reference as people read it: in groups of four ("RF18 5390 0754 7034")."""
    return iso11649.format(reference)
