"""A request for rectification of the public body's decision to cancel a signed agreement
before its term (Local Government Act 134 §), on the engine of the request about an agreement
decision: a party's representative requests it within the period (after it: a 400 naming the
last day), a decision-maker upholds it (the agreement stays cancelled) or changes it (the
cancellation is undone and the money owed again), each side told once, the decision a document
of the agreement rectification decision's kind in the matter's language."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements import instalments, services, tasks
from agreements.models import Agreement, AgreementRectification, Evaluation
from documents.generation import documents_of
from documents.models import Kind
from finance import payables
from finance.models import Payable
from finance.reasons import reason_lines
from organisations import mandates
from organisations.models import OfficialRole
from tests.agreements.builders import at, fresh, log_of, terms, version_of
from tests.agreements.test_documents import text_of
from tests.conftest import as_user
from tests.factories import PublicBodyFactory, UserFactory, grant_role
from workflow.models import Deadline, Notification, TransitionLog
from workflow.transitions import available_transitions

pytestmark = pytest.mark.django_db

A = Agreement.State
URL = "/api/v1/agreements/"
REASONS = "Seniorikeskuksen peruskorjaus viivästyy vuoteen 2028."
GROUNDS = "Peruskorjaus valmistuu ajallaan; urakoitsijan aikataulu on liitteenä."
ANSWER = "Urakoitsijan aikataulu osoittaa tilojen valmistuvan ennen sopimuskautta."


def post(api, user, agreement, name, **params):
    return as_user(api, user).post(
        f"{URL}{agreement.pk}/transitions/",
        {"transition": name, **params},
        format="json",
        HTTP_ACCEPT_LANGUAGE=user.language or "fi",
    )


def offered(agreement, user) -> set[str]:
    wanted = {"request_rectification", "decide_rectification"}
    return set(available_transitions(fresh(agreement), user)) & wanted


def kinds_to(user) -> list[str]:
    return list(
        Notification.objects.filter(
            recipient=user, kind__startswith="agreement_cancel_rectification"
        )
        .order_by("id")
        .values_list("kind", flat=True)
    )


@pytest.fixture
def workers(monkeypatch):
    """The document task runs at once when queued, as a worker would."""
    task = tasks.generate_cancellation_rectification_document
    monkeypatch.setattr(task, "apply_async", lambda args, **options: task.apply(args=args))


@pytest.fixture
def cancelled(draft, negotiate_to_force, api, people, time_machine):
    """Signed on 6 December 2026 for a term from 1 January 2027; cancelled by the body's
    decision on 10 December."""
    time_machine.move_to(at(date(2026, 12, 6)), tick=False)
    negotiate_to_force(version_of(draft))
    time_machine.move_to(at(date(2026, 12, 10)), tick=False)
    answer = post(api, people["decision_maker"], draft, "cancel_by_decision", reasons=REASONS)
    assert answer.status_code == 200, answer.content
    agreement = fresh(draft)
    assert agreement.state == A.CANCELLED
    return agreement


def test_a_party_requests_it_in_time_and_the_body_upholds_the_cancellation(
    cancelled, api, people, representative, association, time_machine
):
    maker = people["decision_maker"]
    last_day = cancelled.cancellation_appeal_ends_on
    # 14 days from notification (Local Government Act 134 §, 139 §).
    assert last_day >= date(2026, 12, 10) + timedelta(days=14)
    assert offered(cancelled, representative) == {"request_rectification"}
    assert offered(cancelled, maker) == set()

    time_machine.move_to(at(last_day), tick=False)
    assert post(api, representative, cancelled, "request_rectification", comment=" ").status_code
    assert not AgreementRectification.objects.exists()
    answer = post(api, representative, cancelled, "request_rectification", comment=GROUNDS)
    assert answer.status_code == 200, answer.content
    assert answer.json()["available_transitions"] == []
    (rectification,) = AgreementRectification.objects.all()
    assert (rectification.subject, rectification.association, rectification.grounds) == (
        "cancellation",
        association,
        GROUNDS,
    )
    assert rectification.original_section == cancelled.cancellation_section
    # Once requested it is not offered again; the decision-maker decides it.
    assert offered(cancelled, representative) == set()
    assert offered(cancelled, maker) == {"decide_rectification"}
    assert (
        post(api, maker, cancelled, "decide_rectification", outcome="x", reasons="y").status_code
        == 400
    )
    assert (
        post(
            api, maker, cancelled, "decide_rectification", outcome="upheld", reasons=""
        ).status_code
        == 400
    )

    answer = post(api, maker, cancelled, "decide_rectification", outcome="upheld", reasons=ANSWER)
    assert answer.status_code == 200, answer.content
    agreement = fresh(cancelled)
    assert agreement.state == A.CANCELLED
    assert agreement.cancellation_reason == REASONS
    rectification.refresh_from_db()
    assert (rectification.outcome, rectification.decided_by) == ("upheld", maker)
    assert rectification.decision_section not in ("", agreement.cancellation_section)
    # The appeal now goes to the administrative court (Local Government Act 135 §: 30 days).
    assert agreement.cancellation_appeal_ends_on > last_day + timedelta(days=30)
    assert offered(agreement, maker) == offered(agreement, representative) == set()
    assert log_of(agreement)[-2:] == ["request_rectification", "decide_rectification"]
    # Each side told once of each step (not of its own act), with the link to the agreement.
    assert kinds_to(representative) == ["agreement_cancel_rectification_decided"]
    assert kinds_to(people["liaison"]) == [
        "agreement_cancel_rectification_requested",
        "agreement_cancel_rectification_decided",
    ]
    told = Notification.objects.get(
        recipient=representative, kind="agreement_cancel_rectification_decided"
    )
    assert told.context["outcome"] == "upheld"
    assert told.context["path"] == reverse("partnerships:agreement", args=[agreement.pk])


def test_too_late_is_a_400_naming_the_last_day_and_not_offered(
    cancelled, api, representative, time_machine
):
    last_day = cancelled.cancellation_appeal_ends_on
    time_machine.move_to(at(last_day + timedelta(days=1)), tick=False)
    assert offered(cancelled, representative) == set()
    answer = post(api, representative, cancelled, "request_rectification", comment=GROUNDS)
    assert answer.status_code == 400
    day = f"{last_day.day}.{last_day.month}.{last_day.year}"
    assert day in str(answer.json()["comment"])
    assert not AgreementRectification.objects.exists()


def test_a_cancellation_both_sides_agreed_to_has_no_decision_to_rectify(
    draft, negotiate_to_force, api, people, representative, signatories, time_machine
):
    time_machine.move_to(at(date(2026, 12, 6)), tick=False)
    negotiate_to_force(version_of(draft))
    assert post(api, signatories[0], draft, "propose_cancellation", reason=REASONS).status_code
    assert post(api, people["liaison"], draft, "agree_cancellation").status_code == 200
    assert offered(draft, representative) == set()
    assert (
        post(api, representative, draft, "request_rectification", comment=GROUNDS).status_code
        == 409
    )


def test_a_changed_decision_undoes_the_cancellation(
    cancelled, api, people, representative, time_machine
):
    assert not cancelled.meetings.filter(cancelled=False).exists()
    assert (
        post(api, representative, cancelled, "request_rectification", comment=GROUNDS).status_code
        == 200
    )
    time_machine.move_to(at(date(2026, 12, 18)), tick=False)
    answer = post(
        api,
        people["decision_maker"],
        cancelled,
        "decide_rectification",
        outcome="changed",
        reasons=ANSWER,
    )
    assert answer.status_code == 200, answer.content
    agreement = fresh(cancelled)
    # Signed again, in force from the term's first day: its term planned again.
    assert (agreement.state, agreement.cancelled_on, agreement.cancellation_section) == (
        A.SIGNED,
        None,
        "",
    )
    assert answer.json()["state"] == "signed"
    assert agreement.meetings.filter(cancelled=False, due_on__gte=date(2027, 1, 1)).exists()
    assert agreement.evaluations.exclude(state=Evaluation.State.CANCELLED).exists()
    assert Deadline.objects.filter(
        object_id=agreement.pk, kind="agreement_ends", status="open"
    ).exists()
    assert offered(agreement, representative) == set()
    assert "cancel_by_decision" in available_transitions(agreement, people["decision_maker"])
    told = Notification.objects.get(
        recipient=representative, kind="agreement_cancel_rectification_decided"
    )
    assert told.context["outcome"] == "changed"


def test_changed_after_the_term_began_the_agreement_is_in_force(
    cancelled, api, people, representative, time_machine
):
    assert (
        post(api, representative, cancelled, "request_rectification", comment=GROUNDS).status_code
        == 200
    )
    time_machine.move_to(at(date(2027, 1, 12)), tick=False)
    answer = post(
        api,
        people["decision_maker"],
        cancelled,
        "decide_rectification",
        outcome="changed",
        reasons=ANSWER,
    )
    assert answer.status_code == 200, answer.content
    agreement = fresh(cancelled)
    assert (agreement.state, agreement.starts_on) == (A.ACTIVE, date(2027, 1, 1))
    # Nothing is planned in the past.
    assert not agreement.meetings.filter(cancelled=False, due_on__lt=date(2027, 1, 12)).exists()


@pytest.fixture
def paid_ahead(body, association, representative, negotiate_to_force, people, time_machine):
    """Signed on 1 December 2026 with 2027's and 2028's money payable on 20 December, before
    the term; finance has paid 2027, 2028 waits in its inbox. The body cancels it on 21
    December: 2028 owes nothing and 2027 is claimed back."""
    time_machine.move_to(at(date(2026, 12, 1)), tick=False)
    money = [
        {
            "year": year,
            "kind": "money",
            "amount": Decimal("10000.00"),
            "pays_on": date(2026, 12, 20),
        }
        for year in (2027, 2028)
    ]
    agreement = services.agreement_create(
        user=representative,
        public_body=body,
        associations=[association],
        terms_given=terms(resources=money),
    )
    negotiate_to_force(version_of(agreement))
    time_machine.move_to(at(date(2026, 12, 21)), tick=False)
    assert instalments.open_due_instalments() == 2
    first = payables.payables_of(agreement).get(source="instalment:2027")
    payables.payment_record_for(
        first.pk, user=people["finance"], amount=Decimal("10000.00"), paid_on=date(2026, 12, 21)
    )
    return agreement


def owed_by_year(agreement) -> dict[int, Decimal]:
    """What each year's payables owe together: payments less recovery claims."""
    owed: dict[int, Decimal] = {}
    for payable in payables.payables_of(agreement):
        year = int(payable.source.split(":")[1])
        sign = -1 if payable.kind == Payable.Kind.RECOVERY else 1
        owed[year] = owed.get(year, Decimal(0)) + sign * payable.amount
    return owed


