"""Writing the outbox (`workflow.outbox`): nobody is told of their own action, whichever group
of recipients they belong to; the system's actions reach everyone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from organisations.models import OfficialRole
from tests.factories import UserFactory, grant_role
from workflow.actors import SYSTEM, acting
from workflow.models import Notification
from workflow.outbox import notification_rows

pytestmark = pytest.mark.django_db

MESSAGE = {"kind": "report_returned", "key": "k", "context": {"title": "Kerho"}}


def _told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_rows_leave_out_the_person_acting_and_reach_everyone_else():
    me, other = UserFactory(), UserFactory()

    with acting(me):
        rows = notification_rows([me, other], **MESSAGE)

    assert [row.recipient for row in rows] == [other]


def test_the_system_acting_inside_a_persons_action_does_not_bring_them_back():
    me, other = UserFactory(), UserFactory()

    with acting(me), acting(SYSTEM):
        rows = notification_rows([me, other], **MESSAGE)

    assert [row.recipient for row in rows] == [other]


def test_without_anyone_acting_everyone_is_told():
    people = [UserFactory(), UserFactory()]

    assert [row.recipient for row in notification_rows(people, **MESSAGE)] == people


def test_a_preparer_who_also_handles_finance_is_not_told_of_the_decision_they_made_payable(
    application, walk, people, body, time_machine
):
    preparer = grant_role(people["preparer"], body, OfficialRole.Role.FINANCE)
    app = walk(application, "submit", "start_review", "record_step", "decide", "notify")
    time_machine.move_to(timezone.now() + timedelta(days=30))

    walk(app, "become_legally_valid", become_legally_valid={"actor": preparer})

    assert _told("decision_payable") == {people["finance"].username}


def test_what_a_persons_act_writes_is_delivered_once_the_transaction_commits(
    monkeypatch, django_capture_on_commit_callbacks
):
    from workflow import tasks
    from workflow.outbox import notify, write

    queued = []
    monkeypatch.setattr(
        tasks.deliver_notifications, "apply_async", lambda args, **o: queued.append(args)
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify([UserFactory()], **MESSAGE)
        assert queued == []  # not before the rows are committed
    assert queued == [()]

    # The reminder scans write through `write` and leave their rows to beat's delivery run.
    with django_capture_on_commit_callbacks(execute=True):
        write(notification_rows([UserFactory()], **{**MESSAGE, "key": "scan"}))
    assert queued == [()]
