"""What a public body must have on record before it may decide, notify or pay.

A decision states who decided and where to appeal (Administrative Procedure Act 44 §, Local
Government Act 133 §); a notification says where a request for rectification is filed; a
payment file names the payer's account. `missing_facts` names what is still to be filled in,
in the reader's language, so the refusal can say exactly that (docs/domain.md).
"""

from django.utils.translation import gettext_lazy as _

from organisations.models import PublicBody

DECISION = "decision"
NOTIFICATION = "notification"
PAYMENT = "payment"

# purpose -> (field, what to fill in); a value the settings supply for every body is not here.
REQUIRED = {
    DECISION: [
        ("name", _("the body's name")),
        ("business_id", _("business ID")),
        ("registry_address", _("registry address")),
        ("registry_email", _("registry email")),
    ],
    NOTIFICATION: [
        ("registry_address", _("registry address")),
        ("registry_email", _("registry email")),
    ],
    PAYMENT: [
        ("payer_iban", _("payer IBAN")),
        ("payer_bic", _("payer BIC")),
    ],
}


def missing_facts(body: PublicBody, purpose: str) -> list[str]:
    """What `body` lacks for `purpose` (DECISION, NOTIFICATION, PAYMENT), named for a person."""
    return [str(label) for field, label in REQUIRED[purpose] if not _value(body, field)]


def _value(body: PublicBody, field: str) -> str:
    # The payer's account may still be the process default (PublicBody.payer).
    if field.startswith("payer_"):
        return getattr(body.payer, field.removeprefix("payer_"))
    return getattr(body, field)