def test_changed_the_payables_owe_the_terms_again(paid_ahead, api, people, representative):
    maker = people["decision_maker"]
    assert post(api, maker, paid_ahead, "cancel_by_decision", reasons=REASONS).status_code == 200
    assert owed_by_year(paid_ahead) == {2027: Decimal(0), 2028: Decimal(0)}

    assert (
        post(api, representative, paid_ahead, "request_rectification", comment=GROUNDS).status_code
        == 200
    )
    answer = post(api, maker, paid_ahead, "decide_rectification", outcome="changed", reasons=ANSWER)
    assert answer.status_code == 200, answer.content
    assert fresh(paid_ahead).state == A.SIGNED
    assert owed_by_year(paid_ahead) == {2027: Decimal("10000.00"), 2028: Decimal("10000.00")}
    # 2027's claim is withdrawn (it was not paid back), 2028 is owed by a supplementary payable;
    # each says why.
    claim = payables.payables_of(paid_ahead).get(kind=Payable.Kind.RECOVERY)
    assert claim.amount == Decimal(0)
    (supplement,) = payables.payables_of(paid_ahead).filter(source__endswith=":restored")
    assert (supplement.source, supplement.amount) == ("instalment:2028:restored", 10000)
    owed_again = (
        f"Owed again: the decision to cancel agreement {paid_ahead.number} was changed on "
        "21 December 2026 on a request for rectification."
    )
    assert reason_lines(supplement, "en") == [owed_again]
    assert reason_lines(claim, "en")[-1] == owed_again
    # Audited, in the same transaction as the decision.
    assert TransitionLog.objects.filter(
        object_id=paid_ahead.pk, transition="decide_rectification"
    ).exists()


