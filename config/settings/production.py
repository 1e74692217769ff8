"""Production: everything secret or host-specific must come from the environment."""

from config.env import env_bool, env_int, env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
# The static files (CSS, JavaScript, htmx) from the web process itself: collected with their
# content's hash in the name (`manage.py collectstatic` first, as the Dockerfile does) and
# served by WhiteNoise with long-lived caching. (runserver serves them in development.)
MIDDLEWARE = [
    MIDDLEWARE[0],  # noqa: F405  (SecurityMiddleware first)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],  # noqa: F405
]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# SMTP with the outbox commit between the message and the end of its DATA (workflow.mail).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "workflow.mail.TwoPhaseSMTPBackend")

# No sample values in production: the payer's account goes into SEPA files and the court into
# every appeal instruction after a rectification decision (Local Government Act 135 §).
PAYER_NAME = env_str("PAYER_NAME")
PAYER_IBAN = env_str("PAYER_IBAN")
PAYER_BIC = env_str("PAYER_BIC")
ADMINISTRATIVE_COURT = {
    "name": env_str("ADMINISTRATIVE_COURT_NAME"),
    "address": env_str("ADMINISTRATIVE_COURT_ADDRESS"),
    "email": env_str("ADMINISTRATIVE_COURT_EMAIL"),
}
