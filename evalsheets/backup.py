"""Backup and restore of the database in DATABASE_URL (`make backup`, `make restore FILE=…`).

SQLite: the sqlite3 online backup API, page by page, consistent while the app keeps running; the
backup is itself a SQLite file (`.sqlite3`). PostgreSQL: `pg_dump -Fc` (`.dump`) and
`pg_restore --clean --if-exists --single-transaction`, so a failed restore changes nothing.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

BACKUP_DIR = Path(settings.BASE_DIR) / "backups"
EXTENSIONS = {"sqlite": "sqlite3", "postgresql": "dump"}


class BackupError(Exception):
    """A backup or restore that could not be done; the message is Japanese and names the file."""


def _vendor(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in EXTENSIONS:
        raise BackupError(f"このデータベース（{vendor}）のバックアップには対応していません")
    return vendor


def backup_path(*, alias: str = "default", directory: Path = BACKUP_DIR) -> Path:
    """backups/evalsheets-<local timestamp>.<sqlite3|dump>"""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(directory) / f"evalsheets-{stamp}.{EXTENSIONS[_vendor(alias)]}"


def database_backup(*, path: Path | None = None, alias: str = "default") -> Path:
    """Write a backup of the database `alias` to `path` (default: a new file in backups/) and return the path."""
    path = Path(path) if path else backup_path(alias=alias)
    if path.exists():
        raise BackupError(f"{path} はすでにあります（上書きしません）")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    try:
        if _vendor(alias) == "sqlite":
            _sqlite_backup(alias, partial)
        else:
            _postgres_run("pg_dump", ["--format=custom", f"--file={partial}"], alias)
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def database_restore(*, path: Path, alias: str = "default") -> None:
    """Replace the contents of the database `alias` with the backup at `path`."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} がありません")
    connection = connections[alias]
    if _vendor(alias) == "sqlite":
        _sqlite_restore(alias, path)
    else:
        connection.close()  # our own session must hold no lock on the tables pg_restore drops
        _postgres_run(
            "pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"], alias, path
        )
    connection.close()


def _sqlite_backup(alias: str, target: Path) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    with sqlite3.connect(target) as destination:
        connection.connection.backup(destination)
    destination.close()


def _sqlite_restore(alias: str, source_path: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
        tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source_path} はSQLiteのバックアップではありません: {exc}") from None
    if "django_migrations" not in tables:
        source.close()
        raise BackupError(f"{source_path} はevalsheetsのデータベースのバックアップではありません（django_migrations がない）")
    connection = connections[alias]
    connection.ensure_connection()
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _postgres_run(program: str, arguments: list[str], alias: str, path: Path | None = None) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(f"{program} が見つかりません（PostgreSQL のクライアント: apt-get install postgresql-client）")
    database = connections[alias].settings_dict
    command = [executable, *arguments, "--no-password"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            command.append(f"{option}={database[key]}")
    command.append(f"--dbname={database['NAME']}")
    if path is not None:
        command.append(str(path))
    environment = {**os.environ}
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = str(database["PASSWORD"])
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{program} が失敗しました（終了コード {result.returncode}）: {result.stderr.strip()}")
