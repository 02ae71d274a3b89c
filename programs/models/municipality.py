"""Municipality (団体): every program, policy hierarchy, organisation and vocabulary belongs to one."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from evalsheets.lib.fiscal_years import fiscal_year_field

# 都道府県支出金 is printed with the prefecture's own kind: 都支出金 (東京都), 道支出金 (北海道), 府支出金 (大阪府, 京都府),
# 県支出金 elsewhere — read from the last character of the prefecture's name.
PREFECTURAL_GRANT_LABELS = {"都": "都支出金", "道": "道支出金", "府": "府支出金"}


def local_government_code_check_digit(first_five: str) -> int:
    """The check digit of a 全国地方公共団体コード (総務省): 11 − (Σ digit × weight 6,5,4,3,2) mod 11, last digit."""
    total = sum(int(digit) * weight for digit, weight in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def validate_local_government_code(value: str) -> None:
    if not (len(value) == 6 and value.isascii() and value.isdigit()):
        raise ValidationError("団体コードは6桁の数字で入力してください（例: 131181）", code="invalid_municipality_code")
    if int(value[5]) != local_government_code_check_digit(value[:5]):
        raise ValidationError(
            f"団体コード {value} の検査数字が合いません（{value[:5]}{local_government_code_check_digit(value[:5])}）",
            code="invalid_municipality_check_digit",
        )


class MunicipalityKind(models.TextChoices):
    SPECIAL_WARD = "特別区", "特別区"
    CITY = "市", "市"
    TOWN = "町", "町"
    VILLAGE = "村", "村"


class MunicipalityQuerySet(models.QuerySet):
    def default(self) -> "Municipality | None":
        """The municipality a URL or document without one means (settings.EVALSHEETS_DEFAULT_MUNICIPALITY)."""
        return self.filter(code=settings.EVALSHEETS_DEFAULT_MUNICIPALITY).first()


class Municipality(models.Model):
    """団体, e.g. 荒川区 (団体コード 131181): the scope of program codes, the policy hierarchy and 部/課."""

    code = models.CharField("団体コード", max_length=6, unique=True, validators=[validate_local_government_code])
    name = models.CharField("団体名", max_length=50)
    prefecture = models.CharField("都道府県", max_length=10)
    kind = models.CharField("区分", max_length=10, choices=MunicipalityKind.choices)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "団体"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_default(self) -> bool:
        return self.code == settings.EVALSHEETS_DEFAULT_MUNICIPALITY

    @property
    def prefectural_grant_label(self) -> str:
        """都道府県支出金 as this municipality prints it: 都支出金 (東京都), 道支出金, 府支出金 or 県支出金."""
        return PREFECTURAL_GRANT_LABELS.get(self.prefecture[-1:], "県支出金")

    def url_kwargs(self) -> dict:
        """The municipality part of a URL: none for the default municipality (today's URLs), else /m/<団体コード>/."""
        return {} if self.is_default else {"municipality": self.code}


class MunicipalityPopulation(models.Model):
    """人口 of a municipality in a fiscal year (for per-capita figures); enter the figure the municipality publishes."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="populations", verbose_name="団体")
    fiscal_year = fiscal_year_field("年度")
    population = models.PositiveIntegerField("人口（人）", validators=[MinValueValidator(1)])
    note = models.CharField("出典・基準日", max_length=200, blank=True, help_text="例: 住民基本台帳 4月1日現在")

    class Meta:
        verbose_name = verbose_name_plural = "人口"
        ordering = ["municipality", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "fiscal_year"], name="population_unique_year"),
            models.CheckConstraint(condition=models.Q(population__gte=1), name="population_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.fiscal_year}年度 {self.population:,}人"
