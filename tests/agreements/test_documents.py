"""The agreement document: made once when a version is approved through the transition
service, once more when the last signature brings it into force (naming who signed and when),
in the lead association's language, and opening in LibreOffice."""

import hashlib
import io
import logging
import zipfile
from decimal import Decimal

import pytest

from agreements import services, tasks
from agreements.documents import agreement_documents_sweep
from agreements.models import Agreement, AgreementVersion
from documents import pdf
from documents.generation import documents_of
from documents.models import GeneratedDocument, Kind
from documents.templates import current_template
from organisations.models import AssociationRole
from tests.agreements.builders import act, terms, version_of
from tests.documents.test_generation import bytes_of
from tests.documents.test_generation import text_of as docx_text
from tests.documents.test_pdf import _libreoffice_required  # noqa: F401  (skips without it)
from tests.documents.test_pdf import text_of as pdf_text
from tests.factories import AssociationFactory, UnitFactory, UserFactory, represent

pytestmark = pytest.mark.django_db

REASONS = "Tavoitteet tukevat hyvinvointisuunnitelmaa & <liikuntaohjelmaa>."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def worker(monkeypatch):
    """The agreement-document task runs at once when queued, as a worker would. Returns the
    version ids queued."""
    task = tasks.generate_agreement_document
    queued = []

    def run_now(args, **options):
        queued.extend(args)
        return task.apply(args=args)

    monkeypatch.setattr(task, "apply_async", run_now)
    return queued


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """commit(record, name, user, **params): a transition through the service, committed (its
    on-commit callbacks run, as after a real commit)."""

    def _commit(record, name, user, **params):
        with django_capture_on_commit_callbacks(execute=True):
            return act(record, name, user, **params)

    return _commit


@pytest.fixture
def approve(people, representative, agreement_chain, commit):
    """approve(version): proposed, accepted, reviewed and decided, each step committed."""

    def _approve(version, outcome="approved"):
        author = representative if version.author_side == "association" else people["liaison"]
        other = people["liaison"] if author is representative else representative
        version = commit(version, "propose", author)
        version = commit(version, "accept", other)
        version = commit(
            version, "submit_for_review", people["liaison"], chain_id=agreement_chain.pk
        )
        version = commit(version, "record_step", people["preparer"], comment="Esitän.")
        return commit(version, "decide", people["decision_maker"], outcome=outcome, reasons=REASONS)

    return _approve


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-12-01 10:00 +02:00", tick=False)


def agreement_documents(agreement):
    return list(documents_of(agreement, Kind.AGREEMENT).order_by("version"))


def text_of(document: GeneratedDocument) -> str:
    return docx_text(bytes_of(document))


def xml_of(document: GeneratedDocument) -> str:
    """The XML of the body, the headers and the footers."""
    with zipfile.ZipFile(io.BytesIO(bytes_of(document))) as package:
        return "".join(
            package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.startswith(("word/document", "word/header", "word/footer"))
        )


def test_approval_makes_one_document_with_its_template_checksum_and_data(
    draft, approve, worker, today, people, association
):
    version = approve(version_of(draft))

    [document] = agreement_documents(draft)
    assert worker == [version.pk]
    assert document.source == "v1:approved"
    assert document.language == "fi"
    assert document.version == 1
    assert document.template == current_template(Kind.AGREEMENT, "fi")
    assert document.template.version == 1
    assert document.sha256 == hashlib.sha256(bytes_of(document)).hexdigest()
    data = document.data
    assert data["agreement"]["number"] == draft.number
    assert data["agreement"]["version"] == 1
    assert [a["name"] for a in data["associations"]] == [association.name]
    assert data["goals"] == [
        {"goal": "Liikuntaryhmät", "indicator": "Osallistujia viikossa", "target": "120"},
        {"goal": "Vapaaehtoiset", "indicator": "Koulutettuja ohjaajia", "target": "10"},
    ]
    money = [r for r in data["resources"] if r["kind"] == "money"]
    assert [(r["year"], r["amount"], r["pays_on"]) for r in money] == [
        (2027, "10000.00", "2027-02-01"),
        (2028, "10000.00", "2028-02-01"),
        (2029, "10000.00", "2029-02-01"),
    ]
    [premises] = [r for r in data["resources"] if r["kind"] == "premises"]
    assert (premises["hours"], premises["hours_per"], premises["hours_per_year"]) == (
        "6",
        "week",
        "312",
    )
    assert data["years"][0] == {
        "year": 2027,
        "money": "10000.00",
        "premises": "3000.00",
        "staff": "0",
        "total": "13000.00",
    }
    assert data["decision"]["date"] == "2026-12-01"
    assert data["decision"]["reasons"] == REASONS
    assert data["decision"]["maker"] == people["decision_maker"].get_full_name()
    assert data["contact"]["name"] == people["preparer"].get_full_name()
    assert data["appeal"]["ends_on"] == version.appeal_ends_on.isoformat()
    # Unsigned: a slot for each signature required, the body's one and the association's two.
    assert [(s["side"], s["signed_at"]) for s in data["signatories"]] == [
        ("public_body", None),
        ("association", None),
        ("association", None),
    ]
    text = text_of(document)
    for snippet in (
        "Kumppanuussopimus ikäihmisten liikunnasta",
        association.name,
        "Osallistujia viikossa",
        "10\u202f000,00\u00a0€",
        "6\u00a0h/vko (312\u00a0h/v)",  # a number and its unit never part
        "1.2.2027",
        REASONS,
        "Paikka ja aika",
    ):
        assert snippet in text, snippet


