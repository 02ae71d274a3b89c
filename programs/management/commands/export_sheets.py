from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs import selectors
from programs.interchange.serializer import sheet_document
from programs.interchange.workbook import workbook_write


class Command(BaseCommand):
    help = "事務事業分析シートを Excel ブック（1シート1ワークシート、印刷様式と同じ並び）に書き出します。"

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path, help="書き出す .xlsx ファイル")
        parser.add_argument("--fiscal-year", type=int, help="評価年度（西暦、例: 2021）。省略するとすべての年度")
        parser.add_argument(
            "--code", action="extend", nargs="+", default=[], metavar="C", help="事務事業コード（複数可、例: 03-04-01 03-04-02）"
        )

    def handle(self, *args, out: Path, fiscal_year: int | None, code: list[str], **options):
        sheets = selectors.sheet_document_queryset(viewer=None)  # the system: every sheet, drafts included
        if fiscal_year:
            sheets = sheets.filter(fiscal_year=fiscal_year)
        if code:
            sheets = sheets.filter(program__code__in=code)
        sheets = list(sheets.order_by("program__code", "fiscal_year"))
        if not sheets:
            raise CommandError("条件に合うシートがありません")
        missing = sorted(set(code) - {sheet.program.code for sheet in sheets})
        if missing:
            raise CommandError(f"事務事業コード {'、'.join(missing)} のシートがありません")
        try:
            out.write_bytes(workbook_write([sheet_document(sheet) for sheet in sheets]))
        except OSError as exc:
            raise CommandError(f"{out} に書き込めません: {exc}") from None
        self.stdout.write(self.style.SUCCESS(f"{len(sheets)} 枚のシートを {out} に書き出しました"))
