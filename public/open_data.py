"""Open grants data in the 360Giving Data Standard (https://standard.threesixtygiving.org/):
each awarded, published grant as a 360Giving grant, as JSON (a grant package) and as CSV (the
standard's column titles). The identifiers and where each field comes from are documented in
docs/open-data.md. Nothing here names a person: organisations only."""

import csv
import io
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from public.models import Publication

CURRENCY = "EUR"
# The 360Giving version the rows follow (the schema read in tests/public).
VERSION = "1.4"
# The CSV's columns: 360Giving's flattened titles, and the grant's field for each.
COLUMNS = [
    ("Identifier", "id"),
    ("Title", "title"),
    ("Description", "description"),
    ("Currency", "currency"),
    ("Amount Applied For", "amountAppliedFor"),
    ("Amount Awarded", "amountAwarded"),
    ("Amount Disbursed", "amountDisbursed"),
    ("Award Date", "awardDate"),
    ("URL", "url"),
    ("Recipient Org:Identifier", ("recipientOrganization", "id")),
    ("Recipient Org:Name", ("recipientOrganization", "name")),
    ("Funding Org:Identifier", ("fundingOrganization", "id")),
    ("Funding Org:Name", ("fundingOrganization", "name")),
    ("Grant Programme:Title", ("grantProgramme", "title")),
    ("Last Modified", "dateModified"),
]


def org_id(business_id: str) -> str:
    """An organisation identifier per org-id.guide: the list FI-PRO (the Finnish Patent and
    Registration Office's Business Information System) and the Business ID as it registers
    it, `FI-PRO-1234567-8`."""
    return f"FI-PRO-{business_id}"


def grant_id(publication: Publication) -> str:
    """The grant's identifier: the publisher's 360Giving prefix and the decision's number in
    this service (its application's id: unique, never reused)."""
    return f"{settings.OPEN_DATA_IDENTIFIER_PREFIX}{publication.application_id}"


def _number(amount: Decimal) -> int | float:
    # JSON numbers, as the standard asks: whole euros without a fraction.
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def grant(publication: Publication, *, site_url: str) -> dict[str, Any]:
    """One publication as a 360Giving grant. Reads the application, call, association and
    body loaded with it, and its payables' payments prefetched."""
    application = publication.application
    call, association, body = publication.call, publication.association, publication.public_body
    return {
        "id": grant_id(publication),
        "title": f"{call.name}: {association.name}",
        "description": application.purpose,
        "currency": CURRENCY,
        "amountAppliedFor": _number(application.requested_amount),
        "amountAwarded": _number(publication.amount_awarded),
        "amountDisbursed": _number(application.paid_total),
        # The moment of the decision in Finnish time: a full date-time (the schema's "oneOf"
        # of a date pattern and the date-time format matches a bare date twice).
        "awardDate": timezone.localtime(publication.decided_at).isoformat(),
        "url": site_url + reverse("public:decision", args=[publication.pk]),
        "recipientOrganization": [
            {"id": org_id(association.business_id), "name": association.name}
        ],
        "fundingOrganization": [{"id": org_id(body.business_id), "name": body.name}],
        "grantProgramme": [
            {
                "code": str(call.pk),
                "title": call.name,
                "url": site_url + reverse("public:call", args=[call.pk]),
            }
        ],
        "dateModified": publication.updated_at.isoformat(),
    }


def package(grants: list[dict[str, Any]], links: dict[str, str]) -> dict[str, Any]:
    """A 360Giving grant package of one page of grants, with the links to its neighbours."""
    return {"version": VERSION, "grants": grants, "links": links}


def as_csv(grants: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title for title, _ in COLUMNS])
    for row in grants:
        writer.writerow([_cell(row, field) for _, field in COLUMNS])
    return out.getvalue()


def _cell(row: dict[str, Any], field: str | tuple[str, str]) -> Any:
    if isinstance(field, tuple):
        many, key = field
        return row[many][0][key]
    return row[field]
