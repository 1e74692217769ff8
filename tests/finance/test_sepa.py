"""The SEPA payment file (finance.sepa) as a Finnish bank's file checker reads it: both
versions valid against their XSDs, the initiating party's id, one EndToEndId per item, the RF
creditor reference in structured remittance, names in the EPC basic character set, the names
that had to be shortened shown on the batch page, and the refusal when the body lacks what the
file must state.

The batch: two payables of one grant decision (as an agreement's two years would be), made
without walking the application: making and exporting a batch reads only the payables."""

from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
import xmlschema
from django.test import Client
from django.utils import timezone
from lxml import etree
from stdnum import iso11649

from finance import batches, payables
from finance.models import Payable, PaymentBatch
from finance.references import creditor_reference
from finance.sepa import EPC_BASIC, NAME_LENGTH, epc_text, sent_name
from organisations.models import Association, PublicBody
from tests.conftest import as_user

pytestmark = pytest.mark.django_db

BATCHES = "/api/v1/finance/batches/"
SCHEMAS = Path(sepaxml.__file__).parent / "schemas"
NUMBER = "KH 12/2026 §"


def payable(app, source: str, amount: str) -> Payable:
    today = timezone.localdate()
    return payables.payable_open(
        app,
        source=source,
        public_body_id=app.call.public_body_id,
        association_id=app.association_id,
        amount=Decimal(amount),
        decision_number=NUMBER,
        decided_on=today,
        payable_on=today,
        title="Toiminta-avustus",
    )


@pytest.fixture
def two_years(application) -> list[Payable]:
    return [
        payable(application, "year:2026", "1000.00"),
        payable(application, "year:2027", "250.50"),
    ]


def make_batch(people, body, payables_: list[Payable]) -> PaymentBatch:
    return batches.payment_batch_create(
        user=people["finance"],
        public_body_id=body.pk,
        payable_ids=[p.pk for p in payables_],
        execution_date=timezone.localdate(),
    )


def sepa_file(batch: PaymentBatch) -> bytes:
    batch = PaymentBatch.objects.select_related("public_body").get(pk=batch.pk)
    data, content_type, _name = batches.batch_export(batch, "sepa")
    assert content_type == "application/xml"
    return data


def parsed(data: bytes, version: str = "pain.001.001.03"):
    root = etree.fromstring(data)
    ns = {"p": f"urn:iso:std:iso:20022:tech:xsd:{version}"}
    assert root.tag == f"{{{ns['p']}}}Document"
    return root, ns


@pytest.mark.parametrize("version", PublicBody.SepaVersion.values)
def test_both_versions_are_valid_against_the_xsd_sepaxml_ships(body, people, two_years, version):
    body.sepa_version = version
    body.save()

    data = sepa_file(make_batch(people, body, two_years))

    xmlschema.XMLSchema(SCHEMAS / f"{version}.xsd").validate(data.decode())
    root, ns = parsed(data, version)
    assert root.xpath("count(//p:CdtTrfTxInf)", namespaces=ns) == 2
    assert root.xpath("string(//p:GrpHdr/p:CtrlSum)", namespaces=ns) == "1250.50"
    # The two versions name the debtor's BIC differently.
    bic = "BIC" if version == "pain.001.001.03" else "BICFI"
    assert root.xpath(f"string(//p:DbtrAgt/p:FinInstnId/p:{bic})", namespaces=ns) == "OKOYFIHH"


def test_two_payables_of_one_decision_have_their_own_end_to_end_ids(body, people, two_years):
    batch = make_batch(people, body, two_years)
    root, ns = parsed(sepa_file(batch))

    ids = root.xpath("//p:CdtTrfTxInf/p:PmtId/p:EndToEndId/text()", namespaces=ns)

    assert len(set(ids)) == 2
    assert ids == [f"{batch.pk}-{item.pk}" for item in batch.items.order_by("id")]
    assert all(len(i) <= 35 and set(i) <= EPC_BASIC for i in ids)
    # A second batch of the same payables (the bank refused the first file) gets new ids.
    second_root, _ns = parsed(sepa_file(make_batch(people, body, two_years)))
    assert not set(second_root.xpath("//p:EndToEndId/text()", namespaces=ns)) & set(ids)


