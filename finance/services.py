"""Writes of the finance app."""

from evalsheets.lib.history import bulk_create_recorded
from finance import choices
from finance.models import BreakdownLine, BudgetYear, CostLine, FundingYear, PersonnelCost, StatedCostTotal
from programs.documents import DocumentError, DocumentReader


def _unique_years(rows: list[DocumentReader], path: str) -> None:
    seen = set()
    for row in rows:
        year = row.fiscal_year("fiscal_year", required=True)
        if year in seen:
            raise DocumentError(f"{row.path}.fiscal_year", f"{year} 年度が {path} に2回あります")
        seen.add(year)


def finance_replace(*, sheet, doc: DocumentReader) -> None:
    """Replace the sheet's budget history, breakdown, cost statement, 財源内訳 and 人件費 with the document's."""
    for model in (BudgetYear, BreakdownLine, CostLine, StatedCostTotal, FundingYear, PersonnelCost):
        model.objects.filter(sheet=sheet).delete()

    history = doc.items("budget_history")
    _unique_years(history, "budget_history")
    bulk_create_recorded(
        BudgetYear,
        [
            BudgetYear(
                sheet=sheet,
                fiscal_year=row.fiscal_year("fiscal_year", required=True),
                budget=row.integer("budget", minimum=0),
                settlement=row.integer("settlement", minimum=0),
                settlement_is_estimate=row.boolean("settlement_is_estimate"),
            )
            for row in history
        ],
    )

    bulk_create_recorded(
        BreakdownLine,
        [
            BreakdownLine(
                sheet=sheet,
                fiscal_year=row.fiscal_year("fiscal_year", required=True),
                kind=row.choice("kind", choices.BreakdownKind) or _missing(row, "kind"),
                position=i,
                expense_class=row.text("expense_class", required=True),
                description=row.text("description"),
                amount=row.integer("amount", required=True, minimum=0),
            )
            for i, row in enumerate(doc.items("budget_breakdown"))
        ],
    )

    statements = doc.items("cost_statement")
    _unique_years(statements, "cost_statement")
    lines, totals = [], []
    for statement in statements:
        year = statement.fiscal_year("fiscal_year", required=True)
        seen = set()
        for line in statement.items("lines"):
            label = line.text("account") or _missing(line, "account")
            account = choices.ACCOUNT_BY_LABEL.get(label)
            if account is None:
                allowed = "、".join(choices.CostAccount.labels)
                raise DocumentError(f"{line.path}.account", f"「{label}」は選択肢（{allowed}）にありません")
            if account in seen:
                raise DocumentError(f"{line.path}.account", f"勘定科目「{label}」が2回あります")
            seen.add(account)
            minimum = None if account in choices.SIGNED_ACCOUNTS else 0
            lines.append(
                CostLine(sheet=sheet, fiscal_year=year, account=account, amount=line.integer("amount", minimum=minimum) or 0)
            )
        stated = statement.obj("stated_totals")
        for item in choices.CostTotal:
            amount = stated.integer(item.value)
            if amount is not None:
                totals.append(StatedCostTotal(sheet=sheet, fiscal_year=year, item=item.value, amount=amount))
    bulk_create_recorded(CostLine, lines)
    StatedCostTotal.objects.bulk_create(totals)
    _funding_replace(sheet=sheet, doc=doc)
    _personnel_replace(sheet=sheet, doc=doc)


def _year_and_basis(rows: list[DocumentReader], path: str) -> list[tuple[int, str]]:
    """(fiscal_year, basis) of each row; each pair once in `path`."""
    keys = []
    for row in rows:
        key = (row.fiscal_year("fiscal_year", required=True), row.choice("basis", choices.AmountBasis) or _missing(row, "basis"))
        if key in keys:
            year, basis = key
            raise DocumentError(f"{row.path}.basis", f"{year} 年度の {choices.AmountBasis(basis).label} が {path} に2回あります")
        keys.append(key)
    return keys


def _funding_replace(*, sheet, doc: DocumentReader) -> None:
    """財源内訳: a source absent or null is not reported (never 0)."""
    rows = doc.items("funding")
    bulk_create_recorded(
        FundingYear,
        [
            FundingYear(
                sheet=sheet,
                fiscal_year=year,
                basis=basis,
                **{source: row.integer(source, minimum=0) for source in choices.FundingSource.values},
            )
            for row, (year, basis) in zip(rows, _year_and_basis(rows, "funding"), strict=True)
        ],
    )


def _personnel_replace(*, sheet, doc: DocumentReader) -> None:
    """人件費: 人工 and 業務時間 keep the precision they are printed in ("0.80" → 0.80)."""
    rows = doc.items("personnel")
    costs = []
    for row, (year, basis) in zip(rows, _year_and_basis(rows, "personnel"), strict=True):
        persons, persons_decimals = _non_negative(row, "persons")
        hours, hours_decimals = _non_negative(row, "hours")
        costs.append(
            PersonnelCost(
                sheet=sheet,
                fiscal_year=year,
                basis=basis,
                persons=persons,
                persons_decimals=persons_decimals,
                hours=hours,
                hours_decimals=hours_decimals,
                amount=row.integer("amount", minimum=0),
            )
        )
    bulk_create_recorded(PersonnelCost, costs)


def _non_negative(row: DocumentReader, key: str) -> tuple:
    """A printed figure as (value, decimals); (None, 0) when absent."""
    printed = row.number(key)
    if printed is None:
        return None, 0
    value, decimals = printed
    if value < 0:
        raise DocumentError(f"{row.path}.{key}", f"{value} はマイナスにできません")
    if decimals > 3:
        raise DocumentError(f"{row.path}.{key}", f"小数点以下は3桁までです（{value}）")
    return value, decimals


def _missing(row: DocumentReader, key: str):
    raise DocumentError(f"{row.path}.{key}", "必須項目が空です")
