"""行政評価事業体系 (分野 → 政策 → 施策) and the organisation (部 → 課), each within one municipality."""

from django.conf import settings
from django.db import models


class PolicyField(models.Model):
    """分野, e.g. Ⅶ 計画推進のために."""

    municipality = models.ForeignKey(
        "programs.Municipality", on_delete=models.PROTECT, related_name="policy_fields", verbose_name="団体"
    )
    code = models.CharField("分野コード", max_length=10)
    name = models.CharField("分野名", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "分野"
        ordering = ["municipality__code", "code"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="policyfield_unique_code_in_municipality")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Policy(models.Model):
    """政策, e.g. 15 目標の設定と管理による行財政運営の戦略的推進."""

    field = models.ForeignKey(PolicyField, on_delete=models.PROTECT, related_name="policies", verbose_name="分野")
    code = models.CharField("政策コード", max_length=10)
    name = models.CharField("政策名", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "政策"
        ordering = ["field__municipality__code", "field__code", "code"]
        constraints = [models.UniqueConstraint(fields=["field", "code"], name="policy_unique_code_in_field")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Measure(models.Model):
    """施策, e.g. 05 情報システムの適正な整備と安全確保."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="measures", verbose_name="政策")
    code = models.CharField("施策コード", max_length=10)
    name = models.CharField("施策名", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "施策"
        ordering = ["policy__field__municipality__code", "policy__field__code", "policy__code", "code"]
        constraints = [models.UniqueConstraint(fields=["policy", "code"], name="measure_unique_code_in_policy")]

    def __str__(self) -> str:
        return f"{self.policy.code}-{self.code} {self.name}"


class Department(models.Model):
    """部, e.g. 管理部."""

    municipality = models.ForeignKey(
        "programs.Municipality", on_delete=models.PROTECT, related_name="departments", verbose_name="団体"
    )
    name = models.CharField("部名", max_length=100)

    class Meta:
        verbose_name = verbose_name_plural = "部"
        ordering = ["municipality__code", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="department_unique_name_in_municipality")]

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """課, e.g. 情報システム課."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="sections", verbose_name="部")
    name = models.CharField("課名", max_length=100)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="sections",
        blank=True,
        verbose_name="所属職員",
        help_text="編集グループの職員は、所属する課のシートだけを編集できます。",
    )

    class Meta:
        verbose_name = verbose_name_plural = "課"
        ordering = ["department__municipality__code", "department__name", "name"]
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="section_unique_name_in_department")]

    def __str__(self) -> str:
        return f"{self.department.name}{self.name}"


class NameConflict(models.Model):
    """A 分野/政策/施策 code a sheet printed under another name than the one stored for that code in its municipality.

    The stored name is not renamed by an import (other sheets print it); the difference is kept here and shown as a
    data-quality finding of the sheet (programs/findings.py) until the names are reconciled and the sheet reloaded.
    """

    class Level(models.TextChoices):
        FIELD = "field", "分野"
        POLICY = "policy", "政策"
        MEASURE = "measure", "施策"

    sheet = models.ForeignKey("programs.Sheet", on_delete=models.CASCADE, related_name="name_conflicts")
    level = models.CharField("階層", max_length=10, choices=Level.choices)
    code = models.CharField("コード", max_length=10)
    stored_name = models.CharField("登録済みの名称", max_length=200)
    document_name = models.CharField("シートの名称", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "名称の相違"
        ordering = ["sheet", "id"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.code}: {self.stored_name} ≠ {self.document_name}"


class ProgramKind(models.Model):
    """A kind of program shared by every municipality (情報システム運用, ネットワーク管理, 不法投棄対策 …), so the same kind
    of program can be compared across municipalities. Assigned to a program in the admin or by its keywords."""

    code = models.SlugField("種別コード", max_length=40, unique=True)
    name = models.CharField("事業の種別", max_length=100, unique=True)
    keywords = models.TextField(
        "キーワード",
        blank=True,
        help_text="1行に1語。事務事業名・目的・内容にどれかを含む事業をこの種別とみなします（管理画面で指定した事業を除く）",
    )
    position = models.PositiveSmallIntegerField("順序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "事業の種別（団体間比較）"
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.splitlines() if word.strip()]
