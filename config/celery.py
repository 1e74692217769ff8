"""The project's Celery app, loaded by every process that loads Django (`config/__init__.py`).

Without it, a web process's `.delay()` would go to Celery's default app, whose broker is
amqp://localhost: the message lost on a machine with a RabbitMQ, the enqueue failing without
one. The worker and beat start from `celery_app.py`, which adds the beat schedule.
"""

import os

from celery import Celery

app = Celery("avustus")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# PDF copies run LibreOffice: their own queue, a worker with concurrency 1 (`-Q pdf`). Routes
# apply where a task is sent, so they live here, where the web process sees them.
app.conf.task_routes = {"documents.tasks.make_pdf_copy": {"queue": "pdf"}}


@app.on_after_configure.connect
def _create_filesystem_broker_folders(sender: Celery, **kwargs) -> None:
    # The embedded default (no REDIS_URL) keeps its queue in folders under var/.
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        folder = sender.conf.broker_transport_options.get(key)
        if folder:
            os.makedirs(folder, exist_ok=True)
