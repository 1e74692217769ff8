"""Settings shared by every environment. Secrets and hosts come from the environment."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "axes",
    "django_fsm",
    "rules.apps.AutodiscoverRulesConfig",
    "organisations",
    "workflow",
    "application_forms",
    "premises",
    "grants",
    "assessments",
    "agreements",
    "documents",
    "finance",
    "portal",
    "identity",
    "publicity",
    "liaison",
    "association_report",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in person's saved language wins over cookie and browser.
    "config.user_language.UserLanguageMiddleware",
    # The strong identity of this sign-in, for e-Authorizations' checks at each act.
    "organisations.mandates.MandateDelegateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # config's own pages (front page, sign-in, error pages); the page frame and the
        # includes every portal page uses are the portal app's (portal/templates/).
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portals",
            ],
        },
    },
]

# Without DATABASE_URL the product runs on an embedded SQLite file under var/.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has no row locks: IMMEDIATE transactions take the write lock at BEGIN, so two
    # concurrent transitions queue up (the second then sees the new state and gets a 409)
    # instead of failing with "database is locked". WAL lets readers go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisations.User"

AUTHENTICATION_BACKENDS = [
    # First: refuses a sign-in while its username and address are locked out (django-axes).
    "config.auth.SignInThrottleBackend",
    # Refuses every username-and-password sign-in when PASSWORD_SIGN_IN is off.
    "identity.backends.PasswordSignInSwitch",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True
# The root catalogue holds config/'s strings; every app keeps its own in <app>/locale/.
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language chosen before signing in, or after signing out, is kept for a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True

STATIC_URL = "static/"
# The API documentation's stylesheet (config/ is not an app); the portals' CSS, JavaScript and
# vendored htmx are the portal app's (portal/static/), found with every app's static files.
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "accounts:login"
# `home` sends a signed-in person on to their portal (portal/portals.py).
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# Content Security Policy (django-csp): only this origin's scripts and styles, never inline
# ones, so no template may carry a <script> body, a style attribute or an on* handler.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
    }
}

# Sign-in throttling (django-axes): after LOGIN_FAILURE_LIMIT failures for one username from
# one address, that pair is locked out for LOGIN_LOCKOUT_MINUTES (each further try restarts
# the wait); a successful sign-in clears the count.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "config.auth.lockout_response"
AXES_CLIENT_IP_CALLABLE = "config.auth.client_ip"
# How many reverse proxies in front of the web tier append to X-Forwarded-For: 0 reads the
# address of the connection itself, which no client can forge. Behind a load balancer set 1,
# or every client shares the balancer's address for throttling.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Sign-in through OpenID Connect (identity/, docs/identity.md). A provider is on when its
# discovery URL is set: "suomifi" for residents and associations (Suomi.fi e-Identification
# through the municipality's broker), "officials" for the public body's own staff.
OIDC_PROVIDERS = {
    name: {
        "discovery_url": env_str(f"OIDC_{name.upper()}_DISCOVERY_URL"),
        "client_id": env_str(f"OIDC_{name.upper()}_CLIENT_ID"),
        "client_secret": env_str(f"OIDC_{name.upper()}_CLIENT_SECRET"),
        "scope": env_str(f"OIDC_{name.upper()}_SCOPE", "openid profile email"),
        # The claim carrying the personal identity code, if the broker passes one on.
        "hetu_claim": env_str(f"OIDC_{name.upper()}_HETU_CLAIM", "hetu"),
    }
    for name in ("suomifi", "officials")
    if env_str(f"OIDC_{name.upper()}_DISCOVERY_URL", "")
}
# The key of the personal identity code's keyed hash (HMAC-SHA256): the code itself is never
# stored. Empty: the code is not used at all, people are matched by the provider's subject.
IDENTITY_HASH_KEY = env_str("IDENTITY_HASH_KEY", "")
# Username and password (the demo's sign-in); off: only the providers above sign people in.
PASSWORD_SIGN_IN = env_bool("PASSWORD_SIGN_IN", True)
# The header's sign-out form is answered with a redirect to the provider's end_session
# endpoint, and a browser holds a form's redirects to form-action too (CSP Level 3): the
# providers' origins are allowed there, and nowhere else.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += sorted(
    {
        "{0.scheme}://{0.netloc}".format(urlsplit(p["discovery_url"]))
        for p in OIDC_PROVIDERS.values()
    }
)

# Shown in the portals' header and in the accessibility statement (Act 306/2019).
SERVICE_OWNER = env_str("SERVICE_OWNER", "Esimerkkilän kaupunki")
ACCESSIBILITY_FEEDBACK_EMAIL = env_str("ACCESSIBILITY_FEEDBACK_EMAIL", "saavutettavuus@example.fi")
# When the accessibility statement was last reviewed (ISO date).
ACCESSIBILITY_STATEMENT_DATE = env_str("ACCESSIBILITY_STATEMENT_DATE", "2026-11-22")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "config.user_language.UserLanguageTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "workflow.pagination.Pagination",
    "DEFAULT_PARSER_CLASSES": [
        "workflow.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "workflow.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "workflow.api.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Avustus API",
    "DESCRIPTION": "Grants and partnership agreements between public bodies and associations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from this origin (drf-spectacular-sidecar): no CDN, nothing the CSP refuses.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The errors every operation may answer with, and their bodies (workflow.api).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "workflow.api.error_responses",
    ],
    # Choice sets that share a field name (state, outcome, kind, status) are named here, so
    # every component keeps its name as others are added; the sides appear under several
    # field names.
    "ENUM_NAME_OVERRIDES": {
        "StateEnum": "grants.models.Application.State",
        "OutcomeEnum": "grants.models.Outcome",
        "ChannelEnum": "grants.models.Channel",
        "KindEnum": "documents.models.Kind",
        "StatusEnum": "workflow.models.Notification.Status",
        "AgreementStateEnum": "agreements.models.Agreement.State",
        "AgreementVersionStateEnum": "agreements.models.AgreementVersion.State",
        "AgreementVersionOutcomeEnum": "agreements.models.AgreementVersion.Outcome",
        "EvaluationStateEnum": "agreements.models.Evaluation.State",
        "ResourceKindEnum": "agreements.models.Resource.Kind",
        "MeetingStatusEnum": "agreements.selectors.MEETING_STATUSES",
        "SideEnum": "agreements.models.Side",
        "RectificationOutcomeEnum": "workflow.rectification.RectificationOutcome",
    },
}

# Celery: Redis when REDIS_URL is set, otherwise the filesystem transport under var/, so the
# embedded default needs no broker process.
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
    if REDIS_URL
    else {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
    }
)
# Sending a task: a broker that is down refuses at once, and a few quick retries ride out a
# restart without holding a person's request for more than about a second.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 3,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.4,
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Beat touches <schedule file>.heartbeat on every tick, and ticks at least once a minute: the
# container's health check reads the file's age (config/beat.py, docker-compose.yml).
CELERY_BEAT_SCHEDULER = "config.beat:HeartbeatScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 60

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "avustukset@example.fi")

# Legal periods (docs/domain.md). Settings with the statutory defaults, never literals in code.
# Administrative Procedure Act 59 § / Local Government Act 139 §: an ordinary letter is deemed
# received on the 7th day after sending; electronically with consent (Act 13/2003 19 §) the 3rd.
NOTIFICATION_DEEMED_DAYS_LETTER = env_int("NOTIFICATION_DEEMED_DAYS_LETTER", 7)
NOTIFICATION_DEEMED_DAYS_ELECTRONIC = env_int("NOTIFICATION_DEEMED_DAYS_ELECTRONIC", 3)
# Local Government Act 134 §: a request for rectification within 14 days of notification.
RECTIFICATION_PERIOD_DAYS = env_int("RECTIFICATION_PERIOD_DAYS", 14)
# Local Government Act 135 §: an appeal to the administrative court within 30 days.
ADMINISTRATIVE_COURT_APPEAL_DAYS = env_int("ADMINISTRATIVE_COURT_APPEAL_DAYS", 30)
# How long an association has to answer a request for completion, unless the preparer says.
COMPLETION_PERIOD_DAYS = env_int("COMPLETION_PERIOD_DAYS", 14)

# Reminders. Recipients: "association" (its representatives) or "preparers" (the public body's).
# A call can override the days with a reminder policy in the admin.
REMINDER_HOUR = env_int("REMINDER_HOUR", 8)
# Daily digests go out after the reminders of the day have been written.
DIGEST_HOUR = env_int("DIGEST_HOUR", 9)
REMINDER_DEFAULTS = {
    # Partnership agreements: the yearly evaluation, the cooperation meetings, the term's end.
    "evaluation_due": {
        "days_before": [30, 7],
        "remind_to": "association",
        "overdue_every_days": 14,
        "overdue_to": "liaisons",
    },
    "meeting_due": {"days_before": [30, 7], "remind_to": "liaisons", "overdue_to": "liaisons"},
    "agreement_ends": {"days_before": [180, 90, 30], "remind_to": "liaisons"},
    "call_closes": {"days_before": [7, 1], "remind_to": "association"},
    # The association meetings (yhdistysilta, liaison/): the invited associations' people, a
    # few days before, on a working day.
    "association_meeting": {"days_before": [3], "remind_to": "association"},
    "completion_due": {
        "days_before": [3, 1],
        "remind_to": "association",
        "overdue_to": "preparers",
    },
    "report_due": {
        "days_before": [30, 14, 1],
        "remind_to": "association",
        "overdue_every_days": 7,
        "overdue_to": "association",
    },
}
# Partnership agreements.
# The renewal is prepared this many days before the term ends.
AGREEMENT_RENEWAL_NOTICE_DAYS = env_int("AGREEMENT_RENEWAL_NOTICE_DAYS", 180)
# The association's evaluation of a period is due this many days after the period ends.
AGREEMENT_EVALUATION_DUE_DAYS = env_int("AGREEMENT_EVALUATION_DUE_DAYS", 60)
# Premises booked by the week are counted for this many weeks a year in the summaries.
AGREEMENT_WEEKS_PER_YEAR = env_int("AGREEMENT_WEEKS_PER_YEAR", 52)
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 5)
NOTIFICATION_RETRY_SECONDS = env_int("NOTIFICATION_RETRY_SECONDS", 60)
NOTIFICATION_MESSAGE_ID_DOMAIN = env_str("NOTIFICATION_MESSAGE_ID_DOMAIN", "avustus.local")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Decision documents and the hand-off to finance.
FINANCE_DOCUMENT_LANGUAGE = env_str("FINANCE_DOCUMENT_LANGUAGE", "fi")
# Finance pays within this many days of the payment order.
PAYMENT_ORDER_DUE_DAYS = env_int("PAYMENT_ORDER_DUE_DAYS", 7)
# Where an appeal goes after a decision on a request for rectification (Local Government Act
# 135 §): the administrative court of the public body's region.
ADMINISTRATIVE_COURT = {
    "name": env_str("ADMINISTRATIVE_COURT_NAME", "Helsingin hallinto-oikeus"),
    "address": env_str("ADMINISTRATIVE_COURT_ADDRESS", "Radanrakentajantie 5, 00520 Helsinki"),
    "email": env_str("ADMINISTRATIVE_COURT_EMAIL", "helsinki.hao@oikeus.fi"),
}
# The payer's account for SEPA credit transfers (pain.001).
PAYER_NAME = env_str("PAYER_NAME", "Esimerkkilän kaupunki")
PAYER_IBAN = env_str("PAYER_IBAN", "FI4950009420028730")
PAYER_BIC = env_str("PAYER_BIC", "OKOYFIHH")
# LibreOffice for PDF copies; empty or missing: PDFs are skipped with a log line.
LIBREOFFICE = env_str("LIBREOFFICE", "libreoffice")
PDF_TIMEOUT_SECONDS = env_int("PDF_TIMEOUT_SECONDS", 120)
# A running LibreOffice for PDF copies, "host:port" of `manage.py pdf_server` (unoserver):
# a copy then takes a fraction of a second instead of a LibreOffice start. Empty: none. When it
# does not answer, documents.pdf starts LibreOffice itself (one log line).
PDF_SERVER = env_str("PDF_SERVER", "")

ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_EXTENSIONS = env_list(
    "ATTACHMENT_EXTENSIONS", ["pdf", "docx", "xlsx", "odt", "ods", "png", "jpg", "jpeg"]
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Who may act for an association (organisations.mandates, docs/mandates.md). "local": the roles
# an administrator gave in this service; "suomifi": Suomi.fi e-Authorizations (its REST API,
# the client id and secret of the municipality's agreement), asked at sign-in and again before
# each legally significant act (submit, sign, report, request for rectification).
MANDATES_SOURCE = env_str("MANDATES_SOURCE", "local")
if MANDATES_SOURCE not in ("local", "suomifi"):
    raise ImproperlyConfigured(f"MANDATES_SOURCE: local or suomifi, not {MANDATES_SOURCE!r}.")
SUOMIFI_MANDATES_URL = env_str("SUOMIFI_MANDATES_URL", "https://asiointivaltuustarkastus.suomi.fi")
SUOMIFI_MANDATES_CLIENT_ID = env_str("SUOMIFI_MANDATES_CLIENT_ID", "")
SUOMIFI_MANDATES_CLIENT_SECRET = env_str("SUOMIFI_MANDATES_CLIENT_SECRET", "")
SUOMIFI_MANDATES_TIMEOUT_SECONDS = env_int("SUOMIFI_MANDATES_TIMEOUT_SECONDS", 10)
# Register roles (organisationRoles) that act for the association in every matter: the chair
# and those entitled to sign its name. Anyone else needs a mandate for the act's topic.
SUOMIFI_MANDATES_FULL_ROLES = env_list("SUOMIFI_MANDATES_FULL_ROLES", ["PJ", "NIMKO"])
# The e-Authorizations topic (issue) of each act, as the municipality's agreement names them.
SUOMIFI_MANDATES_TOPICS = {
    "apply": env_str("SUOMIFI_MANDATE_TOPIC_APPLY", "avustushakemuksen_tekeminen"),
    "report": env_str("SUOMIFI_MANDATE_TOPIC_REPORT", "avustushakemuksen_tekeminen"),
    "rectify": env_str("SUOMIFI_MANDATE_TOPIC_RECTIFY", "avustushakemuksen_tekeminen"),
    "sign": env_str("SUOMIFI_MANDATE_TOPIC_SIGN", "sopimuksen_allekirjoittaminen"),
}
# The association register (YTJ open data API v3, organisations.ytj): about 300 requests a
# minute shared by all its users, so one client asks at most once every
# YTJ_MIN_INTERVAL_SECONDS, with YTJ_RETRIES retries and backoff, honouring a 429's Retry-After.
YTJ_BASE_URL = env_str("YTJ_BASE_URL", "https://avoindata.prh.fi/opendata-ytj-api/v3")
YTJ_MIN_INTERVAL_SECONDS = env_int("YTJ_MIN_INTERVAL_SECONDS", 2)
YTJ_RETRIES = env_int("YTJ_RETRIES", 3)
YTJ_TIMEOUT_SECONDS = env_int("YTJ_TIMEOUT_SECONDS", 10)
# REGISTER_CHECK on (production): the weekly beat reads the register for every association with
# money open, and a payment waits when the last reading is missing or older than
# REGISTER_READING_MAX_AGE_DAYS (the register unreachable for longer than a week and then some).
# Off (the demo, the tests, a deployment without network): readings taken by hand still block.
REGISTER_CHECK = env_bool("REGISTER_CHECK", False)
REGISTER_READING_MAX_AGE_DAYS = env_int("REGISTER_READING_MAX_AGE_DAYS", 14)

# The public pages and open data (publicity/). Local Government Act 410/2015 139 §: a resident is
# deemed to know of a decision published online on the 7th day after its publication.
PUBLICATION_DEEMED_DAYS = env_int("PUBLICATION_DEEMED_DAYS", 7)
# How long a reader may keep a public page or a page of open data before revalidating it.
PUBLIC_PAGES_MAX_AGE = env_int("PUBLIC_PAGES_MAX_AGE", 300)
# The publisher's 360Giving prefix (registered with 360Giving) before each grant's number in
# the open data (docs/open-data.md).
OPEN_DATA_IDENTIFIER_PREFIX = env_str("OPEN_DATA_IDENTIFIER_PREFIX", "360G-avustus-")