def test_running_the_task_again_makes_nothing_new(draft, approve, worker, today):
    version = approve(version_of(draft))
    [document] = agreement_documents(draft)

    assert tasks.generate_agreement_document.apply(args=[version.pk]).get() == document.pk
    assert agreement_documents_sweep() == 0

    assert agreement_documents(draft) == [document]


def test_steps_before_the_decision_and_a_rejection_make_no_document(draft, approve, worker, today):
    version = approve(version_of(draft), outcome="rejected")

    assert version.state == AgreementVersion.State.REJECTED
    assert worker == []
    assert tasks.generate_agreement_document.apply(args=[version.pk]).get() is None
    assert agreement_documents_sweep() == 0
    assert agreement_documents(draft) == []


def test_the_last_signature_adds_the_signed_copy_naming_who_signed_and_when(
    draft, approve, commit, worker, today, time_machine, signatories, people
):
    version = approve(version_of(draft))
    time_machine.move_to("2026-12-15 10:00 +02:00", tick=False)
    version = commit(version, "sign", signatories[0])
    version = commit(version, "sign", people["decision_maker"])
    assert len(agreement_documents(draft)) == 1  # a signature short: nothing new yet

    version = commit(version, "sign", signatories[1])

    assert version.state == AgreementVersion.State.IN_FORCE
    approved, signed = agreement_documents(draft)
    assert (approved.source, signed.source) == ("v1:approved", "v1:signed")
    assert signed.version == 2
    assert signed.data["agreement"]["in_force_from"] == "2027-01-01"
    assert [(s["side"], s["name"], s["signed_at"]) for s in signed.data["signatories"]] == [
        ("public_body", people["decision_maker"].get_full_name(), "2026-12-15"),
        ("association", signatories[0].get_full_name(), "2026-12-15"),
        ("association", signatories[1].get_full_name(), "2026-12-15"),
    ]
    text = text_of(signed)
    assert "Allekirjoitettu sähköisesti 15.12.2026" in text
    assert signatories[1].get_full_name() in text
    assert "Tämä versio on voimassa 1.1.2027 alkaen." in text
    assert "Paikka ja aika" not in text
    assert Agreement.objects.get(pk=draft.pk).state == Agreement.State.SIGNED


@pytest.mark.parametrize(
    ("language", "words", "other_words"),
    [
        (
            "sv",
            ["PARTNERSKAPSAVTAL", "Avtalsparter", "Gemensamma mål", "Underskrifter"],
            "Sopijapuolet",
        ),
        ("en", ["PARTNERSHIP AGREEMENT", "Parties", "Shared goals", "Signatures"], "Avtalsparter"),
        ("fi", ["KUMPPANUUSSOPIMUS", "Sopijapuolet", "Yhteiset tavoitteet"], "Avtalsparter"),
    ],
)
def test_the_document_is_in_the_lead_associations_language(
    draft, approve, worker, today, association, representative, language, words, other_words
):
    association.language = language
    association.save()
    goal = {"title": "Ohjaajat", "indicator": "Ohjaajia", "target": Decimal("12.5")}
    version = services.version_update(
        version_of(draft), user=representative, terms_given={"goals": [goal]}
    )

    approve(version)

    [document] = agreement_documents(draft)
    xml = xml_of(document)
    assert document.language == language
    assert document.template == current_template(Kind.AGREEMENT, language)
    for word in words:
        assert word in xml, word
    assert other_words not in xml
    target = "12.5" if language == "en" else "12,5"
    assert document.data["goals"][0]["target"] == target


