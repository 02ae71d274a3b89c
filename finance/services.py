"""Writes of the finance app."""

from evalsheets.lib.history import bulk_create_recorded
from finance import choices
from finance.models import BreakdownLine, BudgetYear, CostLine, StatedCostTotal
from programs.documents import DocumentError, DocumentReader


def _unique_years(rows: list[DocumentReader], path: str) -> None:
    seen = set()
    for row in rows:
        year = row.fiscal_year("fiscal_year", required=True)
        if year in seen:
            raise DocumentError(f"{row.path}.fiscal_year", f"{year} 年度が {path} に2回あります")
        seen.add(year)


def finance_replace(*, sheet, doc: DocumentReader) -> None:
    """Replace the sheet's budget history, breakdown and cost statement with the document's."""
    for model in (BudgetYear, BreakdownLine, CostLine, StatedCostTotal):
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


def _missing(row: DocumentReader, key: str):
    raise DocumentError(f"{row.path}.{key}", "必須項目が空です")
