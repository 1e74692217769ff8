"""The Celery app and the beat schedule: the one place that says what runs when.

Beat only runs short scans that query the database for what is due; no task is scheduled with
a long ETA or countdown (with Redis such tasks are redelivered after the visibility timeout and
run twice), and nothing about the schedule lives only in the broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("avustus")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _create_filesystem_broker_folders(sender: Celery, **kwargs) -> None:
    # The embedded default (no REDIS_URL) keeps its queue in folders under var/.
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        folder = sender.conf.broker_transport_options.get(key)
        if folder:
            os.makedirs(folder, exist_ok=True)


app.conf.beat_schedule = {
    # Every minute: drafts left in a call that has closed expire (actor "system").
    "expire-drafts-of-closed-calls": {
        "task": "grants.tasks.expire_drafts_of_closed_calls",
        "schedule": 60.0,
    },
}
