"""行政評価事業体系 (分野 → 政策 → 施策) and the organisation (部 → 課)."""

from django.conf import settings
from django.db import models


class PolicyField(models.Model):
    """分野, e.g. Ⅶ 計画推進のために."""

    code = models.CharField("分野コード", max_length=10, unique=True)
    name = models.CharField("分野名", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "分野"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Policy(models.Model):
    """政策, e.g. 15 目標の設定と管理による行財政運営の戦略的推進."""

    field = models.ForeignKey(PolicyField, on_delete=models.PROTECT, related_name="policies", verbose_name="分野")
    code = models.CharField("政策コード", max_length=10)
    name = models.CharField("政策名", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "政策"
        ordering = ["field__code", "code"]
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
        ordering = ["policy__field__code", "policy__code", "code"]
        constraints = [models.UniqueConstraint(fields=["policy", "code"], name="measure_unique_code_in_policy")]

    def __str__(self) -> str:
        return f"{self.policy.code}-{self.code} {self.name}"


class Department(models.Model):
    """部, e.g. 管理部."""

    name = models.CharField("部名", max_length=100, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "部"
        ordering = ["name"]

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
        ordering = ["department__name", "name"]
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="section_unique_name_in_department")]

    def __str__(self) -> str:
        return f"{self.department.name}{self.name}"
