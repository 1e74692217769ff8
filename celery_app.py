"""The worker's and beat's entry point (`celery -A celery_app ...`): the project's Celery app
(config/celery.py) and the beat schedule, the one place that says what runs when.

Beat only runs short scans that query the database for what is due; no task is scheduled with
a long ETA or countdown (with Redis such tasks are redelivered after the visibility timeout and
run twice), and nothing about the schedule lives only in the broker.
"""

import os

from celery.schedules import crontab

# Worker and beat started without DJANGO_SETTINGS_MODULE run the development settings, as
# manage.py does; the web server's default (config/wsgi.py) stays production.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

from django.conf import settings

from config.celery import app

__all__ = ["app"]

app.conf.beat_schedule = {
    # Every minute: reminders that have come due are written to the outbox.
    "remind-due": {"task": "workflow.tasks.remind_due", "schedule": 60.0},
    # Every 30 seconds: the outbox is delivered (email), with retries and backoff.
    "deliver-notifications": {"task": "workflow.tasks.deliver_notifications", "schedule": 30.0},
    # Every day at DIGEST_HOUR (the task skips non-working days): optional notifications for
    # people who chose a daily digest.
    "daily-digests": {
        "task": "workflow.tasks.send_daily_digests",
        "schedule": crontab(hour=settings.DIGEST_HOUR, minute=0),
    },
    # Every minute: drafts left in a call that has closed expire (actor "system").
    "expire-drafts-of-closed-calls": {
        "task": "grants.tasks.expire_drafts_of_closed_calls",
        "schedule": 60.0,
    },
    # Every 10 minutes: decisions whose appeal period has ended become legally valid.
    "make-decisions-legally-valid": {
        "task": "grants.tasks.make_decisions_legally_valid",
        "schedule": 600.0,
    },
    # Every 10 minutes (idempotent; the dates it reads change once a day): agreements past
    # their last day end, evaluations whose period has ended fall due, and renewals open
    # AGREEMENT_RENEWAL_NOTICE_DAYS before the term ends (actor "system").
    "agreements-daily-scan": {"task": "agreements.tasks.daily_scan", "schedule": 600.0},
    # Every 5 minutes, what a task lost while the broker was down would have done: decision
    # documents and agreement documents are made, payables due are handed to finance, and PDF
    # copies are queued again.
    "sweep-decision-documents": {
        "task": "grants.tasks.sweep_decision_documents",
        "schedule": 300.0,
    },
    "sweep-round-decision-lists": {
        "task": "grants.tasks.sweep_round_decision_lists",
        "schedule": 300.0,
    },
    "sweep-agreement-documents": {
        "task": "agreements.tasks.sweep_agreement_documents",
        "schedule": 300.0,
    },
    "sweep-hand-over": {"task": "finance.tasks.sweep_hand_over", "schedule": 300.0},
    "sweep-pdf-copies": {"task": "documents.tasks.sweep_pdf_copies", "schedule": 300.0},
    # Weekdays at DIGEST_HOUR:30; the task acts on the week's first working day only: each
    # preparer's weekly digest of overdue and waiting reports.
    "preparers-weekly-digest": {
        "task": "grants.tasks.preparers_weekly_digest",
        "schedule": crontab(day_of_week="1-5", hour=settings.DIGEST_HOUR, minute=30),
    },
    # Every hour: files kept aside on a refused application form and never saved, older than
    # a day, are removed (grants.portal.uploads).
    "sweep-pending-uploads": {"task": "grants.tasks.sweep_pending_uploads", "schedule": 3600.0},
    # Sundays at 03:00, when nobody pays (the task does nothing unless REGISTER_CHECK is on):
    # the association register for every association with money open, paced within the
    # register's shared rate limit (organisations.association_register).
    "check-association-register": {
        "task": "organisations.tasks.check_association_register",
        "schedule": crontab(day_of_week="0", hour=3, minute=0),
    },
    # Every 10 minutes (idempotent): decisions sent are published if their task was lost, and
    # the published decisions whose appeal periods have ended lose their personal data
    # (Local Government Act 140 §), each once.
    "publish-sent-decisions": {"task": "publicity.tasks.publish_sent_decisions", "schedule": 600.0},
    "remove-published-personal-data": {
        "task": "publicity.tasks.remove_personal_data",
        "schedule": 600.0,
    },
}
