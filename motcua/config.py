"""Every setting that comes from the environment, declared once with its help text.

The settings module, the README's configuration table and `.env.example` all read this list
(`motcua env-example` prints the latter), so a setting cannot exist in one place and not the others.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class EnvSetting:
    name: str
    default: str
    help: str

    def raw(self) -> str:
        return os.environ.get(self.name, self.default)


REPO_ROOT = Path(__file__).resolve().parent.parent

SETTINGS: tuple[EnvSetting, ...] = (
    EnvSetting(
        "MOTCUA_DATA_DIR",
        "./var",
        "Folder for the SQLite file, uploaded documents and generated forms (relative to the working directory).",
    ),
    EnvSetting(
        "DATABASE_URL",
        "",
        "Database URL; empty means SQLite in MOTCUA_DATA_DIR. Example: postgresql://motcua:pw@127.0.0.1:5432/motcua",
    ),
    EnvSetting("MOTCUA_SECRET_KEY", "", "Django secret key. Required when MOTCUA_DEBUG is off."),
    EnvSetting("MOTCUA_DEBUG", "0", "1 turns on Django debug pages (development only)."),
    EnvSetting("MOTCUA_ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names the server answers to."),
    EnvSetting("MOTCUA_TIME_ZONE", "Asia/Ho_Chi_Minh", "Time zone of every legal time (domain.md §4)."),
    EnvSetting(
        "MOTCUA_PROVINCE", "15", "Statistics code of the province this installation serves (15 = Tỉnh Lào Cai)."
    ),
    EnvSetting(
        "MOTCUA_MAX_UPLOAD_MB", "20", "Largest document upload accepted, in megabytes (scans of whole dossiers)."
    ),
    EnvSetting(
        "MOTCUA_PUBLIC_BASE_URL",
        "http://127.0.0.1:8000",
        "Public address of the portal; the QR code on printed forms links to its tracking page.",
    ),
    EnvSetting("MOTCUA_LOG_LEVEL", "INFO", "Log level of the motcua loggers."),
    EnvSetting(
        "MOTCUA_QUEUE_PRINTER",
        "",
        "ESC/POS ticket printer of the kiosk: tcp://host:9100 or usb://vendor:product (hex); empty prints nothing.",
    ),
    EnvSetting("MOTCUA_QUEUE_MAX_RECALLS", "3", "Recalls of a queue number before the next one marks it absent."),
    EnvSetting(
        "MOTCUA_TRACKING_LIMIT_CLIENT",
        "30/600",
        "Public dossier lookups allowed per client address: hits/seconds (then HTTP 429).",
    ),
    EnvSetting(
        "MOTCUA_TRACKING_LIMIT_CODE",
        "10/600",
        "Failed lookups allowed per dossier code, from any address: hits/seconds (guards the token and phone digits).",
    ),
    EnvSetting(
        "MOTCUA_OIDC_ISSUER",
        "",
        "Citizen sign-in: OpenID Connect issuer URL (VNeID or compatible); empty uses the built-in simulator.",
    ),
    EnvSetting("MOTCUA_OIDC_CLIENT_ID", "motcua-portal", "Citizen sign-in: client ID registered with the provider."),
    EnvSetting("MOTCUA_OIDC_CLIENT_SECRET", "", "Citizen sign-in: client secret; empty derives one for the simulator."),
    EnvSetting("MOTCUA_OIDC_SCOPES", "openid profile", "Citizen sign-in: scopes asked of the provider."),
    EnvSetting(
        "MOTCUA_OIDC_PERSONAL_ID_CLAIM",
        "personal_id",
        "Citizen sign-in: userinfo claim holding the 12-digit personal ID (số định danh cá nhân).",
    ),
    EnvSetting(
        "MOTCUA_OIDC_SIMULATOR",
        "1",
        "1 serves the local VNeID simulator at /vneid-sim/ (demo and tests); turn off in production.",
    ),
    EnvSetting("MOTCUA_DRAFT_DAYS", "30", "Days an online-submission draft is kept after its last save."),
    EnvSetting("MOTCUA_RATING_CHANGE_DAYS", "7", "Days during which a citizen may change a dossier rating."),
    EnvSetting(
        "MOTCUA_RETENTION_DAYS",
        "3650",
        "Days an applicant's personal data is kept after the dossier closed (returned, refused, withdrawn,"
        " stopped); then `motcua personal-data-retention` (hourly in `make run`) anonymizes it, keeping the"
        " dossier, its codes, statistics and audit chain. 0 keeps it for ever.",
    ),
    EnvSetting(
        "MOTCUA_PARTNER_BASE_URL",
        "http://127.0.0.1:8701",
        "Base URL of the partner systems (national portal, population DB, tax, post, payment, SMS…), one path per"
        " partner; the default is the local simulators of `motcua simulators`.",
    ),
    EnvSetting("MOTCUA_PARTNER_TIMEOUT_S", "10", "Timeout of one request to a partner system, in seconds."),
    EnvSetting(
        "MOTCUA_EXCHANGE_KEY",
        "",
        "Master key signing the exchange log (one HMAC key per partner is derived from it); empty derives it from"
        " the secret key.",
    ),
    EnvSetting(
        "MOTCUA_PAYMENT_CALLBACK_SECRET",
        "",
        "Shared secret of the payment gateway's signed callbacks (HMAC-SHA256); empty derives one for the simulator.",
    ),
    EnvSetting(
        "MOTCUA_POSTAL_CALLBACK_SECRET",
        "",
        "Shared secret of the public post's signed delivery notices (HMAC-SHA256); empty derives one for the"
        " simulator.",
    ),
    EnvSetting("MOTCUA_OUTBOX_BACKOFF_MS", "2000", "First retry delay of an outbound message, doubled per attempt."),
    EnvSetting(
        "MOTCUA_OUTBOX_MAX_ATTEMPTS", "12", "Delivery attempts before an outbound message becomes a dead letter."
    ),
    EnvSetting(
        "MOTCUA_SECURE_COOKIES",
        "",
        "1 marks the session, CSRF and language cookies Secure (sent over HTTPS only); empty means on unless"
        " MOTCUA_DEBUG; `make run` sets 0 because the demo serves plain HTTP.",
    ),
    EnvSetting(
        "MOTCUA_HSTS_SECONDS",
        "31536000",
        "Strict-Transport-Security max-age sent on HTTPS responses when MOTCUA_DEBUG is off; 0 sends none.",
    ),
    EnvSetting(
        "MOTCUA_SSL_REDIRECT",
        "0",
        "1 redirects every plain-HTTP request to HTTPS (when the server or its proxy has TLS).",
    ),
    EnvSetting(
        "MOTCUA_TLS_PROXY_HEADER",
        "",
        "Header by which the TLS proxy in front marks an HTTPS request: `X-Forwarded-Proto` (value https) or"
        " `Name=value`; empty trusts no header. Set only behind a proxy that overwrites it.",
    ),
    EnvSetting(
        "MOTCUA_SESSION_IDLE_MINUTES",
        "30",
        "Minutes without a request after which a staff (or citizen) session ends and the user signs in again.",
    ),
    EnvSetting(
        "MOTCUA_SIGNIN_LIMIT_USERNAME",
        "5/900",
        "Failed staff sign-ins allowed per user name: failures/seconds; reaching it locks that name out.",
    ),
    EnvSetting(
        "MOTCUA_SIGNIN_LIMIT_ADDRESS",
        "20/900",
        "Failed staff sign-ins allowed per client address: failures/seconds; reaching it locks that address out.",
    ),
    EnvSetting("MOTCUA_SIGNIN_LOCKOUT_MINUTES", "15", "Minutes a locked-out user name or address cannot sign in."),
    EnvSetting(
        "MOTCUA_SIGNIN_LOG_DAYS",
        "365",
        "Days the staff sign-in log (names typed and client addresses of failed sign-ins, lockouts, bad codes"
        " and tokens) is kept; then `motcua personal-data-retention` deletes it. 0 keeps it for ever.",
    ),
    EnvSetting(
        "MOTCUA_TOKEN_LIMIT_ADDRESS",
        "20/600",
        "Invalid API bearer tokens allowed per client address: failures/seconds (then HTTP 429).",
    ),
    EnvSetting(
        "MOTCUA_STAFF_OTP",
        "",
        "Staff second factor (TOTP): required, optional (only staff who enrolled a device enter a code) or off;"
        " empty means required unless MOTCUA_DEBUG. `make run` sets optional for the demo accounts.",
    ),
    EnvSetting("PORT", "8000", "Port that `make run` serves on."),
    EnvSetting(
        "MOTCUA_DB_POOL_SIZE",
        "0",
        "PostgreSQL connections per server process: 0 keeps one persistent connection per thread (60 s);"
        " N > 0 uses Django's psycopg pool of at most N (set it to the threads per process).",
    ),
    EnvSetting(
        "MOTCUA_DB_PREPARE_THRESHOLD",
        "5",
        "PostgreSQL: the fixed statements every request runs (token check, reception's writes) become prepared"
        " statements after this many runs on a connection; 0 never prepares (PgBouncer in transaction mode"
        " before 1.21).",
    ),
    EnvSetting(
        "MOTCUA_REPLICA_DATABASE_URL",
        "",
        "Read replica of DATABASE_URL (streaming replication); when set, the reports app's dashboards read their"
        " fact tables from it. Empty reads everything from the primary.",
    ),
    EnvSetting("MOTCUA_WEB_WORKERS", "3", "`make run-prod`: gunicorn worker processes (2 cores: 3)."),
    EnvSetting("MOTCUA_WEB_THREADS", "4", "`make run-prod`: threads per gunicorn worker (gthread)."),
    EnvSetting("MOTCUA_BIND", "127.0.0.1:8000", "`make run-prod`: address gunicorn listens on (behind the TLS proxy)."),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


def env(name: str) -> str:
    """The value of a declared setting (environment first, then its default)."""
    return _BY_NAME[name].raw()


def env_bool(name: str) -> bool:
    return env(name).strip().lower() in {"1", "true", "yes", "on"}


def data_dir() -> Path:
    path = Path(env("MOTCUA_DATA_DIR"))
    return path if path.is_absolute() else Path.cwd() / path


def proxy_ssl_header(text: str) -> tuple[str, str] | None:
    """`MOTCUA_TLS_PROXY_HEADER` as Django's SECURE_PROXY_SSL_HEADER: `X-Forwarded-Proto` means that header
    equal to `https`, `X-Forwarded-Ssl=on` names the value too; empty trusts no header."""
    name, _, value = text.partition("=")
    if not name.strip():
        return None
    return "HTTP_" + name.strip().upper().replace("-", "_"), value.strip() or "https"


def env_example() -> str:
    lines = ["# motcua settings: every variable, its default and what it does (generated by `motcua env-example`)."]
    for setting in SETTINGS:
        lines.append(f"# {setting.help}")
        lines.append(f"{setting.name}={setting.default}")
    return "\n".join(lines) + "\n"
