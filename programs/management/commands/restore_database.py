from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evalsheets.backup import BackupError, database_restore


class Command(BaseCommand):
    help = (
        "バックアップ（backup_database が書いたファイル）で DATABASE_URL のデータベースを置き換えます。"
        "今のデータは失われます。PostgreSQL は pg_restore --clean（1トランザクション）、SQLite はバックアップAPI。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="バックアップファイル（backups/evalsheets-<日時>.sqlite3 / .dump）")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive", help="確認しない")

    def handle(self, *args, **options):
        path = options["file"]
        if options["interactive"]:
            answer = input(f"データベースの内容を {path} で置き換えます。今のデータは失われます。続けるには yes と入力: ")
            if answer.strip() != "yes":
                raise CommandError("中止しました（データベースは変更されていません）")
        try:
            database_restore(path=path)
        except BackupError as exc:
            raise CommandError(f"復元できませんでした: {exc}") from None
        self.stdout.write(self.style.SUCCESS(f"復元しました: {path}"))
