"""A whole call in time-machine: every scan run several times a day, every email checked.

The call opens on Mon 2 March 2026 and closes on Mon 30 March 2026 at 16:00. Three
associations apply:

- A, "Kotiseutuyhdistys ry", Finnish: submits after the first reminder, is asked to complete
  (due Wed 8 April, around Easter), answers late, is granted 5 000 €, paid in two instalments
  (final on Wed 13 May) and reports late (due Fri 3 July, fixed in the call);
- B, "Hembygdsföreningen rf", Swedish-speaking: leaves its draft, which expires at closing;
- C, "Urheiluseura ry": submits at once and is rejected; the rejection closes by itself.

The second preparer and the finance person read English.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone

from documents.downloads import DOCX
from grants.models import Application
from grants.scans import (
    expire_drafts_of_closed_calls,
    make_decisions_legally_valid,
    preparers_weekly_digest,
)
from grants.services import application_create
from organisations.models import Association, User
from tests.factories import AssociationFactory, CallFactory, UserFactory, represent
from workflow.delivery import deliver_pending, send_digests
from workflow.models import Deadline, Notification, TransitionLog
from workflow.scans import remind_due
from workflow.time_limits import is_working_day

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
S = Application.State
START = date(2026, 3, 2)
END = date(2026, 8, 5)
CALL = "Kulttuuriavustukset 2026"
A = f"{CALL}: Kotiseutuyhdistys ry"


def at(day: date, hour: int = 8, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=HELSINKI)


def d(month: int, day: int) -> date:
    return date(2026, month, day)


# Every email of the whole run: (day, recipient, subject). Each must arrive exactly once.
CALL_CLOSES_FI = "Avustushaku päättyy 30.3.2026: hakemus on vielä lähettämättä"
CALL_CLOSES_SV = "Ansökningstiden går ut 30.3.2026: er ansökan har ännu inte skickats in"
COMPLETION_DUE = "Täydennys pyydetty viimeistään 8.4.2026"
REPORT_DUE = "Avustuksen selvitys erääntyy 3.7.2026"
REPORT_LATE = "Avustuksen selvitys on myöhässä (eräpäivä 3.7.2026)"
WEEKLY_LATE = [
    ("preparer", "Viikon avustusasiat: 1 myöhässä, 0 odottaa tarkastusta"),
    ("preparer2", "This week's grants: 1 overdue, 0 waiting for review"),
]
EXPECTED = [
    # The call closes Mon 30 March: 7 days before is Mon 23 March; 1 day before is a Sunday,
    # so Fri 27 March. A submitted on the 24th and gets only the first; C submitted on 3 March.
    (d(3, 23), "rep", CALL_CLOSES_FI),
    (d(3, 23), "rep_sv", CALL_CLOSES_SV),
    (d(3, 27), "rep_sv", CALL_CLOSES_SV),
    # Completion requested Wed 25 March (legally significant: at once), due in 14 days on
    # Wed 8 April. 3 days before is Easter Sunday (5th), then Easter Saturday and Good Friday:
    # Thu 2 April. 1 day before is Tue 7 April (Easter Monday is the 6th).
    (d(3, 25), "rep", "Hakemukseen pyydetään täydennystä viimeistään 8.4.2026"),
    (d(4, 2), "rep", COMPLETION_DUE),
    (d(4, 7), "rep", COMPLETION_DUE),
    # Not answered by the 8th: the preparers are told once, on Thu 9 April.
    (d(4, 9), "preparer", f"Täydennystä ei saatu määräajassa: {A}"),
    (d(4, 9), "preparer2", f"Completion not received in time: {A}"),
    # Report due Fri 3 July: 30 days before is Wed 3 June; 14 days before is Midsummer Eve
    # (Fri 19 June), so Thu 18 June; 1 day before Thu 2 July.
    (d(6, 3), "rep", REPORT_DUE),
    (d(6, 18), "rep", REPORT_DUE),
    (d(7, 2), "rep", REPORT_DUE),
    # Overdue every 7 days from Sat 4 July: each falls on a Saturday, so on the Monday after.
    # The preparers' weekly digest on those Mondays lists the overdue report.
    (d(7, 6), "rep", REPORT_LATE),
    *[(d(7, 6), who, subject) for who, subject in WEEKLY_LATE],
    (d(7, 13), "rep", REPORT_LATE),
    *[(d(7, 13), who, subject) for who, subject in WEEKLY_LATE],
    (d(7, 20), "rep", REPORT_LATE),
    *[(d(7, 20), who, subject) for who, subject in WEEKLY_LATE],
    # Report submitted Tue 21 July: no more reminders (the next would be Mon 27 July); the
    # digest of Mon 27 July lists it as waiting. Accepted on the 28th: no digest on 3 August.
    (d(7, 27), "preparer", "Viikon avustusasiat: 0 myöhässä, 1 odottaa tarkastusta"),
    (d(7, 27), "preparer2", "This week's grants: 0 overdue, 1 waiting for review"),
]


def audit(app: Application, transition: str) -> TransitionLog:
    return TransitionLog.objects.get(
        content_type=ContentType.objects.get_for_model(Application),
        object_id=app.pk,
        transition=transition,
    )


def fresh(app: Application) -> Application:
    return Application.objects.get(pk=app.pk)


def test_a_whole_call_sends_every_reminder_once_in_each_persons_language(
    body, people, association, representative, walk
):
    people["preparer2"].language = "en"
    people["finance"].language = "en"
    for person in (people["preparer2"], people["finance"]):
        person.save()
    Association.objects.filter(pk=association.pk).update(name="Kotiseutuyhdistys ry")
    association.refresh_from_db()
    swedish = AssociationFactory(name="Hembygdsföreningen rf", language="sv")
    rep_sv = represent(UserFactory(username="rep_sv", language="sv"), swedish)
    sports = AssociationFactory(name="Urheiluseura ry")
    rep_c = represent(UserFactory(username="rep_c"), sports)
    username = dict(User.objects.values_list("email", "username"))
    username[association.email] = "association"  # its own address, nobody's personal one

    received: list[tuple[date, str, str]] = []
    messages = {}  # the last message each (day, recipient, subject) came in, for its body

    with time_machine.travel(at(START, 10), tick=False) as clock:

        def scan_round(moment: datetime) -> None:
            """What beat runs: reminders, digests, the grant scans, then the outbox."""
            clock.move_to(moment)
            today = timezone.localdate()
            if moment.hour == 7 and moment.minute == 0:
                send_digests()
            remind_due()
            expire_drafts_of_closed_calls()
            make_decisions_legally_valid()
            if today.weekday() == 0 and moment.hour == 7 and moment.minute == 30:
                preparers_weekly_digest()
            already = len(mail.outbox)
            deliver_pending()
            for message in mail.outbox[already:]:
                [to] = message.to
                entry = (today, username[to], message.subject)
                received.append(entry)
                messages[entry] = message

        call = CallFactory(
            public_body=body,
            name=CALL,
            opens_at=at(START, 9),
            closes_at=at(d(3, 30), 16),
            report_due_on=d(7, 3),
            report_due_days=None,
        )

        def apply(user, assoc):
            return application_create(
                user=user,
                call=call,
                association=assoc,
                requested_amount=Decimal("5000.00"),
                purpose="Kotiseutupäivät ja kerhot.",
                budget_lines=[{"description": "Tilavuokrat", "amount": Decimal("5000.00")}],
            )

        apps = {"a": apply(representative, association), "b": apply(rep_sv, swedish)}
        apps["c"] = apply(rep_c, sports)

        def step(key, *names, **overrides):
            apps[key] = walk(apps[key], *names, **overrides)

        def check(key, state):
            assert fresh(apps[key]).state == state, (timezone.localdate(), key)

        actions = {
            d(3, 3): lambda: step("c", "submit", submit={"actor": rep_c}),
            d(3, 24): lambda: step("a", "submit"),
            d(3, 25): lambda: step("a", "request_completion"),
            d(3, 30): lambda: check("b", S.DRAFT),  # until 16:00
            d(3, 31): lambda: (
                check("b", S.EXPIRED),
                step(
                    "c",
                    "start_review",
                    "record_step",
                    "decide",
                    "notify",
                    record_step={"params": {"proposed_amount": Decimal("0.00")}},
                    decide={
                        "params": {
                            "outcome": "rejected",
                            "granted_amount": Decimal("0.00"),
                            "reasons": "Määräraha ei riitä.",
                        }
                    },
                    notify={"params": {"channel": "letter"}},
                ),
            ),
            d(4, 10): lambda: step("a", "resubmit"),
            d(4, 13): lambda: step("a", "start_review", "record_step", "decide"),
            d(4, 14): lambda: step("a", "notify"),
            d(4, 21): lambda: check("c", S.NOTIFIED),  # the letter's appeal period ends today
            d(4, 22): lambda: check("c", S.CLOSED),
            d(5, 4): lambda: check("a", S.NOTIFIED),  # the appeal period ends today
            d(5, 5): lambda: check("a", S.LEGALLY_VALID),
            d(5, 6): lambda: step(
                "a",
                "record_payment",
                record_payment={"params": {"amount": Decimal("2000.00"), "paid_on": d(5, 6)}},
            ),
            d(5, 13): lambda: step(
                "a",
                "record_payment",
                record_payment={"params": {"amount": Decimal("3000.00"), "paid_on": d(5, 13)}},
            ),
            d(7, 21): lambda: step("a", "submit_report"),
            d(7, 28): lambda: step("a", "accept_report"),
        }

        day = START
        while day <= END:
            scan_round(at(day, 7))
            if day.weekday() == 0:  # the weekly digest's slot, run twice
                scan_round(at(day, 7, 30))
                scan_round(at(day, 7, 30))
            scan_round(at(day, 8))
            scan_round(at(day, 8))
            if day in actions:
                clock.move_to(at(day, 10))
                actions[day]()
                scan_round(at(day, 10))
            scan_round(at(day, 16, 30))
            day += timedelta(days=1)

    a, b, c = (fresh(apps[k]) for k in "abc")
    # Notified electronically Tue 14 April: the decision goes to the representative and to the
    # association's own address at once, with the decision document enclosed.
    decision = f"Päätös {a.decision_number}: {A}"
    sent_decision = [(d(4, 14), "rep", decision), (d(4, 14), "association", decision)]
    # Deemed received Fri 17 April, the 14 days end on May Day (Fri 1 May), so Mon 4 May.
    # Legally valid on Tue 5 May; finance is told once.
    payable = (d(5, 5), "finance", f"Decision {a.decision_number} ready for payment: {A}")

    # Every expected email, exactly once, on its day, and nothing else.
    assert sorted(received) == sorted([*EXPECTED, *sent_decision, payable])
    assert len(received) == len(set(received))
    for entry in sent_decision:
        [(name, _content, mimetype)] = messages[entry].attachments
        assert (name, mimetype) == (f"{a.decision_number}.docx", DOCX)

    assert a.completion_due_on == d(4, 8)
    assert a.appeal_ends_on == d(5, 4)
    assert a.report_due_on == d(7, 3)
    assert a.state == S.CLOSED

    # B expired at closing, by the system.
    assert b.state == S.EXPIRED
    expired = audit(b, "expire")
    assert expired.actor is None
    assert expired.at == at(d(3, 30), 16, 30)

    # A became legally valid by itself the morning after the appeal period.
    assert a.legally_valid_on == d(5, 5)
    valid = audit(a, "become_legally_valid")
    assert valid.actor is None
    assert valid.at == at(d(5, 5), 7)

    # C, rejected, became legally valid and closed by itself; finance heard nothing of it.
    assert c.state == S.CLOSED
    assert c.appeal_ends_on == d(4, 21)
    assert c.legally_valid_on == d(4, 22)
    for name in ("become_legally_valid", "close"):
        assert audit(c, name).actor is None
        assert audit(c, name).at == at(d(4, 22), 7)

    # No reminder is left to come.
    assert not Deadline.objects.filter(next_reminder_at__isnull=False).exists()
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}

    # Bodies: each in its reader's language, with dates written the local way.
    payable = messages[payable]
    assert "became legally valid on 5 May 2026" in payable.body
    # Money in the reader's format, and the payable's page on the finance portal.
    assert "The grant of €5,000.00 is to be paid" in payable.body
    assert f"{settings.SITE_URL}/finance/payables/" in payable.body
    assert "Kotiseutuyhdistys ry" in payable.body
    swedish_reminder = messages[(d(3, 27), "rep_sv", CALL_CLOSES_SV)]
    assert "Ansökningstiden går ut 30.3.2026" in swedish_reminder.body
    assert f'"{CALL}: Hembygdsföreningen rf"' in swedish_reminder.body
    request = messages[(d(3, 25), "rep", "Hakemukseen pyydetään täydennystä viimeistään 8.4.2026")]
    assert "Liitä talousarvio." in request.body
    weekly_en = messages[(d(7, 6), "preparer2", WEEKLY_LATE[1][1])]
    assert "Overdue reports:" in weekly_en.body
    assert A in weekly_en.body
    waiting_fi = messages[
        (d(7, 27), "preparer", "Viikon avustusasiat: 0 myöhässä, 1 odottaa tarkastusta")
    ]
    assert "Tarkastusta odottavat selvitykset:" in waiting_fi.body
    assert A in waiting_fi.body


def test_weekly_digest_run_twice_on_a_monday_is_sent_once(
    body, people, association, representative, walk
):
    # A report overdue on Monday 6 July 2026 (due Fri 3 July).
    with time_machine.travel(at(d(5, 4), 10), tick=False) as clock:
        call = CallFactory(public_body=body, report_due_on=d(7, 3), report_due_days=None)
        app = application_create(
            user=representative,
            call=call,
            association=association,
            requested_amount=Decimal("5000.00"),
            purpose="Kerhot.",
            budget_lines=[{"description": "Vuokrat", "amount": Decimal("5000.00")}],
        )
        app = walk(app, "submit", "start_review", "record_step", "decide", "notify")
        clock.move_to(at(d(5, 25), 10))
        make_decisions_legally_valid()
        walk(
            fresh(app),
            "record_payment",
            record_payment={"params": {"amount": Decimal("5000.00"), "paid_on": d(5, 25)}},
        )
        deliver_pending()  # finance's "decision payable"
        mail.outbox.clear()

        clock.move_to(at(d(7, 6), 7, 30))
        assert preparers_weekly_digest() == 1
        assert preparers_weekly_digest() == 1  # the body is listed again ...
        clock.move_to(at(d(7, 6), 12))
        preparers_weekly_digest()
        deliver_pending()
        # ... but each preparer gets one message that week (a foreign body's gets none).
        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            [people["preparer"].email, people["preparer2"].email]
        )
        assert {m.subject for m in mail.outbox} == {
            "Viikon avustusasiat: 1 myöhässä, 0 odottaa tarkastusta"
        }

        clock.move_to(at(d(7, 13), 7, 30))
        preparers_weekly_digest()
        preparers_weekly_digest()
        deliver_pending()
        assert len(mail.outbox) == 4  # one more each, the next week


def test_weekly_digest_writes_dates_in_each_preparers_language(
    body, people, association, representative, walk
):
    """The overdue report's due date in the weekly digest, like every other date in the
    messages: 3.7.2026 in Finnish, 3 July 2026 in English."""
    people["preparer2"].language = "en"
    people["preparer2"].save()
    with time_machine.travel(at(d(5, 4), 10), tick=False) as clock:
        call = CallFactory(public_body=body, report_due_on=d(7, 3), report_due_days=None)
        app = application_create(
            user=representative,
            call=call,
            association=association,
            requested_amount=Decimal("5000.00"),
            purpose="Kerhot.",
            budget_lines=[{"description": "Vuokrat", "amount": Decimal("5000.00")}],
        )
        app = walk(app, "submit", "start_review", "record_step", "decide", "notify")
        clock.move_to(at(d(5, 25), 10))
        make_decisions_legally_valid()
        walk(
            fresh(app),
            "record_payment",
            record_payment={"params": {"amount": Decimal("5000.00"), "paid_on": d(5, 25)}},
        )
        deliver_pending()
        mail.outbox.clear()
        clock.move_to(at(d(7, 6), 7, 30))
        preparers_weekly_digest()
        deliver_pending()

    bodies = {m.to[0]: m.body for m in mail.outbox}
    title = f"{call.name}: {association.name}"
    assert f"- {title} (3 July 2026)" in bodies[people["preparer2"].email]
    assert f"- {title} (3.7.2026)" in bodies[people["preparer"].email]


def test_daily_digest_people_get_reminders_on_working_days(body, association, representative):
    """A person who chose the daily digest: a reminder written on Friday morning must not
    reach them on Saturday. The days are run as beat runs them: digests at 7, reminders
    from 8, the outbox all the time."""
    representative.notification_delivery = "daily_digest"
    representative.save()
    with time_machine.travel(at(d(3, 2), 10), tick=False) as clock:
        # The call closes Mon 30 March 2026: 7 days before is Mon 23 March, 1 day before
        # (Sunday) goes on Fri 27 March.
        call = CallFactory(public_body=body, opens_at=at(d(3, 2), 9), closes_at=at(d(3, 30), 16))
        application_create(
            user=representative,
            call=call,
            association=association,
            requested_amount=Decimal("5000.00"),
            purpose="Kerhot.",
        )
        arrived = []
        day = d(3, 20)
        while day <= d(3, 31):
            for hour in (7, 8, 12, 16):
                clock.move_to(at(day, hour))
                already = len(mail.outbox)
                if hour == 7:
                    send_digests()
                remind_due()
                deliver_pending()
                arrived += [(day, m.subject) for m in mail.outbox[already:]]
            day += timedelta(days=1)

    # Both reminders arrive, once each, in a digest on a working day.
    assert len(arrived) == 2, arrived
    for day, subject in arrived:
        assert subject == "Päivän ilmoitukset (1)"
        assert is_working_day(day), f"the digest with a reminder came on {day:%a %d.%m.%Y}"
