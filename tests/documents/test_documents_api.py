"""Who lists and downloads which generated document through /api/v1/documents/ (the rule of
documents.selectors.documents_for). An agreement's documents: every party association's people
and the body's officials get its agreement documents, the body's officials and finance also its
payment orders; anyone else gets 404, as if the document did not exist."""

import hashlib
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements import instalments, services
from agreements.documents import agreement_document_generate
from agreements.models import Agreement
from documents.generation import documents_of, regenerate
from documents.models import GeneratedDocument, Kind
from finance.hand_over import finance_hand_over
from finance.payables import payables_of
from grants.documents import decision_document_generate
from organisations.models import AssociationRole, OfficialRole, User
from tests.agreements.builders import act, at, terms, version_of
from tests.conftest import as_user
from tests.documents.test_generation import decided
from tests.factories import (
    AssociationFactory,
    PublicBodyFactory,
    UserFactory,
    chain_with_steps,
    grant_role,
    represent,
)
from workflow.models import ApprovalChain

AGREEMENT = ApprovalChain.SubjectKind.AGREEMENT_VERSION

pytestmark = pytest.mark.django_db

URL = "/api/v1/documents/"
Role = OfficialRole.Role


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def partner():
    """The agreement's second party association."""
    return AssociationFactory()


@pytest.fixture
def partner_representative(partner):
    return represent(UserFactory(username="partnerrep"), partner)


@pytest.fixture
def parties(representative, partner_representative):
    """A representative of each party association."""
    return [representative, partner_representative]


@pytest.fixture
def foreign_finance():
    return grant_role(UserFactory(username="foreignfinance"), PublicBodyFactory(), Role.FINANCE)


@pytest.fixture
def approved(body, association, partner, representative, people, time_machine):
    """An agreement of `association` and `partner` with `body`, its first version approved on
    1 December 2026, with the document made for it."""
    time_machine.move_to(at(date(2026, 12, 1)), tick=False)
    chain = chain_with_steps(body, (Role.PREPARER,), (Role.DECISION_MAKER,), kind=AGREEMENT)
    agreement = services.agreement_create(
        user=representative,
        public_body=body,
        associations=[association, partner],
        terms_given=terms(),
        signatures_required={association.pk: 1, partner.pk: 1},
    )
    version = act(version_of(agreement), "propose", representative)
    version = act(version, "accept", people["liaison"])
    version = act(version, "submit_for_review", people["liaison"], chain_id=chain.pk)
    version = act(version, "record_step", people["preparer"], comment="Esitän.")
    version = act(
        version, "decide", people["decision_maker"], outcome="approved", reasons="Tavoitteet."
    )
    agreement_document_generate(version.pk)
    return Agreement.objects.get(pk=agreement.pk)


@pytest.fixture
def signed(approved, association, partner, people, time_machine):
    """The agreement signed into force on 15 December 2026 by one signatory of each party and
    the decision-maker: its documents as approved and as signed."""
    time_machine.move_to(at(date(2026, 12, 15)), tick=False)
    signers = [
        represent(UserFactory(username=f"signer{a.pk}"), a, AssociationRole.Role.SIGNATORY)
        for a in (association, partner)
    ]
    version = version_of(approved)
    for signer in (*signers, people["decision_maker"]):
        version = act(version, "sign", signer)
    agreement_document_generate(version.pk)
    return Agreement.objects.get(pk=approved.pk)


@pytest.fixture
def payment_order(signed, time_machine):
    """The payment order of the agreement's first instalment, made when it fell due."""
    time_machine.move_to(at(date(2027, 2, 1)), tick=False)
    assert instalments.open_due_instalments() == 1
    return finance_hand_over(payables_of(signed).get().pk)


def agreement_documents(agreement: Agreement) -> list[GeneratedDocument]:
    return list(documents_of(agreement, Kind.AGREEMENT).order_by("version"))


def listed_ids(client, **params) -> list[int]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.data
    return sorted(row["id"] for row in response.data["results"])


def assert_hidden(client, document: GeneratedDocument) -> None:
    assert client.get(f"{URL}{document.pk}/").status_code == 404
    assert client.get(f"{URL}{document.pk}/download/").status_code == 404
    assert document.pk not in listed_ids(client)


def test_each_party_lists_and_downloads_the_agreements_documents(api, signed, parties):
    approved_copy, signed_copy = agreement_documents(signed)
    assert (approved_copy.source, signed_copy.source) == ("v1:approved", "v1:signed")

    for person in parties:
        client = as_user(api, person)
        response = client.get(URL, {"agreement": signed.pk})
        assert response.status_code == 200
        rows = sorted(response.data["results"], key=lambda row: row["version"])
        assert [row["id"] for row in rows] == [approved_copy.pk, signed_copy.pk]
        assert {(r["subject_kind"], r["subject_id"], r["application"]) for r in rows} == {
            ("agreement", signed.pk, None)
        }
        assert listed_ids(client) == [approved_copy.pk, signed_copy.pk]
        for document in (approved_copy, signed_copy):
            assert client.get(f"{URL}{document.pk}/").data["kind"] == "agreement"
            download = client.get(f"{URL}{document.pk}/download/")
            assert download.status_code == 200
            assert download["X-Content-SHA256"] == document.sha256
            content = b"".join(download.streaming_content)
            assert hashlib.sha256(content).hexdigest() == document.sha256


