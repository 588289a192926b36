"""Settings: everything that differs between a laptop and production comes from the environment.

With no DATABASE_URL and no REDIS_URL the app runs on its embedded default: SQLite in ``var/`` and a
Celery broker kept in files, so ``make run`` needs no server. README.md lists every variable.
"""

from pathlib import Path

import dj_database_url

from secondcrm.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SECONDCRM_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY") or (
    "insecure-embedded-default-key-only-for-local-runs" if DEBUG or not env_str("DATABASE_URL") else ""
)
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DATABASE_URL is set (production).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "django_celery_beat",
    "taggit",
    "guardian",
    "secondcrm.access",
    "secondcrm.records",
    "secondcrm.picklists",
    "secondcrm.documents",
    "secondcrm.benchdata",
    "secondcrm.imports",
    "secondcrm.company",
    "settings_admin",
    "accounts",
    "leads",
    "potentials",
    "webforms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "secondcrm.access.middleware.UserTimezoneMiddleware",
    "secondcrm.records.changes.ChangeContextMiddleware",
    "secondcrm.access.middleware.AuditTrailMiddleware",
]
# Settings > Audit Trail: one row per action of a signed-in user (secondcrm/access/audit.py); operators who
# do not want it turn it off here.
AUDIT_TRAIL_ENABLED = env_bool("AUDIT_TRAIL_ENABLED", True)

ROOT_URLCONF = "secondcrm.urls"
WSGI_APPLICATION = "secondcrm.wsgi.application"
ASGI_APPLICATION = "secondcrm.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "secondcrm.records.context_processors.menu",
            ],
        },
    },
]

# Form widgets render through Jinja2's copies of Django's widget templates (the same HTML): a <select> includes a
# template for each of its options, and over a list page's filter selects Django's template engine takes three
# times as long as Jinja2.
FORM_RENDERER = "django.forms.renderers.Jinja2"

# --- Database -------------------------------------------------------------------------------------
EMBEDDED = not env_str("DATABASE_URL")
if EMBEDDED:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'secondcrm.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users and sessions -----------------------------------------------------------------------------
AUTH_USER_MODEL = "access.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
ANONYMOUS_USER_NAME = None  # django-guardian: no anonymous user row; anonymous visitors see nothing.

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "Asia/Singapore")
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules/bootstrap/dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules/bootstrap-icons/font"),
    ("vendor/htmx", BASE_DIR / "node_modules/htmx.org/dist"),
    # SortableJS ships its built files at the package root (no dist/ folder).
    ("vendor/sortablejs", BASE_DIR / "node_modules/sortablejs"),
    ("vendor/tom-select", BASE_DIR / "node_modules/tom-select/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not EMBEDDED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = EMBEDDED or DEBUG
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploaded documents are never served as static media: a view checks who may see them first.
DOCUMENT_MAX_UPLOAD_MB = env_int("DOCUMENT_MAX_UPLOAD_MB", 25)
# Export to PDF lays out every row in the request: past this many, the Export page asks to narrow the
# records or to export to CSV or Excel, which stream any number.
PDF_EXPORT_MAX_ROWS = env_int("PDF_EXPORT_MAX_ROWS", 1000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Background work ---------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Every request reads its session: from Redis, with the database behind it so a Redis restart signs no one out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Embedded default: a file-based broker lets a real worker run without a broker server.
    _broker_dir = VAR_DIR / "broker"
    for sub in ("out", "processed", "control"):
        (_broker_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "data_folder_processed": str(_broker_dir / "processed"),
        # Without it, kombu keeps its broadcast exchanges in ./control, wherever the worker was started.
        "control_folder": str(_broker_dir / "control"),
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each role's access policy (profiles, rights, field access, sharing) is cached where every process sees the
# same entries and the same invalidation: Redis. The embedded default's in-process cache would let one
# process keep a stale policy after another changed it, so there it is rebuilt on every request.
ACCESS_POLICY_CACHE = "default" if REDIS_URL else None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "purge-expired-recycle-bin": {
        "task": "secondcrm.records.tasks.purge_expired_recycle_bin",
        "schedule": 60 * 60 * 6,
    },
    "resume-stalled-imports": {
        "task": "secondcrm.imports.tasks.resume_stalled_imports",
        "schedule": 60,
    },
}
RECYCLE_BIN_RETENTION_DAYS = env_int("RECYCLE_BIN_RETENTION_DAYS", 90)
# Imports: the largest file accepted, and how long an import may go without committing a chunk before it is
# taken to have lost its worker and is started again (it resumes after its last committed chunk).
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 100)
IMPORT_STALL_SECONDS = env_int("IMPORT_STALL_SECONDS", 120)

# --- Mail ----------------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "crm@localhost")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

# --- Security (production) ----------------------------------------------------------------------------
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if EMBEDDED else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not EMBEDDED
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not EMBEDDED and not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not EMBEDDED and not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Joining the browsers' HSTS preload list binds every subdomain of the operator's domain to https and is
# slow to undo, so it is their call (SECURE_HSTS_PRELOAD=true), not a default. Silencing the standing
# warning about it keeps ``check --deploy`` clean, so that any new warning stands out.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# --- The demo -------------------------------------------------------------------------------------------
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "demo")

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs each step of every PDF at INFO; its warnings (a CSS rule it ignores) still show.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
