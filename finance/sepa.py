"""A payment batch as the SEPA credit transfer file (pain.001) a Finnish bank takes.

What the bank's file checker asks for, and where this module does it (docs/domain.md, "Payment
files"):

- the version the body's bank takes: pain.001.001.03 or pain.001.001.09
  (`PublicBody.sepa_version`), validated against the XSD `sepaxml` ships;
- the initiating party identified by the bank's service ID, or the body's business ID when it
  has none (`GrpHdr/InitgPty/Id/OrgId/Othr`, scheme code BANK);
- one EndToEndId per batch item, so two payables of one decision (an agreement's two years)
  are two traceable transfers;
- the RF creditor reference (ISO 11649) in structured remittance, never free text next to it
  (the EPC rulebook allows one or the other);
- names in the EPC basic character set, at most 70 characters: `epc_text` maps them, and
  `shortened_names` lists the ones that had to be cut so the batch page shows them first;
- the creditor named as the account's holder: for an unregistered group (no business ID) the
  account is its responsible person's, so `Cdtr/Nm` is that person and the group is the
  ultimate creditor (`UltmtCdtr/Nm`), the element the EPC rulebook has for whom the money is
  finally for (`creditor_names`).

`sepaxml` writes the file but knows neither the initiating party's id nor structured
remittance: `_finnish_bank_parts` adds them to its output, the one place the XML is edited;
`_schema_check` then validates the result.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree
from stdnum import iban as iban_number
from stdnum.fi import ytunnus

from finance.models import PaymentBatch, PaymentBatchItem
from finance.references import creditor_reference
from organisations.facts import PAYMENT, missing_facts
from organisations.models import PublicBody

SEPA_CONTENT_TYPE = "application/xml"

# EPC Customer-to-Bank Implementation Guidelines, "Character set": the Latin characters every
# bank in the scheme must take. Anything else may be refused or garbled by the receiving bank.
EPC_BASIC = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ ")
# The Name elements (Dbtr/Nm, Cdtr/Nm, InitgPty/Nm): the EPC guidelines take 70 characters.
NAME_LENGTH = 70

# What a character outside the basic set becomes before the rest is decomposed: letters that
# do not decompose into a base letter and a mark (ß, Ø, Æ...), and punctuation with a close
# equivalent. Quotation marks become an apostrophe and brackets parentheses; "&" becomes "+",
# the EPC guidelines' own example. Whatever is still outside the set after the accents are
# taken off (å -> a, ä -> a, é -> e) is dropped: "*", "@", "#", "%", "!"...
EPC_REPLACEMENTS = str.maketrans(
    {
        "&": "+",
        '"': "'",
        "“": "'",
        "”": "'",
        "„": "'",
        "«": "'",
        "»": "'",
        "‘": "'",
        "’": "'",
        "`": "'",
        "<": "(",
        ">": ")",
        "{": "(",
        "}": ")",
        "[": "(",
        "]": ")",
        "–": "-",
        "—": "-",
        "_": "-",
        "ß": "ss",
        "Ø": "O",
        "ø": "o",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "Ð": "D",
        "ð": "d",
        "Đ": "D",
        "đ": "d",
        "Þ": "TH",
        "þ": "th",
        "Ł": "L",
        "ł": "l",
    }
)

# The scheme of the initiating party's id: "BANK", an id the bank gave its customer, which is
# what Finnish banks read there (the service ID, palvelutunnus; for most customers the
# business ID itself).
INITIATING_PARTY_SCHEME = "BANK"


def epc_text(value: str) -> str:
    """`value` in the EPC basic character set: "Åbo Akademi & Ørsted" -> "Abo Akademi + Orsted".
    Whitespace runs become one space."""
    mapped = unicodedata.normalize("NFKD", value.translate(EPC_REPLACEMENTS))
    kept = (" " if char.isspace() else char if char in EPC_BASIC else "" for char in mapped)
    return " ".join("".join(kept).split())


def sent_name(name: str) -> str:
    """A name as the payment file sends it: in the EPC set, cut to 70 characters."""
    return epc_text(name)[:NAME_LENGTH].rstrip()


@dataclass(frozen=True)
class ShortenedName:
    full: str
    sent: str


def creditor_names(item: PaymentBatchItem) -> tuple[str, str]:
    """The transfer's creditor and ultimate creditor ("" for none). The creditor is whoever
    holds the account: the association, or an unregistered group's responsible person, whose
    account the group's money goes to (a bank's verification of payee compares the name with
    the account's holder); the group is then the ultimate creditor."""
    association = item.payable.association
    if association.is_unregistered_group:
        return association.responsible_person, item.payee
    return item.payee, ""


def shortened_names(batch: PaymentBatch) -> list[ShortenedName]:
    """The payer's and payees' names the payment file has to cut, each once, in file order:
    the batch page lists them before anyone exports it."""
    names = [batch.public_body.payer.name]
    for item in batch.items.select_related("payable__association"):
        names.extend(name for name in creditor_names(item) if name)
    return [
        ShortenedName(name, sent_name(name))
        for name in dict.fromkeys(names)
        if len(epc_text(name)) > NAME_LENGTH
    ]


def end_to_end_id(item: PaymentBatchItem) -> str:
    """The transfer's EndToEndId: "<batch>-<item>", unique for every item ever batched (two
    payables of one decision included), digits and "-" only, and within the 35 characters the
    element takes while the ids stay below 10^17."""
    return f"{item.batch_id}-{item.pk}"


def initiating_party_id(body: PublicBody) -> str:
    """What identifies the body to its bank: the bank's service ID, or else its business ID
    without the hyphen (the eight characters Finnish banks' customer ids take)."""
    return body.payment_service_id.strip() or ytunnus.compact(body.business_id)


