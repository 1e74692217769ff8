"""Writes on agreements that are not state transitions: creating an agreement, drafting and
editing a version, comments, meetings and attachments. Each runs in a transaction and leaves
an audit record; state changes go through `workflow.transitions.transition_perform`."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agreements import schedule, terms
from agreements.models import (
    Agreement,
    AgreementAttachment,
    AgreementParty,
    AgreementVersion,
    Meeting,
    Side,
    VersionComment,
)
from agreements.rules import side_of
from organisations.models import Association, AssociationRole, OfficialRole, PublicBody
from organisations.roles import roles_of
from organisations.selectors import officials_of, representatives_of
from workflow import deadlines, formats
from workflow.attachments import attachment_store, validate_attachment
from workflow.audit import action_record
from workflow.errors import TransitionConflict
from workflow.locking import locked
from workflow.rules import is_liaison

S = AgreementVersion.State


def _locked_agreement(agreement: Agreement) -> Agreement:
    return locked(Agreement.objects.filter(pk=agreement.pk)).get()


def _side(user: Any, subject: Any) -> str:
    side = side_of(user, subject)
    if side is None:
        raise PermissionDenied(_("You act for neither side of this agreement."))
    return side


@transaction.atomic
def agreement_create(
    *,
    user: Any,
    public_body: PublicBody,
    associations: list[Association],
    terms_given: dict[str, Any],
    signatures_required: dict[int, int] | None = None,
) -> Agreement:
    """A new agreement and its first version as a draft. Either side may start one: an
    association's representative for agreements it is party to, a liaison for the body."""
    if not associations:
        raise ValidationError({"associations": _("Name at least one association.")})
    roles = roles_of(user)
    if public_body.pk in roles.public_bodies("liaison"):
        side = Side.PUBLIC_BODY
    elif roles.associations("representative") & {a.pk for a in associations}:
        side = Side.ASSOCIATION
    else:
        raise PermissionDenied(_("Only a liaison or a party's representative starts one."))
    agreement = Agreement.objects.create(
        public_body=public_body,
        created_by=user,
        created_side=side,
        liaison=user if side == Side.PUBLIC_BODY else None,
        contact=user if side == Side.ASSOCIATION else None,
    )
    terms.number_assign(agreement)
    required = signatures_required or {}
    AgreementParty.objects.bulk_create(
        AgreementParty(
            agreement=agreement,
            association=association,
            position=i,
            signatures_required=required.get(association.pk, 2),
        )
        for i, association in enumerate(dict.fromkeys(associations), start=1)
    )
    version = terms.version_create(agreement, actor=user, author_side=side, terms=terms_given)
    action_record(agreement, action="create", actor=user)
    action_record(version, action="create", actor=user)
    return agreement


def draft_base(agreement: Agreement, side: str) -> AgreementVersion:
    """The terms a new version by `side` starts from: the newest on the table during
    negotiation, else the terms in force, else (a first agreement whose terms were rejected)
    the rejected terms. TransitionConflict says why none can be drafted now, read from every
    version (the portal asks before showing the form, so nobody fills in terms that cannot be
    saved)."""
    versions = list(AgreementVersion.objects.filter(agreement=agreement).order_by("number"))
    if any(v.state in (S.IN_REVIEW, S.APPROVED, S.AWAITING_SIGNATURES) for v in versions):
        raise TransitionConflict(
            _("A version is being decided or signed; wait for it."), "version_pending"
        )
    draft = next((v for v in versions if v.state == S.DRAFT), None)
    if draft is not None:
        if draft.author_side == side:
            raise TransitionConflict(_("A draft version exists already; edit it."), "draft_exists")
        # The other side's draft is its own until proposed (agreements.selectors): tell the
        # person what they can do, and nothing of what the draft holds.
        raise TransitionConflict(
            _(
                "The other side is preparing a proposal. Once they have proposed it, you can "
                "accept it or make a counter-proposal."
            ),
            "draft_exists",
        )
    on_table = [v for v in versions if v.state in (S.NEGOTIATION, S.AGREED)]
    if on_table:
        return on_table[-1]
    if agreement.state in (
        Agreement.State.SIGNED,
        Agreement.State.ACTIVE,
        Agreement.State.RENEWAL_DUE,
    ):
        return agreement.in_force_version
    if agreement.state == Agreement.State.DRAFT and versions and versions[-1].state == S.REJECTED:
        # A decision against the terms closes that version, not the negotiations: either side
        # may start again from them, and the new terms need a decision of their own.
        return versions[-1]
    raise TransitionConflict(_("The agreement can no longer be changed."), "not_changeable")


