"""The repeating parts of a sheet: staff, 小事業, 経過, 問題点・課題 and 改善策."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from evalsheets.lib.fiscal_years import fiscal_year_field
from programs import choices


class OrderedSheetPart(models.Model):
    position = models.PositiveSmallIntegerField("順序", default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class StaffMember(OrderedSheetPart):
    """担当者名 (a sheet lists several)."""

    sheet = models.ForeignKey("programs.Sheet", on_delete=models.CASCADE, related_name="staff")
    name = models.CharField("担当者名", max_length=100)

    history = HistoricalRecords(verbose_name="担当者履歴")

    class Meta(OrderedSheetPart.Meta):
        verbose_name = verbose_name_plural = "担当者"

    def __str__(self) -> str:
        return self.name


class SubProgram(OrderedSheetPart):
    """事務事業を構成する小事業名及び予算事業コード."""

    sheet = models.ForeignKey("programs.Sheet", on_delete=models.CASCADE, related_name="sub_programs")
    budget_code = models.CharField("予算事業コード", max_length=20)
    name = models.CharField("小事業名", max_length=200)

    history = HistoricalRecords(verbose_name="小事業履歴")

    class Meta(OrderedSheetPart.Meta):
        verbose_name = verbose_name_plural = "小事業"

    def __str__(self) -> str:
        return f"{self.budget_code} {self.name}"


class HistoryEvent(OrderedSheetPart):
    """経過: one dated event. The era date is kept as printed and parsed to year/month."""

    sheet = models.ForeignKey("programs.Sheet", on_delete=models.CASCADE, related_name="history_events")
    era_label = models.CharField("年月（和暦）", max_length=50, blank=True, help_text="例: 平成5年4月、平成14年度")
    year = fiscal_year_field("年（西暦）", null=True, blank=True)
    month = models.PositiveSmallIntegerField(
        "月", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    group = models.CharField("見出し", max_length=100, blank=True, help_text="例: 財務会計システム")
    text = models.TextField("内容")

    history = HistoricalRecords(verbose_name="経過履歴")

    class Meta(OrderedSheetPart.Meta):
        verbose_name = verbose_name_plural = "経過"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__isnull=True) | models.Q(month__gte=1, month__lte=12),
                name="historyevent_month_1_12",
            )
        ]

    def __str__(self) -> str:
        return f"{self.era_label} {self.text}"


class SheetIssue(models.Model):
    """問題点・課題 ①②③."""

    sheet = models.ForeignKey("programs.Sheet", on_delete=models.CASCADE, related_name="issues")
    number = models.PositiveSmallIntegerField("番号", validators=[MinValueValidator(1)])
    text = models.TextField("問題点・課題")
    history = HistoricalRecords(verbose_name="問題点・課題履歴")

    class Meta:
        verbose_name = verbose_name_plural = "問題点・課題"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["sheet", "number"], name="issue_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:30]}"


class Improvement(models.Model):
    """問題点・課題の改善策: for issue N, the year's plan, what was done, and from next year on."""

    sheet = models.ForeignKey("programs.Sheet", on_delete=models.CASCADE, related_name="improvements")
    number = models.PositiveSmallIntegerField("番号", validators=[MinValueValidator(1)])
    plan = models.TextField("前年度に取り組む具体的な改善内容", blank=True)
    result = models.TextField("前年度に実施した改善内容および評価", blank=True)
    next = models.TextField("当年度以降に取り組む具体的な改善内容", blank=True)
    # The follow-up ledger: a trail links each year's row to last year's (whose 「当年度以降」 became this 「前年度の計画」).
    previous = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="following",
        verbose_name="前年度シートの改善策",
    )
    status = models.CharField(
        "状況",
        max_length=12,
        choices=choices.ImprovementStatus.choices,
        blank=True,
        help_text="空欄のときは本文から推定した状況を表示します",
    )
    proposed_status = models.CharField(
        "本文から推定した状況", max_length=12, choices=choices.ImprovementStatus.choices, blank=True, editable=False
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvements",
        verbose_name="関連する成果指標",
        help_text="空欄のときは同じ番号（①②③）の成果指標",
    )
    history = HistoricalRecords(verbose_name="改善策履歴")

    class Meta:
        verbose_name = verbose_name_plural = "改善策"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["sheet", "number"], name="improvement_unique_number")]

    def __str__(self) -> str:
        return f"改善策{self.number}"
