"""A 503 page, not a 500, while the database cannot be reached (restart, failover, network)."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger("evalsheets.database")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


API_PREFIX = "/api/"
API_MESSAGE = "データベースに接続できません。しばらくしてから再度お試しください。"


def database_unavailable_response(request=None) -> HttpResponse:
    """The Japanese 503 page (JSON for the API). Rendered without the request: its context processors would query the
    database."""
    if request is not None and request.path.startswith(API_PREFIX):
        response = JsonResponse({"error": API_MESSAGE}, status=503, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Turns OperationalError/InterfaceError raised by a view or a template into the 503 page, logging the traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.error(
            "database unavailable: %s %s",
            request.method,
            request.path,
            exc_info=exception,
            extra={"status_code": 503, "request": request},
        )
        return database_unavailable_response(request)
