"""Base settings, read from the environment.

With no environment at all this is the *embedded default*: a SQLite file under ``var/``,
Celery tasks run eagerly in the web process (no Redis), mail printed to the console.
"""

import logging
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from sixaika.oidc.config import providers_from_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="embedded-default-not-for-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation must come before the admin
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # backup codes
    "csp",
    "django_htmx",
    "simple_history",
    "import_export",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "sixaika",
    "sixaika.oidc",
    "core",
    "governance",
    "projects",
    "calls",
    "coordination",
    "reports",
    "projects.api",  # the open-data API under /api/v1/ (templates and static files)
]

MIDDLEWARE = [
    # outermost: /healthz/ and /readyz/ answer a probe before the TLS redirect and the host check
    "sixaika.probes.ProbeMiddleware",
    # the request id on every log line and in X-Request-ID (sixaika/observability.py)
    "sixaika.observability.RequestIdMiddleware",
    # the client's address behind the trusted proxies, for the lockout, throttle and logs
    "sixaika.client_ip.ClientAddressMiddleware",
    # answers CORS preflights and adds the headers for /api/ (CORS_URLS_REGEX)
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sixaika.middleware.ChosenLanguageMiddleware",
    # before anything parses a form: refuses an oversized body by its Content-Length
    "sixaika.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with a password session's user and roles read by one prepared query (core/auth.py)
    "sixaika.middleware.AuthenticationMiddleware",
    # Cache-Control: private, no-store on everything answered to a signed-in user
    "sixaika.middleware.PrivateCacheMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sixaika.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # axes must be last: it turns a locked-out login into the lockout page
    "axes.middleware.AxesMiddleware",
]

# The largest request body the portal reads: the largest file a form takes (an event's material,
# 20 MB) and the form's other fields. Larger ones are refused by their Content-Length (413).
REQUEST_MAX_BYTES = env.int("SIXAIKA_REQUEST_MAX_BYTES", default=21 * 1024 * 1024)

ROOT_URLCONF = "sixaika.urls"
WSGI_APPLICATION = "sixaika.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sixaika.context_processors.portal",
            ],
        },
    },
]

# The empty choice of a select says what it means (core/forms.py), not Django's "---------".
FORM_RENDERER = "core.forms.FormRenderer"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
# A persistent connection is checked before a request reuses it, so a restarted database costs
# no failed request once it is back (tests/faults/test_database_restart.py).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# On PostgreSQL, parameters are bound by the server and a statement run a few times on a
# connection is prepared there (psycopg's prepare_threshold): PostgreSQL then plans it once per
# connection instead of on every request. Planning was most of the database's time for the
# short queries of a signed-in page (the access checks' grants join seven tables): 4.3 ms of a
# status report POST's 6 queries against 1.5 ms prepared (issue 19). It pays with persistent
# connections (DATABASE_CONN_MAX_AGE, 60 s in production); DATABASE_PREPARED=off turns it off
# (e.g. behind a pooler in transaction mode that does not keep prepared statements).
if "postgresql" in DATABASES["default"]["ENGINE"] and env.bool("DATABASE_PREPARED", default=True):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=2
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite (the embedded default) cannot enforce NULLS NOT DISTINCT on Action's order constraint;
# PostgreSQL, which production and the tests use, does.
SILENCED_SYSTEM_CHECKS = ["models.W047"]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins
    "sixaika.oidc.backends.PasswordSwitchBackend",  # refuses passwords when switched off
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
    "sixaika.oidc.backends.ProviderBackend",  # OpenID Connect, see below and docs/oidc.md
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; public pages need no permission
GUARDIAN_RAISE_403 = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"

# Sessions end after a working day, and when the browser closes.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login protection against guessing (django-axes): 5 failures per username and address,
# then a 15-minute cool-off.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address behind the portal's own proxies (sixaika/client_ip.py): the number of
# reverse proxies in front of the portal whose X-Forwarded-For entries are trusted. 0: none, the
# header is ignored. The lockout, the API throttle and the logs all use this address.
SIXAIKA_TRUSTED_PROXIES = env.int(
    "SIXAIKA_TRUSTED_PROXIES", default=env.int("SIXAIKA_API_NUM_PROXIES", default=0)
)
AXES_CLIENT_IP_CALLABLE = "sixaika.client_ip.client_ip"

