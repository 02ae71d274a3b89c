"""What changed between two years' sheets of one program: pure, over two sheet documents (fixtures/FORMAT.md, as
programs.interchange.serializer.sheet_document gives them), so every part of the form is covered with its label.

- Texts: a word-level difference — evalsheets.lib.japanese_text.segments (runs of one script, lossless) compared by
  difflib.SequenceMatcher; the pieces say what was kept, deleted and inserted (templates mark them <del>/<ins>).
- Yearly figures are aligned by fiscal year: only a year both sheets report is compared; a year only the older one
  reports has left the window (mentioned once, not a change); a year only the newer one reports is a change only when
  something is written in it (roll-over adds the new year empty).
- Year-relative parts follow the year they are about when the two sheets are consecutive years (what 前年度複写 does,
  programs/rollover.py): this year's 分類（当年度） against last year's 分類（翌年度）, this year's 改善策 plan against last
  year's 「次年度以降」; this year's new 翌年度 分類, result and next are newly written text when not blank.

No database, no request: `sheet_diff(old_document, new_document, labels=…)` → SheetDiff.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher

from evalsheets.lib.formatting import EMPTY, amount, circled, era_fiscal_year, is_missing, printed_number
from evalsheets.lib.japanese_text import segments
from indicators.choices import Direction
from programs.sheet_fields import Block, Kind, SheetField, fields_of, located

ESTIMATE = "見込み"
SETTLED = "決算"


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Piece:
    op: str  # "equal" | "delete" | "insert"
    text: str


@dataclass(frozen=True)
class Change:
    kind: str  # "text" (本文) | "figure" (数値) | "item" (項目) | "added" | "removed"
    label: str
    old: str = ""  # as printed (figures, items, removed entries)
    new: str = ""
    delta: str = ""  # figures: the change (+1,000 / ▲ 1,000 / 見込み → 決算)
    pieces: tuple[Piece, ...] = ()  # texts: the word-level difference
    entry: str = ""  # added/removed: what kind of entry (問題点, 改善策, 経過 …)


@dataclass
class Section:
    key: str
    title: str
    changes: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


SUMMARY_KINDS = (("text", "本文", "箇所"), ("figure", "数値", "箇所"), ("item", "項目", "箇所"))


@dataclass
class SheetDiff:
    old_year: int
    new_year: int
    sections: list[Section]
    window: tuple[str, str] | None = None  # (old period, new period) when the yearly window moved

    @property
    def changes(self) -> list[Change]:
        return [change for section in self.sections for change in section.changes]

    @property
    def count(self) -> int:
        return len(self.changes)

    @property
    def summary(self) -> str:
        """「本文 4 箇所・数値 12 箇所・問題点 1 件追加」, or 「変更はありません」."""
        kinds = Counter(change.kind for change in self.changes)
        parts = [f"{name} {kinds[kind]} {unit}" for kind, name, unit in SUMMARY_KINDS if kinds[kind]]
        entries = Counter((change.entry, change.kind) for change in self.changes if change.kind in ("added", "removed"))
        parts += [f"{entry} {n} 件{'追加' if kind == 'added' else '削除'}" for (entry, kind), n in entries.items()]
        return "・".join(parts) or "変更はありません"

    @property
    def changed_sections(self) -> list[Section]:
        return [section for section in self.sections if section.changed]

    @property
    def unchanged_sections(self) -> list[Section]:
        return [section for section in self.sections if not section.changed]


# ---------------------------------------------------------------- pieces


def word_diff(old: str, new: str) -> tuple[Piece, ...]:
    """`old` → `new` as kept, deleted and inserted runs of segments; the kept and deleted pieces join to `old`, the
    kept and inserted ones to `new`."""
    a, b = segments(old or ""), segments(new or "")
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(Piece("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("delete", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("insert", "".join(b[j1:j2])))
    return tuple(pieces)


def _text(label: str, old: str, new: str) -> list[Change]:
    old, new = old or "", new or ""
    return [] if old == new else [Change("text", label, old, new, pieces=word_diff(old, new))]


def _written(label: str, new: str) -> list[Change]:
    """Text written anew (nothing to compare it with): a change only when not blank."""
    return [] if is_missing(new) else [Change("text", label, "", new, pieces=(Piece("insert", new),))]


def _item(label: str, old, new, show=str) -> list[Change]:
    if old == new:
        return []
    return [Change("item", label, show(old) if not is_missing(old) else EMPTY, show(new) if not is_missing(new) else EMPTY)]


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class Figure:
    """One printed figure: the value (Decimal or None), as printed, and whether it is a 見込み."""

    value: Decimal | None
    printed: str
    is_estimate: bool = False

    @property
    def shown(self) -> str:
        return f"{self.printed}（{ESTIMATE}）" if self.is_estimate and self.value is not None else self.printed


def money(value, is_estimate: bool = False) -> Figure:
    return Figure(None if value is None else Decimal(int(value)), amount(value), is_estimate)


def printed(value, printed_text: str | None = None, is_estimate: bool = False) -> Figure:
    """An indicator/activity figure: the document's number and its printed form ("3.0")."""
    if is_missing(value):
        return Figure(None, EMPTY, is_estimate)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return Figure(None, str(value), is_estimate)
    return Figure(number, printed_text or printed_number(number, max(0, -number.as_tuple().exponent)), is_estimate)


