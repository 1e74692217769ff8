"""Open grants data in the 360Giving Data Standard (https://standard.threesixtygiving.org/):
each awarded, published grant as a 360Giving grant, as JSON (a grant package) and as CSV (the
standard's column titles). The identifiers and where each field comes from are documented in
docs/open-data.md. Nothing here names a person: organisations only."""

import csv
import io
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

CURRENCY = "EUR"
# The 360Giving version the rows follow (the schema read in tests/publicity).
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


def recipient_id(business_id: str | None, association_id: int) -> str:
    """The recipient's identifier: its FI-PRO identifier, or for an unregistered group (no
    business ID, so in no list of org-id.guide) one in the publisher's own 360Giving prefix,
    as the standard allows for an organisation without a registered identifier:
    `<OPEN_DATA_IDENTIFIER_PREFIX>org-<the association's id here>` (docs/open-data.md)."""
    if business_id:
        return org_id(business_id)
    return f"{settings.OPEN_DATA_IDENTIFIER_PREFIX}org-{association_id}"


def grant_id(application_id: int) -> str:
    """The grant's identifier: the publisher's 360Giving prefix and the decision's number in
    this service (its application's id: unique, never reused)."""
    return f"{settings.OPEN_DATA_IDENTIFIER_PREFIX}{application_id}"


def _number(amount: Decimal) -> int | float:
    # JSON numbers, as the standard asks: whole euros without a fraction.
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def grant(
    row: dict[str, Any],
    *,
    paid: Decimal,
    paid_recorded_at: datetime | None,
    urls: dict[str, str],
) -> dict[str, Any]:
    """One publication (a values row of publicity.selectors.GRANT_FIELDS) as a 360Giving grant,
    `paid` disbursed so far, the last payment recorded at `paid_recorded_at`; `urls` the
    absolute addresses of the decisions' and the calls' public pages, each followed by the
    record's id. Its dateModified is the later of the publication's last change and the last
    payment: a payment changes amountDisbursed, so it changes the grant (issue 16)."""
    modified = max(filter(None, (row["updated_at"], paid_recorded_at)))
    association, call = row["association__name"], row["call__name"]
    return {
        "id": grant_id(row["application_id"]),
        "title": f"{call}: {association}",
        "description": row["application__purpose"],
        "currency": CURRENCY,
        "amountAppliedFor": _number(row["application__requested_amount"]),
        "amountAwarded": _number(row["amount_awarded"]),
        "amountDisbursed": _number(paid),
        # The moment of the decision in Finnish time: a full date-time (the schema's "oneOf"
        # of a date pattern and the date-time format matches a bare date twice).
        "awardDate": timezone.localtime(row["decided_at"]).isoformat(),
        "url": f"{urls['decision']}{row['pk']}/",
        "recipientOrganization": [
            {
                "id": recipient_id(row["association__business_id"], row["association_id"]),
                "name": association,
            }
        ],
        "fundingOrganization": [
            {"id": org_id(row["public_body__business_id"]), "name": row["public_body__name"]}
        ],
        "grantProgramme": [
            {"code": str(row["call_id"]), "title": call, "url": f"{urls['call']}{row['call_id']}/"}
        ],
        "dateModified": modified.isoformat(),
    }


def page_urls(site_url: str) -> dict[str, str]:
    """The address each grant's `url` and programme's `url` continue with the record's id:
    reversed once per page rather than once per grant."""
    return {
        "decision": site_url + reverse("public:decisions"),
        "call": site_url + reverse("public:home") + "calls/",
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
