"""Django settings. Every value that varies between installations comes from `motcua.config`."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from motcua.config import data_dir, env, env_bool

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("MOTCUA_DEBUG")
SECRET_KEY = env("MOTCUA_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        # A local, per-installation key: generated once and kept beside the data, never in code.
        key_file = DATA_DIR / "secret_key"
        if not key_file.exists():
            from django.core.management.utils import get_random_secret_key

            key_file.write_text(get_random_secret_key())
            key_file.chmod(0o600)
        SECRET_KEY = key_file.read_text().strip()
    else:
        SECRET_KEY = "insecure-development-key"  # noqa: S105 - debug only
if not SECRET_KEY:
    raise ImproperlyConfigured("MOTCUA_SECRET_KEY is empty")

ALLOWED_HOSTS = [host.strip() for host in env("MOTCUA_ALLOWED_HOSTS").split(",") if host.strip()]
MOTCUA_PROVINCE = env("MOTCUA_PROVINCE")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "motcua.core",
    "motcua.org",
    "motcua.workcal",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.queueing",
    "motcua.citizens",
    "motcua.integrations",
    "motcua.portal",
    "motcua.reports",
    "motcua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

_database_url = env("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "motcua.sqlite3"),
            # WAL lets readers work while one writer commits; IMMEDIATE makes writers queue instead of
            # failing with "database is locked" when they upgrade a read lock.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file, not pytest-django's in-memory default: concurrency tests run threads with their own
            # connections, and those cannot share an in-memory database.
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.StaffUser"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("MOTCUA_TIME_ZONE")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Project-wide files (site.css, vendored htmx) live outside any app.
STATICFILES_DIRS = [BASE_DIR / "static"]

# Staff pages sign in with a Django session; each role then lands on its own queue.
LOGIN_URL = "dossiers:login"
LOGIN_REDIRECT_URL = "dossiers:home"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {"motcua": {"handlers": ["console"], "level": env("MOTCUA_LOG_LEVEL")}},
}
