"""`manage.py backup_database` / `restore_database` (make backup / make restore) on a scratch database of the suite's kind:
SQLite normally, PostgreSQL when the suite runs with a postgres DATABASE_URL (CI runs both)."""

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from django.conf import settings
from django.db import connection

from evalsheets.backup import backup_path

BASE_DIR = Path(settings.BASE_DIR)


def _manage(database_url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": settings.SECRET_KEY}
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=300
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def _postgres_admin(sql: str) -> None:
    import psycopg2

    database = settings.DATABASES["default"]
    admin = psycopg2.connect(
        dbname="postgres",
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql)
    admin.close()


@pytest.fixture
def scratch_database_url(tmp_path):
    """An empty database of the same kind as the suite's, outside the test database and its transactions."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    database = settings.DATABASES["default"]
    name = f"evalsheets_backup_test_{uuid.uuid4().hex[:8]}"
    _postgres_admin(f'CREATE DATABASE "{name}"')
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    try:
        yield f"postgres://{user}{password}@{database.get('HOST') or '127.0.0.1'}:{database.get('PORT') or 5432}/{name}"
    finally:
        _postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _dumpdata(database_url: str) -> str:
    output = Path(database_url.rsplit("/", 1)[-1] + ".json")
    with TemporaryDirectory() as folder:
        _manage(database_url, "dumpdata", "--indent", "1", "--output", str(Path(folder) / output))
        return (Path(folder) / output).read_text()


def test_backup_and_restore_give_back_identical_data(scratch_database_url, tmp_path):
    url = scratch_database_url
    _manage(url, "migrate", "--noinput")
    _manage(url, "load_seed")
    before = _dumpdata(url)
    assert '"code": "03-04-01"' in before

    backup = tmp_path / f"backup.{'dump' if url.startswith('postgres') else 'sqlite3'}"
    _manage(url, "backup_database", "--output", str(backup))
    assert backup.stat().st_size > 0

    # Changed: one program's sheets deleted and another's purpose edited, then restored.
    _manage(
        url,
        "shell",
        "-c",
        "from programs.models import Program, Sheet; Sheet.objects.filter(program__code='03-04-01').delete(); "
        "Sheet.objects.filter(program__code='03-04-02').update(purpose='書き換え')",
    )
    changed = _dumpdata(url)
    assert changed != before
    _manage(url, "restore_database", "--noinput", str(backup))
    assert _dumpdata(url) == before

    # Emptied: every row gone, then restored.
    _manage(url, "flush", "--noinput")
    assert _dumpdata(url) != before
    _manage(url, "restore_database", "--noinput", str(backup))
    assert _dumpdata(url) == before

    # A file that is no backup is refused and changes nothing; an existing backup is never overwritten.
    bogus = tmp_path / "not-a-backup.dump"
    bogus.write_text("これはバックアップではありません")
    refused = _manage(url, "restore_database", "--noinput", str(bogus), check=False)
    assert refused.returncode != 0 and "復元できませんでした" in refused.stderr
    assert _dumpdata(url) == before
    again = _manage(url, "backup_database", "--output", str(backup), check=False)
    assert again.returncode != 0 and "上書きしません" in again.stderr


def test_restore_asks_before_replacing_the_data(scratch_database_url, tmp_path):
    environment = {**os.environ, "DATABASE_URL": scratch_database_url, "DJANGO_SECRET_KEY": settings.SECRET_KEY}
    result = subprocess.run(
        [sys.executable, "manage.py", "restore_database", str(tmp_path / "x.sqlite3")],
        cwd=BASE_DIR,
        env=environment,
        input="no\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "中止しました" in result.stderr


def test_default_backup_name_has_a_timestamp_and_the_kind_of_database(tmp_path):
    path = backup_path(directory=tmp_path)
    extension = "dump" if connection.vendor == "postgresql" else "sqlite3"
    assert path.parent == tmp_path
    assert re.fullmatch(rf"evalsheets-\d{{8}}-\d{{6}}\.{extension}", path.name)
