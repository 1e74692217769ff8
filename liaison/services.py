"""Writes on association meetings (yhdistysilta): planning, the invitations, cancelling,
recording a meeting held with its minutes and the matters raised, and the response to a
matter. Each runs in a transaction, checks the state it starts from under a row lock, and
leaves an audit record (`workflow.audit.action_record`), as the agreements' cooperation meetings
do. Who plans and records: the body's liaison (OfficialRole "liaison")."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.models import AssociationMeeting, Invitation, LiaisonPerson, RaisedMatter
from liaison.selectors import associations_of_body
from organisations.models import Association, OfficialRole, PublicBody
from organisations.roles import roles_of
from organisations.selectors import representatives_by_association
from workflow import deadlines, outbox
from workflow.attachments import validate_attachment
from workflow.audit import action_record
from workflow.errors import TransitionConflict
from workflow.locking import locked
from workflow.reminders import schedule_for

State = AssociationMeeting.State
DEADLINE_KIND = "association_meeting"


def _require_liaison(user: Any, public_body_id: int) -> None:
    if public_body_id not in roles_of(user).public_bodies(OfficialRole.Role.LIAISON):
        raise PermissionDenied(_("The liaison plans and records the association meetings."))


def _locked(meeting: AssociationMeeting, user: Any) -> AssociationMeeting:
    _require_liaison(user, meeting.public_body_id)
    return locked(
        AssociationMeeting.objects.select_related("public_body").filter(pk=meeting.pk)
    ).get()


def _require_planned(meeting: AssociationMeeting) -> None:
    if meeting.state != State.PLANNED:
        raise TransitionConflict(
            _("The meeting is no longer planned: it was held or cancelled."), meeting.state
        )


def _required_text(errors: dict[str, str], field: str, value: str, message: str) -> str:
    if not (value or "").strip():
        errors[field] = message
    return (value or "").strip()


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def _deadline(meeting: AssociationMeeting) -> None:
    """The reminder to the invited associations' people a few days before the meeting, on a
    working day (REMINDER_DEFAULTS["association_meeting"]; workflow.reminders)."""
    deadlines.deadline_set(
        meeting,
        kind=DEADLINE_KIND,
        due_on=_local(meeting.starts_at).date(),
        title=f"{meeting.public_body.name}: {meeting.place}",
        public_body_id=meeting.public_body_id,
        schedule=schedule_for(DEADLINE_KIND),
    )


def _message(meeting: AssociationMeeting) -> dict[str, Any]:
    """What an invitation or a cancellation says: stored in the outbox, so plain values."""
    local = _local(meeting.starts_at)
    return {
        "title": meeting.public_body.name,
        "due_on": local.date(),
        "time": local.strftime("%H:%M"),
        "place": meeting.place,
        "path": reverse("liaison:meeting", args=[meeting.pk]),
    }


def _tell(meeting: AssociationMeeting, associations: list[Association], *, kind: str) -> None:
    """One message per person: each association's representatives, each in their own language;
    an association without any at its contact address, in its language. The outbox keys make
    it once per recipient whatever is retried."""
    key = f"liaison-meeting:{meeting.pk}:{kind}"
    context = _message(meeting)
    people = representatives_by_association({a.pk for a in associations})
    recipients = {person.pk: person for a in associations for person in people.get(a.pk, [])}
    outbox.notify(recipients.values(), kind=kind, key=key, context=context)
    for association in associations:
        if association.pk not in people and association.email:
            outbox.notify_address(
                association.email,
                language=association.language,
                kind=kind,
                key=key,
                context=context,
            )


def _check_time(errors: dict[str, str], starts_at: datetime | None) -> None:
    if starts_at is None:
        errors["starts_at"] = _("Give the date and time of the meeting.")
    elif starts_at <= timezone.now():
        errors["starts_at"] = _("A meeting is planned for a time to come.")


@transaction.atomic
def meeting_plan(
    *,
    user: Any,
    public_body: PublicBody,
    starts_at: datetime | None,
    place: str,
    agenda: str,
) -> AssociationMeeting:
    """Plan a meeting of the body with its associations and invite every association of the
    body (`meeting_invite`); a reminder follows a few working days before."""
    _require_liaison(user, public_body.pk)
    errors: dict[str, str] = {}
    _check_time(errors, starts_at)
    place = _required_text(errors, "place", place, _("Say where the meeting is held."))
    agenda = _required_text(errors, "agenda", agenda, _("Write the agenda of the meeting."))
    if errors:
        raise ValidationError(errors)
    meeting = AssociationMeeting.objects.create(
        public_body=public_body, starts_at=starts_at, place=place, agenda=agenda, planned_by=user
    )
    _deadline(meeting)
    action_record(
        meeting,
        action="plan_meeting",
        actor=user,
        data={"starts_at": starts_at, "place": place},
    )
    meeting_invite(meeting, user=user)
    return meeting


@transaction.atomic
def meeting_invite(meeting: AssociationMeeting, *, user: Any) -> list[Association]:
    """Invite the associations of the body not invited yet (all of them when the meeting is
    planned; those that applied or made an agreement since, when the liaison invites again).
    Returns the associations invited now."""
    meeting = _locked(meeting, user)
    _require_planned(meeting)
    if meeting.starts_at <= timezone.now():
        raise TransitionConflict(_("The meeting has already begun."), "begun")
    already = set(meeting.invitations.values_list("association_id", flat=True))
    new = [a for a in associations_of_body(meeting.public_body_id) if a.pk not in already]
    Invitation.objects.bulk_create(Invitation(meeting=meeting, association=a) for a in new)
    if new:
        _tell(meeting, new, kind="association_meeting_invitation")
        action_record(
            meeting,
            action="invite_associations",
            actor=user,
            data={"associations": [a.pk for a in new]},
        )
    return new


@transaction.atomic
def meeting_cancel(meeting: AssociationMeeting, *, user: Any, reason: str) -> AssociationMeeting:
    """Cancel a planned meeting: its reminder is dropped and the invited are told."""
    meeting = _locked(meeting, user)
    _require_planned(meeting)
    errors: dict[str, str] = {}
    reason = _required_text(errors, "reason", reason, _("Say why the meeting is cancelled."))
    if errors:
        raise ValidationError(errors)
    meeting.state = State.CANCELLED
    meeting.save(update_fields=["state"])
    deadlines.deadline_close(meeting, kind=DEADLINE_KIND, status="cancelled")
    invited = [i.association for i in meeting.invitations.select_related("association")]
    if meeting.starts_at > timezone.now():
        _tell(meeting, invited, kind="association_meeting_cancelled")
    action_record(meeting, action="cancel_meeting", actor=user, comment=reason)
    return meeting


def _matters(meeting: AssociationMeeting, given: list[dict[str, Any]]) -> list[RaisedMatter]:
    """The matters raised, each with its association (optional: one of the invited or of the
    body), the matter and the response; a row with neither matter nor response is skipped."""
    known = set(meeting.invitations.values_list("association_id", flat=True)) | set(
        associations_of_body(meeting.public_body_id).values_list("pk", flat=True)
    )
    matters, errors = [], {}
    for position, row in enumerate(given, start=1):
        matter = (row.get("matter") or "").strip()
        response = (row.get("response") or "").strip()
        association_id = row.get("association")
        if not matter and not response and not association_id:
            continue
        if not matter:
            errors[f"matters.{position}.matter"] = _("Write the matter that was raised.")
        if association_id and int(association_id) not in known:
            errors[f"matters.{position}.association"] = _(
                "Name an association of the body, or leave it empty."
            )
        matters.append(
            RaisedMatter(
                meeting=meeting,
                association_id=association_id or None,
                matter=matter,
                response=response,
                position=len(matters) + 1,
            )
        )
    if errors:
        raise ValidationError(errors)
    return matters


@transaction.atomic
def meeting_record(
    meeting: AssociationMeeting,
    *,
    user: Any,
    minutes: str,
    public_summary: str,
    matters: list[dict[str, Any]] | None = None,
    minutes_file: UploadedFile | None = None,
) -> AssociationMeeting:
    """Record a planned meeting as held, once its time has come: the minutes the associations
    read, the summary anyone may read (written without private persons' names), and the
    matters the associations raised with the responses."""
    meeting = _locked(meeting, user)
    _require_planned(meeting)
    if meeting.starts_at > timezone.now():
        raise TransitionConflict(_("A meeting is recorded once it has been held."), "not_yet")
    errors: dict[str, str] = {}
    minutes = _required_text(errors, "minutes", minutes, _("Write the minutes of the meeting."))
    public_summary = _required_text(
        errors,
        "public_summary",
        public_summary,
        _("Write a summary for the public, without the names of private persons."),
    )
    if minutes_file is not None:
        try:
            validate_attachment(minutes_file)
        except ValidationError as error:
            errors["minutes_file"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    raised = _matters(meeting, matters or [])
    RaisedMatter.objects.bulk_create(raised)
    if minutes_file is not None:
        meeting.minutes_file = minutes_file
    meeting.state = State.HELD
    meeting.minutes = minutes
    meeting.public_summary = public_summary
    meeting.recorded_by = user
    meeting.recorded_at = timezone.now()
    meeting.save()
    deadlines.deadline_close(meeting, kind=DEADLINE_KIND)
    action_record(meeting, action="record_meeting", actor=user, data={"matters": len(raised)})
    return meeting


@transaction.atomic
def matter_respond(matter: RaisedMatter, *, user: Any, response: str) -> RaisedMatter:
    """Write or correct what was answered or done about a matter raised (it often comes after
    the meeting)."""
    meeting = _locked(matter.meeting, user)
    if meeting.state != State.HELD:
        raise TransitionConflict(_("The meeting has not been recorded as held."), meeting.state)
    errors: dict[str, str] = {}
    response = _required_text(errors, "response", response, _("Write the response."))
    if errors:
        raise ValidationError(errors)
    matter = RaisedMatter.objects.get(pk=matter.pk, meeting=meeting)
    matter.response = response
    matter.save(update_fields=["response"])
    action_record(meeting, action="respond_to_matter", actor=user, data={"matter": matter.pk})
    return matter


@transaction.atomic
def liaison_person_save(
    person: LiaisonPerson, *, user: Any, changed: list[str] | None = None
) -> LiaisonPerson:
    """Name a liaison person, or save the given fields of one (all when `changed` is None): by
    the body's liaison or administrator (or a superuser), audited with what changed, since the
    record is public (/public/liaison/)."""
    keepers = roles_of(user).public_bodies(
        OfficialRole.Role.LIAISON, OfficialRole.Role.ADMINISTRATOR
    )
    if not (user.is_superuser or person.public_body_id in keepers):
        raise PermissionDenied(_("The body's liaison or administrator names its liaison people."))
    person.full_clean()
    created = person.pk is None
    if created:
        person.save()
    elif changed == []:
        return person
    else:
        person.save(update_fields=changed)
    action_record(
        person,
        action="create" if created else "edit",
        actor=user,
        data={} if created else {"changed": changed or "all"},
    )
    return person
