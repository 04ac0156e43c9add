"""Django settings. Every value that varies between installations comes from `motcua.config`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from motcua.config import data_dir, env, env_bool, proxy_ssl_header

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
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
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
    "motcua.core.middleware.NulCharacterMiddleware",
    # Static files from the app server itself (run-prod: no separate web server to configure on site).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "motcua.core.middleware.ContentSecurityPolicyMiddleware",
    "motcua.core.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.SessionIdleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "motcua.org.middleware.StaffSecondFactorMiddleware",
    "motcua.core.middleware.LazyMessageMiddleware",
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


_ENGINE = "motcua.core.postgresql"


def _postgresql(url: str, *, pool_size: int) -> dict[str, Any]:
    """One PostgreSQL alias: Django's native psycopg pool (a pool needs CONN_MAX_AGE 0) or one persistent
    connection per thread, checked before reuse (`motcua.core.postgresql`: Django's backend, the check read
    from the socket)."""
    if pool_size <= 0:
        return dict(dj_database_url.parse(url, engine=_ENGINE, conn_max_age=60, conn_health_checks=True))
    config: dict[str, Any] = dict(dj_database_url.parse(url, engine=_ENGINE, conn_max_age=0))
    options: dict[str, Any] = dict(config.get("OPTIONS") or {})
    config["OPTIONS"] = {**options, "pool": {"min_size": 1, "max_size": pool_size, "timeout": 10}}
    return config


_database_url = env("DATABASE_URL")
if _database_url:
    _pool_size = int(env("MOTCUA_DB_POOL_SIZE"))
    DATABASES = {"default": _postgresql(_database_url, pool_size=_pool_size)}
    if _replica_url := env("MOTCUA_REPLICA_DATABASE_URL"):
        # Tests have no second server: the replica alias mirrors the default database there.
        DATABASES["replica"] = {**_postgresql(_replica_url, pool_size=_pool_size), "TEST": {"MIRROR": "default"}}
        DATABASE_ROUTERS = ["motcua.core.routing.ReportsReplicaRouter"]
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
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise reads it at start; `collectstatic` fills it (run-prod)
# Project-wide files (site.css, vendored htmx) live outside any app.
STATICFILES_DIRS = [BASE_DIR / "static"]

# Staff pages sign in with a Django session; each role then lands on its own queue.
LOGIN_URL = "dossiers:login"
LOGIN_REDIRECT_URL = "dossiers:home"
# Every staff sign-in form (staff pages, queue counters, admin) goes through the throttled backend.
AUTHENTICATION_BACKENDS = ["motcua.org.signin.ThrottledModelBackend"]

# Protective headers (docs/reliability.md, "Access and sign-in"). HSTS goes out on HTTPS responses only.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_HSTS_SECONDS = 0 if DEBUG else int(env("MOTCUA_HSTS_SECONDS"))
SECURE_SSL_REDIRECT = env_bool("MOTCUA_SSL_REDIRECT")
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(env("MOTCUA_TLS_PROXY_HEADER"))
X_FRAME_OPTIONS = "DENY"
#: Browser features no page uses; the queue board speaks through speechSynthesis, which needs none.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=()"
# Only the site's own scripts, styles, fonts and event streams (htmx, the board's SSE); QR codes are data:
# images. A page that must inline a style or script asks for `request.csp_nonce`.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Cookies: not readable by scripts, not sent on cross-site sub-requests, HTTPS-only outside development.
_secure_cookies = env("MOTCUA_SECURE_COOKIES").strip()
SECURE_COOKIES = env_bool("MOTCUA_SECURE_COOKIES") if _secure_cookies else not DEBUG
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"
# Idle expiry: a request pushes the end of the session forward by this much (motcua.core.middleware).
SESSION_COOKIE_AGE = int(env("MOTCUA_SESSION_IDLE_MINUTES")) * 60

# Staff sign-in throttling and the second factor (motcua.org.signin, motcua.org.otp).
MOTCUA_SIGNIN_LIMIT_USERNAME = env("MOTCUA_SIGNIN_LIMIT_USERNAME")
MOTCUA_SIGNIN_LIMIT_ADDRESS = env("MOTCUA_SIGNIN_LIMIT_ADDRESS")
MOTCUA_SIGNIN_LOCKOUT_MINUTES = int(env("MOTCUA_SIGNIN_LOCKOUT_MINUTES"))
MOTCUA_TOKEN_LIMIT_ADDRESS = env("MOTCUA_TOKEN_LIMIT_ADDRESS")
MOTCUA_DB_PREPARE_THRESHOLD = int(env("MOTCUA_DB_PREPARE_THRESHOLD"))
MOTCUA_STAFF_OTP = env("MOTCUA_STAFF_OTP").strip() or ("optional" if DEBUG else "required")
if MOTCUA_STAFF_OTP not in {"required", "optional", "off"}:
    raise ImproperlyConfigured("MOTCUA_STAFF_OTP must be required, optional or off")
OTP_TOTP_ISSUER = "motcua"
# Where a staff member who owes a code is sent, and what stays reachable before it (motcua.org.middleware).
OTP_VERIFY_URL = "dossiers:otp"
OTP_EXEMPT_URLS = ["dossiers:otp-enrol", "dossiers:logout", "queueing:logout", "admin:logout", "set_language"]

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {"motcua": {"handlers": ["console"], "level": env("MOTCUA_LOG_LEVEL")}},
}
