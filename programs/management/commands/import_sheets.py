import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evalsheets.lib.wareki import fiscal_year_label
from programs.interchange.imports import FileReport, sheets_import_files

MAX_LINE_TEXT = 60


class Command(BaseCommand):
    help = (
        "事務事業分析シートのファイル（PDFから抽出したテキスト、.xlsx、シート文書の .json、"
        "または --mapping の対応表で読む一覧表 CSV/.xlsx）を取り込みます。"
        "ファイルごとに全シートを取り込むか、何も取り込まないかのどちらかです。"
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="取り込むファイル")
        parser.add_argument("--no-corrections", action="store_true", help="CORRECTIONS.md の OCR 補正を行わずに取り込みます")
        parser.add_argument(
            "--mapping",
            type=Path,
            metavar="MAPPING.json",
            help="一覧表（CSV か .xlsx の最初のワークシート、1行1事業）のどの列に何があるかを書いた対応表。"
            "指定したときは FILE をすべてこの対応表で読みます（例: fixtures/examples/kakuu_city_mapping.json）",
        )

    def handle(self, *args, **options):
        mapping = options["mapping"]
        if mapping is not None and not mapping.is_file():
            raise CommandError(f"対応表 {mapping} がありません")
        reports = sheets_import_files(paths=options["files"], apply_corrections=not options["no_corrections"], mapping=mapping)
        for report in reports:
            self.report_write(report)
        failed = [report for report in reports if not report.ok]
        if failed:
            lines = "\n".join(f"  {report.failure}" for report in failed)
            raise CommandError(
                f"{len(failed)} 件のファイルを取り込めませんでした"
                f"（そのファイルについてデータベースは変更されていません）:\n{lines}"
            )

    def report_write(self, report: FileReport) -> None:
        """One file: 作成/更新 per sheet with the fields it could not read, or why it failed."""
        self.stdout.write(f"ファイル: {report.path}")
        if report.failure:
            self.stderr.write(f"  失敗: {report.failure}（このファイルは取り込んでいません）")
            return
        for sheet in report.sheets:
            verb = "作成" if sheet.created else "更新"
            self.stdout.write(f"  {verb}: {sheet.code} {sheet.name}（{fiscal_year_label(sheet.fiscal_year)}）")
            for problem in sheet.problems:
                where = f"{problem.line}行目" if problem.line else "行不明"
                text = re.sub(r"\t+", " ", problem.text)
                text = text if len(text) <= MAX_LINE_TEXT else text[:MAX_LINE_TEXT] + "…"
                self.stdout.write(f"    読めなかった項目 {problem.field}（{where}「{text}」）: {problem.message}")
        if report.corrections:
            self.stdout.write(f"  OCR 補正: {len(report.corrections)} 件（fixtures/CORRECTIONS.md）")
        created = sum(sheet.created for sheet in report.sheets)
        self.stdout.write(
            self.style.SUCCESS(
                f"  {len(report.sheets)} 枚のシートを取り込みました（作成 {created}・更新 {len(report.sheets) - created}）"
            )
        )
