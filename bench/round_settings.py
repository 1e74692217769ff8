"""The settings of bench/round.py and its Celery worker: the test settings, the broker's keys
under the run's own prefix (a shared Redis keeps nothing of the run once the bench deletes
them), and no remote control (no pidbox keys)."""

import os

from config.settings.test import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": os.environ["BENCH_REDIS_PREFIX"]}
CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
