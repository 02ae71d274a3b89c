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
    """勘定科目 of the 行政コスト計算書, in the form's order; labels as printed (the document format uses the labels)."""

    SALARIES = "salaries", "給与関係費"
    GOODS = "goods", "物件費"
    MAINTENANCE = "maintenance", "維持補修費"
    WELFARE = "welfare", "扶助費"
    SUBSIDIES = "subsidies", "補助費等"
    DEPRECIATION = "depreciation", "減価償却費"
    BAD_DEBT = "bad_debt", "不納欠損・貸倒引当金繰入額"
    ALLOWANCES = "allowances", "賞与・退職給与引当金繰入額"
    OTHER_EXPENSE = "other_expense", "その他行政費用"
    LOCAL_TAX = "local_tax", "地方税等"
    NATIONAL_GRANTS = "national_grants", "国庫支出金"
    METROPOLITAN_GRANTS = "metropolitan_grants", "都支出金"
    CONTRIBUTIONS = "contributions", "分担金及び負担金"
    FEES = "fees", "使用料及び手数料"
    OTHER_REVENUE = "other_revenue", "その他"
    FINANCIAL = "financial", "金融収支差額"
    SPECIAL_EXPENSE = "special_expense", "特別費用"
    SPECIAL_REVENUE = "special_revenue", "特別収入"


# Which part of the statement each account belongs to, declared account by account.
ACCOUNT_SECTION: dict[str, str] = {
    CostAccount.SALARIES: CostSection.EXPENSE,
    CostAccount.GOODS: CostSection.EXPENSE,
    CostAccount.MAINTENANCE: CostSection.EXPENSE,
    CostAccount.WELFARE: CostSection.EXPENSE,
    CostAccount.SUBSIDIES: CostSection.EXPENSE,
    CostAccount.DEPRECIATION: CostSection.EXPENSE,
    CostAccount.BAD_DEBT: CostSection.EXPENSE,
    CostAccount.ALLOWANCES: CostSection.EXPENSE,
    CostAccount.OTHER_EXPENSE: CostSection.EXPENSE,
    CostAccount.LOCAL_TAX: CostSection.REVENUE,
    CostAccount.NATIONAL_GRANTS: CostSection.REVENUE,
    CostAccount.METROPOLITAN_GRANTS: CostSection.REVENUE,
    CostAccount.CONTRIBUTIONS: CostSection.REVENUE,
    CostAccount.FEES: CostSection.REVENUE,
    CostAccount.OTHER_REVENUE: CostSection.REVENUE,
    CostAccount.FINANCIAL: CostSection.FINANCIAL,
    CostAccount.SPECIAL_EXPENSE: CostSection.SPECIAL_EXPENSE,
    CostAccount.SPECIAL_REVENUE: CostSection.SPECIAL_REVENUE,
}
ACCOUNT_ORDER: dict[str, int] = {a.value: i for i, a in enumerate(CostAccount)}
ACCOUNT_BY_LABEL: dict[str, str] = {a.label: a.value for a in CostAccount}  # 給与関係費 → salaries
SIGNED_ACCOUNTS = {CostAccount.FINANCIAL}  # 金融収支差額 is a balance and may be negative


def accounts_of(section: str) -> list[str]:
    """The accounts of one part of the statement, in the form's order."""
    return [account.value for account in CostAccount if ACCOUNT_SECTION[account] == section]


class CostTotal(models.TextChoices):
    """The computed totals of the 行政コスト計算書, with the form's labels."""

    EXPENSE = "expense", "行政費用合計 (b)"
    REVENUE = "revenue", "行政収入合計 (a)"
    ADMINISTRATIVE_BALANCE = "administrative_balance", "行政収支差額 (a)-(b)=(c)"
    ORDINARY_BALANCE = "ordinary_balance", "通常収支差額 (c)+(d)=(e)"
    SPECIAL_BALANCE = "special_balance", "特別収支差額 (f)-(g)=(h)"
    NET_BALANCE = "net_balance", "当期収支差額 (e)+(h)"


class AmountBasis(models.TextChoices):
    """Whether a yearly amount of 財源内訳/人件費 is the budget, the settlement or an estimate of the settlement."""

    BUDGET = "budget", "予算"
    SETTLEMENT = "settlement", "決算"
    ESTIMATE = "estimate", "見込み"


BASIS_ORDER: dict[str, int] = {b.value: i for i, b in enumerate(AmountBasis)}


class FundingSource(models.TextChoices):
    """財源内訳 in the form's order; 都道府県支出金 is printed with the prefecture's name (funding_source_labels)."""

    NATIONAL = "national", "国庫支出金"
    PREFECTURAL = "prefectural", "都道府県支出金"
    BONDS = "bonds", "地方債"
    OTHER_SPECIFIC = "other_specific", "その他特定財源"
    GENERAL = "general", "一般財源"


def funding_source_labels(prefectural_label: str) -> dict[str, str]:
    """{source: label} as a municipality prints them; `prefectural_label` is 都支出金 / 道支出金 / 府支出金 / 県支出金
    (programs.models.Municipality.prefectural_grant_label, passed in: finance does not import programs)."""
    return {source.value: source.label for source in FundingSource} | {
        FundingSource.PREFECTURAL.value: prefectural_label or FundingSource.PREFECTURAL.label
    }