def _delta(old: Figure, new: Figure, *, is_money: bool) -> str:
    parts = []
    if old.value is not None and new.value is not None and old.value != new.value:
        difference = new.value - old.value
        if is_money:
            text = amount(difference)
        else:
            decimals = max(0, -old.value.as_tuple().exponent, -new.value.as_tuple().exponent)
            text = printed_number(abs(difference), decimals)
            text = f"▲ {text}" if difference < 0 else text
        parts.append(text if difference < 0 else f"+{text}")
    if old.value is not None and new.value is not None and old.is_estimate != new.is_estimate:
        parts.append(f"{ESTIMATE} → {SETTLED}" if old.is_estimate else f"{SETTLED} → {ESTIMATE}")
    return "（".join(parts) + ("）" if len(parts) == 2 else "")


def _figure(label: str, old: Figure | None, new: Figure | None, *, is_money: bool) -> list[Change]:
    """A figure of a year both sheets report (old and new given), or of a year only the newer one reports (old None:
    a change only when written)."""
    if old is None:
        if new is None or new.value is None:
            return []
        return [Change("figure", label, EMPTY, new.shown, delta="新規")]
    if new is None:
        return []  # the year left the window
    if (old.value, old.is_estimate if old.value is not None else False) == (
        new.value,
        new.is_estimate if new.value is not None else False,
    ):
        return []
    return [Change("figure", label, old.shown, new.shown, delta=_delta(old, new, is_money=is_money))]


def _yearly(label: str, old: dict[int, Figure], new: dict[int, Figure], *, is_money: bool) -> list[Change]:
    """One row's figures by fiscal year, aligned: years both report, years only the newer one reports, and a figure
    the newer one leaves blank inside its own window (an erased value; a year before the window has left it)."""
    changes = []
    for year in sorted(set(new) | {y for y in old if new and y > min(new)}):
        blank = Figure(None, EMPTY)
        changes += _figure(f"{label} {era_fiscal_year(year)}", old.get(year), new.get(year, blank), is_money=is_money)
    return changes


def _values(values: list[dict]) -> dict[int, Figure]:
    return {v["fiscal_year"]: printed(v.get("value"), v.get("printed"), v.get("is_estimate", False)) for v in values}


# ---------------------------------------------------------------- entries (added / removed)


def _entries(entry: str, old: list[str], new: list[str]) -> list[Change]:
    """Entries compared as a multiset of their printed form: each one added or removed."""
    before, after = Counter(old), Counter(new)
    removed = [text for text in dict.fromkeys(old) for _ in range(before[text] - after[text])]
    added = [text for text in dict.fromkeys(new) for _ in range(after[text] - before[text])]
    return [Change("removed", entry, old=text, entry=entry) for text in removed] + [
        Change("added", entry, new=text, entry=entry) for text in added
    ]


