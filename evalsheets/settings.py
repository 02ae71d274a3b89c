"""evalsheets settings. Every deploy-time value comes from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE

from evalsheets.env import env_bool, env_database, env_int, env_list, env_secret_key, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
# Required with DEBUG off (ImproperlyConfigured otherwise); `make` generates one per machine into .secret_key.
SECRET_KEY = env_secret_key("DJANGO_SECRET_KEY", debug=DEBUG)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
PORT = env_int("PORT", 8000, minimum=1, maximum=65535)

# HTTPS behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients): one switch, off by
# default so that plain http://127.0.0.1 works. Checked by `manage.py check --deploy` (tests/test_deploy_settings.py).
HTTPS = env_bool("DJANGO_HTTPS", False)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a commitment the domain's owner makes at hstspreload.org, not a per-application default.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "nested_admin",
    "simple_history",
    "django_tables2",
    "django_filters",
    "axes",
    "programs",
    "finance",
    "indicators",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",  # pages compressed (Django masks the CSRF token per response)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "evalsheets.middleware.DatabaseUnavailableMiddleware",  # 503 page while the database is unreachable
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lockout into its page
]

ROOT_URLCONF = "evalsheets.urls"

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
            ],
            "builtins": ["evalsheets.lib.templatetags"],
        },
    },
]

WSGI_APPLICATION = "evalsheets.wsgi.application"

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): 5 failed logins for one user name from one address lock that pair out for 15
# minutes. Attempts are kept in the database, so every app server sees the same lockouts.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"

# Sessions in the database (shared by every app server); the cache in Redis when REDIS_URL is set, else per process.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Logs: JSON lines on stdout (evalsheets/log.py), 500s with their traceback (django.request logs them at ERROR).
LOG_LEVEL = env_str("DJANGO_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "evalsheets.log.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # django-axes says "BEGIN" at every start, management commands included (their stdout is data: dumpdata).
        "axes.apps": {"level": "WARNING"},
    },
}

# Content-Security-Policy (django-csp 4): everything from our own origin only. Pages carry no inline script (chart
# data is JSON drawn by static/js/evalsheets.js); style-src keeps 'unsafe-inline' because plotly.js writes <style>
# rules and style attributes as it draws (README: Security). img-src data:/blob: for plotly's PNG export and patterns.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
# Japanese for packages that ship none (django-simple-history's admin history pages); the .mo is committed
# (rebuild after editing the .po: msgfmt -o locale/ja/LC_MESSAGES/django.mo locale/ja/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Production (DEBUG off; `make run` collects first): hashed names (cached for a year, immutable) and .gz copies that
# whitenoise serves to browsers that accept them. Development serves the files as they are, from static/.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# One sheet's admin page edits every part of the form at once (about 1,500 fields for the
# seed sheets: indicators, yearly values, 18 cost lines × 2 years, breakdown, history …).
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DJANGO_DATA_UPLOAD_MAX_NUMBER_FIELDS", 20000, minimum=1000)

# Workbook uploads (/excel/upload/ and `import_sheets`; programs/interchange/workbook_limits.py): refused with a clear
# error before they can exhaust memory or the 30 s gunicorn worker timeout. Sizes in bytes; a normal sheet is about
# 90 KB zipped, 120 rows × 11 columns; a workbook is read (and its sheets written) in well under a second per sheet.
# The municipality (団体コード) a URL, document or import without one means: 荒川区 in the seed installation.
EVALSHEETS_DEFAULT_MUNICIPALITY = env_str("EVALSHEETS_DEFAULT_MUNICIPALITY", "131181")
EVALSHEETS_UPLOAD_MAX_BYTES = env_int("EVALSHEETS_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
EVALSHEETS_UPLOAD_MAX_UNZIPPED_BYTES = env_int("EVALSHEETS_UPLOAD_MAX_UNZIPPED_BYTES", 50 * 1024 * 1024, minimum=1)
EVALSHEETS_UPLOAD_MAX_WORKSHEETS = env_int("EVALSHEETS_UPLOAD_MAX_WORKSHEETS", 200, minimum=1)
EVALSHEETS_UPLOAD_MAX_ROWS = env_int("EVALSHEETS_UPLOAD_MAX_ROWS", 2000, minimum=1)  # per worksheet
EVALSHEETS_UPLOAD_MAX_COLUMNS = env_int("EVALSHEETS_UPLOAD_MAX_COLUMNS", 100, minimum=1)  # per worksheet
EVALSHEETS_UPLOAD_SECONDS = env_int("EVALSHEETS_UPLOAD_SECONDS", 20, minimum=1)  # reading and writing one workbook