@pytest.mark.parametrize(
    ("service_id", "expected"),
    [("SERVICE123", "SERVICE123"), ("", None)],
    ids=["service ID", "business ID"],
)
def test_the_initiating_party_is_the_bank_service_id_or_the_business_id(
    body, people, two_years, service_id, expected
):
    body.payment_service_id = service_id
    body.save()

    root, ns = parsed(sepa_file(make_batch(people, body, two_years)))

    other = root.xpath("//p:GrpHdr/p:InitgPty/p:Id/p:OrgId/p:Othr", namespaces=ns)
    assert len(other) == 1
    sent = other[0].xpath("string(p:Id)", namespaces=ns)
    assert sent == (expected or body.business_id.replace("-", ""))
    assert len(sent) <= 35
    assert other[0].xpath("string(p:SchmeNm/p:Cd)", namespaces=ns) == "BANK"


def test_each_transfer_carries_its_payables_rf_reference_structured(body, people, two_years):
    root, ns = parsed(sepa_file(make_batch(people, body, two_years)))

    remittances = root.xpath("//p:CdtTrfTxInf/p:RmtInf", namespaces=ns)

    references = [r.xpath("string(p:Strd/p:CdtrRefInf/p:Ref)", namespaces=ns) for r in remittances]
    assert references == [creditor_reference(p) for p in two_years]
    assert all(iso11649.is_valid(r) for r in references)
    assert len(set(references)) == 2
    for remittance in remittances:
        kind = remittance.xpath("p:Strd/p:CdtrRefInf/p:Tp", namespaces=ns)[0]
        assert kind.xpath("string(p:CdOrPrtry/p:Cd)", namespaces=ns) == "SCOR"
        # The EPC rulebook takes structured or unstructured remittance, not both.
        assert not remittance.xpath("p:Ustrd", namespaces=ns)


@pytest.mark.parametrize(
    ("name", "sent"),
    [
        ("Koulu & Koti ry", "Koulu + Koti ry"),
        ('Seura "Kisa" <Pori>', "Seura 'Kisa' (Pori)"),
        ("{Tanssi}*Seura*", "(Tanssi)Seura"),
        ("Åland Ääni Öljy ry", "Aland Aani Oljy ry"),
        ("Søren Øst", "Soren Ost"),
        ("Straße Café", "Strasse Cafe"),
        ("Nuoret\t\n  ry", "Nuoret ry"),
    ],
)
def test_names_are_mapped_to_the_epc_basic_character_set(name, sent):
    assert epc_text(name) == sent
    assert set(epc_text(name)) <= EPC_BASIC


def test_the_file_sends_mapped_names(body, people, two_years, settings):
    settings.PAYER_NAME = "Ölkky & Å kunta"
    Association.objects.filter(pk=two_years[0].association_id).update(
        name='Perhe & "Koti" <ry> {*}'
    )

    root, ns = parsed(sepa_file(make_batch(people, body, two_years)))

    assert root.xpath("string(//p:Dbtr/p:Nm)", namespaces=ns) == "Olkky + A kunta"
    assert root.xpath("string(//p:InitgPty/p:Nm)", namespaces=ns) == "Olkky + A kunta"
    assert root.xpath("//p:Cdtr/p:Nm/text()", namespaces=ns) == ["Perhe + 'Koti' (ry) ()"] * 2


@pytest.mark.parametrize("version", PublicBody.SepaVersion.values)
def test_an_unregistered_group_is_paid_to_its_responsible_persons_account(
    body, people, two_years, version
):
    body.sepa_version = version
    body.save()
    Association.objects.filter(pk=two_years[0].association_id).update(
        name="Kylän Äidit", business_id=None, responsible_person="Päivi Virtanen"
    )

    batch = make_batch(people, body, two_years)
    data = sepa_file(batch)

    xmlschema.XMLSchema(SCHEMAS / f"{version}.xsd").validate(data.decode())
    assert set(batch.items.values_list("business_id", flat=True)) == {""}
    root, ns = parsed(data, version)
    # The account's holder is the creditor; the group is whom the money is finally for.
    assert root.xpath("//p:Cdtr/p:Nm/text()", namespaces=ns) == ["Paivi Virtanen"] * 2
    assert root.xpath("//p:UltmtCdtr/p:Nm/text()", namespaces=ns) == ["Kylan Aidit"] * 2
    assert [child.tag.split("}")[1] for child in root.xpath("//p:CdtTrfTxInf", namespaces=ns)[0]][
        -3:
    ] == ["CdtrAcct", "UltmtCdtr", "RmtInf"]


