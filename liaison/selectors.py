"""Reads of liaison people and association meetings, each narrowed to what the person may see
(docs/architecture.md, invariant 2): officials their public body's, an association's people the
meetings their association was invited to, anyone the public view."""

from datetime import date
from typing import Any

from django.apps import apps
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from liaison.meetings import year_bounds
from liaison.models import AssociationMeeting, Invitation, LiaisonPerson, RaisedMatter
from organisations.models import Association, OfficialRole
from organisations.roles import roles_of

State = AssociationMeeting.State
Role = OfficialRole.Role
# Who sees the body's meetings in the workbench; the liaison plans and records them.
WORKBENCH_ROLES = (Role.PREPARER, Role.DECISION_MAKER, Role.LIAISON, Role.ADMINISTRATOR)
# Seed 001 and 003: the associations are convened at least twice a year.
MEETINGS_A_YEAR = 2


def associations_of_body(public_body_id: int) -> QuerySet[Association]:
    """The associations of a body: those that have submitted an application to one of its calls
    or are party to one of its partnership agreements. The subject apps are read by their app
    labels, so this room imports neither (the `liaison` contract)."""
    application = apps.get_model("grants", "Application")
    party = apps.get_model("agreements", "AgreementParty")
    applied = application.objects.filter(
        call__public_body_id=public_body_id, submitted_at__isnull=False
    ).values("association_id")
    partners = party.objects.filter(agreement__public_body_id=public_body_id).values(
        "association_id"
    )
    return Association.objects.filter(Q(pk__in=applied) | Q(pk__in=partners)).order_by("name")


def with_details(meetings: QuerySet[AssociationMeeting]) -> QuerySet[AssociationMeeting]:
    """With the invitations and the matters raised, for a meeting's own page and the API (a
    list of meetings shows neither)."""
    return meetings.select_related("public_body").prefetch_related(
        Prefetch("invitations", queryset=Invitation.objects.select_related("association")),
        Prefetch("matters", queryset=RaisedMatter.objects.select_related("association")),
    )


def meetings_for_official(user: Any) -> QuerySet[AssociationMeeting]:
    """The meetings of the bodies where the person works in the workbench."""
    bodies = roles_of(user).public_bodies(*WORKBENCH_ROLES)
    return AssociationMeeting.objects.filter(public_body_id__in=bodies).select_related(
        "public_body"
    )


def meetings_for_association_people(user: Any) -> QuerySet[AssociationMeeting]:
    """The meetings the person's associations were invited to, in every state (a cancelled
    one says so)."""
    associations = roles_of(user).all_associations
    return (
        AssociationMeeting.objects.filter(invitations__association_id__in=associations)
        .distinct()
        .select_related("public_body")
    )


def meetings_for_user(user: Any) -> QuerySet[AssociationMeeting]:
    """What the API lists: the body's meetings for its officials, the invited ones for an
    association's people."""
    roles = roles_of(user)
    bodies = roles.public_bodies(*WORKBENCH_ROLES)
    associations = roles.all_associations
    return with_details(
        AssociationMeeting.objects.filter(
            Q(public_body_id__in=bodies) | Q(invitations__association_id__in=associations)
        ).distinct()
    )


def bodies_short_of_meetings(user: Any, year: int | None = None) -> list[tuple[int, int]]:
    """(body id, meetings planned or held) of the person's bodies with fewer than
    MEETINGS_A_YEAR in the calendar year: the workbench warns of them."""
    year = year or timezone.localdate().year
    start, end = year_bounds(year)
    bodies = sorted(roles_of(user).public_bodies(*WORKBENCH_ROLES))
    counted = dict(
        AssociationMeeting.objects.filter(
            public_body_id__in=bodies,
            state__in=[State.PLANNED, State.HELD],
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .values_list("public_body_id")
        .annotate(n=Count("pk"))
    )
    return [
        (body, counted.get(body, 0)) for body in bodies if counted.get(body, 0) < MEETINGS_A_YEAR
    ]


def liaison_people_public(today: date | None = None) -> QuerySet[LiaisonPerson]:
    """The liaison people in office today, for anyone to read."""
    today = today or timezone.localdate()
    return (
        LiaisonPerson.objects.filter(starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("public_body", "user")
        .order_by("public_body__name", "starts_on", "pk")
    )


def meetings_held_public() -> QuerySet[AssociationMeeting]:
    """The held meetings as the public reads them: date, place, the public summary and how
    many matters were raised (never the minutes, nor who raised what)."""
    return (
        AssociationMeeting.objects.filter(state=State.HELD)
        .select_related("public_body")
        .annotate(matters_count=Count("matters"))
        .order_by("-starts_at", "-pk")
    )