@transaction.atomic
def version_draft(
    agreement: Agreement, *, user: Any, terms_given: dict[str, Any], change_note: str = ""
) -> AgreementVersion:
    """A new version drafted by the person's side from the newest terms on the table: a
    counter-proposal during negotiation, or an amendment of the terms in force."""
    agreement = _locked_agreement(agreement)
    side = _side(user, agreement)
    based_on = draft_base(agreement, side)
    version = terms.version_create(
        agreement,
        actor=user,
        author_side=side,
        terms=terms_given,
        based_on=based_on,
        change_note=change_note,
    )
    action_record(version, action="create", actor=user, data={"based_on": based_on.number})
    return version


@transaction.atomic
def version_update(
    version: AgreementVersion,
    *,
    user: Any,
    terms_given: dict[str, Any],
    change_note: str | None = None,
) -> AgreementVersion:
    """Edit a draft; only its author's side may, and only until it is proposed."""
    version = locked(
        AgreementVersion.objects.select_related("agreement").filter(pk=version.pk)
    ).get()
    if side_of(user, version) != version.author_side:
        raise PermissionDenied(_("Only the side that wrote the draft edits it."))
    if version.state != S.DRAFT:
        raise TransitionConflict(
            _("A proposed version is not edited: draft a new version instead."), "not_editable"
        )
    if change_note is not None:
        version.change_note = change_note
    terms.terms_write(version, terms_given)
    action_record(version, action="edit", actor=user, data={"changed": sorted(terms_given)})
    return version


@transaction.atomic
def comment_add(version: AgreementVersion, *, user: Any, body: str) -> VersionComment:
    if not body.strip():
        raise ValidationError({"body": _("Write the comment.")})
    side = _side(user, version)
    if version.state == S.DRAFT and side != version.author_side:
        raise PermissionDenied(_("The draft has not been shown to your side yet."))
    if version.state not in AgreementVersion.OPEN_STATES:
        raise TransitionConflict(_("This version is no longer discussed."), "closed")
    comment = VersionComment.objects.create(version=version, author=user, side=side, body=body)
    action_record(version, action="comment", actor=user, data={"comment": comment.pk})
    return comment


def _check_inside_term(agreement: Agreement, field: str, day: date) -> None:
    """A meeting of the agreement is dated inside its term: from its first day in force
    (the term's first day, or the last signature's day when that came later) to its last
    (the term's end, or the notice period's)."""
    language = translation.get_language()
    first, last = agreement.starts_on, agreement.ends_on
    if day < first:
        raise ValidationError(
            {
                field: _("The agreement is in force from %(day)s: date the meeting from then on.")
                % {"day": formats.local_date(first, language)}
            }
        )
    if day > last:
        raise ValidationError(
            {
                field: _("The agreement's last day is %(day)s: date the meeting by then.")
                % {"day": formats.local_date(last, language)}
            }
        )


def _meeting_for_liaison(meeting: Meeting, user: Any) -> Meeting:
    meeting = locked(Meeting.objects.select_related("agreement").filter(pk=meeting.pk)).get()
    if not is_liaison(user, meeting):
        raise PermissionDenied(_("The liaison keeps the record of the meetings."))
    return meeting


