from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.documents import DocumentError
from programs.services import SEED_DIR, seed_load


class Command(BaseCommand):
    help = "fixtures/sheets/*.json（6枚の種シート）を読み込みます。何度実行しても重複しません。"

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=SEED_DIR, help="シートJSONのフォルダ（既定: fixtures/sheets）")

    def handle(self, *args, **options):
        try:
            results = seed_load(directory=options["dir"])
        except DocumentError as exc:
            raise CommandError(f"読み込みを中止しました（データベースは変更されていません）: {exc}") from None
        for result in results:
            verb = "作成" if result.created else "更新"
            self.stdout.write(f"{verb}: {result.sheet.program.code} {result.sheet.name}（{result.sheet.fiscal_year}年度）")
        self.stdout.write(self.style.SUCCESS(f"{len(results)} 枚のシートを読み込みました"))
