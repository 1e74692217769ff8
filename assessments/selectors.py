"""Reading the assessment: who may see and score, each reviewer's scores, the weighted totals
and the call's ranking.

A disqualified reviewer's scores (Administrative Procedure Act 28 §, docs/domain.md), and those
of a reviewer whose assignment was removed, are kept for the audit but never counted:
`_counting` leaves them out of every total.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from assessments.models import Criterion, Reviewer, Score
from workflow import rules as r
from workflow.models import Disqualification
from workflow.transitions import is_disqualified

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def application_model() -> type[models.Model]:
    """grants.Application, reached through the relation: this room imports no subject app."""
    return Score._meta.get_field("application").related_model


def scoreable_states() -> frozenset[str]:
    """Submitted and not yet decided: a draft is the association's own, a decided application's
    ranking no longer moves."""
    state = application_model().State
    return frozenset({state.SUBMITTED, state.RETURNED, state.IN_REVIEW})


def may_see_scores(user: Any, application: Any) -> bool:
    """Officials of the body that handles the application; never the association's people."""
    return bool(r.is_official.test(user, application))


def is_reviewer(user: Any, application: Any) -> bool:
    """Assigned to this application, or to every application of its call."""
    return Reviewer.objects.filter(
        Q(application_id=application.pk) | Q(call_id=application.call_id, application=None),
        user_id=user.pk,
    ).exists()


def criteria_of(call_id: int) -> list[Criterion]:
    return list(Criterion.objects.filter(call_id=call_id))


def _counting(scores: QuerySet[Score]) -> QuerySet[Score]:
    """The scores that count: those of a reviewer still assigned (to the application or its
    whole call), and none of a reviewer disqualified on the application."""
    disqualified = Disqualification.objects.filter(
        content_type=ContentType.objects.get_for_model(application_model()),
        object_id=OuterRef("application_id"),
        user_id=OuterRef("reviewer_id"),
    )
    assigned = Reviewer.objects.filter(
        Q(application_id=OuterRef("application_id"))
        | Q(call_id=OuterRef("application__call_id"), application=None),
        user_id=OuterRef("reviewer_id"),
    )
    return scores.filter(Exists(assigned)).exclude(Exists(disqualified))


def weighted_total(criteria: list[Criterion], means: dict[int, Decimal]) -> Decimal | None:
    """Σ weight × (mean score − lowest) / (highest − lowest), over Σ weight, as 0–100; None
    until every criterion has a score that counts (or the call has no criteria)."""
    if not criteria or any(c.pk not in means for c in criteria):
        return None
    weights = sum(c.weight for c in criteria)
    points = sum(
        c.weight * (means[c.pk] - c.scale_min) / (c.scale_max - c.scale_min) for c in criteria
    )
    return (points / weights * HUNDRED).quantize(CENT)


def _means(scores: QuerySet[Score]) -> dict[int, dict[int, Decimal]]:
    """{application id: {criterion id: mean of the counting scores}}, in one query."""
    means: dict[int, dict[int, Decimal]] = defaultdict(dict)
    rows = (
        _counting(scores)
        .values("application_id", "criterion_id")
        .annotate(total=Sum("value"), count=Count("id"))
        .order_by()
    )
    for row in rows:
        means[row["application_id"]][row["criterion_id"]] = Decimal(row["total"]) / row["count"]
    return means


def totals_for_call(call: Any) -> dict[int, Decimal | None]:
    """Every application of the call that was submitted and is still in the round (not
    withdrawn or expired) and its weighted total (None: not fully assessed), in three queries
    whatever the size of the call."""
    criteria = criteria_of(call.pk)
    state = application_model().State
    ids = (
        application_model()
        .objects.filter(call_id=call.pk)
        .exclude(state__in=[state.DRAFT, state.WITHDRAWN, state.EXPIRED])
        .values_list("pk", flat=True)
    )
    means = _means(Score.objects.filter(application__call_id=call.pk))
    return {pk: weighted_total(criteria, means.get(pk, {})) for pk in ids}


@dataclass(frozen=True)
class Ranked:
    application: Any
    total: Decimal | None


def ranking_for_call(call: Any) -> list[Ranked]:
    """The call's submitted applications, highest total first, the unassessed last."""
    totals = totals_for_call(call)
    applications = (
        application_model()
        .objects.filter(pk__in=totals)
        .select_related("association")
        .order_by("submitted_at", "pk")
    )
    ranked = [Ranked(application, totals[application.pk]) for application in applications]
    return sorted(ranked, key=lambda row: (row.total is None, -(row.total or 0)))


@dataclass(frozen=True)
class ReviewerRow:
    reviewer: Any
    disqualified: bool
    removed: bool  # no longer assigned: the scores do not count
    scores: list[Score | None]

    @property
    def scored(self) -> list[Score]:
        return [score for score in self.scores if score is not None]


@dataclass(frozen=True)
class Sheet:
    """The application's scores side by side, a row per reviewer, for the preparer."""

    criteria: list[Criterion]
    rows: list[ReviewerRow]
    total: Decimal | None


def sheet(application: Any) -> Sheet:
    criteria = criteria_of(application.call_id)
    by_reviewer: dict[Any, dict[int, Score]] = defaultdict(dict)
    for score in Score.objects.filter(application=application).select_related("reviewer"):
        by_reviewer[score.reviewer][score.criterion_id] = score
    rows = [
        ReviewerRow(
            reviewer=reviewer,
            disqualified=is_disqualified(application, reviewer),
            removed=not is_reviewer(reviewer, application),
            scores=[scores.get(c.pk) for c in criteria],
        )
        for reviewer, scores in sorted(by_reviewer.items(), key=lambda item: item[0].pk)
    ]
    means = _means(Score.objects.filter(application=application))
    return Sheet(criteria, rows, weighted_total(criteria, means.get(application.pk, {})))