def _keyed(rows: list[dict], key) -> dict:
    """{key: row}, a repeated key numbered (second, third …) so nothing is lost."""
    seen: Counter = Counter()
    keyed = {}
    for row in rows:
        k = key(row)
        keyed[(k, seen[k])] = row
        seen[k] += 1
    return keyed


# ---------------------------------------------------------------- simple fields


def _field_changes(old: dict, new: dict, fields: list[SheetField]) -> list[Change]:
    changes = []
    for f in fields:
        (o_doc, o_key), (n_doc, n_key) = located(old, f), located(new, f)
        o, n = o_doc.get(o_key), n_doc.get(n_key)
        if f.kind is Kind.TEXT:
            changes += _text(f.label, o, n)
        elif f.kind is Kind.FISCAL_YEAR:
            changes += _item(f.label, o, n, era_fiscal_year)
        elif f.kind is Kind.FLAG:
            changes += _item(f.label, o, n, lambda v: "有" if v else "無")
        elif f.kind in (Kind.NAMES, Kind.STAFF_KINDS):
            changes += _item(f.label, list(o or []), list(n or []), lambda v: "、".join(v) if v else EMPTY)
        elif f.kind is Kind.COUNT:
            changes += (
                []
                if o == n
                else [
                    Change("figure", f.label, printed(o).shown, printed(n).shown, _delta(printed(o), printed(n), is_money=False))
                ]
            )
        else:
            changes += _item(f.label, o, n)
    return changes


# ---------------------------------------------------------------- the parts of the form


def _head(old: dict, new: dict) -> list[Change]:
    changes = _text("事務事業名", old["name"], new["name"])
    changes += _item("部課名", f"{old['department']} {old['section']}", f"{new['department']} {new['section']}")
    return changes + _field_changes(old, new, fields_of(Block.HEAD))


def _sub_programs(old: dict, new: dict) -> list[Change]:
    def shown(rows):
        return [f"{r['budget_code']} {r['name']}".strip() for r in rows]

    return _entries("小事業", shown(old["sub_programs"]), shown(new["sub_programs"]))


def _plan(old: dict, new: dict, *, level_names) -> list[Change]:
    changes = _field_changes(old, new, fields_of(Block.PLAN))
    for level, name in zip(("field", "policy", "measure"), level_names, strict=True):
        o, n = old["policy"][level], new["policy"][level]
        changes += _item(name, f"{o['code']} {o['name']}", f"{n['code']} {n['name']}")
    return changes


def _history(old: dict, new: dict) -> list[Change]:
    def shown(rows):
        return [
            " ".join(part for part in (r.get("group") and f"<{r['group']}>", r.get("era_label"), r["text"]) if part) for r in rows
        ]

    return _entries("経過", shown(old["history"]), shown(new["history"]))


def _classification(old: dict, new: dict, *, consecutive: bool, new_year: int, choice_label) -> list[Change]:
    o, n = old["classification"], new["classification"]
    label_now, label_next = f"分類（{era_fiscal_year(new_year)}）", f"分類（{era_fiscal_year(new_year + 1)}）"
    if consecutive:  # the year this sheet calls 当年度 is the one last year's sheet called 翌年度
        changes = _item(label_now, o["next"], n["current"], choice_label)
        changes += [] if is_missing(n["next"]) else [Change("item", label_next, EMPTY, choice_label(n["next"]))]
    else:
        changes = _item("分類（当年度）", o["current"], n["current"], choice_label)
        changes += _item("分類（翌年度）", o["next"], n["next"], choice_label)
    return changes + _text("分類についての説明・意見等", o["explanation"], n["explanation"])


def _texts(old: dict, new: dict) -> list[Change]:
    o = {t["key"]: t for t in old["texts"]}
    changes = []
    for t in new["texts"]:
        changes += _text(t["label"] or t["key"], o.pop(t["key"], {}).get("text", ""), t["text"])
    for t in o.values():
        changes += _text(t["label"] or t["key"], t["text"], "")
    return changes


