# Every process that loads Django loads the project's Celery app too (Celery's "First steps with
# Django"), so a task queued by the web server goes to the configured broker.
from config.celery import app as celery_app

__all__ = ["celery_app"]
