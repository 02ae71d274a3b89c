"""Production settings: a required secret key, one HTTPS switch that passes `check --deploy`, the
Content-Security-Policy, password validators, sessions and cache."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured, ValidationError

from evalsheets import env

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION_KEY = "k7Q2vX9pL4mN8rT1wY6zA3cF5hJ0bD2gE4iK6oM8qS1uV3xZ5nW7yB9"  # 55 characters, only for these subprocesses
VARIABLES = ("DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_HTTPS", "REDIS_URL")


def _run(arguments: list[str], **variables: str) -> subprocess.CompletedProcess:
    """manage.py or python in a clean environment: none of the settings' variables but those given."""
    environment = {k: v for k, v in os.environ.items() if k not in VARIABLES} | variables
    return subprocess.run(
        [sys.executable, *arguments], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


PROBE = """
import json, django
django.setup()
from django.conf import settings as s
names = ["DEBUG", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
         "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_ENGINE", "AXES_HANDLER"]
values = {name: getattr(s, name) for name in names}
values["CACHE_BACKEND"] = s.CACHES["default"]["BACKEND"]
print(json.dumps(values))
"""


def _settings(**variables: str) -> dict:
    result = _run(["-c", PROBE], DJANGO_SETTINGS_MODULE="evalsheets.settings", **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_debug_a_secret_key_is_required(monkeypatch):
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY is not set"):
        env.env_secret_key("DJANGO_SECRET_KEY", debug=False)
    assert env.env_secret_key("DJANGO_SECRET_KEY", debug=True) == env.DEVELOPMENT_SECRET_KEY
    monkeypatch.setenv("DJANGO_SECRET_KEY", PRODUCTION_KEY)
    assert env.env_secret_key("DJANGO_SECRET_KEY", debug=False) == PRODUCTION_KEY


def test_start_up_fails_without_a_secret_key():
    result = _run(["manage.py", "check"])
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in result.stderr
    assert _run(["manage.py", "check"], DJANGO_DEBUG="1").returncode == 0


def test_https_is_off_by_default_and_one_switch_turns_every_setting_on():
    plain = _settings(DJANGO_SECRET_KEY=PRODUCTION_KEY)
    assert plain["SECURE_SSL_REDIRECT"] is False and plain["SESSION_COOKIE_SECURE"] is False
    assert plain["SECURE_HSTS_SECONDS"] == 0 and plain["SECURE_PROXY_SSL_HEADER"] is None
    https = _settings(DJANGO_SECRET_KEY=PRODUCTION_KEY, DJANGO_HTTPS="1")
    assert https["SECURE_SSL_REDIRECT"] is True
    assert https["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert https["SECURE_HSTS_SECONDS"] == 31_536_000 and https["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert https["SESSION_COOKIE_SECURE"] is True and https["CSRF_COOKIE_SECURE"] is True


def test_deploy_check_passes_with_https_a_key_and_allowed_hosts():
    production = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": PRODUCTION_KEY,
        "DJANGO_ALLOWED_HOSTS": "evalsheets.city.example.jp",
        "DJANGO_HTTPS": "1",
    }
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **production)
    assert result.returncode == 0, result.stderr + result.stdout
    # Without the switch the same check names what is missing.
    plain = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **(production | {"DJANGO_HTTPS": "0"}))
    assert plain.returncode != 0
    assert "security.W008" in plain.stderr and "security.W004" in plain.stderr


def test_sessions_in_the_database_cache_per_process_without_redis_and_axes_in_the_database():
    values = _settings(DJANGO_SECRET_KEY=PRODUCTION_KEY)
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert values["CACHE_BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["AXES_HANDLER"] == "axes.handlers.database.AxesDatabaseHandler"
    with_redis = _settings(DJANGO_SECRET_KEY=PRODUCTION_KEY, REDIS_URL="redis://127.0.0.1:6379/15")
    assert with_redis["CACHE_BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def _redis_listening() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_listening(), reason="no Redis at 127.0.0.1:6379")
def test_the_cache_round_trips_through_redis():
    script = (
        "import django; django.setup(); from django.core.cache import cache; "
        "cache.set('evalsheets-test', '令和3年度', 30); print(cache.get('evalsheets-test')); cache.delete('evalsheets-test')"
    )
    result = _run(
        ["-c", script],
        DJANGO_SETTINGS_MODULE="evalsheets.settings",
        DJANGO_SECRET_KEY=PRODUCTION_KEY,
        REDIS_URL="redis://127.0.0.1:6379/15",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "令和3年度"


@pytest.mark.parametrize("password", ["password", "12345678", "1234567", "qwertyuiop"])
def test_weak_passwords_are_rejected(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_unusual_password_is_accepted():
    validate_password("arakawa-情報システム-2021-sheets")


def test_every_page_sends_a_content_security_policy_of_our_own_origin(client, admin_client, sheet):
    for path in ["/", "/sheets/", "/sheets/2021/03-04-01/", "/compare/", "/rollup/", "/api/sheets/", "/no-such-page/"]:
        policy = client.get(path).headers["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"  # no inline script anywhere, nothing from another host
        assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "Content-Security-Policy" in admin_client.get("/admin/").headers