def _indicators(old: dict, new: dict) -> list[Change]:
    def key(i):
        return (i.get("kind", "outcome"), i["number"])

    def title(i):
        return f"{circled(i['number'])} {i['name']}"

    o = {key(i): i for i in old["indicators"]}
    changes = []
    for i in new["indicators"]:
        before = o.pop(key(i), None)
        if before is None:
            changes.append(Change("added", "指標", new=title(i), entry="指標"))
            continue
        mark = circled(i["number"])
        changes += _text(f"{mark} 指標名", before["name"], i["name"])
        changes += _item(f"{mark} 単位", before["unit"], i["unit"])
        changes += _text(f"{mark} 指標に関する説明", before["description"], i["description"])
        changes += _item(f"{mark} 望ましい方向", before["direction"], i["direction"], _direction_label)
        changes += _figure(f"{mark} 目標値", printed(before["target"]), printed(i["target"]), is_money=False)
        changes += _item(f"{mark} 目標年度", before["target_fiscal_year"], i["target_fiscal_year"], era_fiscal_year)
        changes += _yearly(f"{mark} {i['name']}", _values(before["values"]), _values(i["values"]), is_money=False)
    return changes + [Change("removed", "指標", old=title(i), entry="指標") for i in o.values()]


def _direction_label(value: str) -> str:
    return Direction(value).label if value in Direction.values else value


def _budget(old: dict, new: dict) -> list[Change]:
    o = {r["fiscal_year"]: r for r in old["budget_history"]}
    changes = []
    for r in new["budget_history"]:
        before, year = o.get(r["fiscal_year"]), era_fiscal_year(r["fiscal_year"])
        changes += _figure(f"予算額 {year}", before and money(before["budget"]), money(r["budget"]), is_money=True)
        changes += _figure(
            f"決算額 {year}",
            before and money(before["settlement"], before["settlement_is_estimate"]),
            money(r["settlement"], r["settlement_is_estimate"]),
            is_money=True,
        )
    return changes


def _money(old: dict, new: dict) -> list[Change]:
    """財源内訳 and 人件費, by (year, basis)."""
    basis_label = {"budget": "予算", "settlement": "決算", "estimate": ESTIMATE}
    columns = {
        "funding": (
            ("national", "国庫支出金", True),
            ("prefectural", "都道府県支出金", True),
            ("bonds", "地方債", True),
            ("other_specific", "その他特定財源", True),
            ("general", "一般財源", True),
        ),
        "personnel": (("persons", "人工", False), ("hours", "業務時間", False), ("amount", "人件費", True)),
    }
    changes = []
    for part, cols in columns.items():
        o = {(r["fiscal_year"], r["basis"]): r for r in old.get(part, [])}
        for r in new.get(part, []):
            before = o.get((r["fiscal_year"], r["basis"]))
            for name, label, is_money in cols:
                make = money if is_money else printed
                where = f"{label} {era_fiscal_year(r['fiscal_year'])}（{basis_label.get(r['basis'], r['basis'])}）"
                old_figure = None if before is None else make(before.get(name))
                changes += _figure(where, old_figure, make(r.get(name)), is_money=is_money)
    return changes


def _activity(old: dict, new: dict) -> list[Change]:
    def key(item):
        return (item.get("parent") or "", item["name"])

    def title(item):
        return f"{item['parent']} ・{item['name']}" if item.get("parent") else item["name"]

    o, n = _keyed(old["activity"], key), _keyed(new["activity"], key)
    changes = []
    for k, item in n.items():
        before = o.pop(k, None)
        if before is None:
            changes.append(Change("added", "実績の項目", new=title(item), entry="実績の項目"))
            continue
        changes += _item(f"{title(item)} 単位", before["unit"], item["unit"])
        changes += _yearly(title(item), _values(before["values"]), _values(item["values"]), is_money=False)
    return changes + [Change("removed", "実績の項目", old=title(item), entry="実績の項目") for item in o.values()]


