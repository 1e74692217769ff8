"""Finance's hand-off: the inbox of payables, recording payments, payment batches and their
bank files.

The world: in our body two legally valid grants (5 000,00 € and 1 234,56 €), one only
notified and one fully paid; in a foreign body one legally valid grant. Everything after
the appeal period runs inside `later`, 30 days on.
"""

import csv
import io
import threading
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from lxml import etree
from rest_framework.test import APIClient

from documents.models import DocumentTemplate, GeneratedDocument, Kind
from finance import batches, payables
from finance.documents import payment_order
from finance.exports import batch_csv, batch_xlsx, columns
from finance.models import Payable, Payment, PaymentBatch, PaymentBatchItem
from finance.payables import payments_of
from finance.references import creditor_reference
from grants.models import Application
from organisations.models import OfficialRole
from tests.conftest import as_user
from tests.factories import (
    ApplicationFactory,
    AssociationFactory,
    CallFactory,
    PublicBodyFactory,
    UserFactory,
    grant_role,
    represent,
)
from tests.grants.test_concurrency import TIMEOUT, run_in_threads
from workflow.deadlines import deadlines_of
from workflow.errors import TransitionConflict
from workflow.models import Deadline, TransitionLog

pytestmark = pytest.mark.django_db

Role = OfficialRole.Role
PAYABLE = "/api/v1/finance/payable/"
BATCHES = "/api/v1/finance/batches/"
PAIN = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.03}"
LATER = timedelta(days=30)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def decided_and_notified(walk, app, amount: str, **actors):
    """Walk an application to `notified`, granting `amount` (a partial grant when less than
    requested). `actors` names who starts the review, proposes, decides and notifies."""
    granted = Decimal(amount)
    outcome = "approved" if granted == app.requested_amount else "partially_approved"
    preparer, decider = actors.get("preparer"), actors.get("decider")
    by_preparer = {"actor": preparer} if preparer else {}
    by_decider = {"actor": decider} if decider else {}
    return walk(
        app,
        "submit",
        "start_review",
        "record_step",
        "decide",
        "notify",
        start_review=by_preparer,
        record_step={**by_preparer, "params": {"proposed_amount": granted}},
        decide={
            **by_decider,
            "params": {"outcome": outcome, "granted_amount": granted, "reasons": "Hyvä."},
        },
        notify=by_preparer,
    )


def new_application(call, representative, **association):
    payee = AssociationFactory(accepts_electronic_notification=True, **association)
    represent(representative, payee)
    return ApplicationFactory(call=call, association=payee, created_by=representative)


def payable_of(app) -> Payable:
    return app.payables.get()


def add_document(app, kind: str, version: int = 1, source: str = "") -> GeneratedDocument:
    template, _created = DocumentTemplate.objects.get_or_create(
        kind=kind,
        language="fi",
        version=1,
        defaults={"file": ContentFile(b"template", name="t.docx"), "sha256": "0" * 64},
    )
    return GeneratedDocument.objects.create(
        content_type=ContentType.objects.get_for_model(Application),
        object_id=app.pk,
        kind=kind,
        language="fi",
        version=version,
        template=template,
        data={},
        file=ContentFile(f"{kind} v{version}".encode(), name=f"{kind}.docx"),
        sha256="1" * 64,
        source=source,
    )


def add_order(app, version: int = 1) -> GeneratedDocument:
    """The payment order of the application's payable, as the hand-over makes it."""
    source = payables.payment_order_source(payable_of(app))
    return add_document(app, Kind.PAYMENT_ORDER, version, source=source)


@dataclass
class World:
    first: Application  # 5 000,00 €, with documents
    second: Application  # 1 234,56 €
    notified: Application  # not yet legally valid
    paid: Application  # fully paid
    foreign: Application  # legally valid, another body's
    foreign_finance: object
    foreign_body: object


@pytest.fixture
def world(walk, call, association, representative, people):
    first = ApplicationFactory(call=call, association=association, created_by=representative)
    first = decided_and_notified(walk, first, "5000.00")
    second = decided_and_notified(
        walk, new_application(call, representative, name="Toinen Yhdistys ry"), "1234.56"
    )
    notified = new_application(call, representative)
    notified = walk(notified, "submit", "start_review", "record_step", "decide")
    paid = decided_and_notified(walk, new_application(call, representative), "2000.00")

    foreign_body = PublicBodyFactory()
    foreign_people = SimpleNamespace(
        preparer=grant_role(UserFactory(), foreign_body, Role.PREPARER),
        decider=grant_role(UserFactory(), foreign_body, Role.DECISION_MAKER),
        finance=grant_role(UserFactory(), foreign_body, Role.FINANCE),
    )
    foreign = decided_and_notified(
        walk,
        new_application(CallFactory(public_body=foreign_body), representative),
        "3000.00",
        preparer=foreign_people.preparer,
        decider=foreign_people.decider,
    )

    with time_machine.travel(timezone.now() + LATER):
        # Notified only now: its appeal period has not ended.
        notified = walk(notified, "notify")
        first, second, paid, foreign = (
            walk(app, "become_legally_valid") for app in (first, second, paid, foreign)
        )
        paid = walk(
            paid,
            "record_payment",
            record_payment={
                "params": {"amount": Decimal("2000.00"), "paid_on": timezone.localdate()}
            },
        )
        add_document(first, Kind.GRANT_DECISION, 1)
        add_document(first, Kind.GRANT_DECISION, 2)
        add_order(first)
        yield World(first, second, notified, paid, foreign, foreign_people.finance, foreign_body)


@pytest.fixture
def finance_api(api, people):
    return as_user(api, people["finance"])


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.data
    return response.data["results"]


def create_batch(client, body, *apps, execution_date=None):
    """A batch of the applications' payables (or of payables given as they are)."""
    return client.post(
        BATCHES,
        {
            "public_body": body.pk,
            "payables": [a.pk if isinstance(a, Payable) else payable_of(a).pk for a in apps],
            "execution_date": (execution_date or timezone.localdate()).isoformat(),
        },
    )


