"""Publishing a grant decision and, after its appeal period, removing the personal data from its
published form (Local Government Act 410/2015 140 §). Each is one transaction with its audit
record (docs/architecture.md, invariant 1)."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from grants.models import Application
from publicity.models import Publication
from workflow.actors import SYSTEM
from workflow.audit import action_record
from workflow.locking import locked
from workflow.time_limits import time_limit_end

# The states in which an application's decision has been sent: the publication follows it.
PUBLISHED_STATES = (
    Application.State.NOTIFIED,
    Application.State.UNDER_RECTIFICATION,
    Application.State.LEGALLY_VALID,
    Application.State.PAID,
    Application.State.REPORT_SUBMITTED,
    Application.State.REPORT_RETURNED,
    Application.State.CLOSED,
)


def decision_publish(application_id: int) -> Publication | None:
    """Publish the application's current decision, as sent (run when `notify` commits; again
    after a decision on a request for rectification is sent, which replaces the published
    form and starts the residents' appeal period anew). None when the decision has not been
    sent (the application moved on, or never got there). A decision already legally valid
    (decided before the public pages existed, or its task lost until then) is published as
    granted support only: its appeal period is over."""
    with transaction.atomic():
        application = (
            locked(Application.objects.select_related("call"))
            .filter(pk=application_id, state__in=PUBLISHED_STATES)
            .first()
        )
        if application is None or application.decided_at is None:
            return None
        current = Publication.objects.filter(application=application).first()
        if current is not None and current.decided_at == application.decided_at:
            return current  # already published: a retried task
        today = timezone.localdate()
        over = application.legally_valid_on is not None
        publication, created = Publication.objects.update_or_create(
            application=application,
            defaults={
                "public_body_id": application.call.public_body_id,
                "call_id": application.call_id,
                "association_id": application.association_id,
                "year": timezone.localtime(application.decided_at).year,
                "amount_awarded": application.granted_amount or 0,
                "decided_at": application.decided_at,
                "reasons": "" if over else application.reasons,
                "conditions": "" if over else application.conditions,
                "published_on": today,
                "residents_appeal_ends_on": residents_appeal_end(
                    today, application.appeal_period_days
                ),
                "personal_data_removed_at": timezone.now() if over else None,
            },
        )
        action_record(
            application,
            action="decision_published",
            actor=SYSTEM,
            data={"published_on": today.isoformat(), "first": created},
        )
        return publication


def residents_appeal_end(published_on: date, period_days: int) -> date:
    """Local Government Act 139 §: a municipality's resident is deemed to have received the
    decision on the 7th day after its publication online; the period counts from that day
    (Act 150/1930, `time_limit_end`)."""
    deemed = published_on + timedelta(days=settings.PUBLICATION_DEEMED_DAYS)
    return time_limit_end(deemed, period_days)


def personal_data_remove(publication_id: int) -> bool:
    """Remove the free texts that may name people from a publication whose appeal periods have
    ended, once: the row is locked and checked again, so a second run (another beat, a retried
    task) finds nothing to do. True when this call removed them."""
    today = timezone.localdate()
    with transaction.atomic():
        publication = (
            locked(Publication.objects.select_related("application"))
            .filter(pk=publication_id, personal_data_removed_at__isnull=True)
            .first()
        )
        if publication is None or not removal_due(publication, today):
            return False
        publication.reasons = ""
        publication.conditions = ""
        publication.personal_data_removed_at = timezone.now()
        publication.save(
            update_fields=["reasons", "conditions", "personal_data_removed_at", "updated_at"]
        )
        action_record(
            publication.application,
            action="published_personal_data_removed",
            actor=SYSTEM,
            data={"publication": publication.pk},
        )
        return True


def removal_due(publication: Publication, today: date) -> bool:
    """Both appeal periods are over: the party's (the decision has become legally valid: no
    request for rectification is pending) and the residents' (counted from publication)."""
    return (
        publication.application.legally_valid_on is not None
        and publication.residents_appeal_ends_on < today
    )
