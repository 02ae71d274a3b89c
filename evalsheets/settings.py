"""evalsheets settings. Every deploy-time value comes from the environment (see .env.example)."""

from pathlib import Path

from evalsheets.env import env_bool, env_database, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # A development default is only acceptable on a developer's machine: say so loudly.
        import warnings

        warnings.warn("DJANGO_SECRET_KEY is not set; using an insecure development key", stacklevel=1)
    SECRET_KEY = "insecure-development-key-set-DJANGO_SECRET_KEY"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
PORT = env_int("PORT", 8000, minimum=1, maximum=65535)

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
    "programs",
    "finance",
    "indicators",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

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
EVALSHEETS_UPLOAD_MAX_BYTES = env_int("EVALSHEETS_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
EVALSHEETS_UPLOAD_MAX_UNZIPPED_BYTES = env_int("EVALSHEETS_UPLOAD_MAX_UNZIPPED_BYTES", 50 * 1024 * 1024, minimum=1)
EVALSHEETS_UPLOAD_MAX_WORKSHEETS = env_int("EVALSHEETS_UPLOAD_MAX_WORKSHEETS", 200, minimum=1)
EVALSHEETS_UPLOAD_MAX_ROWS = env_int("EVALSHEETS_UPLOAD_MAX_ROWS", 2000, minimum=1)  # per worksheet
EVALSHEETS_UPLOAD_MAX_COLUMNS = env_int("EVALSHEETS_UPLOAD_MAX_COLUMNS", 100, minimum=1)  # per worksheet
EVALSHEETS_UPLOAD_SECONDS = env_int("EVALSHEETS_UPLOAD_SECONDS", 20, minimum=1)  # reading and writing one workbook