@transaction.atomic
def meeting_record(
    meeting: Meeting,
    *,
    user: Any,
    held_on: date,
    notes: str,
    minutes: UploadedFile | None = None,
) -> Meeting:
    """Record a cooperation meeting as held, with its record and, if given, its minutes."""
    meeting = _meeting_for_liaison(meeting, user)
    if meeting.cancelled:
        raise TransitionConflict(_("The meeting was cancelled."), "cancelled")
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A meeting cannot be recorded before it is held.")})
    _check_inside_term(meeting.agreement, "held_on", held_on)
    if not notes.strip():
        raise ValidationError({"notes": _("Write what was agreed at the meeting.")})
    if minutes is not None:
        try:
            validate_attachment(minutes)
        except ValidationError as error:
            raise ValidationError({"minutes": error.messages}) from error
        meeting.minutes = minutes
    meeting.held_on = held_on
    meeting.notes = notes
    meeting.recorded_by = user
    meeting.save()
    deadlines.deadline_close(meeting, kind="meeting_due")
    action_record(
        meeting.agreement,
        action="record_meeting",
        actor=user,
        data={"meeting": meeting.pk, "held_on": held_on},
    )
    return meeting


@transaction.atomic
def meeting_add(agreement: Agreement, *, user: Any, due_on: date) -> Meeting:
    """An extra meeting, or one moved: the liaison schedules it, reminders follow."""
    agreement = _locked_agreement(agreement)
    if not is_liaison(user, agreement):
        raise PermissionDenied(_("The liaison schedules the meetings."))
    if agreement.state not in (Agreement.State.SIGNED, *Agreement.IN_FORCE_STATES):
        raise TransitionConflict(_("The agreement is not in force."), "not_in_force")
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("A meeting is scheduled for a day to come.")})
    _check_inside_term(agreement, "due_on", due_on)
    # Scheduled by hand: re-planning after an amendment keeps it (schedule.plan_refresh).
    meeting = Meeting.objects.create(agreement=agreement, due_on=due_on, scheduled_by=user)
    schedule.meeting_deadline(meeting)
    action_record(
        agreement,
        action="schedule_meeting",
        actor=user,
        data={"meeting": meeting.pk, "due_on": due_on},
    )
    return meeting


@transaction.atomic
def attachment_add(agreement: Agreement, *, user: Any, upload: UploadedFile) -> AgreementAttachment:
    agreement = _locked_agreement(agreement)
    _side(user, agreement)
    return attachment_store(AgreementAttachment, agreement, user=user, upload=upload)


@transaction.atomic
def contacts_set(
    agreement: Agreement,
    *,
    user: Any,
    liaison_id: int | None = None,
    contact_id: int | None = None,
) -> Agreement:
    """Name a side's contact person: a liaison of the body names the body's liaison (one of
    its active liaisons), a representative of a party the association's contact (an active
    representative of a party). Each side names only its own; an ended agreement keeps its
    names."""
    agreement = _locked_agreement(agreement)
    if agreement.state in (Agreement.State.ENDED, Agreement.State.CANCELLED):
        raise TransitionConflict(_("The agreement has ended."), "ended")
    if liaison_id is None and contact_id is None:
        raise ValidationError(_("Name the liaison or the contact."))
    changed: dict[str, int] = {}
    if liaison_id is not None:
        if not is_liaison(user, agreement):
            raise PermissionDenied(_("The body's liaison names the body's contact person."))
        agreement.liaison = (
            officials_of(agreement.public_body_id, OfficialRole.Role.LIAISON)
            .filter(pk=liaison_id)
            .first()
        )
        if agreement.liaison is None:
            raise ValidationError({"liaison": _("Name a liaison of the public body.")})
        changed["liaison"] = liaison_id
    if contact_id is not None:
        parties = agreement.association_ids
        if roles_of(user).associations(AssociationRole.Role.REPRESENTATIVE).isdisjoint(parties):
            raise PermissionDenied(
                _("A representative of a party names the association's contact person.")
            )
        agreement.contact = next(
            (p for a in parties for p in representatives_of(a) if p.pk == contact_id), None
        )
        if agreement.contact is None:
            raise ValidationError({"contact": _("Name a representative of a party.")})
        changed["contact"] = contact_id
    agreement.save(update_fields=list(changed))
    action_record(agreement, action="set_contacts", actor=user, data=changed)
    return agreement