def payment_refusal(body: PublicBody) -> str:
    """Why `body` cannot pay yet, naming what to fill in ("" when nothing is missing)."""
    missing = missing_facts(body, PAYMENT)
    if not missing:
        return ""
    return _(
        "No payment file can be made until these facts of %(body)s are filled in "
        "(administration, public bodies): %(facts)s."
    ) % {"body": body.name, "facts": ", ".join(missing)}


def payment_facts_check(body: PublicBody) -> None:
    """ValidationError (a 400 in the API, a message on the pages) when the body lacks what a
    payment file must state."""
    refusal = payment_refusal(body)
    if refusal:
        raise ValidationError({"public_body": refusal})


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def batch_sepa(batch: PaymentBatch) -> bytes:
    """The batch as a SEPA credit transfer initiation in the body's version: one transfer per
    item from the body's payer account to the association's IBAN on the batch's execution
    date, with the payable's RF reference. Validated against the version's XSD."""
    from sepaxml import SepaTransfer

    body = batch.public_body
    payment_facts_check(body)
    payer = body.payer
    schema = body.sepa_version
    items = list(batch.items.select_related("payable__association"))
    # sepaxml's own cleaning (unidecode, then a silent cut) is off: names come mapped and
    # shortened here, and the shortened ones are shown beforehand.
    transfer = SepaTransfer(
        {
            "name": sent_name(payer.name),
            "IBAN": iban_number.compact(payer.iban),
            "BIC": payer.bic.replace(" ", "").upper(),
            "batch": True,
            "currency": "EUR",
        },
        schema=schema,
        clean=False,
    )
    references = {}  # EndToEndId -> RF reference
    ultimate = {}  # EndToEndId -> ultimate creditor's name, for an unregistered group
    for item in items:
        transfer_id = end_to_end_id(item)
        references[transfer_id] = creditor_reference(item.payable)
        creditor, ultimate_creditor = creditor_names(item)
        if ultimate_creditor:
            ultimate[transfer_id] = sent_name(ultimate_creditor)
        transfer.add_payment(
            {
                "name": sent_name(creditor),
                "IBAN": iban_number.compact(item.iban),
                "amount": _cents(item.amount),
                "execution_date": batch.execution_date,
                # Replaced by the structured reference below; sepaxml requires one.
                "description": references[transfer_id],
                "endtoend_id": transfer_id,
            }
        )
    document = _finnish_bank_parts(
        transfer.export(validate=False), schema, initiating_party_id(body), references, ultimate
    )
    _schema_check(document, schema)
    return document


@functools.cache
def _xsd(schema: str) -> Any:
    import sepaxml
    import xmlschema

    return xmlschema.XMLSchema(Path(sepaxml.__file__).parent / "schemas" / f"{schema}.xsd")


def _schema_check(document: bytes, schema: str) -> None:
    """ValidationError naming the element when the file does not pass its version's XSD. What
    the code writes always passes; a value typed in the admin may not (a payer BIC of the
    wrong form, a name with no character left in the EPC set), and the bank would refuse the
    whole file."""
    import xmlschema

    try:
        _xsd(schema).validate(document.decode())
    except xmlschema.XMLSchemaValidationError as error:
        element = re.sub(r"\{[^}]*\}|\[\d+\]", "", str(error.path or ""))
        raise ValidationError(
            {
                "public_body": _(
                    "The payment file does not pass the %(version)s schema at %(element)s: "
                    "correct that value in the public body's or the association's details."
                )
                % {"version": schema, "element": element}
            }
        ) from error


def _finnish_bank_parts(
    document: bytes,
    schema: str,
    party_id: str,
    references: dict[str, str],
    ultimate: dict[str, str],
) -> bytes:
    """sepaxml's file with what it cannot write: the initiating party's id after its name
    (the schema's order: Nm, PstlAdr, Id) and, in each transfer, structured remittance with
    the RF creditor reference (code SCOR, issuer ISO) in place of the unstructured text, and
    the ultimate creditor where there is one (right after CdtrAcct, the schema's order)."""
    ns = f"urn:iso:std:iso:20022:tech:xsd:{schema}"

    def element(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
        child = etree.SubElement(parent, f"{{{ns}}}{tag}")
        child.text = text
        return child

    root = etree.fromstring(document)
    party = root.find(f"{{{ns}}}CstmrCdtTrfInitn/{{{ns}}}GrpHdr/{{{ns}}}InitgPty")
    other = element(element(element(party, "Id"), "OrgId"), "Othr")
    element(other, "Id", party_id)
    element(element(other, "SchmeNm"), "Cd", INITIATING_PARTY_SCHEME)
    for transfer in root.iter(f"{{{ns}}}CdtTrfTxInf"):
        transfer_id = transfer.findtext(f"{{{ns}}}PmtId/{{{ns}}}EndToEndId")
        reference = references[transfer_id]
        if transfer_id in ultimate:
            party = etree.Element(f"{{{ns}}}UltmtCdtr")
            element(party, "Nm", ultimate[transfer_id])
            transfer.find(f"{{{ns}}}CdtrAcct").addnext(party)
        remittance = transfer.find(f"{{{ns}}}RmtInf")
        for child in list(remittance):
            remittance.remove(child)
        creditor = element(element(remittance, "Strd"), "CdtrRefInf")
        kind = element(creditor, "Tp")
        element(element(kind, "CdOrPrtry"), "Cd", "SCOR")
        element(kind, "Issr", "ISO")
        element(creditor, "Ref", reference)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