# Two-factor sign-in (TOTP, django-otp): roles that must use it, and bodies (by kind: board,
# steering_group) whose members and deputies must. Production requires it of the strategy office,
# the board role and every board seat; the embedded default (demo) leaves it optional for all.
SIXAIKA_2FA_REQUIRED_ROLES = env.list("SIXAIKA_2FA_REQUIRED_ROLES", default=[])
SIXAIKA_2FA_REQUIRED_BODIES = env.list("SIXAIKA_2FA_REQUIRED_BODIES", default=[])
# The first authenticator is set up from a one-time link sent by e-mail: valid this many hours,
# at most this many sent per account an hour.
SIXAIKA_2FA_ENROLMENT_LINK_HOURS = env.int("SIXAIKA_2FA_ENROLMENT_LINK_HOURS", default=24)
SIXAIKA_2FA_ENROLMENT_LINKS_PER_HOUR = env.int("SIXAIKA_2FA_ENROLMENT_LINKS_PER_HOUR", default=5)
# A code the strategy office issues for the first set-up: how long it works.
SIXAIKA_2FA_ENROLMENT_CODE_HOURS = env.int("SIXAIKA_2FA_ENROLMENT_CODE_HOURS", default=72)
OTP_TOTP_ISSUER = "6Aika"

# Sign-in with the cities' own accounts (OpenID Connect, mozilla-django-oidc; docs/oidc.md).
# Providers: SIXAIKA_OIDC_PROVIDERS=key1,key2 and SIXAIKA_OIDC_<KEY>_ISSUER/_CLIENT_ID/
# _CLIENT_SECRET/_NAME. Password sign-in stays on unless SIXAIKA_PASSWORD_LOGIN=false.
SIXAIKA_OIDC_PROVIDERS = providers_from_env(env.ENVIRON)
SIXAIKA_PASSWORD_LOGIN = env.bool("SIXAIKA_PASSWORD_LOGIN", default=True)
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_TIMEOUT = env.int("SIXAIKA_OIDC_TIMEOUT_SECONDS", default=10)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
OIDC_CREATE_USER = True
# Roles of people who have not signed in for this long are removed; they are warned by email
# this many days before (Celery beat, sixaika.oidc.tasks).
SIXAIKA_ROLE_EXPIRY_DAYS = env.int("SIXAIKA_ROLE_EXPIRY_DAYS", default=365)
SIXAIKA_ROLE_EXPIRY_WARNING_DAYS = env.int("SIXAIKA_ROLE_EXPIRY_WARNING_DAYS", default=14)

# Content Security Policy (django-csp): no inline scripts, nothing from other origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Languages: Finnish first, English complete, Swedish welcome.
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "fi"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fi",)
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["core.formats"]
LANGUAGE_COOKIE_NAME = "django_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))

CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://")
    if not env.str("REDIS_URL", default="")
    else {
        # Degrades to "no cache" when Redis is down instead of failing pages (core/cache.py);
        # short socket timeouts so that a hung Redis costs a request at most a second.
        "BACKEND": "core.cache.DegradingRedisCache",
        "LOCATION": env.str("REDIS_URL"),
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}

# Sessions in the database, read from Redis when there is one (core/sessions.py): without a
# shared cache, each process's own memory could keep a session another process logged out.
if env.str("REDIS_URL", default=""):
    SESSION_ENGINE = "core.sessions"

# Whole public pages kept for anonymous visitors until their data changes (core/page_cache.py).
SIXAIKA_PAGE_CACHE = env.bool("SIXAIKA_PAGE_CACHE", default=True)

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
if env.str("EMAIL_URL", default=""):
    # e.g. smtp+tls://user:password@smtp.example.org:587
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="portaali@6aika.example")
# Where the accessibility statement tells people to send feedback (law 306/2019 asks for one).
SIXAIKA_ACCESSIBILITY_EMAIL = env.str("SIXAIKA_ACCESSIBILITY_EMAIL", default=DEFAULT_FROM_EMAIL)
# The privacy notice at /privacy/ (GDPR articles 13-14): the controller (empty: "the 6Aika
# strategy office" in the reader's language), its postal address, where requests go, and the data
# protection officer's name and contact if the controller has one.
SIXAIKA_PRIVACY_CONTROLLER = env.str("SIXAIKA_PRIVACY_CONTROLLER", default="")
SIXAIKA_PRIVACY_CONTROLLER_ADDRESS = env.str("SIXAIKA_PRIVACY_CONTROLLER_ADDRESS", default="")
SIXAIKA_PRIVACY_EMAIL = env.str("SIXAIKA_PRIVACY_EMAIL", default=SIXAIKA_ACCESSIBILITY_EMAIL)
SIXAIKA_PRIVACY_DPO = env.str("SIXAIKA_PRIVACY_DPO", default="")

