"""The test suite. DATABASE_URL and REDIS_URL are honoured when set (CI sets both)."""

from config.env import env_str

from .base import *  # noqa: F403
from .base import REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Unit tests read mail.outbox; integration tests give their worker a real SMTP sink.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# Without Redis the tests use Celery's in-process broker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
