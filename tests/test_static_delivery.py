"""What production serves (DEBUG off, after collectstatic): hashed static files cached for good, compressed pages and
files, plotly.js only where charts are drawn. Measured here with whitenoise and Django's GZip middleware."""

import gzip
import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

PRODUCTION_STORAGE = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
FIRST_LOAD_LIMIT = 1_500_000  # bytes transferred for a sheet page with an empty cache (issue 10)
REPEAT_LOAD_LIMIT = 100_000  # bytes when the static files come from the browser cache


@pytest.fixture(scope="module")
def production(tmp_path_factory, django_db_blocker):
    root = tmp_path_factory.mktemp("staticfiles")
    from django.conf import settings

    storages = {**settings.STORAGES, "staticfiles": PRODUCTION_STORAGE}
    with override_settings(STATIC_ROOT=root, STORAGES=storages, WHITENOISE_USE_FINDERS=False, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def _get(client: Client, url: str):
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def _assets(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', html)


@pytest.mark.django_db
def test_a_sheet_page_loads_compressed_and_under_the_size_targets(production):
    client = Client()
    page, body = _get(client, "/sheets/2021/03-04-01/")
    assert page.status_code == 200 and page["Content-Encoding"] == "gzip"
    html = gzip.decompress(body).decode()
    assets = _assets(html)
    assert any(re.search(r"/static/vendor/plotly[^/]*\.[0-9a-f]{12}\.js$", url) for url in assets), assets
    first_load = len(body)
    for url in assets:
        response, data = _get(client, url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "max-age=315360000, public, immutable", url  # hashed: never asked again
        if url.endswith((".js", ".css", ".svg")):
            assert response["Content-Encoding"] == "gzip", url
        first_load += len(data)
    print(f"sheet page: HTML {len(body):,} B gzip; first load {first_load:,} B; repeat load {len(body):,} B")
    assert first_load <= FIRST_LOAD_LIMIT
    assert len(body) <= REPEAT_LOAD_LIMIT  # a repeat visit fetches the page only


@pytest.mark.django_db
def test_pages_without_charts_load_no_plotly(production):
    client = Client()
    for url in ("/sheets/", "/no-such-page/"):
        response, body = _get(client, url)
        html = gzip.decompress(body).decode() if response.get("Content-Encoding") == "gzip" else body.decode()
        assert not any("plotly" in asset for asset in _assets(html)), url
    response, body = _get(client, "/sheets/2021/03-04-01/")
    scripts = re.findall(r"<script [^>]*src=[^>]*>", gzip.decompress(body).decode())
    assert scripts and all(" defer" in tag for tag in scripts)  # nothing blocks the first paint