def _breakdown(old: dict, new: dict) -> list[Change]:
    """予算・決算の内訳: the lines of a (year, 予算/決算) column both sheets report, by 費目 and 説明; a column only the
    newer sheet reports is newly written."""
    kind_label = {"budget": "予算", "settlement": "決算"}

    def column(line):
        return (line["fiscal_year"], line["kind"])

    def key(line):
        return (*column(line), line["expense_class"], line["description"])

    def where(line):
        year, kind = era_fiscal_year(line["fiscal_year"]), kind_label.get(line["kind"], line["kind"])
        return f"{year}{kind} {line['expense_class']} {line['description']}"

    o, n = _keyed(old["budget_breakdown"], key), _keyed(new["budget_breakdown"], key)
    shared = {column(line) for line in old["budget_breakdown"]} & {column(line) for line in new["budget_breakdown"]}
    changes = []
    for k, line in n.items():
        before = o.pop(k, None)
        old_figure = money(before["amount"]) if before else (money(None) if column(line) in shared else None)
        changes += _figure(where(line), old_figure, money(line["amount"]), is_money=True)
    for line in o.values():
        if column(line) in shared:  # a line struck out of a column both report
            changes += _figure(where(line), money(line["amount"]), money(None), is_money=True)
    return changes


def _cost(old: dict, new: dict) -> list[Change]:
    """行政コスト計算書: each account of a year both sheets report (totals are computed from them, not compared)."""
    o = {(y["fiscal_year"], line["account"]): line["amount"] for y in old["cost_statement"] for line in y["lines"]}
    years = {y["fiscal_year"] for y in old["cost_statement"]}
    changes = []
    for y in new["cost_statement"]:
        for line in y["lines"]:
            where = f"{line['account']} {era_fiscal_year(y['fiscal_year'])}"
            before = money(o.get((y["fiscal_year"], line["account"]), 0)) if y["fiscal_year"] in years else None
            figure = money(line["amount"])
            if before is None and figure.value == 0:
                continue  # an account the form prints as 0 in a new year: nothing written
            changes += _figure(where, before, figure, is_money=True)
    return changes


def _issues(old: dict, new: dict) -> list[Change]:
    o = {i["number"]: i["text"] for i in old["issues"]}
    changes = []
    for i in new["issues"]:
        if i["number"] in o:
            changes += _text(f"問題点・課題{circled(i['number'])}", o.pop(i["number"]), i["text"])
        else:
            changes.append(Change("added", f"問題点・課題{circled(i['number'])}", new=i["text"], entry="問題点"))
    return changes + [Change("removed", f"問題点・課題{circled(number)}", old=text, entry="問題点") for number, text in o.items()]


def _improvements(old: dict, new: dict, *, consecutive: bool, old_year: int, new_year: int) -> list[Change]:
    """The form's three columns: the plan for the year before the sheet's, what was done in it, what follows from the
    sheet's year (so a consecutive pair's plan is about the year the older sheet's 「以降」 was about)."""
    if consecutive:
        plan = f"{era_fiscal_year(new_year - 1)}に取り組む具体的な改善内容"
        result = f"{era_fiscal_year(new_year - 1)}に実施した改善内容および評価"
        later = f"{era_fiscal_year(new_year)}以降に取り組む具体的な改善内容"
    else:
        plan, result, later = (
            "前年度に取り組む具体的な改善内容",
            "前年度に実施した改善内容および評価",
            "当年度以降に取り組む具体的な改善内容",
        )
    o = {p["number"]: p for p in old["improvements"]}
    changes = []
    for p in new["improvements"]:
        mark = circled(p["number"])
        before = o.pop(p["number"], None)
        if before is None:
            shown = "／".join(text for text in (p["plan"], p["result"], p["next"]) if text)
            changes.append(Change("added", f"改善策{mark}", new=shown or EMPTY, entry="改善策"))
            continue
        if consecutive:  # 前年度複写: last year's 「次年度以降」 became this year's plan; result and next are this year's
            changes += _text(
                f"改善策{mark} {plan}（{era_fiscal_year(old_year)}のシートの「以降に取り組む」から）", before["next"], p["plan"]
            )
            changes += _written(f"改善策{mark} {result}", p["result"])
            changes += _written(f"改善策{mark} {later}", p["next"])
        else:
            changes += _text(f"改善策{mark} {plan}", before["plan"], p["plan"])
            changes += _text(f"改善策{mark} {result}", before["result"], p["result"])
            changes += _text(f"改善策{mark} {later}", before["next"], p["next"])
    return changes + [
        Change(
            "removed",
            f"改善策{circled(number)}",
            old="／".join(t for t in (p["plan"], p["result"], p["next"]) if t) or EMPTY,
            entry="改善策",
        )
        for number, p in o.items()
    ]