def test_another_body_or_association_gets_404_and_the_wrong_role_403(
    cancelled, api, people, representative, foreign_representative, time_machine
):
    answer = post(api, foreign_representative, cancelled, "request_rectification", comment=GROUNDS)
    assert answer.status_code == 404
    # The body's people do not request it; the association's do not decide it.
    assert (
        post(
            api, people["liaison"], cancelled, "request_rectification", comment=GROUNDS
        ).status_code
        == 403
    )
    assert (
        post(api, representative, cancelled, "request_rectification", comment=GROUNDS).status_code
        == 200
    )
    answer = post(
        api, representative, cancelled, "decide_rectification", outcome="changed", reasons=ANSWER
    )
    assert answer.status_code == 403
    assert (
        post(
            api,
            people["liaison"],
            cancelled,
            "decide_rectification",
            outcome="changed",
            reasons=ANSWER,
        ).status_code
        == 403
    )
    assert fresh(cancelled).state == A.CANCELLED


def test_an_official_of_another_body_gets_404(cancelled, api):
    other = UserFactory(username="elsewhere")
    grant_role(other, PublicBodyFactory(), OfficialRole.Role.DECISION_MAKER)
    answer = post(api, other, cancelled, "decide_rectification", outcome="changed", reasons=ANSWER)
    assert answer.status_code == 404


