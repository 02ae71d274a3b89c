import pytest
from django.core.exceptions import ImproperlyConfigured

from evalsheets import env


@pytest.mark.parametrize(
    ("reader", "name", "raw"),
    [
        (lambda: env.env_bool("X_BOOL", False), "X_BOOL", "maybe"),
        (lambda: env.env_int("X_INT", 8000, minimum=1, maximum=65535), "X_INT", "eighty"),
        (lambda: env.env_int("X_INT", 8000, minimum=1, maximum=65535), "X_INT", "70000"),
        (lambda: env.env_list("X_LIST", []), "X_LIST", "a,,b"),
        (lambda: env.env_database("X_DB", "sqlite:///x"), "X_DB", "not a url"),
        (lambda: env.env_database("X_DB", "sqlite:///x"), "X_DB", "mysql://root@localhost/db"),
    ],
)
def test_malformed_values_fail_with_the_variable_name(monkeypatch, reader, name, raw):
    monkeypatch.setenv(name, raw)
    with pytest.raises(ImproperlyConfigured, match=name):
        reader()


def test_well_formed_values_are_read(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "8080")
    monkeypatch.setenv("X_LIST", "a.example, b.example")
    monkeypatch.setenv("X_DB", "postgres://postgres@127.0.0.1:5432/evalsheets")
    assert env.env_bool("X_BOOL", False) is True
    assert env.env_int("X_INT", 1) == 8080
    assert env.env_list("X_LIST", []) == ["a.example", "b.example"]
    assert env.env_database("X_DB", "")["NAME"] == "evalsheets"


def test_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "ja"
    assert settings.TIME_ZONE == "Asia/Tokyo"
