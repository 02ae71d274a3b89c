"""Fixed lists of the finance parts of the form."""

from django.db import models


class BreakdownKind(models.TextChoices):
    SETTLEMENT = "settlement", "決算"
    BUDGET = "budget", "予算"


class CostSection(models.TextChoices):
    EXPENSE = "expense", "行政費用"
    REVENUE = "revenue", "行政収入"
    FINANCIAL = "financial", "金融収支"
    SPECIAL_EXPENSE = "special_expense", "特別費用"
    SPECIAL_REVENUE = "special_revenue", "特別収入"


class CostAccount(models.TextChoices):
    """勘定科目 of the 行政コスト計算書, in the form's order. Values are the printed labels."""

    SALARIES = "給与関係費"
    GOODS = "物件費"
    MAINTENANCE = "維持補修費"
    WELFARE = "扶助費"
    SUBSIDIES = "補助費等"
    DEPRECIATION = "減価償却費"
    BAD_DEBT = "不納欠損・貸倒引当金繰入額"
    ALLOWANCES = "賞与・退職給与引当金繰入額"
    OTHER_EXPENSE = "その他行政費用"
    LOCAL_TAX = "地方税等"
    NATIONAL_GRANTS = "国庫支出金"
    METROPOLITAN_GRANTS = "都支出金"
    CONTRIBUTIONS = "分担金及び負担金"
    FEES = "使用料及び手数料"
    OTHER_REVENUE = "その他"
    FINANCIAL = "金融収支差額"
    SPECIAL_EXPENSE = "特別費用"
    SPECIAL_REVENUE = "特別収入"


ACCOUNT_SECTION: dict[str, str] = {
    **{a: CostSection.EXPENSE for a in list(CostAccount)[:9]},
    **{a: CostSection.REVENUE for a in list(CostAccount)[9:15]},
    CostAccount.FINANCIAL: CostSection.FINANCIAL,
    CostAccount.SPECIAL_EXPENSE: CostSection.SPECIAL_EXPENSE,
    CostAccount.SPECIAL_REVENUE: CostSection.SPECIAL_REVENUE,
}
ACCOUNT_ORDER: dict[str, int] = {a.value: i for i, a in enumerate(CostAccount)}
SIGNED_ACCOUNTS = {CostAccount.FINANCIAL}  # 金融収支差額 is a balance and may be negative


class CostTotal(models.TextChoices):
    """The computed totals of the 行政コスト計算書, with the form's labels."""

    EXPENSE = "expense", "行政費用合計 (b)"
    REVENUE = "revenue", "行政収入合計 (a)"
    ADMINISTRATIVE_BALANCE = "administrative_balance", "行政収支差額 (a)-(b)=(c)"
    ORDINARY_BALANCE = "ordinary_balance", "通常収支差額 (c)+(d)=(e)"
    SPECIAL_BALANCE = "special_balance", "特別収支差額 (f)-(g)=(h)"
    NET_BALANCE = "net_balance", "当期収支差額 (e)+(h)"
