"""Typed readers for deploy-time settings (after Healthchecks' envbool/envint).

Every reader raises ImproperlyConfigured with the variable's name when the value is
malformed, so a bad deployment fails at start instead of behaving oddly later.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


DEVELOPMENT_SECRET_KEY = "insecure-development-key-only-with-DJANGO_DEBUG=1"


def env_secret_key(name: str, *, debug: bool) -> str:
    """The secret key; required unless DEBUG is on (then a fixed development key stands in)."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if debug:
        return DEVELOPMENT_SECRET_KEY
    raise ImproperlyConfigured(
        f"{name} is not set. With DJANGO_DEBUG=0 (the default) a secret key is required: set {name} to a long random "
        "value (python3 -c 'import secrets; print(secrets.token_urlsafe(50))'), or run through `make`, which keeps "
        "one for this machine in .secret_key."
    )


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ImproperlyConfigured(f"{name}={value} is outside {minimum}..{maximum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name}={raw!r} has an empty entry (comma-separated host names expected)")
    return items


def env_database(name: str, default: str) -> dict:
    import dj_database_url

    raw = os.environ.get(name) or default
    if "://" not in raw:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a database URL (e.g. sqlite:///db.sqlite3 or postgres://user@host:5432/name)"
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj_database_url raises several types for bad URLs
        raise ImproperlyConfigured(f"{name}={raw!r} cannot be used: {exc}") from None
    if config.get("ENGINE") not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
        raise ImproperlyConfigured(f"{name}: only sqlite and postgres URLs are supported, got {raw!r}")
    return config
