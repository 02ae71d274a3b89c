from django.core.management.base import BaseCommand, CommandError

from programs.rollover import fiscal_year_start, report_lines


class Command(BaseCommand):
    help = "前年度のシートを複写して、指定した年度のシートを作成します（既存のシートは変更しません）。"

    def add_arguments(self, parser):
        parser.add_argument("fiscal_year", type=int, help="作成する評価年度（西暦、例: 2022）")

    def handle(self, *args, **options):
        try:
            report = fiscal_year_start(fiscal_year=options["fiscal_year"])
        except ValueError as exc:
            raise CommandError(f"作成を中止しました（データベースは変更されていません）: {exc}") from None
        for line in report_lines(report=report):
            self.stdout.write(line)