def test_a_revoked_mandate_is_a_403_and_nothing_is_saved(
    cancelled, api, representative, monkeypatch
):
    # The source of mandates no longer confirms the representative's right to act.
    monkeypatch.setattr(mandates.LocalRoles, "basis", lambda self, user, association, act: None)
    answer = post(api, representative, cancelled, "request_rectification", comment=GROUNDS)
    assert answer.status_code == 403
    assert not AgreementRectification.objects.exists()
    assert kinds_to(representative) == []


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "fi",
            [
                "Päätös oikaisuvaatimukseen",
                "päätöksen perua kumppanuussopimus",
                "Oikaisuvaatimus hyväksytään. Päätös sopimuksen perumisesta kumotaan",
                "hallinto-oikeu",
            ],
        ),
        (
            "sv",
            [
                "Beslut om begäran om omprövning",
                "beslut att annullera partnerskapsavtal",
                "Begäran om omprövning godkänns. Beslutet att annullera avtalet upphävs",
                "förvaltningsdomstol",
            ],
        ),
    ],
)
def test_the_decision_is_a_document_in_the_matters_language(
    draft,
    negotiate_to_force,
    api,
    people,
    representative,
    association,
    time_machine,
    workers,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
    language,
    words,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    association.language = language
    association.save()
    time_machine.move_to(at(date(2026, 12, 6)), tick=False)
    negotiate_to_force(version_of(draft))
    maker = people["decision_maker"]
    assert post(api, maker, draft, "cancel_by_decision", reasons=REASONS).status_code == 200
    assert (
        post(api, representative, draft, "request_rectification", comment=GROUNDS).status_code
        == 200
    )
    with django_capture_on_commit_callbacks(execute=True):
        answer = post(api, maker, draft, "decide_rectification", outcome="changed", reasons=ANSWER)
    assert answer.status_code == 200, answer.content

    [document] = documents_of(draft, Kind.AGREEMENT_RECTIFICATION_DECISION)
    assert document.language == language
    assert document.data["original"]["subject"] == "cancellation"
    text = text_of(document)
    for word in [*words, GROUNDS, ANSWER, association.name, draft.number]:
        assert word in text, word
    # A retried task returns the document already made.
    rectification = AgreementRectification.objects.get()
    tasks.generate_cancellation_rectification_document.apply(args=[rectification.pk])
    assert documents_of(draft, Kind.AGREEMENT_RECTIFICATION_DECISION).count() == 1