def test_a_registered_association_has_no_ultimate_creditor(body, people, two_years):
    root, ns = parsed(sepa_file(make_batch(people, body, two_years)))

    assert not root.xpath("//p:UltmtCdtr", namespaces=ns)


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    client.cookies["django_language"] = "en"
    user.language = "en"
    user.save(update_fields=["language"])
    return client


def test_a_name_the_file_must_shorten_is_listed_on_the_batch_page(body, people, two_years):
    long_name = "Pohjois-Pirkanmaan " + "Äänekäs " * 8 + "Kulttuuriyhdistys ry"
    association = two_years[0].association
    association.name = long_name
    association.save()
    batch = make_batch(people, body, two_years)
    sent = sent_name(long_name)

    page = signed_in(people["finance"]).get(f"/finance/batches/{batch.pk}/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "These names will be shortened in the payment file:" in html
    assert f"<td>{long_name}</td><td>{sent}</td>" in html
    assert len(sent) == NAME_LENGTH or len(sent) == NAME_LENGTH - 1  # a cut space is dropped
    assert epc_text(long_name).startswith(sent)
    root, ns = parsed(sepa_file(batch))
    assert root.xpath("//p:Cdtr/p:Nm/text()", namespaces=ns) == [sent, sent]


def test_a_name_within_70_characters_is_not_listed(body, people, two_years):
    batch = make_batch(people, body, two_years)

    html = signed_in(people["finance"]).get(f"/finance/batches/{batch.pk}/").content.decode()

    assert "These names will be shortened" not in html


@pytest.fixture
def no_payer_account(body, settings):
    """A body with no account of its own, and no default account in the settings."""
    settings.PAYER_IBAN = ""
    settings.PAYER_BIC = ""
    body.payer_iban = body.payer_bic = ""
    body.save()


def test_no_batch_is_made_for_a_body_without_a_payer_account(
    api, body, people, two_years, no_payer_account
):
    response = as_user(api, people["finance"]).post(
        BATCHES,
        {
            "public_body": body.pk,
            "payables": [p.pk for p in two_years],
            "execution_date": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 400
    # In the person's language (Finnish by default), naming both facts.
    (message,) = response.data["public_body"]
    assert message.startswith("Maksuaineistoa ei voi tehdä")
    assert "maksajan IBAN, maksajan BIC" in message
    assert not PaymentBatch.objects.exists()


def test_the_inbox_says_what_to_fill_in_before_a_batch(body, people, two_years, no_payer_account):
    response = signed_in(people["finance"]).post(
        "/finance/batches/new/",
        {
            "payables": [p.pk for p in two_years],
            "execution_date": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 400
    assert "No payment file can be made until these facts of" in response.content.decode()
    assert "payer IBAN, payer BIC" in response.content.decode()
    assert not PaymentBatch.objects.exists()


def test_the_sepa_file_is_refused_naming_what_to_fill_in(api, body, people, two_years, settings):
    batch = make_batch(people, body, two_years)
    settings.PAYER_IBAN = ""  # removed after the batch was made

    response = as_user(api, people["finance"]).get(
        f"{BATCHES}{batch.pk}/export/", {"format": "sepa"}
    )
    page = signed_in(people["finance"]).get(f"/finance/batches/{batch.pk}/")
    direct = signed_in(people["finance"]).get(f"/finance/batches/{batch.pk}/export/sepa/")

    assert response.status_code == 400
    assert "maksajan IBAN" in str(response.data["public_body"])
    # The page says why and offers no SEPA link; the people's files still download.
    html = page.content.decode()
    assert "payer IBAN" in html
    assert f"/finance/batches/{batch.pk}/export/sepa/" not in html
    assert f"/finance/batches/{batch.pk}/export/xlsx/" in html
    assert direct.status_code == 400
    assert "payer IBAN" in direct.content.decode()


def test_a_value_the_schema_refuses_is_named_instead_of_a_500(api, body, people, two_years):
    batch = make_batch(people, body, two_years)
    body.payer_iban, body.payer_bic = "FI4950009420028730", "OKOY-FI"  # not a BIC
    body.save()

    response = as_user(api, people["finance"]).get(
        f"{BATCHES}{batch.pk}/export/", {"format": "sepa"}
    )

    assert response.status_code == 400
    (message,) = response.data["public_body"]
    assert message.startswith("Maksuaineisto ei läpäise pain.001.001.03-skeeman tarkistusta")
    assert message.split(": ")[0].endswith("/PmtInf/DbtrAgt/FinInstnId/BIC")
