from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evalsheets.backup import BackupError, database_backup


class Command(BaseCommand):
    help = (
        "DATABASE_URL のデータベースをバックアップします（既定: backups/evalsheets-<日時>.sqlite3 または .dump）。"
        "SQLite はバックアップAPI、PostgreSQL は pg_dump -Fc。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="書き出すファイル（既定: backups/evalsheets-<日時>.<拡張子>）")

    def handle(self, *args, **options):
        try:
            path = database_backup(path=options["output"])
        except BackupError as exc:
            raise CommandError(f"バックアップできませんでした: {exc}") from None
        self.stdout.write(self.style.SUCCESS(f"バックアップしました: {path}（{path.stat().st_size:,} バイト）"))