# Celery: eager (in-process) unless a broker is configured.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=env.str("REDIS_URL", default="")) or None
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or "") or None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL is None)
CELERY_TASK_EAGER_PROPAGATES = True
# The queue the portal's tasks go to and its workers take them from: another name keeps two
# portals (or a test's machines) on one Redis apart.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task is acknowledged when it ends (acks_late), so one whose worker died is handed to another
# worker once its message has waited this long unacknowledged; it must exceed the longest task
# (reports: 660 s hard limit). tests/faults/test_worker_killed.py shortens it.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # How often (seconds) a worker looks for such messages: kombu's default, ten seconds.
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
}
CELERY_TIMEZONE = TIME_ZONE
# Beat entries: each app adds its own key (another may have started the dict above).
CELERY_BEAT_SCHEDULE = globals().get("CELERY_BEAT_SCHEDULE", {})
CELERY_BEAT_SCHEDULE["sixaika-oidc-inactive-roles-expire"] = {
    "task": "sixaika.oidc.inactive_roles_expire",
    "schedule": crontab(hour=3, minute=15),
}
CELERY_BEAT_SCHEDULE["projects-report-reminders"] = {
    "task": "projects.report_reminders_send",
    "schedule": crontab(hour=7, minute=30, day_of_week="mon-fri"),  # Helsinki time
}
# Monitoring reports (reports/services.py): made this many days before each board
# meeting, the board told by e-mail with a link under SIXAIKA_BASE_URL.
SIXAIKA_REPORTS_DAYS_BEFORE_MEETING = env.int("SIXAIKA_REPORTS_DAYS_BEFORE_MEETING", default=7)
SIXAIKA_BASE_URL = env.str("SIXAIKA_BASE_URL", default="http://localhost:8000")
CELERY_BEAT_SCHEDULE["coordination-board-reports"] = {
    "task": "coordination.board_reports_schedule",
    "schedule": crontab(hour=6, minute=0),  # Helsinki time
}
# Reports asked for while Redis (the broker) was down are sent again once it is back.
CELERY_BEAT_SCHEDULE["coordination-reports-requeue"] = {
    "task": "coordination.reports_requeue",
    "schedule": crontab(minute="*/5"),
}

# Logs on standard error: readable lines in the embedded default, one JSON object per line
# (time, level, logger, message, request id, Celery task) with SIXAIKA_LOG_FORMAT=json, the
# production default (sixaika/observability.py).
SIXAIKA_LOG_FORMAT = env.str("SIXAIKA_LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "sixaika.observability.JsonFormatter"},
        "text": {
            "()": "sixaika.observability.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": SIXAIKA_LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}
# Python warnings (a library's deprecation, Celery's "running as root") are log lines too.
logging.captureWarnings(True)
# The worker logs through the same handler as Django (JSON in production), not its own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Errors to Sentry when a DSN is given (sentry-sdk; nothing is sent otherwise).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from sixaika.observability import sentry_init

    sentry_init(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default=""),
    )

# Whitenoise serves static files from the finders while developing (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# --- Open-data API (/api/v1/, projects/api/, docs/api.md) -------------------------------------
REST_FRAMEWORK = {
    # Read-only and public: the session is read only so that signed-in users are not throttled.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["projects.api.throttling.ApiAnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("SIXAIKA_API_ANON_RATE", default="120/minute")},
    # REMOTE_ADDR is already the client behind the trusted proxies (SIXAIKA_TRUSTED_PROXIES,
    # sixaika/client_ip.py): DRF must not read X-Forwarded-For again.
    "NUM_PROXIES": 0,
    "UNICODE_JSON": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "6Aika open data API",
    "DESCRIPTION": (
        "The funded portfolio, organisations, the bodies and their seats, and the public "
        "decision register of 6Aika. Read-only, no key needed. Licence CC BY 4.0. "
        "See docs/api.md."
    ),
    "VERSION": "1",
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "AUTHENTICATION_WHITELIST": [],  # nothing to sign in to: no security schemes documented
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the vendored sidecar package: the portal works offline, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}
# CORS: any origin may GET the API (no cookies); nothing else of the portal is opened.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link", "X-Licence", "X-Data-Updated"]
