"""Program (事務事業, stable across years) and Sheet (one program in one evaluation year)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from evalsheets.lib.fiscal_years import fiscal_year_field
from evalsheets.lib.formatting import era_fiscal_year
from evalsheets.lib.params import validate_program_code
from programs import choices
from programs.sheet_fields import DIRECT_STAFF_FLAGS


class Program(models.Model):
    """事務事業: keyed by its code (03-04-01) within its municipality; its sheets hold the yearly snapshots."""

    municipality = models.ForeignKey(
        "programs.Municipality", on_delete=models.PROTECT, related_name="programs", verbose_name="団体"
    )
    code = models.CharField("事務事業コード", max_length=20, validators=[validate_program_code])
    name = models.CharField("事務事業名", max_length=200, help_text="最新のシートの名称")
    kind = models.ForeignKey(
        "programs.ProgramKind",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programs",
        verbose_name="事業の種別",
        help_text="団体間の比較に使います。空のときはキーワードで判定します",
    )
    kind_source = models.CharField(
        "種別の決め方", max_length=10, choices=[("admin", "管理画面で指定"), ("keyword", "キーワードで判定")], blank=True
    )

    class Meta:
        verbose_name = verbose_name_plural = "事務事業"
        ordering = ["municipality__code", "code"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="program_unique_code_in_municipality")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("programs:program_detail", kwargs={"code": self.code, **self.municipality.url_kwargs()})


class SheetQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> "SheetQuerySet":
        """The sheets `viewer` may read: every sheet for users allowed to see unpublished ones (閲覧, 編集, 承認,
        管理), published sheets only for everyone else (anonymous visitors included). `viewer` None is the system
        itself (commands, imports): everything."""
        if viewer is None or viewer.has_perm("programs.view_unpublished_sheet"):
            return self
        return self.filter(status=choices.SheetStatus.PUBLISHED)


class SheetFigures(models.Model):
    """The figures the /sheets/ table, its exports and the API sort and show, stored per sheet so that sorting is an
    index scan. Never typed: programs.figures.sheet_figures_refresh computes them with the SQL expressions of
    finance.expressions and indicators.expressions (their one home) whenever a sheet's budgets, cost lines or
    indicators are written; `manage.py refresh_sheet_figures` rebuilds them all. Not in the sheet's history."""

    own_budget = models.BigIntegerField("予算額（千円）", null=True, editable=False)
    own_settlement = models.BigIntegerField("決算額（千円）", null=True, editable=False)
    own_settlement_is_estimate = models.BooleanField("決算見込み", null=True, editable=False)
    previous_budget = models.BigIntegerField("前年度の予算額（千円）", null=True, editable=False)
    execution_rate = models.FloatField("執行率（当年度、確定のみ）", null=True, editable=False)
    budget_change = models.BigIntegerField("予算額 前年度比", null=True, editable=False)
    budget_change_rate = models.FloatField("予算額 前年度比（%）", null=True, editable=False)
    latest_settled_year = models.PositiveSmallIntegerField("最新の確定決算の年度", null=True, editable=False)
    latest_settled_budget = models.BigIntegerField("予算額（最新の確定決算の年度）", null=True, editable=False)
    latest_settled_settlement = models.BigIntegerField("決算額（最新の確定年度）", null=True, editable=False)
    latest_unused = models.BigIntegerField("不用額（最新の確定年度）", null=True, editable=False)
    latest_execution_rate = models.FloatField("執行率（最新の確定年度）", null=True, editable=False)
    max_unused = models.BigIntegerField("最大不用額（全年度）", null=True, editable=False)
    max_unused_year = models.PositiveSmallIntegerField("最大不用額の年度", null=True, editable=False)
    min_execution_rate = models.FloatField("最低執行率（全年度）", null=True, editable=False)
    min_execution_rate_year = models.PositiveSmallIntegerField("最低執行率の年度", null=True, editable=False)
    cost_expense = models.BigIntegerField("行政費用合計（千円）", null=True, editable=False)
    cost_revenue = models.BigIntegerField("行政収入合計（千円）", null=True, editable=False)
    cost_balance = models.BigIntegerField("行政収支差額（千円）", null=True, editable=False)
    achievement = models.FloatField("指標達成度（平均）", null=True, editable=False)

    class Meta:
        abstract = True


