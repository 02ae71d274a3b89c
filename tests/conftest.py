import pytest

from programs.services import seed_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database starts with the six seed sheets, loaded once per session."""
    with django_db_blocker.unblock():
        seed_load()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached page aggregates (evalsheets/lib/cache.py) are keyed by the data
    version, which a rolled-back test database can repeat."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def sheet(db):
    from programs.models import Sheet

    return Sheet.objects.get(program__code="03-04-01", fiscal_year=2021)


@pytest.fixture
def draft_sheet(sheet):
    """03-04-01 (2021) back to 作成中, as after 「作成中に戻す」: only a draft can be edited."""
    from programs.choices import SheetStatus

    sheet.status = SheetStatus.DRAFT
    sheet.save(update_fields=["status"])
    return sheet


def pytest_configure(config):
    """Tests read static files from static/ as development does (production's hashed, compressed files need
    collectstatic first; tests/test_static_delivery.py collects them and checks what production serves)."""
    from django.conf import settings

    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.WHITENOISE_USE_FINDERS = True


@pytest.fixture
def seed_drafts(db):
    """Every seed sheet back to 作成中: imports and uploads replace only sheets being written (a published sheet is
    refused until it is reopened)."""
    from programs.choices import SheetStatus
    from programs.models import Sheet

    Sheet.objects.update(status=SheetStatus.DRAFT)
