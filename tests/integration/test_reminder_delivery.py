"""Reminders from the database to an SMTP server, through real Celery workers over Redis.

The workers are subprocesses (see conftest.py) on the test database, a private redis-server
and an aiosmtpd sink. They run at real time: data is made due *now* (created in the past with
time-machine, or written by `remind_due(now=...)` in this process), and every wait polls a
condition with a bound, never a clock.
"""

from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from grants.models import Application
from grants.services import application_create
from organisations.models import OfficialRole
from tests.factories import (
    ApplicationFactory,
    AssociationFactory,
    CallFactory,
    PublicBodyFactory,
    UserFactory,
    grant_role,
    represent,
)
from workflow import scans
from workflow.models import Deadline, Notification
from workflow.reminders import reminder_moment
from workflow.tasks import deliver_notifications, remind_due
from workflow.time_limits import previous_working_day
from workflow.transitions import transition_perform

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

SENT = Notification.Status.SENT
PENDING = Notification.Status.PENDING


def message_id(notification_pk: int) -> str:
    return f"<notification-{notification_pk}@avustus.local>"


def finnish_date(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"  # 'j.n.Y', the same in Swedish


def local(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def closing_day(today: date) -> tuple[date, date, date]:
    """A closing day whose 7-days-before reminder day has passed and whose 1-day one has not.

    Returns (closing day, day of the 7-day reminder, day of the 1-day reminder), computed
    with the same working-day rules the engine uses, so weekends and holidays cannot break it.
    """
    for days in range(2, 60):
        due = today + timedelta(days=days)
        week_before = previous_working_day(due - timedelta(days=7))
        day_before = previous_working_day(due - timedelta(days=1))
        if week_before < today < day_before:
            return due, week_before, day_before
    raise AssertionError("no suitable closing day")  # pragma: no cover


def assert_each_once(sink, expected_ids: set[str]) -> None:
    copies = sink.by_message_id()
    lost = expected_ids - set(copies)
    twice = {mid: n for mid, n in copies.items() if n > 1}
    unexpected = set(copies) - expected_ids
    assert not lost, f"{len(lost)} notifications never arrived: {sorted(lost)[:10]}"
    assert not twice, f"{len(twice)} notifications arrived more than once: {twice}"
    assert not unexpected, f"unexpected messages: {sorted(unexpected)[:10]}"


# --- 1. a whole call -----------------------------------------------------------------------


def test_a_whole_call_reminds_each_draft_once_in_its_recipients_language(sink, workers):
    today = timezone.localdate()
    closes_on, week_before, day_before = closing_day(today)
    call_opened = local(week_before - timedelta(days=3), 9)

    # The call opens in the past; drafts are started and one is sent in, at that time.
    with time_machine.travel(call_opened, tick=False):
        body = PublicBodyFactory()
        call = CallFactory(
            public_body=body,
            opens_at=call_opened - timedelta(hours=1),
            closes_at=local(closes_on, 16),
        )
        finnish = AssociationFactory(name="Kylän Nuoret ry", language="fi")
        swedish = AssociationFactory(name="Byns Ungdom rf", language="sv")
        prompt = AssociationFactory(name="Ajoissa ry", language="fi")
        matti = represent(UserFactory(email="matti@example.fi", language="fi"), finnish)
        stina = represent(UserFactory(email="stina@example.fi", language="sv"), swedish)
        eager = represent(UserFactory(email="eager@example.fi", language="fi"), prompt)
        budget = [{"description": "Tilavuokrat", "amount": Decimal("3000.00")}]
        for person, association in ((matti, finnish), (stina, swedish), (eager, prompt)):
            draft = application_create(
                user=person,
                call=call,
                association=association,
                requested_amount=Decimal("3000.00"),
                purpose="Kerhotoimintaa.",
                budget_lines=budget,
            )
        transition_perform(draft, "submit", actor=eager)  # sent in: no reminder for it

    open_deadlines = Deadline.objects.filter(kind="call_closes", status=Deadline.Status.OPEN)
    assert open_deadlines.count() == 2
    assert set(open_deadlines.values_list("next_step", flat=True)) == {"before-7"}
    assert all(d.next_reminder_at <= timezone.now() for d in open_deadlines.all())

    workers.start("w1")

    # The week-before reminder is due now: the worker's scan writes it, delivery sends it.
    scan = remind_due.delay()
    workers.wait_finished(scan.id)
    assert workers.result(scan.id) == "2"
    assert Notification.objects.filter(status=PENDING).count() == 2
    delivery = deliver_notifications.delay()
    sink.wait_for(2)
    workers.wait_finished(delivery.id)

    by_recipient = {m.to: m for m in sink.messages}
    assert set(by_recipient) == {("matti@example.fi",), ("stina@example.fi",)}
    fi, sv = by_recipient[("matti@example.fi",)], by_recipient[("stina@example.fi",)]
    closes = finnish_date(closes_on)
    assert fi.subject == f"Avustushaku päättyy {closes}: hakemus on vielä lähettämättä"
    assert fi.language == "fi"
    assert "Kylän Nuoret ry" in fi.body
    assert sv.subject == f"Ansökningstiden går ut {closes}: er ansökan har ännu inte skickats in"
    assert sv.language == "sv"
    assert "Byns Ungdom rf" in sv.body

    # The day-before reminder: this process's scan at its moment writes it, the worker sends.
    assert set(open_deadlines.values_list("next_step", flat=True)) == {"before-1"}
    assert scans.remind_due(now=reminder_moment(day_before)) == 2
    delivery = deliver_notifications.delay()
    sink.wait_for(4)
    workers.wait_finished(delivery.id)

    # Running everything again changes nothing: no reminder is written or sent twice.
    again = [remind_due.delay(), deliver_notifications.delay()]
    workers.wait_finished(*(t.id for t in again))
    assert [workers.result(t.id) for t in again] == ["0", "0"]

    rows = list(Notification.objects.order_by("id"))
    assert len(rows) == 4
    assert {r.status for r in rows} == {SENT}
    assert Counter(r.recipient.email for r in rows) == {
        "matti@example.fi": 2,
        "stina@example.fi": 2,
    }
    assert_each_once(sink, {message_id(r.pk) for r in rows})
    assert Counter(m.subject for m in sink.messages) == {fi.subject: 2, sv.subject: 2}
    assert not open_deadlines.exclude(next_step="").exists()  # nothing more to remind


# --- 2. a worker killed mid-delivery -------------------------------------------------------


def pending_notifications(count: int) -> list[Notification]:
    people = [
        UserFactory(email=f"person{i}@example.fi", language=("fi", "sv")[i % 2]) for i in range(10)
    ]
    rows = [
        Notification(
            recipient=people[i % len(people)],
            key=f"test:{i}",
            kind="completion_requested",
            language=people[i % len(people)].language,
            context={
                "title": f"Hakemus {i}",
                "request": "Liitä talousarvio.",
                "due_on": "2030-01-02",
            },
            legally_significant=True,
            send_after=timezone.now() - timedelta(minutes=1),
        )
        for i in range(count)
    ]
    return Notification.objects.bulk_create(rows)


def deliver_after_a_kill(sink, workers, total: int, kill_at: int, arm) -> dict:
    """Deliver `total` rows; `arm(worker)` makes the sink SIGKILL the first worker (its whole
    process group) at message `kill_at`; a second worker then runs the delivery twice."""
    rows = pending_notifications(total)
    first = workers.start("w1")
    arm(first)
    deliver_notifications.delay()
    first.process.wait(timeout=30)  # killed by the sink's hook

    seen = {
        "received_at_kill": sink.count(),
        "sent_at_kill": Notification.objects.filter(status=SENT).count(),
    }
    assert seen["received_at_kill"] < total, "the worker finished before it was killed"

    workers.start("w2")
    runs = [deliver_notifications.delay(), deliver_notifications.delay()]
    workers.wait_finished(*(r.id for r in runs), timeout=60)
    copies = sink.by_message_id()
    seen.update(
        distinct=len(copies),
        messages=sum(copies.values()),
        handled_after=[workers.result(r.id) for r in runs],
    )
    print(f"SIGKILL at message {kill_at}: {seen}")

    assert_each_once(sink, {message_id(r.pk) for r in rows})
    assert Counter(Notification.objects.values_list("status", flat=True)) == {SENT: total}
    # The killed attempt rolled back with its transaction: every row was tried exactly once.
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}
    return seen


def test_a_worker_killed_in_the_middle_of_a_message_sends_it_once(sink, workers):
    """SIGKILL while message 51 is on its way (at its RCPT): the worker had not committed, the
    server never got the end of the message, the row stays pending and is sent later, once."""
    seen = deliver_after_a_kill(
        sink, workers, total=200, kill_at=51, arm=lambda w: sink.on_recipient(51, w.kill)
    )
    assert seen["received_at_kill"] == 50
    assert seen["sent_at_kill"] == 50


def test_a_worker_killed_before_the_server_replied_sends_it_once(sink, workers):
    """SIGKILL when the server has message 51 but has not answered 250: the worker committed
    the row as sent before it ended the message (workflow.mail), so it is not sent again."""
    seen = deliver_after_a_kill(
        sink, workers, total=200, kill_at=51, arm=lambda w: sink.before_accepting(51, w.kill)
    )
    assert seen["received_at_kill"] == 51
    assert seen["sent_at_kill"] == 51


def test_a_worker_killed_after_the_server_accepted_a_message_sends_it_once(sink, workers):
    """SIGKILL just as the server answers 250 to message 50: sent once, not again."""
    seen = deliver_after_a_kill(
        sink, workers, total=200, kill_at=50, arm=lambda w: sink.after_accepting(50, w.kill)
    )
    assert seen["received_at_kill"] == 50
    assert seen["sent_at_kill"] == 50


# --- 3. two workers, two scans -------------------------------------------------------------


def test_two_workers_and_two_scans_write_and_send_each_reminder_once(sink, workers):
    body = PublicBodyFactory()
    call = CallFactory(public_body=body)
    associations = AssociationFactory.create_batch(200)
    recipients = 0
    for i, association in enumerate(associations):
        for _ in range(1 + i % 2):  # one or two representatives
            represent(UserFactory(language=("fi", "sv")[recipients % 2]), association)
            recipients += 1
    creator = UserFactory()
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            association=a,
            created_by=creator,
            requested_amount=Decimal("1000.00"),
            purpose="Kerhotoimintaa.",
        )
        for a in associations
    )
    due_on = timezone.localdate() + timedelta(days=1)
    Deadline.objects.bulk_create(
        Deadline(
            content_type=ContentType.objects.get_for_model(Application),
            object_id=app.pk,
            kind="call_closes",
            title=f"{call.name}: {app.association.name}",
            due_on=due_on,
            association=app.association,
            public_body=body,
            remind_days_before=[7, 1],
            remind_to="association",
            next_step="before-1",
            next_reminder_at=timezone.now() - timedelta(minutes=1),
        )
        for app in applications
    )
    sink.delay = 0.002

    both = [workers.start("w1", wait=False), workers.start("w2", wait=False)]
    workers.wait_ready(*both)
    # Two scans and two deliveries at the same moment, taken by the two workers.
    tasks = [
        remind_due.delay(),
        remind_due.delay(),
        deliver_notifications.delay(),
        deliver_notifications.delay(),
    ]
    workers.wait_finished(*(t.id for t in tasks), timeout=90)
    assert Notification.objects.count() == recipients
    # Deliveries that ran while a scan was still writing leave rows for the next run.
    more = [deliver_notifications.delay(), deliver_notifications.delay()]
    workers.wait_finished(*(t.id for t in more), timeout=90)

    scanned = [int(workers.result(t.id)) for t in tasks[:2]]
    delivered = [int(workers.result(t.id)) for t in tasks[2:] + more]
    print(f"two scans handled {scanned} deadlines; four deliveries handled {delivered} rows")
    assert sum(scanned) == len(applications)  # each deadline handled by exactly one scan
    assert sum(delivered) == recipients  # each row handled by exactly one delivery
    assert not Deadline.objects.filter(next_reminder_at__isnull=False).exists()
    rows = list(Notification.objects.all())
    assert len(rows) == recipients
    assert Counter((r.recipient_id, r.key) for r in rows).most_common(1)[0][1] == 1
    assert {r.status for r in rows} == {SENT}
    assert_each_once(sink, {message_id(r.pk) for r in rows})
    assert len(sink.messages) == recipients