def test_the_application_filter_does_not_return_an_agreements_documents(api, signed, parties):
    # The ids of applications and agreements overlap: the filter names the subject's type.
    assert listed_ids(as_user(api, parties[0]), application=signed.pk) == []


def test_another_associations_people_get_404(api, signed, foreign_representative):
    client = as_user(api, foreign_representative)

    for document in agreement_documents(signed):
        assert_hidden(client, document)
    assert listed_ids(client, agreement=signed.pk) == []


def test_the_bodys_officials_see_the_documents_and_another_bodys_get_404(
    api, signed, people, foreign_finance
):
    documents = agreement_documents(signed)
    ids = sorted(d.pk for d in documents)

    for official in (people["liaison"], people["preparer"], people["decision_maker"]):
        client = as_user(api, official)
        assert listed_ids(client, agreement=signed.pk) == ids
        for document in documents:
            assert client.get(f"{URL}{document.pk}/download/").status_code == 200
    for stranger in (people["foreign_preparer"], foreign_finance):
        client = as_user(api, stranger)
        for document in documents:
            assert_hidden(client, document)


def test_the_payment_order_is_the_bodys_and_finances_not_the_parties(
    api, payment_order, signed, people, parties, foreign_finance
):
    assert (payment_order.kind, payment_order.subject) == (Kind.PAYMENT_ORDER, signed)
    every = sorted([payment_order.pk, *(d.pk for d in agreement_documents(signed))])

    for person in (people["finance"], people["liaison"]):
        client = as_user(api, person)
        assert listed_ids(client, agreement=signed.pk) == every
        assert client.get(f"{URL}{payment_order.pk}/download/").status_code == 200
    for person in parties:
        client = as_user(api, person)
        assert_hidden(client, payment_order)
        assert listed_ids(client) == [d.pk for d in agreement_documents(signed)]
    assert_hidden(as_user(api, foreign_finance), payment_order)


def test_a_regenerated_agreement_document_reaches_the_parties(api, signed, parties):
    # Regenerating in the admin gives no `source`: the version is not read from it.
    again = regenerate(agreement_documents(signed)[-1])
    assert again.source == ""

    for person in parties:
        client = as_user(api, person)
        assert again.pk in listed_ids(client, agreement=signed.pk)
        assert client.get(f"{URL}{again.pk}/download/").status_code == 200


def test_an_application_document_names_its_subject(api, walk, application, representative):
    document = decision_document_generate(decided(walk, application).pk)

    response = as_user(api, representative).get(URL, {"application": application.pk})

    [row] = response.data["results"]
    assert (row["id"], row["subject_kind"], row["subject_id"], row["application"]) == (
        document.pk,
        "application",
        application.pk,
        application.pk,
    )
    assert listed_ids(as_user(api, representative), agreement=application.pk) == []


@pytest.mark.parametrize("given", ["\u00b9", "abc", "0", "-1", str(2**63)])
def test_documents_of_a_malformed_agreement_id_get_400(api, representative, given):
    response = as_user(api, representative).get(URL, {"agreement": given})

    assert response.status_code == 400
    assert "agreement" in response.data


def _list_queries(api, user: User) -> tuple[int, int]:
    """(queries, documents) for one listing, by a fresh copy of the person (their roles are
    cached on the object, so a reused one would skip the role queries)."""
    client = as_user(api, User.objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries), response.data["count"]


@pytest.mark.parametrize("who", ["representative", "liaison", "finance"])
def test_the_list_costs_the_same_for_one_document_as_for_many(
    api, approved, walk, application, people, representative, who
):
    user = representative if who == "representative" else people[who]
    few_queries, few = _list_queries(api, user)
    # More of everything the person sees: the agreement's other copies, an application's
    # decision documents.
    for _ in range(3):
        regenerate(agreement_documents(approved)[0])
    decision_document_generate(decided(walk, application).pk)
    regenerate(documents_of(application).get())

    many_queries, many = _list_queries(api, user)

    assert (few, many) == (1, 6)
    assert many_queries == few_queries


def test_an_applications_payment_order_is_the_bodys_not_the_associations(
    api, walk, application, representative, people
):
    # The same rule as for an agreement: the association gets the decisions addressed to it;
    # the payment order is the body's instruction to its finance.
    app = walk(decided(walk, application), "notify")
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        app = walk(app, "become_legally_valid")
        order = finance_hand_over(app.payables.get().pk)
    decision = documents_of(app).get(kind=Kind.GRANT_DECISION)

    association = as_user(api, representative)
    assert listed_ids(association, application=app.pk) == [decision.pk]
    assert_hidden(association, order)
    for person in (people["preparer"], people["finance"]):
        client = as_user(api, person)
        assert sorted(listed_ids(client, application=app.pk)) == sorted([decision.pk, order.pk])
        assert client.get(f"{URL}{order.pk}/download/").status_code == 200