# The stored figures, by name (left out of the sheet's history, restore and 前年度複写: they are recomputed).
SHEET_FIGURE_FIELDS = tuple(f.name for f in SheetFigures._meta.fields)
# The columns /sheets/ sorts by, each indexed alone and together with the fiscal year (sorted = an index scan, over
# every year or within one; checked with EXPLAIN ANALYZE on PostgreSQL at 5,006 sheets: 81 ms → 9 ms over every year).
SHEET_SORTED_FIGURES = (
    "own_budget",
    "own_settlement",
    "budget_change",
    "budget_change_rate",
    "latest_settled_year",
    "latest_settled_budget",
    "latest_settled_settlement",
    "latest_unused",
    "latest_execution_rate",
    "max_unused",
    "min_execution_rate",
    "cost_expense",
    "cost_balance",
    "achievement",
)


class Sheet(SheetFigures):
    """事務事業分析シート: everything printed on one program's form for one fiscal year."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sheets", verbose_name="事務事業")
    fiscal_year = fiscal_year_field("評価年度")
    name = models.CharField("事務事業名", max_length=200)
    section = models.ForeignKey("programs.Section", on_delete=models.PROTECT, related_name="sheets", verbose_name="部課名")
    measure = models.ForeignKey("programs.Measure", on_delete=models.PROTECT, related_name="sheets", verbose_name="施策")
    strategy_plan = models.CharField("戦略プラン", max_length=10, choices=choices.StrategyPlan.choices, blank=True)
    chief = models.CharField("課長名", max_length=100, blank=True)
    extension = models.CharField("内線", max_length=20, blank=True)

    business_type = models.CharField("事業の種類", max_length=10, choices=choices.BusinessType.choices, blank=True)
    new_business_fiscal_year = fiscal_year_field("新規事業の年度", null=True, blank=True)
    start_fiscal_year = fiscal_year_field("開始年度", null=True, blank=True)
    legal_basis = models.TextField("根拠法令等", blank=True)
    has_end_date = models.BooleanField("終期設定", default=False, help_text="有 = チェック")
    end_fiscal_year = fiscal_year_field("終期年度", null=True, blank=True)
    implementation_standard = models.CharField(
        "実施基準", max_length=10, choices=choices.ImplementationStandard.choices, blank=True
    )
    plan_category = models.CharField("計画区分", max_length=10, choices=choices.PlanCategory.choices, blank=True)

    purpose = models.TextField("目的", blank=True)
    target_group = models.TextField("対象者等", blank=True)
    content = models.TextField("内容", blank=True, help_text="1行に1項目（・や○で始まる行は箇条書き）")
    necessity = models.TextField("必要性", blank=True)

    outsourcing = models.CharField("実施方法（委託区分）", max_length=10, choices=choices.Outsourcing.choices, blank=True)
    direct_staff_regular = models.BooleanField("直営：常勤職員", default=False)
    direct_staff_fiscal_year = models.BooleanField("直営：会計年度任用職員", default=False)
    implementation_note = models.TextField("実施方法（契約等）", blank=True)

    # 分類: a value of the municipality's evaluation vocabulary (its FormProfile; 荒川区's five by default),
    # checked by services.sheet_upsert and the admin form, not by model choices.
    classification_current = models.CharField("事務事業の分類（当年度）", max_length=20, blank=True)
    classification_next = models.CharField("事務事業の分類（翌年度）", max_length=20, blank=True)
    classification_explanation = models.TextField("分類についての説明・意見等", blank=True)

    remarks = models.TextField("備考", blank=True)
    other_wards_implemented = models.PositiveSmallIntegerField("他区の実況：実施（区）", null=True, blank=True)
    other_wards_not_implemented = models.PositiveSmallIntegerField("他区の実況：未実施（区）", null=True, blank=True)
    other_wards_unknown = models.PositiveSmallIntegerField("他区の実況：不明（区）", null=True, blank=True)
    other_wards_notes = models.TextField("他区の実況：備考", blank=True)
    council_notes = models.TextField("議会（要旨）", blank=True)

    status = models.CharField(
        "状態", max_length=10, choices=choices.SheetStatus.choices, default=choices.SheetStatus.DRAFT, db_index=True
    )
    # Optimistic locking: every save of the sheet or of any of its parts adds one (programs/locking.py).
    version = models.PositiveIntegerField("版", default=1, editable=False)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    history = HistoricalRecords(verbose_name="事務事業分析シート履歴", excluded_fields=list(SHEET_FIGURE_FIELDS))

    objects = SheetQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "事務事業分析シート"
        ordering = ["-fiscal_year", "program__code"]
        permissions = [
            ("view_unpublished_sheet", "公開前（作成中・提出・承認）のシートを閲覧できる"),
            ("submit_sheet", "シートを提出できる"),
            ("approve_sheet", "シートを承認・差し戻しできる"),
            ("publish_sheet", "シートを公開できる"),
            ("reopen_sheet", "公開したシートを作成中に戻せる"),
            ("edit_any_section_sheet", "すべての課のシートを編集できる"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["program", "fiscal_year"], name="sheet_unique_program_year"),
            models.CheckConstraint(
                condition=models.Q(end_fiscal_year__isnull=True) | models.Q(has_end_date=True),
                name="sheet_end_year_only_with_end_date",
            ),
        ]
        indexes = [
            models.Index(fields=["fiscal_year", "program"], name="sheet_year_program"),
            *(models.Index(fields=["fiscal_year", name], name=f"sheet_year_{name}"[:30]) for name in SHEET_SORTED_FIGURES),
            # the same sorts over every year (/sheets/ without a 年度 filter): an index scan for the first page too
            *(models.Index(fields=[name], name=f"sheet_{name}"[:30]) for name in SHEET_SORTED_FIGURES),
            # every column of selectors.sheets_fingerprint (the cache's data version, read by every cached page): an
            # index-only scan instead of reading the whole table (46,006 sheets on PostgreSQL: 10 ms instead of 66–353)
            models.Index(fields=["status", "version", "updated_at", "id"], name="sheet_data_version"),
        ]

    def __str__(self) -> str:
        return f"{self.program.code} {self.name}（{era_fiscal_year(self.fiscal_year)}）"

    def get_absolute_url(self) -> str:
        return reverse("programs:sheet_detail", kwargs=self.url_kwargs())

    def url_kwargs(self) -> dict:
        """The sheet's part of its URLs (fiscal year, code and, outside the default municipality, its 団体コード)."""
        return {"fiscal_year": self.fiscal_year, "code": self.program.code, **self.program.municipality.url_kwargs()}

    @property
    def code(self) -> str:
        return self.program.code

    @property
    def is_published(self) -> bool:
        return self.status == choices.SheetStatus.PUBLISHED

    @property
    def direct_staff(self) -> list[str]:
        """直営の職員 kinds checked on the form (常勤職員, 会計年度任用職員), from their boolean fields."""
        return [kind for kind, flag in DIRECT_STAFF_FLAGS.items() if getattr(self, flag)]


class StatusChange(models.Model):
    """One step of a sheet's publication workflow: who moved it from which state to which, when and why."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="status_changes", verbose_name="シート")
    from_status = models.CharField("変更前", max_length=10, choices=choices.SheetStatus.choices)
    to_status = models.CharField("変更後", max_length=10, choices=choices.SheetStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sheet_status_changes", verbose_name="変更者"
    )
    reason = models.TextField("理由", blank=True)
    changed_at = models.DateTimeField("変更日時", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "状態の変更"
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
