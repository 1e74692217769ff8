"""The round's decision list as a document: made in Finnish and Swedish when the round is
decided (on commit, or by the sweep), immutable, and downloadable from the round page and the
API by the body's officials only."""

import hashlib
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from documents.models import GeneratedDocument, Kind
from grants import round_documents, tasks
from grants.models import Application
from grants.rounds import Board, RoundLine, round_decide, round_propose
from organisations.models import Association
from tests.conftest import as_user
from tests.documents.test_generation import text_of
from tests.grants.round_helpers import submitted
from tests.grants.test_round_page import signed_in

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")
NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(datetime.combine(date(2026, 11, 30), time(14, 5), HELSINKI), tick=False)


@pytest.fixture
def decided(call, people):
    """Two applications decided for a board: one granted in part, one rejected."""
    call.budget = Decimal("20000.00")
    call.name_sv = "Verksamhetsbidrag"
    call.save(update_fields=["budget", "name_sv"])
    apps = submitted(call, 2, Decimal("6000.00"))
    Association.objects.filter(pk=apps[0].association_id).update(name="Aalto & <Ääni> ry")
    Association.objects.filter(pk=apps[1].association_id).update(name="Björkby ungdomsförening")
    proposal = [
        RoundLine(apps[0].pk, Decimal("4500.00"), "Hanke tukee nuorten harrastuksia."),
        RoundLine(apps[1].pk, Decimal("0"), "Toiminta ei kuulu haun tarkoitukseen."),
    ]
    round_propose(call, actor=people["preparer"], lines=proposal)
    record = round_decide(
        call,
        actor=people["decision_maker"],
        lines=proposal,
        board=Board("Kulttuurilautakunta", date(2026, 11, 26), "§ 45"),
    )
    return record, [Application.objects.get(pk=a.pk) for a in apps]


def test_deciding_the_round_queues_its_lists_once_it_commits(
    call, people, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(
        tasks.generate_round_decision_lists, "apply_async", lambda args, **kw: queued.append(args)
    )
    apps = submitted(call, 1)
    line = [RoundLine(apps[0].pk, Decimal("100.00"), "Hyvä.")]
    round_propose(call, actor=people["preparer"], lines=line)

    with django_capture_on_commit_callbacks(execute=True):
        record = round_decide(call, actor=people["decision_maker"], lines=line)

    assert queued == [(record.pk,)]


def test_the_list_is_made_in_finnish_and_swedish_with_every_decision_and_the_totals(decided):
    record, (granted, rejected) = decided

    finnish, swedish = round_documents.decision_lists_generate(record.pk)

    assert (finnish.kind, finnish.language, swedish.language) == (
        Kind.ROUND_DECISION_LIST,
        "fi",
        "sv",
    )
    fi_text, sv_text = (text_of(d.file.open("rb").read()) for d in (finnish, swedish))
    for text in (fi_text, sv_text):
        assert "Aalto & <Ääni> ry" in text
        assert "Björkby ungdomsförening" in text
        assert granted.decision_number in text
        assert rejected.decision_number in text
        assert "Kulttuurilautakunta" in text
        assert f"26.11.2026, §{NBSP}45" in text
        assert f"6{NNBSP}000,00{NBSP}€" in text  # requested
        assert f"12{NNBSP}000,00{NBSP}€" in text  # requested in all
        assert f"4{NNBSP}500,00{NBSP}€" in text  # granted
        assert f"15{NNBSP}500,00{NBSP}€" in text  # the budget left
        assert "Toiminta ei kuulu haun tarkoitukseen." in text
    assert "Osittain hyväksytty" in fi_text
    assert "Hylätty" in fi_text
    assert "Avustushaku" in fi_text  # the call's name in Finnish
    assert "Delvis godkänd" in sv_text
    assert "Avslagen" in sv_text
    assert "Verksamhetsbidrag" in sv_text
    assert "Bidragsbeslut: Verksamhetsbidrag" in sv_text
    assert "Avustuspäätökset: Avustushaku" in fi_text
    # Traceable: the data it was rendered from and the checksum of its bytes.
    assert finnish.data["totals"]["left"] == "15500.00"
    assert finnish.sha256 == hashlib.sha256(finnish.file.open("rb").read()).hexdigest()


def test_the_list_is_made_once_and_the_sweep_makes_a_lost_one(decided):
    record, _apps = decided

    assert round_documents.decision_lists_sweep() == 1
    assert round_documents.decision_lists_sweep() == 0
    made = list(GeneratedDocument.objects.values_list("pk", flat=True))
    assert len(made) == 2
    # A retried task finds them made: immutable, no second version.
    round_documents.decision_lists_generate(record.pk)
    assert list(GeneratedDocument.objects.values_list("pk", flat=True)) == made


def test_the_round_page_links_and_serves_the_lists_to_the_bodys_officials(decided, people):
    record, _apps = decided
    page = f"/workbench/calls/{record.call_id}/round/"
    paths = [f"{page}{record.pk}/list-{language}.docx" for language in ("fi", "sv")]

    html = signed_in(people["liaison"]).get(page).content.decode()
    assert all(path in html for path in paths)
    finnish = signed_in(people["liaison"]).get(paths[0])

    assert finnish.status_code == 200
    content = b"".join(finnish.streaming_content)
    assert "Avustuspäätökset" in text_of(content)
    document = GeneratedDocument.objects.get(language="fi", kind=Kind.ROUND_DECISION_LIST)
    assert finnish["X-Content-SHA256"] == document.sha256
    assert signed_in(people["foreign_preparer"]).get(paths[1]).status_code == 404
    assert signed_in(people["preparer"]).get(f"{page}{record.pk + 1}/list-fi.docx").status_code == (
        404
    )


def test_the_api_serves_the_lists_and_a_foreign_body_gets_404(api, decided, people):
    record, _apps = decided
    url = f"/api/v1/calls/{record.call_id}/round/{record.pk}/list/sv/"

    assert as_user(api, people["foreign_preparer"]).get(url).status_code == 404
    response = as_user(api, people["preparer"]).get(url)

    assert response.status_code == 200
    assert "Bidragsbeslut" in text_of(b"".join(response.streaming_content))
    assert as_user(api, people["preparer"]).get(url.replace("/sv/", "/de/")).status_code == 404
