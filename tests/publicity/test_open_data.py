"""The open grants data: 360Giving grants, valid against the standard's own schema (read from
../shared/data/360giving/, CC BY 4.0, never copied here), paginated, with ETag and 304."""

import csv
import io
import json
import os
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from publicity import views
from tests.factories import ApplicationFactory, AssociationFactory, represent
from tests.publicity.conftest import START

pytestmark = pytest.mark.django_db
# `../shared/data/360giving/` from the project's root; a worktree elsewhere names the folder.
SCHEMAS = Path(
    os.environ.get(
        "GIVING_SCHEMA_DIR",
        Path(__file__).resolve().parents[2].parent / "shared" / "data" / "360giving",
    )
)
REQUIRED = [
    "id",
    "title",
    "description",
    "currency",
    "amountAwarded",
    "awardDate",
    "recipientOrganization",
    "fundingOrganization",
]


def _validator() -> Draft202012Validator:
    if not SCHEMAS.is_dir():
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"CI must validate the open data: no 360Giving schema at {SCHEMAS}")
        pytest.skip(f"the 360Giving schema is not at {SCHEMAS} (set GIVING_SCHEMA_DIR)")
    grant = json.loads((SCHEMAS / "360-giving-schema.json").read_text())
    package = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text())
    # Both files name their dialect with "http://", which `referencing` does not know: say it.
    resource = DRAFT202012.create_resource(grant)
    # The package names the grant schema by its 1.4.2 address; the file is 1.4.3's.
    registry = Registry().with_resources(
        [
            (grant["$id"], resource),
            (grant["$id"].replace("1.4.3", "1.4.2"), resource),
        ]
    )
    return Draft202012Validator(
        package, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


@pytest.fixture
def granted(send, call, representative):
    """Three grants of the call and a rejection; the first grant paid."""
    with time_machine.travel(START, tick=False):
        apps = []
        for amount in ("5000.00", "2500.50", "1000.00", "0"):
            association = AssociationFactory(accepts_electronic_notification=True)
            represent(representative, association)
            apps.append(
                send(
                    ApplicationFactory(
                        call=call, association=association, created_by=representative
                    ),
                    amount=amount,
                )
            )
    return apps


def _json(client: Client, page: int = 1):
    response = client.get(f"/open/v1/grants.json?page={page}")
    assert response.status_code == 200
    return response, json.loads(response.content)


def test_the_grants_are_valid_360giving_and_name_organisations_by_business_id(granted, body):
    response, data = _json(Client())
    errors = [e.message for e in _validator().iter_errors(data)]
    assert errors == []
    assert len(data["grants"]) == 3  # the rejection granted nothing: not a grant
    first = data["grants"][0]
    for field in REQUIRED:
        assert first[field] not in ("", None, []), field
    app = granted[0]
    assert first["id"] == f"360G-avustus-{app.pk}"
    assert first["currency"] == "EUR"
    assert first["amountAwarded"] == 5000
    assert first["amountAppliedFor"] == 5000
    assert first["amountDisbursed"] == 0
    assert data["grants"][1]["amountAwarded"] == 2500.5
    assert first["awardDate"] == START.isoformat()
    assert first["recipientOrganization"] == [
        {"id": f"FI-PRO-{app.association.business_id}", "name": app.association.name}
    ]
    assert first["fundingOrganization"] == [{"id": f"FI-PRO-{body.business_id}", "name": body.name}]
    assert first["description"] == app.purpose
    client = Client()
    for url in (first["url"], first["grantProgramme"][0]["url"]):
        assert client.get(url.removeprefix(settings.SITE_URL)).status_code == 200, url
    assert "public" in response["Cache-Control"]


def test_the_csv_has_the_standards_columns_and_the_same_grants(granted):
    response = Client().get("/open/v1/grants.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 3
    assert rows[0]["Identifier"] == f"360G-avustus-{granted[0].pk}"
    assert rows[0]["Amount Awarded"] == "5000"
    assert rows[0]["Recipient Org:Identifier"] == f"FI-PRO-{granted[0].association.business_id}"
    assert rows[1]["Amount Awarded"] == "2500.5"
    assert {"Funding Org:Identifier", "Award Date", "Currency", "Title"} <= set(rows[0])


def test_pages_link_to_each_other_and_cover_every_grant_once(granted, monkeypatch):
    monkeypatch.setattr(views, "OPEN_DATA_PAGE_SIZE", 2)
    client = Client()
    first_response, first = _json(client, 1)
    _, second = _json(client, 2)
    assert first["links"]["next"].endswith("/open/v1/grants.json?page=2")
    assert "prev" not in first["links"]
    assert second["links"]["prev"].endswith("?page=1")
    assert "next" not in second["links"]
    assert 'rel="next"' in first_response["Link"]
    ids = [g["id"] for g in first["grants"] + second["grants"]]
    assert len(ids) == len(set(ids)) == 3
    for page in (first, second):
        assert list(_validator().iter_errors(page)) == []
    assert client.get("/open/v1/grants.json?page=3").status_code == 404


def test_an_unchanged_page_answers_304_and_a_payment_changes_it(granted, walk):
    client = Client()
    response, _ = _json(client)
    etag = response["ETag"]
    assert client.get("/open/v1/grants.json", HTTP_IF_NONE_MATCH=etag).status_code == 304
    csv_etag = client.get("/open/v1/grants.csv")["ETag"]
    assert client.get("/open/v1/grants.csv", HTTP_IF_NONE_MATCH=csv_etag).status_code == 304
    with time_machine.travel(START.replace(month=4), tick=False):
        app = walk(granted[0], "become_legally_valid")
        walk(
            app,
            "record_payment",
            record_payment={
                "params": {"amount": Decimal("5000.00"), "paid_on": START.date().replace(month=4)}
            },
        )
    changed = client.get("/open/v1/grants.json", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert json.loads(changed.content)["grants"][0]["amountDisbursed"] == 5000


def test_a_payment_moves_the_grants_date_modified_and_its_etag(granted, walk):
    """Issue 16: a payment changes the grant (amountDisbursed), so its dateModified follows
    it; the other grants keep theirs."""
    client = Client()
    response, before = _json(client)
    paid_at = START.replace(month=4, day=6)
    with time_machine.travel(START.replace(month=4), tick=False):
        app = walk(granted[0], "become_legally_valid")
    with time_machine.travel(paid_at, tick=False):
        walk(
            app,
            "record_payment",
            record_payment={"params": {"amount": Decimal("1000.00"), "paid_on": paid_at.date()}},
        )

    changed = client.get("/open/v1/grants.json", HTTP_IF_NONE_MATCH=response["ETag"])

    assert changed.status_code == 200
    after = json.loads(changed.content)["grants"]
    assert datetime.fromisoformat(after[0]["dateModified"]) == paid_at
    assert datetime.fromisoformat(before["grants"][0]["dateModified"]) < paid_at
    assert [g["dateModified"] for g in after[1:]] == [
        g["dateModified"] for g in before["grants"][1:]
    ]
    rows = list(csv.DictReader(io.StringIO(client.get("/open/v1/grants.csv").content.decode())))
    assert datetime.fromisoformat(rows[0]["Last Modified"]) == paid_at
    assert list(_validator().iter_errors(json.loads(changed.content))) == []


def test_an_unregistered_group_is_named_by_the_publishers_own_identifier(
    send, call, representative, settings
):
    settings.OPEN_DATA_IDENTIFIER_PREFIX = "360G-esimerkkila-"
    group = AssociationFactory(
        name="Kylän Äidit",
        business_id=None,
        responsible_person="Päivi Virtanen",
        accepts_electronic_notification=True,
    )
    represent(representative, group)
    with time_machine.travel(START, tick=False):
        send(ApplicationFactory(call=call, association=group, created_by=representative))

    _, data = _json(Client())

    assert list(_validator().iter_errors(data)) == []
    assert data["grants"][0]["recipientOrganization"] == [
        {"id": f"360G-esimerkkila-org-{group.pk}", "name": "Kylän Äidit"}
    ]
    # Organisations only: the responsible person, a private person, is not in the data.
    assert "Virtanen" not in json.dumps(data, ensure_ascii=False)
    page = Client().get(data["grants"][0]["url"].removeprefix(settings.SITE_URL))
    assert "Virtanen" not in page.content.decode()


def test_no_grant_yet_is_an_empty_first_page(db):
    _, data = _json(Client())
    assert data["grants"] == []
