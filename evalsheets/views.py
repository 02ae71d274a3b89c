"""The project's error handler: a database outage outside a view (a middleware saving the session …) is a 503 too."""

import sys

from django.views import defaults

from evalsheets.middleware import DATABASE_ERRORS, database_unavailable_response


def server_error(request):
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable_response(request)
    return defaults.server_error(request)
