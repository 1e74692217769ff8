"""Reads for the official workbench: what an official sees of their public bodies, the work
waiting for them and the dashboard's figures, each in a constant number of queries.

Everything starts from `grants.selectors.applications_for_user` (the one visibility rule, so
officials see only their public body's submitted applications) and is narrowed to the bodies in
which the person holds a workbench role.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from documents.models import GeneratedDocument, Kind
from documents.selectors import documents_for
from grants.models import Application, Call
from grants.selectors import applications_for_user
from organisations.models import OfficialRole
from organisations.roles import roles_of
from workflow.models import (
    ApprovalRun,
    ApprovalStep,
    Deadline,
    Disqualification,
    StepRecord,
)

Role = OfficialRole.Role
S = Application.State
WORKBENCH_ROLES = (Role.PREPARER, Role.DECISION_MAKER, Role.LIAISON, Role.ADMINISTRATOR)
QUEUE_DAYS = 14  # deadlines shown in the work queue: overdue ones and those of the next 14 days
DASHBOARD_DAYS = 30
ZERO = Decimal(0)
MONEY_FIELD = DecimalField(max_digits=12, decimal_places=2)


def workbench_bodies(user: Any) -> frozenset[int]:
    """The public bodies whose work the person sees in the workbench."""
    return roles_of(user).public_bodies(*WORKBENCH_ROLES)


def _application_type() -> ContentType:
    return ContentType.objects.get_for_model(Application)


# --- applications --------------------------------------------------------------------------


def applications_for_official(user: Any) -> QuerySet[Application]:
    """The submitted applications of the person's public bodies, for lists: the call and the
    association joined, nothing prefetched."""
    return (
        applications_for_user(user)
        .filter(call__public_body_id__in=workbench_bodies(user))
        .prefetch_related(None)
    )


def application_for_official(user: Any, pk: int) -> Application:
    """One application with everything its page shows; raises Application.DoesNotExist when
    the person may not see it."""
    return (
        applications_for_user(user)
        .filter(call__public_body_id__in=workbench_bodies(user))
        .select_related("call__chain", "call__public_body", "decided_by", "report")
        .prefetch_related(None)
        .prefetch_related(
            "budget_lines",
            "attachments",
            "payables__payments",
            "rectifications",
            Prefetch(
                "approval_runs",
                queryset=ApprovalRun.objects.select_related("chain").prefetch_related(
                    Prefetch("steps", queryset=StepRecord.objects.select_related("actor"))
                ),
            ),
            Prefetch("disqualifications", queryset=Disqualification.objects.select_related("user")),
        )
        .get(pk=pk)
    )


def documents_of(application: Application) -> QuerySet[GeneratedDocument]:
    return GeneratedDocument.objects.filter(
        content_type=_application_type(), object_id=application.pk
    ).order_by("kind", "-version")


def document_for_official(user: Any, pk: int) -> GeneratedDocument:
    """A generated document of an application the person sees in the workbench, under the one
    rule of documents.selectors; DoesNotExist otherwise."""
    return documents_for(user).get(
        pk=pk,
        content_type=_application_type(),
        object_id__in=applications_for_official(user).values("pk"),
    )


def deadlines_of(application: Application) -> QuerySet[Deadline]:
    return Deadline.objects.filter(
        content_type=_application_type(), object_id=application.pk, public_body__isnull=False
    ).order_by("-due_on")


# --- the work queue ------------------------------------------------------------------------


def _pending_steps() -> QuerySet[StepRecord]:
    return StepRecord.objects.filter(
        run__content_type=_application_type(),
        run__object_id=OuterRef("pk"),
        run__status=ApprovalRun.Status.IN_PROGRESS,
        status=StepRecord.Status.PENDING,
    ).order_by("position")


def _not_disqualified(queryset: QuerySet[Application], user: Any) -> QuerySet[Application]:
    declared = Disqualification.objects.filter(content_type=_application_type(), user_id=user.pk)
    return queryset.exclude(pk__in=declared.values("object_id"))


def _in_bodies_where(user: Any, *roles: str) -> Q:
    return Q(call__public_body_id__in=roles_of(user).public_bodies(*roles))


def waiting_for(user: Any, applications: QuerySet[Application]) -> QuerySet[Application]:
    """Those of `applications` in review whose current step waits for this person: they hold
    the step's role in the application's public body, did no earlier step of the run (who
    proposes does not decide) and have not declared a conflict of interest. The query form of
    `workflow.rules.acts_on_current_step`, so the queue is counted and paged in the database.

    The current step is the pending step with no pending step before it: an EXISTS and an
    anti-join, which the database answers with hash joins whatever the queue's length (a
    scalar subquery per application misled its row estimate into nested loops)."""
    roles = roles_of(user)
    pending = StepRecord.objects.filter(status=StepRecord.Status.PENDING)
    current = pending.filter(
        run__content_type=_application_type(),
        run__object_id=OuterRef("pk"),
        run__status=ApprovalRun.Status.IN_PROGRESS,
    ).exclude(Exists(pending.filter(run=OuterRef("run"), position__lt=OuterRef("position"))))
    mine = Q(pk__in=[])
    for body in workbench_bodies(user):
        held = [role for role, bodies in roles.official.items() if body in bodies]
        mine |= Q(call__public_body_id=body) & Exists(current.filter(role__in=held))
    acted = StepRecord.objects.filter(
        run__content_type=_application_type(),
        run__status=ApprovalRun.Status.IN_PROGRESS,
        status=StepRecord.Status.DONE,
        actor_id=user.pk,
    )
    queryset = applications.filter(mine, state=S.IN_REVIEW).exclude(
        pk__in=acted.values("run__object_id")
    )
    return _not_disqualified(queryset, user)


def steps_waiting(user: Any) -> QuerySet[Application]:
    """The work queue's applications whose step waits for this person (`waiting_for`), oldest
    first, each with `step_name`, the step waiting."""
    return (
        waiting_for(user, applications_for_official(user))
        .annotate(step_name=Subquery(_pending_steps().values("name")[:1]))
        .order_by("submitted_at", "pk")
    )


def to_check(user: Any) -> QuerySet[Application]:
    """Submitted applications a preparer checks: start the review or request completion."""
    state, roles = STATE_QUEUES["check"]
    queryset = applications_for_official(user).filter(_in_bodies_where(user, *roles), state=state)
    return _not_disqualified(queryset, user).order_by("submitted_at", "pk")


def decisions_to_send(user: Any) -> QuerySet[Application]:
    """Decided applications whose decision is still to be sent to the association."""
    state, roles = STATE_QUEUES["send"]
    queryset = applications_for_official(user).filter(_in_bodies_where(user, *roles), state=state)
    return _not_disqualified(queryset, user).order_by("decided_at", "pk")


DECISION_KINDS = (Kind.GRANT_DECISION, Kind.RECTIFICATION_DECISION)


@dataclass
class Letter:
    """A decision the registry prints and posts: its application and its newest decision
    document (None while the worker is still making it)."""

    application: Application
    document: GeneratedDocument | None


def letters_to_post(user: Any) -> list[Letter]:
    """The decisions to send by letter (the association has not consented to electronic
    notification), oldest first, each with its newest decision document: two queries."""
    applications = list(
        decisions_to_send(user)
        .filter(association__accepts_electronic_notification=False)
        .select_related("association", "call")
    )
    newest: dict[int, GeneratedDocument] = {}
    for document in GeneratedDocument.objects.filter(
        content_type=_application_type(),
        object_id__in=[a.pk for a in applications],
        kind__in=DECISION_KINDS,
    ).order_by("object_id", "-created_at", "-pk"):
        newest.setdefault(document.object_id, document)
    return [Letter(application, newest.get(application.pk)) for application in applications]


def reports_to_review(user: Any) -> QuerySet[Application]:
    state, roles = STATE_QUEUES["reports"]
    queryset = applications_for_official(user).filter(_in_bodies_where(user, *roles), state=state)
    return _not_disqualified(queryset, user).order_by("report__submitted_at", "pk")


# The queues of one state each: (state, the roles that work on it).
STATE_QUEUES = {
    "check": (S.SUBMITTED, (Role.PREPARER,)),
    "send": (S.DECIDED, (Role.PREPARER, Role.DECISION_MAKER)),
    "reports": (S.REPORT_SUBMITTED, (Role.PREPARER,)),
}


def queue_counts(user: Any) -> dict[str, int]:
    """How many applications wait in each of STATE_QUEUES, in one query (the same rows as
    `to_check`, `decisions_to_send` and `reports_to_review`)."""
    states = [state for state, _roles in STATE_QUEUES.values()]
    queryset = _not_disqualified(applications_for_official(user).filter(state__in=states), user)
    return queryset.aggregate(
        **{
            # Count("state"): a column of the index `application_submitted`, index only.
            key: Count("state", filter=Q(state=state) & _in_bodies_where(user, *roles))
            for key, (state, roles) in STATE_QUEUES.items()
        }
    )


def deadlines_for_official(
    user: Any, *, days: int, today: date | None = None
) -> QuerySet[Deadline]:
    """Open deadlines of the person's public bodies due within `days` days, overdue included,
    earliest first."""
    today = today or timezone.localdate()
    return Deadline.objects.filter(
        public_body_id__in=workbench_bodies(user),
        status=Deadline.Status.OPEN,
        due_on__lte=today + timedelta(days=days),
    ).order_by("due_on", "pk")


def open_deadlines_for_official(user: Any) -> QuerySet[Deadline]:
    """Every open deadline of the person's public bodies, the overdue first."""
    return Deadline.objects.filter(
        public_body_id__in=workbench_bodies(user), status=Deadline.Status.OPEN
    ).order_by("due_on", "pk")