def export(client, batch_id: int, fmt: str):
    return client.get(f"{BATCHES}{batch_id}/export/", {"format": fmt})


def nothing_saved() -> None:
    assert not PaymentBatch.objects.exists()
    assert not PaymentBatchItem.objects.exists()
    assert not TransitionLog.objects.filter(transition="create_payment_batch").exists()


# --- the inbox ------------------------------------------------------------------------------


def test_the_inbox_lists_the_bodys_legally_valid_unpaid_grants(finance_api, world, association):
    listed = rows(finance_api.get(PAYABLE))

    assert [r["subject_id"] for r in listed] == [world.first.pk, world.second.pk]
    assert not world.notified.payables.exists()  # payable only once legally valid
    first = listed[0]
    assert first["id"] == payable_of(world.first).pk
    assert first["subject_kind"] == "application"
    assert first["title"] == world.first.call.name
    assert first["public_body"] == world.first.call.public_body_id
    assert first["association"] == association.name
    assert first["business_id"] == association.business_id
    assert first["iban"] == association.iban
    assert first["decision_number"] == world.first.decision_number
    assert first["decided_on"] == timezone.localtime(world.first.decided_at).date().isoformat()
    assert first["payable_on"] == timezone.localdate().isoformat()
    assert (first["amount"], first["paid"], first["remaining"]) == (
        "5000.00",
        "0.00",
        "5000.00",
    )
    assert first["batches"] == []
    # The newest version of each document, with a link finance can follow.
    assert sorted((d["kind"], d["version"]) for d in first["documents"]) == [
        ("grant_decision", 2),
        ("payment_order", 1),
    ]
    decision = next(d for d in first["documents"] if d["kind"] == "grant_decision")
    assert decision["download_url"].endswith(f"/api/v1/documents/{decision['id']}/download/")
    download = finance_api.get(decision["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"grant_decision v2"
    assert listed[1]["remaining"] == "1234.56"
    assert listed[1]["documents"] == []


def test_a_foreign_bodys_finance_person_sees_only_their_own(api, world):
    listed = rows(as_user(api, world.foreign_finance).get(PAYABLE))

    assert [r["subject_id"] for r in listed] == [world.foreign.pk]
    assert listed[0]["public_body"] == world.foreign_body.pk


def test_a_finance_person_without_payable_grants_sees_an_empty_inbox(api, world):
    idle = grant_role(UserFactory(), PublicBodyFactory(), Role.FINANCE)

    assert rows(as_user(api, idle).get(PAYABLE)) == []


@pytest.mark.parametrize("who", ["representative", "preparer", "decision_maker", "anonymous"])
def test_only_finance_people_get_in(api, world, people, representative, who):
    user = {"representative": representative, "anonymous": None}.get(who) or people.get(who)
    client = as_user(api, user)
    batch = batches.payment_batch_create(
        user=people["finance"],
        public_body_id=world.first.call.public_body_id,
        payable_ids=[payable_of(world.first).pk],
        execution_date=timezone.localdate(),
    )

    assert client.get(PAYABLE).status_code == 403
    assert pay(client, payable_of(world.first), "1.00").status_code == 403
    assert client.get(BATCHES).status_code == 403
    assert client.get(f"{BATCHES}{batch.pk}/").status_code == 403
    assert export(client, batch.pk, "csv").status_code == 403
    response = create_batch(client, world.first.call.public_body, world.second)
    assert response.status_code == 403
    assert PaymentBatch.objects.count() == 1


# --- payment batches and their files -----------------------------------------------------------


def test_a_body_with_its_own_account_pays_from_it(finance_api, world, body, settings):
    """The payer account is the public body's fact; the settings only stand in for a body
    that has none of its own."""
    settings.PAYER_IBAN = "FI21 1234 5600 0007 85"
    body.payer_name, body.payer_iban, body.payer_bic = (
        "Muulan kunta",
        "FI4950009420028730",
        "okoyfihh",
    )
    body.save()

    created = create_batch(finance_api, body, world.first)
    root = etree.fromstring(export(finance_api, created.data["id"], "sepa").content)

    info = root.find(f"{PAIN}CstmrCdtTrfInitn/{PAIN}PmtInf")
    assert info.findtext(f"{PAIN}Dbtr/{PAIN}Nm") == "Muulan kunta"
    assert info.findtext(f"{PAIN}DbtrAcct/{PAIN}Id/{PAIN}IBAN") == "FI4950009420028730"
    assert info.findtext(f"{PAIN}DbtrAgt/{PAIN}FinInstnId/{PAIN}BIC") == "OKOYFIHH"


def test_a_batch_of_two_exports_as_csv_xlsx_and_sepa(finance_api, world, body, settings):
    settings.PAYER_NAME = "Testilän kunta"
    settings.PAYER_IBAN = "FI21 1234 5600 0007 85"
    settings.PAYER_BIC = "NDEAFIHH"
    execution_date = timezone.localdate() + timedelta(days=2)

    created = create_batch(
        finance_api, body, world.first, world.second, execution_date=execution_date
    )

    assert created.status_code == 201, created.data
    batch = PaymentBatch.objects.get(pk=created.data["id"])
    first, second = world.first.association, world.second.association
    expected = [
        (first.name, first.business_id, first.iban, "5000.00", world.first.decision_number),
        (second.name, second.business_id, second.iban, "1234.56", world.second.decision_number),
    ]
    assert [
        (i["payee"], i["business_id"], i["iban"], i["amount"], i["reference"])
        for i in created.data["items"]
    ] == expected
    assert created.data["total"] == "6234.56"
    assert created.data["execution_date"] == execution_date.isoformat()
    assert created.data["public_body"] == body.pk
    assert set(created.data["exports"]) == {"csv", "xlsx", "sepa"}
    audit = TransitionLog.objects.get(
        content_type=ContentType.objects.get_for_model(PaymentBatch), object_id=batch.pk
    )
    assert audit.transition == "create_payment_batch"
    assert audit.actor == batch.created_by
    assert audit.data["payables"] == [payable_of(world.first).pk, payable_of(world.second).pk]
    assert [i["payable"] for i in created.data["items"]] == audit.data["payables"]
    # The inbox says which batches a payable is already in.
    assert [r["batches"] for r in rows(finance_api.get(PAYABLE))] == [[batch.pk], [batch.pk]]
    assert finance_api.get(f"{BATCHES}{batch.pk}/").data["total"] == "6234.56"
    assert [b["id"] for b in rows(finance_api.get(BATCHES))] == [batch.pk]

    # CSV: UTF-8 with BOM, semicolons, decimal comma.
    response = export(finance_api, batch.pk, "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="maksuera-{batch.pk}.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == columns()
    day = f"{execution_date.day}.{execution_date.month}.{execution_date.year}"

    def reference(app):
        return [app.decision_number, day]

    def record(app):
        return f"Avustuspäätös {app.decision_number}, {app.association.name}"

    assert table[1:] == [
        [record(app), payee.name, payee.business_id, payee.iban, amount, *reference(app)]
        for app, payee, amount in (
            (world.first, first, "5000,00"),
            (world.second, second, "1234,56"),
        )
    ]

    # XLSX: a header row, amounts as numbers in euros, a total row.
    response = export(finance_api, batch.pk, "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == batches.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="maksuera-{batch.pk}.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == columns()
    assert [r[0] for r in values[1:3]] == [record(world.first), record(world.second)]
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in values[1:3]] == [
        (first.name, first.business_id, first.iban, 5000, world.first.decision_number),
        (second.name, second.business_id, second.iban, 1234.56, world.second.decision_number),
    ]
    assert values[1][6].date() == execution_date
    assert values[3][0] == "Yhteensä"
    assert values[3][4] == pytest.approx(6234.56)
    assert len(values) == 4
    for row in (2, 3, 4):
        assert isinstance(sheet.cell(row=row, column=5).value, (int, float))
        assert "€" in sheet.cell(row=row, column=5).number_format

    # SEPA pain.001.001.03 from the payer account in settings.
    response = export(finance_api, batch.pk, "sepa")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert (
        response["Content-Disposition"] == f'attachment; filename="maksuera-{batch.pk}.pain001.xml"'
    )
    root = etree.fromstring(response.content)
    assert root.tag == f"{PAIN}Document"
    header = root.find(f"{PAIN}CstmrCdtTrfInitn/{PAIN}GrpHdr")
    assert header.findtext(f"{PAIN}NbOfTxs") == "2"
    assert header.findtext(f"{PAIN}CtrlSum") == "6234.56"
    info = root.find(f"{PAIN}CstmrCdtTrfInitn/{PAIN}PmtInf")
    assert info.findtext(f"{PAIN}ReqdExctnDt") == execution_date.isoformat()
    assert info.findtext(f"{PAIN}Dbtr/{PAIN}Nm") == "Testilan kunta"
    assert info.findtext(f"{PAIN}DbtrAcct/{PAIN}Id/{PAIN}IBAN") == "FI2112345600000785"
    assert info.findtext(f"{PAIN}DbtrAgt/{PAIN}FinInstnId/{PAIN}BIC") == "NDEAFIHH"
    transfers = [
        (
            tx.findtext(f"{PAIN}Cdtr/{PAIN}Nm"),
            tx.findtext(f"{PAIN}CdtrAcct/{PAIN}Id/{PAIN}IBAN"),
            tx.findtext(f"{PAIN}Amt/{PAIN}InstdAmt"),
            tx.find(f"{PAIN}Amt/{PAIN}InstdAmt").get("Ccy"),
            tx.findtext(f"{PAIN}PmtId/{PAIN}EndToEndId"),
            tx.findtext(f"{PAIN}RmtInf/{PAIN}Strd/{PAIN}CdtrRefInf/{PAIN}Ref"),
        )
        for tx in info.findall(f"{PAIN}CdtTrfTxInf")
    ]
    # Each item's own EndToEndId and its payable's RF reference (tests/finance/test_sepa.py).
    assert transfers == [
        (
            payee.name,
            payee.iban,
            amount,
            "EUR",
            f"{batch.pk}-{item.pk}",
            creditor_reference(item.payable),
        )
        for item, payee, amount in zip(
            batch.items.order_by("id"), (first, second), ("5000.00", "1234.56"), strict=True
        )
    ]


def test_a_name_that_looks_like_a_formula_stays_text(finance_api, world, body):
    created = create_batch(finance_api, body, world.first)
    PaymentBatchItem.objects.filter(batch_id=created.data["id"]).update(payee="=1+1")
    batch = PaymentBatch.objects.get(pk=created.data["id"])

    table = list(csv.reader(io.StringIO(batch_csv(batch).decode("utf-8-sig")), delimiter=";"))
    sheet = openpyxl.load_workbook(io.BytesIO(batch_xlsx(batch))).active

    assert table[1][1] == "'=1+1"
    assert sheet.cell(row=2, column=2).value == "=1+1"
    assert sheet.cell(row=2, column=2).data_type == "s"


def test_an_unknown_export_format_is_refused(finance_api, world, body):
    created = create_batch(finance_api, body, world.first)

    for params in ({"format": "pdf"}, {}):
        response = finance_api.get(f"{BATCHES}{created.data['id']}/export/", params)
        assert response.status_code == 400
        assert "format" in response.data


def test_another_bodys_batch_is_not_found(api, world, body, finance_api):
    ours = create_batch(finance_api, body, world.first).data["id"]
    foreign = as_user(api, world.foreign_finance)

    assert foreign.get(f"{BATCHES}{ours}/").status_code == 404
    assert export(foreign, ours, "sepa").status_code == 404
    assert rows(foreign.get(BATCHES)) == []


def not_yet_due(app) -> Payable:
    """A second payable of the application whose day has not come (as an agreement's next
    year's instalment would be)."""
    return payables.payable_open(
        app,
        source="instalment:next-year",
        public_body_id=app.call.public_body_id,
        association_id=app.association_id,
        amount=Decimal("100.00"),
        decision_number=app.decision_number,
        decided_on=timezone.localdate(),
        payable_on=timezone.localdate() + timedelta(days=1),
        title="Next year",
    )


@pytest.mark.parametrize("which", ["foreign", "not_yet_due", "paid", "missing"])
def test_a_payable_not_in_the_bodys_inbox_is_refused(finance_api, world, body, which):
    other = {
        "foreign": lambda: payable_of(world.foreign),
        "not_yet_due": lambda: not_yet_due(world.second),
        "paid": lambda: payable_of(world.paid),
        "missing": lambda: SimpleNamespace(pk=999_999),
    }[which]()

    response = finance_api.post(
        BATCHES,
        {
            "public_body": body.pk,
            "payables": [payable_of(world.first).pk, other.pk],
            "execution_date": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 400, response.data
    assert str(other.pk) in str(response.data["payables"])
    nothing_saved()


def test_a_batch_for_a_body_one_does_not_pay_for_is_forbidden(finance_api, world):
    response = create_batch(finance_api, world.foreign_body, world.foreign)

    assert response.status_code == 403
    nothing_saved()


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("public_body", {"public_body": 999_999}),
        ("public_body", {"public_body": None}),
        ("payables", {"payables": []}),
        ("payables", {"payables": ["x"]}),
        ("payables", {"payables": "1"}),
        ("execution_date", {"execution_date": "31.12.2030"}),
        ("execution_date", {"execution_date": None}),
        ("execution_date", {"execution_date": "YESTERDAY"}),
    ],
)
def test_bad_batch_input_is_refused_and_saves_nothing(finance_api, world, body, field, change):
    payload = {
        "public_body": body.pk,
        "payables": [payable_of(world.first).pk],
        "execution_date": timezone.localdate().isoformat(),
        **change,
    }
    if payload["execution_date"] == "YESTERDAY":
        payload["execution_date"] = (timezone.localdate() - timedelta(days=1)).isoformat()

    response = finance_api.post(BATCHES, payload)

    assert response.status_code == 400, response.data
    assert field in response.data
    nothing_saved()


# --- recording payments -----------------------------------------------------------------------


def pay(client, payable, amount, paid_on=None, **extra):
    return client.post(
        f"{PAYABLE}{payable.pk}/payments/",
        {
            "amount": amount,
            "paid_on": (paid_on or timezone.localdate()).isoformat(),
            "reference": "RF18539007547034",
            **extra,
        },
    )


def test_instalments_lower_the_remaining_amount_until_paid(finance_api, world, people):
    """Through the grants API's `record_payment` transition, as finance always could."""

    def pay_by_transition(amount: str):
        return finance_api.post(
            f"/api/v1/applications/{world.first.pk}/transitions/",
            {
                "transition": "record_payment",
                "amount": amount,
                "paid_on": timezone.localdate().isoformat(),
                "reference": "RF18539007547034",
            },
        )

    payable = payable_of(world.first)
    first = pay_by_transition("1000.00")
    assert first.status_code == 200, first.data
    assert first.data["state"] == "legally_valid"
    assert first.data["paid_total"] == "1000.00"
    assert [p["amount"] for p in first.data["payments"]] == ["1000.00"]
    listed = {r["id"]: r for r in rows(finance_api.get(PAYABLE))}
    assert (listed[payable.pk]["paid"], listed[payable.pk]["remaining"]) == (
        "1000.00",
        "4000.00",
    )

    # A batch made now pays what is left.
    batch = batches.payment_batch_create(
        user=people["finance"],
        public_body_id=world.first.call.public_body_id,
        payable_ids=[payable.pk],
        execution_date=timezone.localdate(),
    )
    assert [i.amount for i in batch.items.all()] == [Decimal("4000.00")]

    rest = pay_by_transition("4000.00")
    assert rest.status_code == 200, rest.data
    assert rest.data["state"] == "paid"
    assert [r["subject_id"] for r in rows(finance_api.get(PAYABLE))] == [world.second.pk]
    assert list(payments_of(world.first).values_list("amount", flat=True)) == [
        Decimal("1000.00"),
        Decimal("4000.00"),
    ]


def test_finance_records_a_grant_payment_on_the_payable_until_the_grant_is_paid(
    finance_api, world, people
):
    payable = payable_of(world.first)

    first = pay(finance_api, payable, "1000.00")

    assert first.status_code == 200, first.data
    assert (first.data["id"], first.data["paid"], first.data["remaining"]) == (
        payable.pk,
        "1000.00",
        "4000.00",
    )
    assert Application.objects.get(pk=world.first.pk).state == Application.State.LEGALLY_VALID

    rest = pay(finance_api, payable, "4000.00")

    assert rest.status_code == 200, rest.data
    assert (rest.data["paid"], rest.data["remaining"]) == ("5000.00", "0.00")
    app = Application.objects.get(pk=world.first.pk)
    assert app.state == Application.State.PAID
    assert app.report_due_on is not None
    assert [r["id"] for r in rows(finance_api.get(PAYABLE))] == [payable_of(world.second).pk]
    payment = payments_of(app).last()
    assert (payment.recorded_by, payment.reference) == (people["finance"], "RF18539007547034")
    # The state change went through the one door: audited on the application.
    audit = TransitionLog.objects.filter(transition="record_payment", object_id=app.pk)
    assert [(e.from_state, e.to_state) for e in audit] == [
        ("legally_valid", "legally_valid"),
        ("legally_valid", "paid"),
    ]
    assert audit.last().data["payable_id"] == payable.pk
    # Nothing more to pay: the application takes no further payment.
    assert pay(finance_api, payable, "1.00").status_code == 409


@pytest.mark.parametrize(
    "which",
    ["foreign", "missing", "too_large", "not_a_number", "superscript", "decimal", "exponent"],
)
def test_a_payment_on_another_bodys_payable_is_not_found(finance_api, world, which):
    target = {
        "foreign": lambda: payable_of(world.foreign),
        "missing": lambda: SimpleNamespace(pk=999_999),
        "too_large": lambda: SimpleNamespace(pk=10**30),
        "not_a_number": lambda: SimpleNamespace(pk="x"),
        # str.isdigit() admits "¹", which int() refuses (schemathesis found the 500).
        "superscript": lambda: SimpleNamespace(pk="\u00b9"),
        "decimal": lambda: SimpleNamespace(pk="1.5"),
        "exponent": lambda: SimpleNamespace(pk="1e3"),
    }[which]()

    response = pay(finance_api, target, "1.00")

    assert response.status_code == 404
    assert not payments_of(world.foreign).exists()
    paying = TransitionLog.objects.filter(transition="record_payment")
    assert not paying.exclude(object_id=world.paid.pk).exists()


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("amount", {"amount": "0.00"}),
        ("amount", {"amount": "-5.00"}),
        ("amount", {"amount": "abc"}),
        ("amount", {"amount": "5000.01"}),  # more than is left
        ("amount", {"amount": "1.001"}),
        ("amount", {"amount": None}),
        ("paid_on", {"paid_on": "TOMORROW"}),
        ("paid_on", {"paid_on": "31.12.2030"}),
        ("reference", {"reference": "x" * 101}),
    ],
)
def test_a_bad_payment_is_a_400_and_saves_nothing(finance_api, world, field, change):
    payable = payable_of(world.first)
    payload = {
        "amount": "100.00",
        "paid_on": timezone.localdate().isoformat(),
        "reference": "",
        **change,
    }
    if payload["paid_on"] == "TOMORROW":
        payload["paid_on"] = (timezone.localdate() + timedelta(days=1)).isoformat()
    payload = {k: v for k, v in payload.items() if v is not None}

    response = finance_api.post(f"{PAYABLE}{payable.pk}/payments/", payload)

    assert response.status_code == 400, response.data
    assert field in response.data
    assert not payments_of(world.first).exists()
    assert Application.objects.get(pk=world.first.pk).state == Application.State.LEGALLY_VALID
    assert not TransitionLog.objects.filter(
        transition="record_payment", object_id=world.first.pk
    ).exists()


def test_the_grants_api_refuses_a_payment_on_another_applications_payable(finance_api, world):
    response = finance_api.post(
        f"/api/v1/applications/{world.first.pk}/transitions/",
        {
            "transition": "record_payment",
            "payable_id": payable_of(world.second).pk,
            "amount": "1.00",
            "paid_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 400, response.data
    assert "payable_id" in response.data
    assert not payments_of(world.first).exists()
    assert not payments_of(world.second).exists()


# --- a second payable of one subject ----------------------------------------------------------


def test_a_second_payable_is_listed_and_paid_on_its_own_only_by_its_bodys_finance(
    api, finance_api, world, people
):
    """Payables are not one per application: a subject may carry several (an agreement has
    one per year), each listed, batched and paid on its own."""
    decision = payable_of(world.first)
    extra = not_yet_due(world.first)
    assert not_yet_due(world.first).pk == extra.pk  # opened once per source
    add_document(world.first, Kind.PAYMENT_ORDER, 2, source=f"payable:{extra.pk}")
    assert extra.pk not in [r["id"] for r in rows(finance_api.get(PAYABLE))]  # not yet due

    with time_machine.travel(timezone.now() + timedelta(days=1)):
        listed = rows(finance_api.get(PAYABLE))
        assert [(r["id"], r["subject_id"]) for r in listed] == [
            (decision.pk, world.first.pk),
            (payable_of(world.second).pk, world.second.pk),
            (extra.pk, world.first.pk),
        ]
        row = listed[2]
        assert (row["title"], row["amount"], row["remaining"]) == ("Next year", "100.00", "100.00")
        # Its subject's decision, and its own payment order (not the decision payable's).
        assert sorted((d["kind"], d["version"]) for d in row["documents"]) == [
            ("grant_decision", 2),
            ("payment_order", 2),
        ]
        assert sorted((d["kind"], d["version"]) for d in listed[0]["documents"]) == [
            ("grant_decision", 2),
            ("payment_order", 1),
        ]
        foreign = rows(as_user(APIClient(), world.foreign_finance).get(PAYABLE))
        assert extra.pk not in [r["id"] for r in foreign]
        assert pay(as_user(APIClient(), world.foreign_finance), extra, "1.00").status_code == 404

        # Paying the decision in full leaves the application waiting for the other payable.
        assert pay(finance_api, decision, "5000.00").status_code == 200
        app = Application.objects.get(pk=world.first.pk)
        assert app.state == Application.State.LEGALLY_VALID
        assert app.paid_total == Decimal("5000.00")
        paid = pay(finance_api, extra, "100.00")
        assert paid.status_code == 200, paid.data
        assert paid.data["remaining"] == "0.00"
        assert Application.objects.get(pk=world.first.pk).state == Application.State.PAID
        assert sorted(payments_of(world.first).values_list("payable_id", flat=True)) == sorted(
            [decision.pk, extra.pk]
        )


@translation.override("en")  # the messages as written in the code
def test_payment_record_checks_the_amount_and_date_and_returns_what_is_left(world, people):
    payable = payable_of(world.second)
    finance_person = people["finance"]

    def record(amount: str, paid_on=None):
        return payables.payment_record(
            payable,
            actor=finance_person,
            amount=Decimal(amount),
            paid_on=paid_on or timezone.localdate(),
        )

    for amount, paid_on, message in (
        ("0.00", None, r"A payment must be a positive amount\."),
        ("1234.57", None, r"Only €1,234\.56 is left to pay\."),
        ("1.00", timezone.localdate() + timedelta(days=1), "cannot be recorded in the future"),
    ):
        with pytest.raises(ValidationError, match=message):
            record(amount, paid_on)
    assert not payable.payments.exists()

    assert record("234.56") == Decimal("1000.00")
    assert record("1000.00") == Decimal("0.00")
    assert payables.paid_total(payable) == Decimal("1234.56")
    with pytest.raises(ValidationError, match=r"Only €0\.00 is left to pay\."):
        record("0.01")


def test_a_payable_opens_once_and_queues_its_hand_over_once(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(
        "finance.tasks.hand_over_to_finance.apply_async", lambda args, **o: queued.extend(args)
    )

    with django_capture_on_commit_callbacks(execute=True):
        first = not_yet_due(world.second)
        second = not_yet_due(world.second)

    assert first.pk == second.pk
    assert queued == [first.pk]
    # Only a record that takes payments through its own transition carries payables.
    with pytest.raises(TypeError, match="record_payment"):
        payables.payable_open(
            world.second.call,
            source="call",
            public_body_id=first.public_body_id,
            association_id=first.association_id,
            amount=Decimal(1),
            decision_number="X",
            decided_on=timezone.localdate(),
            payable_on=timezone.localdate(),
            title="Call",
        )
    with pytest.raises(ValidationError):
        payables.payable_open(
            world.second,
            source="nothing",
            public_body_id=first.public_body_id,
            association_id=first.association_id,
            amount=Decimal(0),
            decision_number="X",
            decided_on=timezone.localdate(),
            payable_on=timezone.localdate(),
            title="Nothing",
        )


# --- marking a batch as sent to the bank --------------------------------------------------------


@pytest.fixture
def finance_en(finance_api):
    """The finance API answering in English, the language its messages are written in."""
    finance_api.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return finance_api


def mark_sent(client, batch_id, sent_on=None):
    return client.post(
        f"{BATCHES}{batch_id}/mark-sent/",
        {"sent_on": (sent_on or timezone.localdate()).isoformat()},
    )


def batch_payments() -> list:
    return list(Payment.objects.filter(batch_item__isnull=False).order_by("id"))


def test_a_batch_marked_sent_records_each_item_once_dated_the_day_it_was_sent(
    finance_api, world, body, people
):
    batch = create_batch(
        finance_api,
        body,
        world.first,
        world.second,
        execution_date=timezone.localdate() + timedelta(days=2),
    ).data
    assert (batch["state"], batch["sent_on"], batch["sent_by"]) == ("made", None, None)
    assert not batch_payments()  # made, not sent: nothing is paid yet
    sent_on = timezone.localdate()  # sent the day it was made, marked the day after

    with time_machine.travel(timezone.now() + timedelta(days=1)):
        response = mark_sent(finance_api, batch["id"], sent_on)

    assert response.status_code == 200, response.data
    assert (response.data["state"], response.data["sent_on"]) == ("sent", sent_on.isoformat())
    assert response.data["sent_by"] == people["finance"].display_name
    paid = batch_payments()
    items = {i["id"]: i for i in batch["items"]}
    assert sorted(p.batch_item_id for p in paid) == sorted(items)
    for payment in paid:
        item = items[payment.batch_item_id]
        assert (payment.payable_id, f"{payment.amount:.2f}") == (item["payable"], item["amount"])
        assert (payment.paid_on, payment.reference) == (sent_on, item["reference"])
        assert payment.recorded_by == people["finance"]
    assert [i["payment"] for i in response.data["items"]] == [
        next(p.pk for p in paid if p.batch_item_id == i["id"]) for i in response.data["items"]
    ]
    # Each through its subject's transition, as any payment: both grants are paid in full.
    assert (
        TransitionLog.objects.filter(transition="record_payment")
        .exclude(object_id=world.paid.pk)
        .count()
        == 2
    )
    assert TransitionLog.objects.filter(transition="mark_sent", object_id=batch["id"]).count() == 1
    for app in (world.first, world.second):
        app = Application.objects.get(pk=app.pk)
        assert app.state == Application.State.PAID
        assert app.report_due_on == app.call.report_due_date(sent_on)
    assert rows(finance_api.get(PAYABLE)) == []


def test_a_batch_is_marked_sent_once_and_nothing_is_paid_twice(finance_en, world, body):
    batch_id = create_batch(finance_en, body, world.first, world.second).data["id"]
    assert mark_sent(finance_en, batch_id).status_code == 200

    again = mark_sent(finance_en, batch_id)

    assert again.status_code == 409, again.data
    assert "already marked as sent" in again.data["detail"]
    assert len(batch_payments()) == 2
    assert TransitionLog.objects.filter(transition="mark_sent").count() == 1


def test_an_item_paid_meanwhile_refuses_the_whole_marking_and_is_named(finance_en, world, body):
    batch_id = create_batch(finance_en, body, world.first, world.second).data["id"]
    assert pay(finance_en, payable_of(world.second), "234.56").status_code == 200

    response = mark_sent(finance_en, batch_id)

    assert response.status_code == 409, response.data
    assert "Toinen Yhdistys ry" in response.data["detail"]
    assert world.second.decision_number in response.data["detail"]
    assert "Nothing was recorded" in response.data["detail"]
    assert not batch_payments()
    assert PaymentBatch.objects.get(pk=batch_id).state == PaymentBatch.State.MADE
    assert Application.objects.get(pk=world.first.pk).state == Application.State.LEGALLY_VALID
    assert not TransitionLog.objects.filter(transition="mark_sent").exists()


def test_an_item_whose_subject_takes_no_payment_refuses_the_marking(
    finance_api, world, body, call, representative
):
    draft = new_application(call, representative, name="Luonnos ry")
    payable = payables.payable_open(
        draft,
        source="test",
        public_body_id=body.pk,
        association_id=draft.association_id,
        amount=Decimal("10.00"),
        decision_number="LUONNOS-1",
        decided_on=timezone.localdate(),
        payable_on=timezone.localdate(),
        title="Luonnos",
    )
    batch_id = create_batch(finance_api, body, world.first, payable).data["id"]

    response = mark_sent(finance_api, batch_id)

    assert response.status_code == 409, response.data
    assert "Luonnos ry, LUONNOS-1" in response.data["detail"]
    assert not batch_payments()
    assert Application.objects.get(pk=world.first.pk).state == Application.State.LEGALLY_VALID


@pytest.mark.parametrize("day", ["TOMORROW", "BEFORE_MADE", "1.12.2026", None])
def test_a_bad_day_of_sending_is_a_400_and_records_nothing(finance_api, world, body, day):
    batch_id = create_batch(finance_api, body, world.first).data["id"]
    sent_on = {
        "TOMORROW": (timezone.localdate() + timedelta(days=1)).isoformat(),
        "BEFORE_MADE": (timezone.localdate() - timedelta(days=1)).isoformat(),
    }.get(day, day)
    PaymentBatch.objects.filter(pk=batch_id).update(created_at=timezone.now())

    response = finance_api.post(
        f"{BATCHES}{batch_id}/mark-sent/", {} if sent_on is None else {"sent_on": sent_on}
    )

    assert response.status_code == 400, response.data
    assert "sent_on" in response.data
    assert not batch_payments()
    assert PaymentBatch.objects.get(pk=batch_id).state == PaymentBatch.State.MADE


def test_another_bodys_batch_cannot_be_marked_sent(world, body, finance_api, people):
    ours = create_batch(finance_api, body, world.first).data["id"]

    assert mark_sent(as_user(APIClient(), world.foreign_finance), ours).status_code == 404
    assert mark_sent(finance_api, 999_999).status_code == 404
    assert mark_sent(finance_api, "1.5").status_code == 404
    for who in (people["preparer"], people["decision_maker"], None):
        assert mark_sent(as_user(APIClient(), who), ours).status_code == 403
    assert not batch_payments()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_marking_one_batch_at_once_record_its_payments_once(world, body, people):
    """The batch's row lock: the second waits for the first to commit, then finds the batch
    sent (409) instead of paying its items a second time."""
    batch = batches.payment_batch_create(
        user=people["finance"],
        public_body_id=body.pk,
        payable_ids=[payable_of(world.first).pk, payable_of(world.second).pk],
        execution_date=timezone.localdate(),
    )
    colleague = grant_role(UserFactory(), body, Role.FINANCE)
    together = threading.Barrier(2)

    def mark(user):
        together.wait(TIMEOUT)
        return batches.payment_batch_mark_sent(
            user=user, batch_id=batch.pk, sent_on=timezone.localdate()
        )

    results = run_in_threads(lambda: mark(people["finance"]), lambda: mark(colleague))

    assert sorted(kind for kind, _value in results) == ["error", "ok"]
    (refused,) = [value for kind, value in results if kind == "error"]
    assert isinstance(refused, TransitionConflict)
    assert len(batch_payments()) == 2
    assert TransitionLog.objects.filter(transition="mark_sent").count() == 1


# --- reversing a payment ------------------------------------------------------------------------


def reverse(client, payable, payment_id, reason="Kirjattu väärälle maksettavalle."):
    body = {"payment_id": payment_id}
    if reason is not None:
        body["reason"] = reason
    return client.post(f"{PAYABLE}{payable.pk}/reversals/", body)


def reversals() -> list:
    return list(Payment.objects.filter(reverses__isnull=False))


def test_a_reversal_with_a_reason_is_a_reversing_entry_and_the_grant_waits_for_payment(
    finance_api, world, people
):
    payable = payable_of(world.first)
    assert pay(finance_api, payable, "5000.00").status_code == 200
    app = Application.objects.get(pk=world.first.pk)
    assert app.state == Application.State.PAID
    assert deadlines_of(app).get(kind="report_due").status == Deadline.Status.OPEN
    (payment,) = payable.payments.all()

    response = reverse(finance_api, payable, payment.pk)

    assert response.status_code == 200, response.data
    assert (response.data["paid"], response.data["remaining"]) == ("0.00", "5000.00")
    original, entry = response.data["payments"]
    assert original["id"] == payment.pk
    assert original["reversal"]["reason"] == "Kirjattu väärälle maksettavalle."
    assert original["reversal"]["reversed_by"] == people["finance"].display_name
    assert original["reversal"]["reversed_at"]
    assert (entry["amount"], entry["reverses"], entry["reversal"]) == ("-5000.00", payment.pk, None)
    # Never edited or deleted: the payment is as it was, beside its reversing entry.
    payment.refresh_from_db()
    assert payment.amount == Decimal("5000.00")
    app = Application.objects.get(pk=world.first.pk)
    assert (app.state, app.report_due_on, app.paid_total) == (
        Application.State.LEGALLY_VALID,
        None,
        Decimal(0),
    )
    assert deadlines_of(app).get(kind="report_due").status == Deadline.Status.CANCELLED
    (audit,) = TransitionLog.objects.filter(transition="reverse_payment", object_id=app.pk)
    assert (audit.from_state, audit.to_state, audit.actor) == (
        "paid",
        "legally_valid",
        people["finance"],
    )
    assert audit.data["reason"] == "Kirjattu väärälle maksettavalle."
    # Back in the inbox, to be paid again, and shown there with its ledger.
    listed = {r["id"]: r for r in rows(finance_api.get(PAYABLE))}
    assert listed[payable.pk]["remaining"] == "5000.00"
    assert len(listed[payable.pk]["payments"]) == 2
    assert pay(finance_api, payable, "5000.00").status_code == 200
    assert Application.objects.get(pk=world.first.pk).state == Application.State.PAID


def test_reversing_a_part_payment_keeps_the_grant_waiting_for_its_money(finance_api, world):
    payable = payable_of(world.first)
    pay(finance_api, payable, "1000.00")
    pay(finance_api, payable, "500.00")
    first = payable.payments.order_by("id").first()

    response = reverse(finance_api, payable, first.pk)

    assert response.status_code == 200, response.data
    assert (response.data["paid"], response.data["remaining"]) == ("500.00", "4500.00")
    assert Application.objects.get(pk=world.first.pk).state == Application.State.LEGALLY_VALID
    # The grant's own record lists the payment that stands.
    app = finance_api.get(f"/api/v1/applications/{world.first.pk}/").data
    assert [p["amount"] for p in app["payments"]] == ["500.00"]
    assert app["paid_total"] == "500.00"


def test_a_payment_order_after_a_reversal_counts_only_the_payments_that_stand(finance_api, world):
    payable = payable_of(world.first)
    pay(finance_api, payable, "1000.00")
    reverse(finance_api, payable, payable.payments.get().pk)

    order = payment_order(payable)

    assert order["payment"]["instalment"] == "1"
    assert (order["payment"]["amount"], order["basis"]["paid_before"]) == (
        Decimal("5000.00"),
        Decimal("0.00"),
    )


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_reversal_without_a_reason_is_a_400_and_saves_nothing(finance_api, world, reason):
    payable = payable_of(world.paid)
    (payment,) = payable.payments.all()

    response = reverse(finance_api, payable, payment.pk, reason=reason)

    assert response.status_code == 400, response.data
    assert "reason" in response.data
    assert not reversals()
    assert Application.objects.get(pk=world.paid.pk).state == Application.State.PAID
    assert not TransitionLog.objects.filter(transition="reverse_payment").exists()


def test_a_payment_is_reversed_once(finance_en, world):
    payable = payable_of(world.paid)
    (payment,) = payable.payments.all()
    assert reverse(finance_en, payable, payment.pk).status_code == 200

    again = reverse(finance_en, payable, payment.pk, reason="Toisen kerran.")

    assert again.status_code == 409, again.data
    assert "already reversed" in again.data["detail"]
    assert len(reversals()) == 1


def test_a_reversing_entry_is_not_reversed_in_turn(finance_api, world):
    payable = payable_of(world.paid)
    (payment,) = payable.payments.all()
    entry = reverse(finance_api, payable, payment.pk).data["payments"][1]

    response = reverse(finance_api, payable, entry["id"])

    assert response.status_code == 400, response.data
    assert "payment_id" in response.data
    assert len(reversals()) == 1


def test_the_database_holds_the_ledgers_rules(world, people):
    payable = payable_of(world.paid)
    (payment,) = payable.payments.all()
    entry = {"payable": payable, "paid_on": payment.paid_on, "recorded_by": people["finance"]}
    broken = [
        {"amount": Decimal("-1.00")},  # a payment is positive
        {"amount": Decimal("1.00"), "reverses": payment, "reason": "x"},  # a reversal negative
        {"amount": Decimal("-2000.00"), "reverses": payment},  # and has a reason
    ]
    for fields in broken:
        with pytest.raises(IntegrityError), transaction.atomic():
            Payment.objects.create(**entry, **fields)
    Payment.objects.create(**entry, amount=Decimal("-2000.00"), reverses=payment, reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():  # reversed once
        Payment.objects.create(**entry, amount=Decimal("-2000.00"), reverses=payment, reason="y")


def test_a_payment_the_report_accounts_for_is_not_reversed(finance_en, world, walk):
    payable = payable_of(world.paid)
    (payment,) = payable.payments.all()
    walk(
        world.paid,
        "submit_report",
        submit_report={
            "params": {"activities": "Leiri pidettiin.", "amount_used": Decimal("2000.00")}
        },
    )

    response = reverse(finance_en, payable, payment.pk)

    assert response.status_code == 400, response.data
    assert "already reported" in str(response.data)
    assert not reversals()
    assert Application.objects.get(pk=world.paid.pk).state == Application.State.REPORT_SUBMITTED


def test_a_payment_of_another_payable_or_body_is_not_reversed(finance_api, world, people):
    paid = payable_of(world.paid)
    (payment,) = paid.payments.all()
    foreign = payable_of(world.foreign)

    assert reverse(finance_api, payable_of(world.first), payment.pk).status_code == 400
    assert reverse(as_user(APIClient(), world.foreign_finance), paid, payment.pk).status_code == 404
    assert reverse(finance_api, foreign, payment.pk).status_code == 404
    assert finance_api.post(f"{PAYABLE}x/reversals/", {}).status_code == 404
    for who in (people["preparer"], people["decision_maker"], None):
        assert reverse(as_user(APIClient(), who), paid, payment.pk).status_code == 403
    assert not reversals()


def test_a_payable_is_read_paid_or_not_with_its_ledger(finance_api, world, people):
    paid = payable_of(world.paid)

    response = finance_api.get(f"{PAYABLE}{paid.pk}/")

    assert response.status_code == 200, response.data
    assert (response.data["paid"], response.data["remaining"]) == ("2000.00", "0.00")
    (entry,) = response.data["payments"]
    assert (entry["amount"], entry["reverses"], entry["reversal"], entry["batch"]) == (
        "2000.00",
        None,
        None,
        None,
    )
    assert finance_api.get(f"{PAYABLE}{payable_of(world.foreign).pk}/").status_code == 404
    assert as_user(APIClient(), people["preparer"]).get(f"{PAYABLE}{paid.pk}/").status_code == 403


# --- query counts -----------------------------------------------------------------------------


def test_the_inbox_costs_the_same_queries_for_one_and_ten(api, walk, call, representative, people):
    apps = [
        decided_and_notified(walk, new_application(call, representative), "5000.00")
        for _ in range(10)
    ]
    client = as_user(api, people["finance"])

    def count() -> tuple[int, int]:
        client.get(PAYABLE)  # warm the per-person caches
        with CaptureQueriesContext(connection) as queries:
            listed = rows(client.get(PAYABLE))
        return len(listed), len(queries)

    with time_machine.travel(timezone.now() + LATER):
        valid = walk(apps[0], "become_legally_valid")
        add_document(valid, Kind.GRANT_DECISION)
        add_order(valid)
        one, one_queries = count()
        for app in apps[1:]:
            valid = walk(app, "become_legally_valid")
            add_document(valid, Kind.GRANT_DECISION)
            add_order(valid)
        ten, ten_queries = count()

    assert (one, ten) == (1, 10)
    assert one_queries == ten_queries
    assert ten_queries <= 5


def test_a_payable_id_too_large_for_the_database_is_a_400(api, people, body):
    response = as_user(api, people["finance"]).post(
        "/api/v1/finance/batches/",
        {"public_body": body.pk, "payables": [10**30], "execution_date": "2030-01-02"},
        format="json",
    )

    assert response.status_code == 400
    assert "payables" in response.data
