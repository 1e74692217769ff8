"""The transition service: the one door for state changes, its audit log, its signal, and
declared conflicts of interest."""

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_fsm.signals import post_transition

from grants.models import Application
from workflow.actors import SYSTEM
from workflow.disqualification import disqualification_declare
from workflow.errors import TransitionConflict, UnknownTransition
from workflow.models import ApprovalRun, Disqualification, StepRecord, TransitionLog
from workflow.transitions import (
    available_transitions,
    transition_committed,
    transition_perform,
)

S = Application.State
pytestmark = pytest.mark.django_db


def fresh(app: Application) -> Application:
    return Application.objects.get(pk=app.pk)


def logs(app: Application):
    return TransitionLog.objects.filter(object_id=app.pk).order_by("id")


@pytest.fixture
def committed():
    """The transition_committed signals received during the test."""
    received = []

    def receiver(sender, **kwargs):
        received.append({"sender": sender, **kwargs})

    transition_committed.connect(receiver)
    yield received
    transition_committed.disconnect(receiver)


# --- the one door ------------------------------------------------------------------------


def test_calling_a_transition_method_directly_raises(application, representative):
    with pytest.raises(RuntimeError):
        application.submit(actor=representative, comment="")
    assert fresh(application).state == S.DRAFT
    assert fresh(application).submitted_at is None
    assert not logs(application).exists()


@pytest.mark.parametrize("name", ["approve_everything", "save", "delete", "_check_request"])
def test_unknown_transition_is_refused(application, representative, name):
    with pytest.raises(UnknownTransition):
        transition_perform(application, name, actor=representative)
    assert Application.objects.filter(pk=application.pk, state=S.DRAFT).exists()
    assert not logs(application).exists()


def test_transition_from_the_wrong_state_is_a_conflict_and_saves_nothing(application, walk, people):
    app = walk(application, "submit")
    before = logs(app).count()

    with pytest.raises(TransitionConflict) as conflict:
        walk(app, "decide")
    assert conflict.value.code == "invalid_state"
    saved = fresh(app)
    assert saved.state == S.SUBMITTED
    assert saved.granted_amount is None
    assert logs(app).count() == before


def test_a_stale_copy_cannot_repeat_a_transition(application, walk):
    stale = Application.objects.get(pk=application.pk)
    walk(application, "submit", "request_completion")

    # `stale` still says draft, but the service looks at the locked row.
    with pytest.raises(TransitionConflict):
        walk(stale, "submit")
    assert fresh(application).state == S.RETURNED
    assert list(logs(application).values_list("transition", flat=True)) == [
        "submit",
        "request_completion",
    ]


def test_validation_error_inside_a_transition_leaves_row_and_log_unchanged(application, walk):
    app = walk(application, "submit", "start_review")
    before = list(logs(app).values_list("id", flat=True))

    with pytest.raises(ValidationError):
        # More than was applied for.
        walk(app, "record_step", record_step={"params": {"proposed_amount": Decimal("5000.01")}})

    saved = fresh(app)
    assert saved.state == S.IN_REVIEW
    assert list(logs(app).values_list("id", flat=True)) == before
    assert not StepRecord.objects.filter(run__object_id=app.pk, status="done").exists()


def test_failure_after_a_transition_did_its_work_undoes_all_of_it(application, walk):
    """`decide` completes the chain's step before anything else can fail; a ValidationError
    raised after that (here by a post_transition receiver) must undo the step as well."""
    app = walk(application, "submit", "start_review", "record_step")
    before = logs(app).count()

    def refuse(sender, name, **kwargs):
        if name == "decide":
            raise ValidationError("Refused after the work was done.")

    post_transition.connect(refuse, sender=Application)
    try:
        with pytest.raises(ValidationError):
            walk(app, "decide")
    finally:
        post_transition.disconnect(refuse, sender=Application)

    saved = fresh(app)
    assert saved.state == S.IN_REVIEW
    assert saved.granted_amount is None
    assert logs(app).count() == before
    run = ApprovalRun.objects.get(object_id=app.pk)
    assert run.status == ApprovalRun.Status.IN_PROGRESS
    assert run.steps.filter(status=StepRecord.Status.PENDING).count() == 1
    # and the decision can still be made
    assert walk(saved, "decide").state == S.DECIDED


# --- the audit log -----------------------------------------------------------------------


def test_every_transition_writes_one_audit_record(application, walk, people, representative):
    steps = [
        ("submit", representative, "Lähetetään.", None),
        ("start_review", people["preparer"], "", None),
        ("record_step", people["preparer"], "Esitän.", {"proposed_amount": Decimal("4000.00")}),
        (
            "decide",
            people["decision_maker"],
            "Päätetty.",
            {
                "outcome": "partially_approved",
                "granted_amount": Decimal("4000.00"),
                "reasons": "Osittain.",
            },
        ),
        ("notify", people["preparer"], "", {"channel": "letter"}),
    ]
    app = application
    for name, actor, comment, params in steps:
        before = logs(app).count()
        source = app.state
        app = transition_perform(app, name, actor=actor, comment=comment, params=params)

        assert logs(app).count() == before + 1
        record = logs(app).last()
        assert record.subject == app
        assert record.transition == name
        assert (record.from_state, record.to_state) == (source, app.state)
        assert record.actor == actor
        assert record.comment == comment
        # An association's legally significant act also says on what basis it was done
        # (organisations.mandates).
        acted_on = record.data.pop("acted_on", None)
        assert (acted_on or {}).get("basis") == ("local_role" if name == "submit" else None)
        assert record.data == {k: str(v) for k, v in (params or {}).items()}


