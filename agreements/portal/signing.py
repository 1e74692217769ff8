"""Who has signed a version and who still has to, per side, as the agreement's pages show it
(the rule is agreements.signatures')."""

from typing import Any

from agreements.models import Agreement, AgreementVersion
from agreements.portal.labels import name_of
from agreements.signatures import signature_slots, still_to_sign

S = AgreementVersion.State
UNDER_SIGNATURE = (S.APPROVED, S.AWAITING_SIGNATURES)


def signature_rows(version: AgreementVersion) -> list[dict[str, Any]]:
    """Per side (the public body, then each association): how many signatures it requires,
    who has signed, how many are still needed and who may still give them."""
    return [
        {
            "party": side.name,
            "required": side.required,
            "signed": [{"name": name_of(s.signer), "at": s.signed_at} for s in side.signed],
            "missing": side.missing,
            "still": [name_of(person) for person in still_to_sign(side)]
            if version.state in UNDER_SIGNATURE
            else [],
        }
        for side in signature_slots(version)
    ]


def under_signature(agreement: Agreement) -> AgreementVersion | None:
    """The version being signed, if one is: the agreement's page says who still has to sign."""
    return next((v for v in agreement.versions.all() if v.state in UNDER_SIGNATURE), None)
