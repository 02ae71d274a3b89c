"""Data-quality findings stored per sheet (programs/findings.py computes them when a sheet is written)."""

from django.db import models

from evalsheets.lib.fiscal_years import fiscal_year_field


class SheetFinding(models.Model):
    """One finding of one sheet, as programs.findings computed it when the sheet was last written; pages read these
    rows instead of recomputing (`manage.py check_sheets --rebuild` recomputes them all)."""

    class Severity(models.TextChoices):
        ERROR = "error", "エラー"
        WARNING = "warning", "警告"
        INFO = "info", "参考"

    sheet = models.ForeignKey("programs.Sheet", on_delete=models.CASCADE, related_name="stored_findings", verbose_name="シート")
    position = models.PositiveIntegerField("順序")
    code = models.CharField("種類", max_length=40)
    severity = models.CharField("重要度", max_length=10, choices=Severity.choices)
    message = models.TextField("内容")
    fiscal_year = fiscal_year_field("年度", null=True, blank=True)
    figures = models.JSONField("数値", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "データ品質の指摘"
        ordering = ["sheet", "position"]
        constraints = [models.UniqueConstraint(fields=["sheet", "position"], name="sheetfinding_unique_position")]
        indexes = [models.Index(fields=["severity", "sheet"], name="sheetfinding_severity_sheet")]

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.message}"
