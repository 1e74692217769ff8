"""Reads: which agreements, versions, meetings and evaluations a person may see, loaded with a
constant number of queries.

A person sees an agreement for the side they act on: an association's people (any role) the
agreements their association is party to, officials (any role) their public body's. Until a
first version is proposed (`shared_at`), a draft agreement is its author side's own; a version
never proposed (a draft, or one withdrawn before it was proposed) is its author side's own.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from agreements.models import (
    Agreement,
    AgreementParty,
    AgreementVersion,
    Evaluation,
    GoalResult,
    Meeting,
    Resource,
    Side,
    Signature,
    VersionComment,
)
from organisations.roles import roles_of
from workflow.models import ApprovalRun


def _sides(user: Any, to_agreement: str) -> dict[str, Q]:
    """Per side, the condition that the person acts on it for the agreement reached through
    `to_agreement` ("" from an agreement, "agreement__" from its versions, meetings...)."""
    roles = roles_of(user)
    party = AgreementParty.objects.filter(
        agreement=OuterRef(f"{to_agreement}pk"), association_id__in=roles.all_associations
    )
    return {
        Side.ASSOCIATION: Q(Exists(party)),
        Side.PUBLIC_BODY: Q(**{f"{to_agreement}public_body_id__in": roles.all_public_bodies}),
    }


def _agreement_visible(user: Any, to_agreement: str = "") -> Q:
    """Either side once shared; before that only the side that created it."""
    shared = Q(**{f"{to_agreement}shared_at__isnull": False})
    return Q(
        *(
            acts & (shared | Q(**{f"{to_agreement}created_side": side}))
            for side, acts in _sides(user, to_agreement).items()
        ),
        _connector=Q.OR,
    )


def _version_visible(user: Any) -> Q:
    """A version the person's side wrote, or one its author proposed to the other side."""
    proposed = Q(proposed_at__isnull=False)
    return _agreement_visible(user, "agreement__") & Q(
        *(
            acts & (proposed | Q(author_side=side))
            for side, acts in _sides(user, "agreement__").items()
        ),
        _connector=Q.OR,
    )


def versions_for_user(user: Any) -> QuerySet[AgreementVersion]:
    """Versions with their full terms, signatures, comments and review, as the person sees
    them."""
    return (
        AgreementVersion.objects.filter(_version_visible(user))
        # The public body and the parties' associations name the sides that sign (`signing`).
        .select_related("agreement__public_body", "based_on")
        .prefetch_related(
            Prefetch(
                "agreement__parties", queryset=AgreementParty.objects.select_related("association")
            ),
            "goals",
            Prefetch("resources", queryset=Resource.objects.select_related("premises")),
            Prefetch("signatures", queryset=Signature.objects.select_related("signer")),
            Prefetch("comments", queryset=VersionComment.objects.select_related("author")),
            Prefetch(
                "approval_runs",
                queryset=ApprovalRun.objects.select_related("chain").prefetch_related("steps"),
            ),
            "rectifications",
            "disqualifications",
        )
    )


def agreements_for_user(user: Any) -> QuerySet[Agreement]:
    """Agreements with their parties, the terms in force, the versions the person sees and
    the planned meetings and evaluations."""
    return (
        Agreement.objects.filter(_agreement_visible(user))
        .select_related("liaison", "contact", "in_force_version", "successor")
        .prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.select_related("association")),
            Prefetch(
                "versions",
                queryset=AgreementVersion.objects.filter(_version_visible(user)).order_by("number"),
            ),
            "in_force_version__goals",
            "in_force_version__resources",
            Prefetch(
                "in_force_version__signatures", queryset=Signature.objects.select_related("signer")
            ),
            "meetings",
            "evaluations",
            "disqualifications",
        )
    )


def evaluations_for_user(user: Any) -> QuerySet[Evaluation]:
    """The evaluations of the agreements the person sees, with the figure for each goal."""
    return (
        Evaluation.objects.filter(_agreement_visible(user, "agreement__"))
        .select_related("agreement", "agreement__in_force_version")
        .prefetch_related(
            "agreement__parties",
            Prefetch("results", queryset=GoalResult.objects.select_related("goal")),
            "disqualifications",
        )
    )


def meetings_for_user(user: Any) -> QuerySet[Meeting]:
    """The cooperation meetings of the agreements the person sees."""
    return Meeting.objects.filter(_agreement_visible(user, "agreement__")).select_related(
        "agreement"
    )


# Meeting.status as a filter, so `?status=missed` is answered by the database.
MEETING_STATUSES = ("scheduled", "held", "missed", "cancelled")


def meetings_with_status(meetings: QuerySet[Meeting], status: str) -> QuerySet[Meeting]:
    """The meetings whose `Meeting.status` is `status` (one of MEETING_STATUSES)."""
    today = timezone.localdate()
    open_ = Q(cancelled=False, held_on__isnull=True)
    return meetings.filter(
        {
            "cancelled": Q(cancelled=True),
            "held": Q(cancelled=False, held_on__isnull=False),
            "missed": open_ & Q(due_on__lt=today),
            "scheduled": open_ & Q(due_on__gte=today),
        }[status]
    )