def application_ids_of(deadlines: list[Deadline]) -> set[int]:
    """Which deadlines are about an application (the others are agreements')."""
    application_type = _application_type()
    return {d.object_id for d in deadlines if d.content_type_id == application_type.pk}


# --- calls ---------------------------------------------------------------------------------


def call_choices(user: Any) -> QuerySet[Call]:
    """The calls of the person's public bodies, for a filter's choices: no figures."""
    return Call.objects.filter(public_body_id__in=workbench_bodies(user)).order_by("-opens_at")


def calls_for_official(user: Any) -> QuerySet[Call]:
    """The calls of the person's public bodies with `granted` (budget used), `left` and
    `application_count` (submitted applications)."""
    # A subquery per call rather than a join grouped by call: the database then sums only the
    # calls of the page (the dashboard's newest twelve, a page of the list), each from its own
    # range of the indexes `application_granted` and `application_submitted`, index only.
    of_call = Application.objects.filter(call=OuterRef("pk")).order_by().values("call")
    granted = of_call.filter(granted_amount__isnull=False).annotate(total=Sum("granted_amount"))
    submitted = of_call.filter(submitted_at__isnull=False).annotate(count=Count("call"))
    return (
        Call.objects.filter(public_body_id__in=workbench_bodies(user))
        .select_related("public_body")
        .annotate(
            granted=Coalesce(Subquery(granted.values("total")), ZERO, output_field=MONEY_FIELD),
            application_count=Coalesce(Subquery(submitted.values("count")), 0),
        )
        .annotate(left=ExpressionWrapper(F("budget") - F("granted"), output_field=MONEY_FIELD))
        .order_by("-opens_at", "pk")
    )