# --- 4. Redis down while officials decide --------------------------------------------------


def test_decisions_commit_while_redis_is_down_and_their_notices_go_out_after(sink, broker, workers):
    body = PublicBodyFactory()
    preparer = grant_role(UserFactory(), body, OfficialRole.Role.PREPARER)
    call = CallFactory(public_body=body)
    finnish = AssociationFactory(language="fi")
    swedish = AssociationFactory(language="sv")
    aino = represent(UserFactory(email="aino@example.fi", language="fi"), finnish)
    sven = represent(UserFactory(email="sven@example.fi", language="sv"), swedish)
    applications = []
    for person, association in ((aino, finnish), (sven, swedish), (aino, finnish)):
        app = ApplicationFactory(call=call, association=association, created_by=person)
        applications.append(transition_perform(app, "submit", actor=person))

    broker.stop()

    # A decision followed by a .delay() to the stopped broker: the publish fails, the
    # decision stays committed.
    for app in applications[:2]:
        returned = transition_perform(
            app, "request_completion", actor=preparer, comment="Liitä talousarvio."
        )
        assert returned.state == Application.State.RETURNED
        with pytest.raises(OperationalError):
            deliver_notifications.delay()

    # The same .delay() run on commit: the caller sees the error, after the commit.
    def decide_then_publish_on_commit(app):
        with transaction.atomic():
            transition_perform(app, "request_completion", actor=preparer, comment="Liitä.")
            transaction.on_commit(deliver_notifications.delay)

    with pytest.raises(OperationalError):
        decide_then_publish_on_commit(applications[2])

    for app in applications:
        app.refresh_from_db()
        assert app.state == Application.State.RETURNED
    rows = list(Notification.objects.filter(kind="completion_requested"))
    assert len(rows) == 3
    assert {r.status for r in rows} == {PENDING}

    broker.start()  # the same port, empty: the failed publishes are gone
    workers.start("w1")
    delivery = deliver_notifications.delay()
    messages = sink.wait_for(3)
    workers.wait_finished(delivery.id)

    assert_each_once(sink, {message_id(r.pk) for r in rows})
    due = finnish_date(applications[0].completion_due_on)
    assert Counter((m.to, m.subject, m.language) for m in messages) == {
        (
            ("aino@example.fi",),
            f"Hakemukseen pyydetään täydennystä viimeistään {due}",
            "fi",
        ): 2,
        (("sven@example.fi",), f"Ansökan ska kompletteras senast {due}", "sv"): 1,
    }
    assert set(Notification.objects.values_list("status", flat=True)) == {SENT}
