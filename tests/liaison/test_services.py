"""Planning an association meeting (yhdistysilta), its invitations and reminder, recording it
as held with the minutes and the matters raised, and cancelling it: each as the body's liaison
only, each audited."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grants.models import Application
from liaison import services
from liaison.models import AssociationMeeting
from liaison.selectors import associations_of_body
from tests.liaison.conftest import at
from workflow.deadlines import deadlines_of
from workflow.errors import TransitionConflict
from workflow.messages import email_for
from workflow.models import Deadline, Notification, TransitionLog
from workflow.scans import remind_due
from workflow.time_limits import is_working_day

pytestmark = pytest.mark.django_db
State = AssociationMeeting.State
# Monday 1 March 2027; the meeting on Thursday 18 March at 18.
TODAY = date(2027, 3, 1)
MEETING_DAY = date(2027, 3, 18)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(at(TODAY, 9))
    return time_machine


def plan(people, body, day=MEETING_DAY, **given):
    return services.meeting_plan(
        user=people["liaison"],
        public_body=body,
        starts_at=given.pop("starts_at", at(day, 18)),
        place=given.pop("place", "Kaupungintalo, valtuustosali"),
        agenda=given.pop("agenda", "1. Asukkaiden hyvinvointi\n2. Avustukset ja tilat"),
    )


def invitations() -> list[tuple[str, str, str]]:
    """(recipient, language, subject) of each invitation written."""
    return sorted(
        (row.recipient.username if row.recipient else row.address, row.language, row.key)
        for row in Notification.objects.filter(kind="association_meeting_invitation")
    )


def test_the_body_s_associations_are_those_that_applied_or_made_an_agreement(body, associations):
    assert set(associations_of_body(body.pk)) == {
        associations["finnish"],
        associations["swedish"],
        associations["unpeopled"],
    }


def test_planning_invites_every_association_of_the_body_once_in_its_language(
    clock, body, people, associations
):
    meeting = plan(people, body)

    assert meeting.state == State.PLANNED
    assert set(meeting.association_ids) == {
        associations[k].pk for k in ("finnish", "swedish", "unpeopled")
    }
    key = f"liaison-meeting:{meeting.pk}:association_meeting_invitation"
    assert invitations() == [
        ("byaforeningen@example.fi", "sv", key),
        ("rep", "fi", key),
        ("rep_sv", "sv", key),
    ]
    swedish = email_for(Notification.objects.get(recipient=associations["rep_sv"]))
    assert swedish.subject == "Inbjudan till föreningsträff 18.3.2027"
    assert "kl. 18.00" in swedish.body
    assert f"/association/meetings/{meeting.pk}/" in swedish.body
    finnish = email_for(Notification.objects.get(recipient=associations["rep"]))
    assert finnish.subject == "Kutsu yhdistysiltaan 18.3.2027"
    assert "klo 18.00" in finnish.body

    # Inviting again invites nobody twice.
    assert services.meeting_invite(meeting, user=people["liaison"]) == []
    assert len(invitations()) == 3
    assert [entry.transition for entry in TransitionLog.objects.order_by("id")][-2:] == [
        "plan_meeting",
        "invite_associations",
    ]


def test_an_association_that_applies_after_planning_is_invited_when_the_liaison_invites_again(
    clock, body, people, associations
):
    meeting = plan(people, body)
    drafting = associations["drafting"]
    Application.objects.filter(association=drafting).update(submitted_at=timezone.now())

    assert services.meeting_invite(meeting, user=people["liaison"]) == [drafting]
    assert ("rep_draft", "fi") in [(r, lang) for r, lang, _ in invitations()]


def test_the_reminder_goes_once_on_a_working_day_before_the_meeting(
    clock, body, people, associations
):
    # Tuesday 16 March: three days before is a Saturday, so the reminder goes on Friday.
    meeting = plan(people, body, day=date(2027, 3, 16))
    [deadline] = deadlines_of(meeting)
    assert deadline.kind == "association_meeting"

    day = TODAY
    while day <= date(2027, 3, 17):
        for hour in (8, 9, 16):
            clock.move_to(at(day, hour))
            remind_due()
        day += timedelta(days=1)

    rows = Notification.objects.filter(kind="association_meeting_before")
    assert sorted((row.recipient.username, row.language) for row in rows) == [
        ("rep", "fi"),
        ("rep_sv", "sv"),
    ]
    written = {timezone.localdate(row.created_at) for row in rows}
    assert written == {date(2027, 3, 12)}
    assert all(is_working_day(day) for day in written)
    reminder = email_for(rows.get(recipient=associations["rep_sv"]))
    assert reminder.subject == "Påminnelse: föreningsträff 16.3.2027"
    assert f"/association/meetings/{meeting.pk}/" in reminder.body


def test_recording_a_held_meeting_keeps_minutes_summary_and_matters(
    clock, body, people, associations
):
    meeting = plan(people, body)
    with pytest.raises(TransitionConflict):
        services.meeting_record(
            meeting, user=people["liaison"], minutes="Muistio", public_summary="Yhteenveto"
        )
    clock.move_to(at(MEETING_DAY, 21))

    held = services.meeting_record(
        meeting,
        user=people["liaison"],
        minutes="Paikalla 12 yhdistystä. Keskusteltiin tiloista.",
        public_summary="Keskusteltiin yhdistysten tiloista ja avustuksista.",
        matters=[
            {
                "association": associations["swedish"].pk,
                "matter": "Kerhotilan vuorot",
                "response": "",
            },
            {"association": None, "matter": "Tiedotus", "response": "Uutiskirje aloitetaan."},
            {"association": None, "matter": "", "response": ""},
        ],
    )

    assert held.state == State.HELD
    assert [(m.association_id, m.matter, m.position) for m in held.matters.all()] == [
        (associations["swedish"].pk, "Kerhotilan vuorot", 1),
        (None, "Tiedotus", 2),
    ]
    assert deadlines_of(meeting).get().status == Deadline.Status.MET
    matter = held.matters.first()
    services.matter_respond(matter, user=people["liaison"], response="Vuorot jaetaan syksyllä.")
    matter.refresh_from_db()
    assert matter.response == "Vuorot jaetaan syksyllä."
    with pytest.raises(TransitionConflict):
        services.meeting_cancel(held, user=people["liaison"], reason="Myöhässä")


def test_recording_refuses_missing_minutes_and_a_foreign_association(
    clock, body, people, associations
):
    meeting = plan(people, body)
    clock.move_to(at(MEETING_DAY, 21))
    with pytest.raises(ValidationError) as refused:
        services.meeting_record(
            meeting,
            user=people["liaison"],
            minutes=" ",
            public_summary="Yhteenveto",
            matters=[{"association": associations["foreign"].pk, "matter": "Asia"}],
        )
    assert set(refused.value.message_dict) == {"minutes"}
    with pytest.raises(ValidationError) as refused:
        services.meeting_record(
            meeting,
            user=people["liaison"],
            minutes="Muistio",
            public_summary="Yhteenveto",
            matters=[{"association": associations["foreign"].pk, "matter": "Asia"}],
        )
    assert set(refused.value.message_dict) == {"matters.1.association"}
    meeting.refresh_from_db()
    assert meeting.state == State.PLANNED
    assert not meeting.matters.exists()


def test_planning_refuses_a_past_time_and_empty_fields(clock, body, people, associations):
    with pytest.raises(ValidationError) as refused:
        plan(people, body, starts_at=at(TODAY, 8), place="", agenda=" ")
    assert set(refused.value.message_dict) == {"starts_at", "place", "agenda"}
    assert not AssociationMeeting.objects.exists()


def test_cancelling_tells_the_invited_and_drops_the_reminder(clock, body, people, associations):
    meeting = plan(people, body)
    cancelled = services.meeting_cancel(meeting, user=people["liaison"], reason="Sali varattu")

    assert cancelled.state == State.CANCELLED
    assert deadlines_of(meeting).get().status == Deadline.Status.CANCELLED
    rows = Notification.objects.filter(kind="association_meeting_cancelled")
    assert rows.count() == 3
    assert email_for(rows.get(recipient=associations["rep_sv"])).subject == (
        "Föreningsträffen 18.3.2027 är inställd"
    )
    with pytest.raises(TransitionConflict):
        services.meeting_record(meeting, user=people["liaison"], minutes="x", public_summary="y")


@pytest.mark.parametrize("who", ["foreign_preparer", "preparer", "rep"])
def test_only_the_body_s_liaison_plans_and_records(clock, body, people, associations, who):
    user = associations["rep"] if who == "rep" else people[who]
    with pytest.raises(PermissionDenied):
        services.meeting_plan(
            user=user, public_body=body, starts_at=at(MEETING_DAY, 18), place="Sali", agenda="A"
        )
    meeting = plan(people, body)
    clock.move_to(at(MEETING_DAY, 21))
    for write in (
        lambda: services.meeting_record(meeting, user=user, minutes="x", public_summary="y"),
        lambda: services.meeting_cancel(meeting, user=user, reason="z"),
        lambda: services.meeting_invite(meeting, user=user),
    ):
        with pytest.raises(PermissionDenied):
            write()
    meeting.refresh_from_db()
    assert meeting.state == State.PLANNED