# ---------------------------------------------------------------- the window


def _years(document: dict) -> set[int]:
    years = {r["fiscal_year"] for r in document["budget_history"]}
    years |= {v["fiscal_year"] for i in document["indicators"] for v in i["values"]}
    return years | {v["fiscal_year"] for i in document["activity"] for v in i["values"]}


def _period(years: set[int]) -> str:
    if not years:
        return EMPTY
    first, last = era_fiscal_year(min(years)), era_fiscal_year(max(years))
    if first == last:
        return first
    # 平成27年度〜令和3年度 → 平成27〜令和3年度
    return f"{first.removesuffix('年度')}〜{last}"


def window_moved(old: dict, new: dict) -> tuple[str, str] | None:
    before, after = _period(_years(old)), _period(_years(new))
    return None if before == after else (before, after)


# ---------------------------------------------------------------- the whole sheet


def sheet_diff(
    old: dict, new: dict, *, labels: dict[str, str], level_names=("分野", "政策", "施策"), choice_label=str
) -> SheetDiff:
    """`old` → `new` (two sheet documents of one program, old the earlier year), section by section in the form's
    order under the form's headings (`labels`: programs.profiles.Form.labels)."""
    old_year, new_year = old["fiscal_year"], new["fiscal_year"]
    consecutive = new_year == old_year + 1
    parts = [
        ("head", "基本情報", _head(old, new)),
        ("sub_programs", labels["sub_programs"], _sub_programs(old, new)),
        ("plan", "事業の種類・体系", _plan(old, new, level_names=level_names)),
        ("outline", "目的・対象者等・内容", _field_changes(old, new, fields_of(Block.OUTLINE))),
        ("history", labels["history"], _history(old, new)),
        ("necessity", labels["necessity"], _field_changes(old, new, fields_of(Block.NECESSITY))),
        ("implementation", labels["implementation"], _field_changes(old, new, fields_of(Block.IMPLEMENTATION))),
        ("indicators", labels["indicators"], _indicators(old, new)),
        (
            "classification",
            labels["classification"],
            _classification(old, new, consecutive=consecutive, new_year=new_year, choice_label=choice_label),
        ),
        ("texts", labels["texts"], _texts(old, new)),
        ("budget", labels["budget"], _budget(old, new)),
        ("money", labels["money"], _money(old, new)),
        ("activity", labels["activity"], _activity(old, new)),
        ("breakdown", labels["breakdown"], _breakdown(old, new)),
        ("cost", labels["cost"], _cost(old, new)),
        ("remarks", labels["remarks"], _field_changes(old, new, fields_of(Block.REMARKS))),
        ("issues", labels["issues"], _issues(old, new)),
        (
            "improvements",
            labels["improvements"],
            _improvements(old, new, consecutive=consecutive, old_year=old_year, new_year=new_year),
        ),
        ("other_wards", labels["other_wards"], _field_changes(old, new, fields_of(Block.OTHER_WARDS))),
        ("council", labels["council"], _field_changes(old, new, fields_of(Block.COUNCIL))),
    ]
    sections = [Section(key, title, changes) for key, title, changes in parts]
    return SheetDiff(old_year=old_year, new_year=new_year, sections=sections, window=window_moved(old, new))
