from django.core.management.base import BaseCommand, CommandError

from evalsheets.lib.formatting import era_fiscal_year
from programs.findings import SEVERITY_LABELS, severity_counts, sheet_findings_rebuild, stored_findings_by_sheet
from programs.models import Sheet


class Command(BaseCommand):
    help = (
        "シートのデータ品質の指摘（シートを保存したときに計算して保存したもの）を表示します。"
        "--rebuild で全シートの指摘を計算し直してから表示します。エラーが1件でもあれば終了コード 1 で終わります。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--fiscal-year", type=int, help="評価年度（西暦、例: 2021）")
        parser.add_argument("--code", default="", help="事務事業コード（例: 03-04-01）")
        parser.add_argument("--rebuild", action="store_true", help="全シートの指摘を計算し直して保存してから表示する")

    def handle(self, *args, **options):
        if options["rebuild"]:
            stored = sheet_findings_rebuild()
            self.stdout.write(f"全シートの指摘を計算し直しました（{stored} 件）")
        sheets = Sheet.objects.select_related("program").order_by("program__code", "fiscal_year")
        if options["fiscal_year"]:
            sheets = sheets.filter(fiscal_year=options["fiscal_year"])
        if options["code"]:
            sheets = sheets.filter(program__code=options["code"])
        findings = stored_findings_by_sheet(sheets)  # one query, whatever the number of sheets
        sheets = list(sheets)
        if not sheets:
            self.stdout.write(self.style.WARNING("該当するシートがありません"))
            return
        for sheet in sheets:
            self._sheet_write(sheet, findings.get(sheet.pk, []))
        counts = severity_counts(f for found in findings.values() for f in found)
        summary = "、".join(f"{SEVERITY_LABELS[k]} {n} 件" for k, n in counts.items())
        self.stdout.write(f"{len(sheets)} 枚のシートを確認しました: {summary}")
        if counts["error"]:
            raise CommandError(f"エラーが {counts['error']} 件あります")

    def _sheet_write(self, sheet: Sheet, findings) -> None:
        head = f"{sheet.program.code} {sheet.name}（{era_fiscal_year(sheet.fiscal_year)}）"
        if not findings:
            self.stdout.write(f"{head}: 指摘なし")
            return
        self.stdout.write(f"{head}: {len(findings)} 件")
        for finding in findings:
            line = f"  [{SEVERITY_LABELS[finding.severity]}] {finding.message}（{finding.code}）"
            style = {"error": self.style.ERROR, "warning": self.style.WARNING}.get(finding.severity, str)
            self.stdout.write(style(line))