def test_system_transitions_are_logged_with_no_actor(call, application, walk):
    with time_machine.travel(call.closes_at):
        transition_perform(application, "expire", actor=SYSTEM)
    record = logs(application).get()
    assert record.transition == "expire"
    assert record.actor is None


def test_audit_records_cannot_be_changed_or_deleted(application, walk):
    app = walk(application, "submit")
    record = logs(app).get()

    record.comment = "Kirjoitetaan historia uudelleen."
    with pytest.raises(ValidationError):
        record.save()
    with pytest.raises(ValidationError):
        record.delete()

    stored = logs(app).get()
    assert stored.comment == ""
    assert stored.transition == "submit"


@pytest.mark.postgres
@pytest.mark.parametrize(
    "rewrite",
    [
        pytest.param(lambda qs: qs.update(comment="muutettu"), id="update"),
        pytest.param(lambda qs: qs.delete(), id="delete"),
    ],
)
def test_database_refuses_bulk_changes_to_the_audit_log(application, walk, rewrite):
    app = walk(application, "submit")

    with pytest.raises(Exception), transaction.atomic():  # noqa: B017, PT011 - the trigger's error
        rewrite(logs(app))

    stored = logs(app).get()
    assert stored.comment == ""


# --- the committed signal ----------------------------------------------------------------


def test_signal_is_sent_only_after_commit(
    application, representative, committed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        app = transition_perform(application, "submit", actor=representative)
        assert committed == []

    assert len(committed) == 1
    sent = committed[0]
    assert sent["sender"] is Application
    assert sent["instance"].pk == app.pk
    assert (sent["name"], sent["source"], sent["target"]) == ("submit", "draft", "submitted")
    assert sent["actor"] == representative


def test_signal_is_not_sent_when_the_transaction_rolls_back(
    application, representative, committed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        transition_perform(application, "submit", actor=representative)
        transaction.set_rollback(True)
    assert callbacks == []
    assert committed == []
    assert fresh(application).state == S.DRAFT


def test_signal_is_not_sent_when_the_transition_fails(
    application, walk, committed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionConflict):
        walk(application, "decide")
    assert committed == []


# --- conflict of interest ----------------------------------------------------------------


def test_disqualified_official_cannot_decide_and_another_one_can(application, walk, people):
    app = walk(application, "submit", "start_review", "record_step")
    dm, dm2 = people["decision_maker"], people["decision_maker2"]
    assert "decide" in available_transitions(app, dm)

    disqualification_declare(app, user=dm, reason="Olen yhdistyksen hallituksen jäsen.")

    assert available_transitions(app, dm) == []
    with pytest.raises(PermissionDenied):
        walk(app, "decide", decide={"actor": dm})
    assert fresh(app).state == S.IN_REVIEW

    assert "decide" in available_transitions(app, dm2)
    app = walk(app, "decide", decide={"actor": dm2})
    assert app.state == S.DECIDED
    assert app.decided_by == dm2


def test_disqualified_preparer_cannot_notify_later_either(application, walk, people):
    app = walk(application, "submit")
    disqualification_declare(app, user=people["preparer"], reason="Sukulainen hakijana.")
    app = walk(app, "start_review", start_review={"actor": people["preparer2"]})
    app = walk(
        app,
        "record_step",
        "decide",
        record_step={"actor": people["preparer2"]},
    )
    with pytest.raises(PermissionDenied):
        walk(app, "notify")
    assert walk(app, "notify", notify={"actor": people["preparer2"]}).state == S.NOTIFIED


def test_declaring_twice_is_refused(application, people):
    dm = people["decision_maker"]
    disqualification_declare(application, user=dm, reason="Jäsen.")
    with pytest.raises(ValidationError):
        disqualification_declare(application, user=dm, reason="Jäsen edelleen.")
    assert Disqualification.objects.filter(object_id=application.pk).count() == 1
    assert logs(application).count() == 1


@pytest.mark.parametrize("reason", ["", "   "])
def test_declaration_needs_a_reason(application, people, reason):
    with pytest.raises(ValidationError):
        disqualification_declare(application, user=people["decision_maker"], reason=reason)
    assert not Disqualification.objects.exists()
    assert not logs(application).exists()


def test_declaration_is_in_the_audit_log(application, walk, people):
    app = walk(application, "submit", "start_review")
    dm = people["decision_maker"]
    disqualification_declare(app, user=dm, reason="Olen hakijan puoliso.")

    record = logs(app).last()
    assert record.transition == "declare_disqualification"
    assert (record.from_state, record.to_state) == (S.IN_REVIEW, S.IN_REVIEW)
    assert record.actor == dm
    assert record.comment == "Olen hakijan puoliso."
    assert fresh(app).state == S.IN_REVIEW
