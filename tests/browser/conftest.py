"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Run them in their own pytest invocation:

    .venv/bin/python -m pytest -m browser tests/browser

They use the transactional database (the live server answers from another thread), which
Django flushes after every test, so each test loads the six seed sheets itself (`seeded`).
The rest of the suite relies on the seed loaded once per session (tests/conftest.py), which
such a flush would wipe: a run that collects browser tests together with other tests
deselects the browser tests (`pytest_collection_modifyitems` below) and says so.
"""

import os
from pathlib import Path

import pytest

from tests.browser.support import BROWSER_DIR, DESKTOP, MOBILE, PageLog, origin

CHROMIUM = Path(os.environ.get("EVALSHEETS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API keeps an asyncio loop in the test thread, and Django refuses ORM calls
# from a thread with a running loop unless told it is safe. It is: the tests' own ORM calls
# (seed, factories, assertions) are plain synchronous code, never interleaved with async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Browser tests only run in an invocation of their own (after -m/-k deselection: trylast)."""
    browser = [item for item in items if BROWSER_DIR in Path(str(item.path)).parents]
    if browser and len(browser) < len(items):
        config.hook.pytest_deselected(items=browser)
        items[:] = [item for item in items if BROWSER_DIR not in Path(str(item.path)).parents]
        config.issue_config_time_warning(
            pytest.PytestConfigWarning(
                f"{len(browser)} browser tests deselected: their database flushes would wipe the session seed "
                "of the other tests; run them on their own with `pytest -m browser tests/browser`"
            ),
            stacklevel=2,
        )


@pytest.fixture(scope="session", autouse=True)
def _database_connections_closed_after_each_request():
    """The live server answers in threads that live as long as the browser's keep-alive sockets. With the
    project's CONN_MAX_AGE (60 s) each of those threads kept its database connection open, and PostgreSQL
    then refused to drop the test database at the end ("being accessed by other users")."""
    from django.conf import settings

    for database in settings.DATABASES.values():
        database["CONN_MAX_AGE"] = 0


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session. A missing Chromium fails the tests, it never skips them."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser tests need Debian's chromium package "
            "(apt-get install chromium), or EVALSHEETS_CHROMIUM=/path/to/chromium",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: .venv/bin/pip install -r requirements-browser.txt", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def seeded(transactional_db):
    """The six seed sheets, loaded for this test (the previous test's flush removed them)."""
    from programs.services import seed_load

    seed_load()


def _new_context(browser, live_server, **options):
    context = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", accept_downloads=True, base_url=live_server.url, **options
    )
    context.set_default_timeout(15_000)
    return context


# One context per kind of device for the whole session, so that its HTTP cache keeps plotly-evalsheets.min.js
# (4.8 MB) between tests; every test gets a new page in it, and its cookies are cleared afterwards.
# (They come after django_db_setup, so they close, with their keep-alive sockets, before the test
# database is dropped.)
@pytest.fixture(scope="session")
def desktop_context(django_db_setup, browser, live_server):
    context = _new_context(browser, live_server, viewport=DESKTOP)
    yield context
    context.close()


@pytest.fixture(scope="session")
def mobile_context(django_db_setup, browser, live_server):
    context = _new_context(browser, live_server, viewport=MOBILE, is_mobile=True, has_touch=True)
    yield context
    context.close()


@pytest.fixture
def page_log(live_server):
    return PageLog(origin(live_server.url))


def _page(context, page_log):
    page = context.new_page()
    page_log.attach(page)
    yield page
    page.close()
    context.clear_cookies()
    # Never acceptable, whatever the test: a request leaving the live server, an uncaught script error.
    assert not page_log.foreign_requests(), page_log.foreign_requests()
    assert not page_log.page_errors, page_log.page_errors


@pytest.fixture
def page(desktop_context, seeded, page_log):
    """A desktop page (1280×900) whose requests, console messages and failures go to `page_log`."""
    yield from _page(desktop_context, page_log)


@pytest.fixture
def mobile_page(mobile_context, seeded, page_log):
    """A small phone: 375×800 with touch."""
    yield from _page(mobile_context, page_log)