@pytest.fixture
def two_associations(body, association, representative, people):
    """An agreement of two associations: a Finnish-speaking lead, a Swedish-speaking second
    whose rules need one signature; a unit and a named association contact."""
    second = AssociationFactory(name="Svenska Seniorer i Esbo rf", language="sv")
    represent(UserFactory(username="sv_signer"), second, AssociationRole.Role.SIGNATORY)
    representative.title = "Puheenjohtaja"
    representative.save()
    goals = [{"title": "Föreningsträffar", "indicator": "Deltagare", "target": Decimal("12.5")}]
    agreement = services.agreement_create(
        user=representative,
        public_body=body,
        associations=[association, second],
        terms_given=terms(goals=goals),
        signatures_required={second.pk: 1},
    )
    Agreement.objects.filter(pk=agreement.pk).update(
        unit=UnitFactory(public_body=body, name="Hyvinvointipalvelut")
    )
    return agreement


def test_every_association_is_a_party_with_its_own_signature_slots(
    two_associations, approve, worker, today, association, representative, people
):
    approve(version_of(two_associations))

    [document] = agreement_documents(two_associations)
    assert document.language == "fi"  # the lead's, not the second association's
    names = [a["name"] for a in document.data["associations"]]
    assert names == [association.name, "Svenska Seniorer i Esbo rf"]
    assert [s["party"] for s in document.data["signatories"]] == [
        two_associations.public_body.name,
        association.name,
        association.name,
        "Svenska Seniorer i Esbo rf",
    ]
    assert document.data["contacts"]["association"]["name"] == representative.get_full_name()
    # The agreement names no liaison (an association started it): the one who accepted it.
    assert document.data["contacts"]["public_body"]["name"] == people["liaison"].get_full_name()
    assert document.data["public_body"]["unit"] == "Hyvinvointipalvelut"
    text = text_of(document)
    assert f"{association.name}, Svenska Seniorer i Esbo rf" in text
    assert "Föreningsträffar" in text


def test_a_document_lost_while_the_broker_was_down_is_made_by_the_sweep(
    draft, approve, monkeypatch, today, caplog
):
    def broker_down(args, **options):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.generate_agreement_document, "apply_async", broker_down)
    with caplog.at_level(logging.WARNING, logger="workflow.enqueue"):
        version = approve(version_of(draft))

    assert version.state == AgreementVersion.State.APPROVED  # the decision stands
    assert "Could not queue agreements.tasks.generate_agreement_document" in caplog.text
    assert agreement_documents(draft) == []

    assert tasks.sweep_agreement_documents.apply().get() == 1
    assert [d.source for d in agreement_documents(draft)] == ["v1:approved"]
    assert agreement_documents_sweep() == 0


@pytest.mark.libreoffice
def test_the_document_opens_in_libreoffice(
    two_associations, approve, worker, today, association, tmp_path
):
    approve(version_of(two_associations))
    [document] = agreement_documents(two_associations)

    data = pdf.docx_to_pdf(bytes_of(document))

    assert data.startswith(b"%PDF")
    text = " ".join(pdf_text(data, tmp_path).split())
    for snippet in (
        "KUMPPANUUSSOPIMUS",
        "Kumppanuussopimus ikäihmisten liikunnasta",
        association.name,
        "Svenska Seniorer i Esbo rf",
        "Föreningsträffar",
        "Oikaisuvaatimusohje",
    ):
        assert snippet in text, snippet


def test_beat_runs_the_sweep_and_workers_know_the_tasks():
    from celery_app import app

    entry = app.conf.beat_schedule["sweep-agreement-documents"]
    assert entry["task"] in app.tasks
    assert tasks.generate_agreement_document.name in app.tasks
