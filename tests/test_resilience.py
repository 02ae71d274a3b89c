"""Structured logs with the traceback of every 500, and a Japanese 503 page while the database is unreachable."""

import json
import logging
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client, override_settings
from django.urls import path

from evalsheets.log import JsonFormatter


def broken_view(request):
    raise ValueError("計算できない値")


urlpatterns = [path("broken/", broken_view)]
handler500 = "evalsheets.views.server_error"  # as evalsheets/urls.py


class DatabaseGoneMiddleware:
    """Stands for a middleware whose own query fails (session save, …): outside any view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("could not connect to server: Connection refused")


def _json_handler_formatter() -> logging.Formatter:
    """The formatter of the stdout handler that settings.LOGGING installs on the root logger."""
    formatters = [h.formatter for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)]
    assert formatters, "settings.LOGGING: the root logger has no JSON handler"
    return formatters[0]


@override_settings(ROOT_URLCONF="tests.test_resilience")
def test_a_500_is_logged_as_one_json_line_with_its_traceback(db, caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/broken/")
    assert response.status_code == 500
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    line = _json_handler_formatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR" and entry["status"] == 500 and entry["path"] == "/broken/"
    assert entry["traceback"].startswith("Traceback (most recent call last)")
    assert "in broken_view" in entry["traceback"] and "ValueError: 計算できない値" in entry["traceback"]


def test_a_page_is_a_503_in_japanese_while_the_database_is_unreachable(db, caplog):
    refused = OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')
    with mock.patch.object(connections["default"], "cursor", side_effect=refused), caplog.at_level(logging.ERROR):
        response = Client(raise_request_exception=False).get("/sheets/2021/03-04-01/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    text = response.content.decode()
    assert "ただいま一時的に利用できません（503）" in text and "データベースに接続できない" in text
    (record,) = [r for r in caplog.records if r.name == "evalsheets.database"]
    entry = json.loads(_json_handler_formatter().format(record))
    assert entry["status"] == 503 and "Connection refused" in entry["traceback"]


@pytest.mark.parametrize("path", ["/", "/sheets/", "/compare/", "/rollup/", "/api/sheets/"])
def test_every_main_page_is_a_503_not_a_500_without_a_database(db, path):
    refused = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(connections["default"], "cursor", side_effect=refused):
        response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 503


def test_the_api_answers_503_in_json(db):
    refused = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(connections["default"], "cursor", side_effect=refused):
        response = Client(raise_request_exception=False).get("/api/sheets/2021/03-04-01/")
    assert response.status_code == 503
    assert response.json() == {"error": "データベースに接続できません。しばらくしてから再度お試しください。"}


def test_a_database_error_outside_a_view_is_a_503_too(db, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.test_resilience.DatabaseGoneMiddleware"]
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503
    assert "ただいま一時的に利用できません" in response.content.decode()


@override_settings(ROOT_URLCONF="tests.test_resilience")
def test_other_errors_stay_500_with_the_japanese_error_page(db):
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert "サーバーでエラーが発生しました" in response.content.decode()
