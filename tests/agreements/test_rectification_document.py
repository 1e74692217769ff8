"""The decision on a request for rectification of an agreement decision is a document of its
own (kind "agreement_rectification_decision"), made when the request is decided, in the
matter's language, with the appeal to the administrative court (Local Government Act 135 §)."""

import pytest

from agreements import tasks
from agreements.documents import agreement_documents_sweep
from documents.generation import documents_of
from documents.models import Kind
from documents.templates import current_template
from tests.agreements import test_documents
from tests.agreements.builders import version_of
from tests.agreements.test_documents import text_of

# The agreement documents' fixtures: the steps committed, media in a temporary folder, a
# fixed day.
approve, commit, media, today = (
    test_documents.approve,
    test_documents.commit,
    test_documents.media,
    test_documents.today,
)

pytestmark = pytest.mark.django_db
GROUNDS = "Päätöksestä puuttuu vuoden 2028 rahoitus & <tilat>."
REASONS = "Rahoituksesta ei ollut sovittu."


@pytest.fixture
def workers(monkeypatch):
    """The agreement's document tasks run at once when queued, as a worker would."""
    for task in (tasks.generate_agreement_document, tasks.generate_rectification_document):
        monkeypatch.setattr(
            task, "apply_async", lambda args, task=task, **options: task.apply(args=args)
        )


def rectification_documents(agreement):
    return list(documents_of(agreement, Kind.AGREEMENT_RECTIFICATION_DECISION))


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "fi",
            [
                "Päätös oikaisuvaatimukseen",
                "Oikaisuvaatimus hyväksytään. Päätös muutetaan: sopimusta ei hyväksytä.",
                "hallinto-oikeu",
            ],
        ),
        (
            "sv",
            [
                "Beslut om begäran om omprövning",
                "Begäran om omprövning godkänns. Beslutet ändras: avtalet godkänns inte.",
                "förvaltningsdomstol",
            ],
        ),
    ],
)
def test_a_changed_decision_makes_the_rectification_decision_in_the_matters_language(
    draft, approve, commit, workers, today, association, representative, people, language, words
):
    association.language = language
    association.save()
    version = approve(version_of(draft))
    assert rectification_documents(draft) == []

    version = commit(version, "request_rectification", representative, comment=GROUNDS)
    # Nothing to render while the request waits for its decision.
    assert rectification_documents(draft) == []
    commit(
        version,
        "decide_rectification",
        people["decision_maker"],
        outcome="changed",
        reasons=REASONS,
    )

    [document] = rectification_documents(draft)
    assert document.language == language
    assert document.template == current_template(Kind.AGREEMENT_RECTIFICATION_DECISION, language)
    text = text_of(document)
    for word in [*words, GROUNDS, REASONS, association.name, draft.number]:
        assert word in text, word
    assert document.data["decision"]["outcome"] == "changed"
    assert document.data["original"]["outcome"] == "approved"


def test_an_upheld_decision_says_the_decision_stands_and_is_made_once(
    draft, approve, commit, workers, today, representative, people
):
    version = approve(version_of(draft))
    version = commit(version, "request_rectification", representative, comment=GROUNDS)
    commit(
        version, "decide_rectification", people["decision_maker"], outcome="upheld", reasons=REASONS
    )
    # A retried task returns the document already made.
    tasks.generate_rectification_document.apply(args=[version.pk])

    [document] = rectification_documents(draft)
    assert f"Oikaisuvaatimus hylätään. Päätös sopimuksesta {draft.number} pysyy voimassa." in (
        text_of(document)
    )


def test_a_rectification_decision_lost_while_the_broker_was_down_is_made_by_the_sweep(
    draft, approve, commit, workers, monkeypatch, today, representative, people
):
    version = approve(version_of(draft))
    version = commit(version, "request_rectification", representative, comment=GROUNDS)

    def broker_down(args, **options):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.generate_rectification_document, "apply_async", broker_down)
    commit(
        version, "decide_rectification", people["decision_maker"], outcome="upheld", reasons=REASONS
    )
    assert rectification_documents(draft) == []

    # One sweep for both kinds: the agreement document was made, the lost decision is made now.
    assert tasks.sweep_agreement_documents.apply().get() == 1
    [document] = rectification_documents(draft)
    assert document.source == f"v{version.number}:rectification"
    assert agreement_documents_sweep() == 0