def call_for_official(user: Any, pk: int) -> Call:
    return (
        calls_for_official(user)
        .select_related("chain", "unit")
        .prefetch_related(
            Prefetch("chain__steps", queryset=ApprovalStep.objects.order_by("position"))
        )
        .get(pk=pk)
    )


def states_of_call(user: Any, call: Call) -> list[dict[str, Any]]:
    return list(
        applications_for_official(user)
        .filter(call=call)
        .order_by()
        .values("state")
        .annotate(count=Count("pk"))
    )


# --- the dashboard -------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    value: Decimal | int
    # 0–100: the bar's length relative to the chart's scale
    percent: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def _scale(bars: list[Bar], maximum: Decimal | int | None = None) -> list[Bar]:
    top = maximum if maximum is not None else max((b.value for b in bars), default=0)
    for bar in bars:
        bar.percent = round(float(bar.value) / float(top) * 100, 1) if top else 0.0
    return bars


def budget_per_call(user: Any, limit: int = 12) -> list[Bar]:
    """The newest calls' budgets: granted so far and what is left, as a share of the budget."""
    bars = []
    for call in calls_for_official(user)[:limit]:
        used = call.granted
        percent = round(float(used) / float(call.budget) * 100, 1) if call.budget else 0.0
        bars.append(
            Bar(
                label=call.name,
                value=used,
                percent=min(percent, 100.0),
                extra={"call": call, "budget": call.budget, "left": call.left},
            )
        )
    return bars


def applications_by_state(user: Any) -> list[Bar]:
    # Count("state"), not the primary key: the columns of the index `application_submitted`,
    # so the count is an index-only scan.
    counts = dict(
        applications_for_official(user)
        .order_by()
        .values("state")
        .annotate(count=Count("state"))
        .values_list("state", "count")
    )
    bars = [
        Bar(label=label, value=counts[value], extra={"state": value})
        for value, label in S.choices
        if counts.get(value)
    ]
    return _scale(bars)


def deadlines_by_week(user: Any, *, today: date | None = None) -> list[Bar]:
    """Open deadlines of the next 30 days, in weeks counted from today (overdue ones apart)."""
    today = today or timezone.localdate()
    per_day = dict(
        deadlines_for_official(user, days=DASHBOARD_DAYS, today=today)
        .filter(due_on__gte=today)
        .order_by()
        .values("due_on")
        .annotate(count=Count("pk"))
        .values_list("due_on", "count")
    )
    bars = []
    for start in range(0, DASHBOARD_DAYS + 1, 7):
        first = today + timedelta(days=start)
        last = today + timedelta(days=min(start + 6, DASHBOARD_DAYS))
        count = sum(n for day, n in per_day.items() if first <= day <= last)
        bars.append(Bar(label="", value=count, extra={"first": first, "last": last}))
    return _scale(bars)
