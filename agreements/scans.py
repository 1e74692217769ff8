"""What the beat scans do for partnership agreements, as plain functions the tests call
directly.

Each selects in the database what has come due, then performs the transition one record at a
time as the system through the transition service, whose condition checks the same date again
under the row lock. A record already moved is no longer selected, and one a person moved a
moment before is a conflict that is skipped, so running a scan twice changes nothing more.
Each returns how many records it handled.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from agreements.models import Agreement, Evaluation
from workflow.transitions import perform_as_system


def _in_batches(due: QuerySet, name: str, batch: int) -> int:
    """Perform `name` on every record of `due`, `batch` at a time in id order. A record that
    fails is left behind the cursor: it neither blocks the later ones nor loops forever."""
    done, after = 0, 0
    while True:
        records = list(due.filter(pk__gt=after).order_by("pk")[:batch])
        done += perform_as_system(records, name)
        if len(records) < batch:
            return done
        after = records[-1].pk


def _last_day_by(day: date) -> Q:
    """`Agreement.ends_on <= day` in SQL: the term's end, or the end of the notice period."""
    return Q(in_force_version__ends_on__lte=day) | Q(ends_early_on__lte=day)


def activate_signed_agreements(batch: int = 500) -> int:
    """An agreement signed before its term comes into force on the term's first day."""
    due = Agreement.objects.filter(
        state=Agreement.State.SIGNED, in_force_version__starts_on__lte=timezone.localdate()
    )
    return _in_batches(due, "activate", batch)


def open_due_evaluations(batch: int = 500) -> int:
    """An evaluation falls due the day after its period ends; the association's report is
    then due AGREEMENT_EVALUATION_DUE_DAYS later, with reminders."""
    due = Evaluation.objects.filter(
        state=Evaluation.State.SCHEDULED, period_ends_on__lt=timezone.localdate()
    )
    return _in_batches(due, "open", batch)


def open_renewals(batch: int = 500) -> int:
    """AGREEMENT_RENEWAL_NOTICE_DAYS before the term ends both sides are told to prepare
    the renewal (or to let the agreement end)."""
    window = timedelta(days=settings.AGREEMENT_RENEWAL_NOTICE_DAYS)
    due = Agreement.objects.filter(
        _last_day_by(timezone.localdate() + window), state=Agreement.State.ACTIVE
    )
    return _in_batches(due, "open_renewal", batch)


def end_agreements(batch: int = 500) -> int:
    """An agreement in force ends the day after its last day: expired, followed by its
    renewal, or terminated when the notice period is over."""
    yesterday = timezone.localdate() - timedelta(days=1)
    due = Agreement.objects.filter(_last_day_by(yesterday), state__in=Agreement.IN_FORCE_STATES)
    return _in_batches(due, "end", batch)
