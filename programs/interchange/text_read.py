"""Reading 事務事業分析シート from the text extracted from the printed PDF.

The text has one printed row per line with the cells separated by tabs, and the slips of the
extraction: stray spaces (平成 5年 4月), rows split over lines or merged onto one line, HTML
fragments (<p>, <ul>, <input type="radio"/>), shifted cells. `parse_sheets_text` splits a file
at every header row 事務事業分析シート（令和N年度）, reads each sheet into one document in the
shape of fixtures/FORMAT.md and lists every field it could not read as a `Problem` with the
line it is on. A problem is `fatal` when the field is required (code, fiscal year, name, a
figure that is not a number, the budget table): such a sheet must not be imported.

Tables are read by their printed heads, not by fixed positions: year columns come from heads
such as 27年度 … 3年度見込み / 目標値(8年度) relative to the evaluation year of the header.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from evalsheets.lib.fiscal_years import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from evalsheets.lib.formatting import CIRCLED_NUMBERS, circled_value
from evalsheets.lib.numbers import NumberFormatError, parse_amount, parse_printed_number
from evalsheets.lib.wareki import WarekiError, parse_era_date, parse_fiscal_year, parse_short_fiscal_year, to_gregorian
from finance.choices import CostAccount, CostTotal
from programs import choices
from programs.interchange.text_corrections import AppliedCorrection, corrections_apply

# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Problem:
    """A field the importer could not read, where it is printed, and why (in Japanese)."""

    sheet_index: int  # 1 = the first sheet of the file (0 = the file as a whole)
    sheet: str  # the sheet's code, or "2枚目" while its code is unknown
    field: str  # document path as in FORMAT.md, e.g. budget_history[0].budget
    line: int | None  # 1-based line number in the file
    text: str  # the line as printed
    message: str
    fatal: bool = False  # a required field: the sheet cannot be imported

    def __str__(self) -> str:
        where = f"{self.line}行目" if self.line else "行不明"
        return f"シート {self.sheet}・項目 {self.field}（{where}）: {self.message}"


@dataclass
class ParseResult:
    documents: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    corrections: list[AppliedCorrection] = field(default_factory=list)

    @property
    def fatal_problems(self) -> list[Problem]:
        return [p for p in self.problems if p.fatal]


@dataclass(frozen=True)
class Line:
    """One line of the file: its 1-based number and text; cells are the tab-separated parts."""

    number: int
    text: str

    @property
    def cells(self) -> list[str]:
        return [cell.strip() for cell in self.text.split("\t")]

    @property
    def filled(self) -> list[str]:
        return [cell for cell in self.cells if cell]


@dataclass(frozen=True)
class YearHead:
    """A year column of a table: where its head is, the Gregorian fiscal year, 見込み or not."""

    column: int
    fiscal_year: int
    is_estimate: bool


# ---------------------------------------------------------------------------------------------
# Patterns of the printed form

ERA = r"(?:昭和|平成|令和)"
ERA_YEAR = rf"{ERA}\s*(?:元|\d{{1,2}})\s*年"
HEADER = re.compile(r"^\s*事務事業分析シート\s*[（(]\s*(?P<year>[^（）()]+?)\s*[）)]\s*$")
SHORT_YEAR = re.compile(r"^(?P<year>元|\d{1,2})\s*年度\s*(?P<estimate>見込み?)?$")
TARGET_HEAD = re.compile(r"目標値?\s*[（(]\s*(?P<year>元|\d{1,2})\s*年度\s*[）)]")
ESTIMATE_NOTE = re.compile(r"(?P<year>元|\d{1,2})\s*年度は見込")
# 平成 5年 4月 / 平成14年度 / 平成31年度（令和元年度）
ERA_DATE = re.compile(rf"{ERA_YEAR}\s*(?:\d{{1,2}}\s*月|度)?(?:\s*[（(]\s*{ERA_YEAR}\s*度?\s*[）)])?")
GROUP_HEADING = re.compile(r"<(?P<group>[^<>A-Za-z/!][^<>]*)>")
HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
BLOCK_TAG = re.compile(r"</?(?:p|ul|ol|li|div|br)\b[^<>]*>", re.IGNORECASE)
RADIO = re.compile(r"<input\b(?P<attrs>[^<>]*?)/?>\s*(?P<label>[^<\t（）()]*)")
RADIO_BULLET = re.compile(r"<input\b[^<>]*/?>\s*")
LIST_BREAK = re.compile(r"\s+(?=[・○《])|(?<=》)\s+")
MARKED = re.compile(rf"^(?P<mark>[{CIRCLED_NUMBERS}])\s*(?P<rest>.*)$", re.DOTALL)
BUDGET_CODE = re.compile(r"^\d+(?:-\d+)+$")
BREAKDOWN_HEAD = re.compile(rf"^(?P<year>{ERA_YEAR}\s*度)\s*[（(]\s*(?P<kind>決算|予算)")
UNIT_NOTE = re.compile(r"^[（(]\s*単位\s*[：:].*[）)]$")
IMPROVEMENT_HEAD = re.compile(rf"^{ERA_YEAR}度(?:以降)?に.{{0,20}}改善内容")
OTHER_WARDS = re.compile(
    r"[（(]?\s*実施\s*(?P<implemented>\d+)\s*区\s*未実施\s*(?P<not_implemented>\d+)\s*区"
    r"\s*不明\s*(?P<unknown>\d+)\s*区\s*[）)]?"
)
DEPARTMENT_SECTION = re.compile(r"^(?P<department>.+?部)(?P<section>.+)$")


@dataclass(frozen=True)
class SectionSpec:
    """A part of the form: the pattern of the label that starts its first row, its document field."""

    key: str
    label: str  # as printed, for messages
    pattern: re.Pattern
    field: str


# In form order; a section runs from the row with its label to the next section's row.
SECTIONS: tuple[SectionSpec, ...] = tuple(
    SectionSpec(key, label, re.compile(pattern), field_path)
    for key, label, pattern, field_path in (
        ("code", "事務事業コード", r"事務事業コード", "code"),
        ("name", "事務事業名", r"事務事業名", "name"),
        ("sub_programs", "小事業名及び予算事業コード", r"事務事業を構成する小事業名.*", "sub_programs"),
        ("business_type", "事務事業の種類", r"事務事業の種類", "business_type"),
        ("start", "開始年度", r"開始年度", "start_fiscal_year"),
        ("end", "終期設定", r"終期設定", "has_end_date"),
        ("standard", "実施基準", r"実施基準", "implementation_standard"),
        ("policy", "行政評価事業体系", r"行政評価事業体系", "policy"),
        ("purpose", "目的", r"目的", "purpose"),
        ("target_group", "対象者等", r"対象者等", "target_group"),
        ("content", "内容", r"内容", "content"),
        ("history", "経過", r"経過", "history"),
        ("necessity", "必要性", r"必要性", "necessity"),
        ("method", "実施方法", r"実施方法", "outsourcing"),
        ("indicators", "指標", r"指\s*標", "indicators"),
        ("classification", "事務事業の分類", r"事務事業の分類", "classification"),
        ("budget_history", "予算・決算額等の推移", r"予算・決算額等の推移", "budget_history"),
        ("activity", "実績の推移", r"実績の推移", "activity"),
        ("breakdown", "予算・決算の内訳", r"予算・決算の内訳", "budget_breakdown"),
        ("cost", "行政コスト計算書", r"行政コスト計算書", "cost_statement"),
        ("remarks", "備考", r"備考(?:\s.*)?", "remarks"),
        ("improvements", "問題点・課題の改善策", r"問題点・課題の改善策", "improvements"),
        ("issues", "問題点・課題", r"問題点・課題(?:\s.*)?", "issues"),
        ("other_wards", "他区の実況", r"他区の実況", "other_wards"),
        ("council", "議会", r".{0,12}議会.{0,12}", "council"),
    )
)
SECTION_BY_KEY = {spec.key: spec for spec in SECTIONS}
REQUIRED_SECTIONS = {"code", "name", "policy", "budget_history"}  # missing → the sheet cannot be imported
OPTIONAL_SECTIONS = {"council"}
# Labels printed in the top rows: a cell after a label that is itself a label means "empty".
ROW_LABELS = {
    "事務事業コード",
    "戦略プラン",
    "事務事業名",
    "部課名",
    "課長名",
    "担当者名",
    "内線",
    "根拠",
    "法令等",
    "計画区分",
    "分野",
    "政策",
    "施策",
}

# Units printed in a parenthetical after a name: a counter word, optionally after a magnitude (千円, 千人, 百万円) or
# 延べ, optionally per a period or another counter (人/日). (基), (千人), (kg) are units; (合計), (複合機・レーザープリンタ),
# (総務部) are not.
COUNTERS = tuple(
    """
    % 円 人 名 件 回 台 枚 点 施設 回線 時間 日 か所 箇所 ヵ所 ヶ所 カ所 校 園 冊 基 本 個 戸 世帯 社 団体 部 通 区画 路線 系統
    棟 室 席 床 食 泊 頭 匹 羽 株 箱 袋 品目 種類 種 業務 システム 講座 学級 組 頁 ページ
    t kg g km m m2 m3 ha L kL mL kWh MWh kW GB TB
    """.split()
)
_COUNTER = "|".join(re.escape(counter) for counter in sorted(COUNTERS, key=len, reverse=True))
UNIT = re.compile(rf"(?:延べ|延)?(?:百万|十万|千|万|億)?(?:{_COUNTER})(?:\s*/\s*(?:{_COUNTER}|年|月|週))?")
UNIT_WORDS = (
    ("件数", "件"),
    ("手続数", "件"),
    ("台数", "台"),
    ("枚数", "枚"),
    ("施設数", "施設"),
    ("人数", "人"),
    ("回数", "回"),
    ("光ファイバ", "回線"),
    ("VPN", "回線"),
    ("回線", "回線"),
    ("満足度", "点"),
    ("段階評価", "点"),
)
DECREASE_WORDS = ("抑制", "削減", "減少", "低減")

COST_TOTAL_KEYS = {re.sub(r"\s*[（(].*$", "", label): value for value, label in CostTotal.choices}
COST_SIDE_LABELS = {"行政費用", "行政収入"}


# ---------------------------------------------------------------------------------------------
# Small text helpers


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _compact(text: str) -> str:
    """The text without any whitespace (for comparing labels)."""
    return re.sub(r"\s+", "", text)


def _plain(text: str) -> str:
    """The text without HTML tags, stripped."""
    return HTML_TAG.sub("", text).strip()


def _list_text(text: str) -> str:
    """A printed list as one item per line: breaks at HTML blocks and at bullets ・ ○ 《…》."""
    items: list[str] = []
    for block in BLOCK_TAG.sub("\n", text).split("\n"):
        items += [item.strip() for item in LIST_BREAK.split(_plain(block))]
    return "\n".join(item for item in items if item)


def _radios(text: str) -> list[tuple[str, bool]]:
    """Every <input type="radio"/> in the text: (the label printed after it, checked)."""
    return [(match["label"].strip(), "checked" in match["attrs"]) for match in RADIO.finditer(text)]


def _checked(text: str, allowed) -> list[str]:
    """The checked radio labels of the text that are among `allowed`."""
    return [label for label, checked in _radios(text) if checked and label in allowed]


def _label_cell(line: Line) -> str:
    """The first filled cell without a leading list dash ("- 問題点・課題" → "問題点・課題")."""
    filled = line.filled
    return re.sub(r"^-\s*", "", filled[0]) if filled else ""


def _section_key(label: str) -> str | None:
    return next((spec.key for spec in SECTIONS if spec.pattern.fullmatch(label)), None)


def _sections(lines: list[Line]) -> dict[str, list[Line]]:
    """The lines of each section, from the row with its label to the next section's row."""
    sections: dict[str, list[Line]] = {}
    current = None
    for line in lines:
        key = _section_key(_label_cell(line))
        if key and key not in sections:
            current = key
            sections[key] = []
        if current:
            sections[current].append(line)
    return sections


def _after_label(lines: list[Line]) -> list[tuple[Line, list[str]]]:
    """Each line with its filled cells, the label cell of the first line left out."""
    return [(line, line.filled[1:] if i == 0 else line.filled) for i, line in enumerate(lines)]


def _section_text(lines: list[Line]) -> str:
    """The text of a one-label section: its cells after the label; lines joined by newlines."""
    texts = [_plain(" ".join(cells)) for _, cells in _after_label(lines)]
    return "\n".join(text for text in texts if text)


def _find_label(lines: list[Line], label: str) -> tuple[Line, int] | None:
    for line in lines:
        for index, cell in enumerate(line.cells):
            if _compact(cell) == label:
                return line, index
    return None


def _first_filled(line: Line) -> int:
    """The column of the first filled cell (the row's label)."""
    return next((i for i, cell in enumerate(line.cells) if cell), 0)


def _cells_from(line: Line, start: int, count: int) -> list[str]:
    """`count` cells from column `start`, "" where the row is shorter."""
    cells = line.cells
    return [cells[i] if i < len(cells) else "" for i in range(start, start + count)]


def _value_after(line: Line, index: int) -> str:
    """The next filled cell after cells[index], or "" when that is the next label or a radio."""
    for cell in line.cells[index + 1 :]:
        if cell:
            return "" if _compact(cell) in ROW_LABELS or "<input" in cell else cell
    return ""


def _printed(text: str) -> str:
    """A printed value as FORMAT.md keeps it: "34,911" → "34911", "▲ 1.2" → "-1.2", "3.0" stays."""
    number, decimals = parse_printed_number(text)
    return format(number, f".{decimals}f")


def _bracket_end(text: str, start: int) -> int | None:
    """The index after the bracket group that opens at text[start] (nested brackets allowed)."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] in "（(":
            depth += 1
        elif text[index] in "）)":
            depth -= 1
            if depth == 0:
                return index + 1
    return None


def _unit(text: str) -> str:
    """The text as a unit ("（ 千人 ）" content → "千人"), or "" when it is not one (合計, 複合機・レーザープリンタ)."""
    unit = _nfkc(text).strip()
    return unit if UNIT.fullmatch(unit) else ""


def _unit_in_parentheses(name: str) -> str:
    for match in re.finditer(r"[（(]\s*([^（）()]+?)\s*[）)]", name):
        if _unit(match[1]):
            return _unit(match[1])
    return ""


def _unit_from_words(name: str) -> str:
    bare = re.sub(r"[（(][^（）()]*[）)]", "", name)
    for word, unit in UNIT_WORDS:
        if word in bare:
            return unit
    return ""


def _split_trailing_unit(name: str) -> tuple[str, str]:
    """ "システム開発変更 (千円)" → ("システム開発変更", "千円"), "設置数 (基)" → ("設置数", "基"): any unit printed in a
    parenthetical after a space at the end of the name moves out. Printed without the space it is part of the name
    ("文書管理システムの電子決裁率(%)", as the form names a rate) and only gives the unit (_unit_in_parentheses)."""
    match = re.search(r"\s+[（(]\s*([^（）()]+?)\s*[）)]$", name)
    if match and _unit(match[1]):
        return name[: match.start()], _unit(match[1])
    return name, ""


# ---------------------------------------------------------------------------------------------
# One sheet


class PrintedTextReader:
    """Reads the lines of one sheet into a document, collecting the problems it meets."""

    def __init__(self, *, index: int, header: Line, lines: list[Line]):
        self.index = index
        self.header = header
        self.lines = lines
        self.sections = _sections(lines)
        self.label = f"{index}枚目"
        self.problems: list[Problem] = []
        self.where: dict[str, Line] = {}  # the line each choice field was read from
        self.missing: set[str] = set()  # sections already reported missing
        self.fiscal_year: int | None = None

    # -- bookkeeping ---------------------------------------------------------------------------

    def problem(self, field_path: str, line: Line | None, message: str, *, fatal: bool = False) -> None:
        number, text = (line.number, line.text.strip()) if line else (None, "")
        self.problems.append(Problem(self.index, self.label, field_path, number, text, message, fatal))

    def section(self, key: str) -> list[Line]:
        """The lines of a section; a missing section is a problem (fatal for a required one)."""
        lines = self.sections.get(key, [])
        if not lines and key not in OPTIONAL_SECTIONS and key not in self.missing:
            self.missing.add(key)
            spec = SECTION_BY_KEY[key]
            self.problem(spec.field, None, f"「{spec.label}」の行がありません", fatal=key in REQUIRED_SECTIONS)
        return lines

    def near(self) -> int:
        return self.fiscal_year or date.today().year

    def short_year(self, text: str, line: Line, field_path: str) -> int | None:
        try:
            return parse_short_fiscal_year(text, near=self.near())
        except WarekiError as exc:
            self.problem(field_path, line, str(exc))
            return None

    def number(self, text: str, line: Line, field_path: str) -> str | None:
        try:
            return _printed(text)
        except NumberFormatError:
            self.problem(field_path, line, f"「{text}」は数値として読めません", fatal=True)
            return None

    def amount(self, text: str, line: Line, field_path: str) -> int | None:
        try:
            return parse_amount(text)
        except NumberFormatError:
            self.problem(field_path, line, f"「{text}」は千円単位の金額として読めません", fatal=True)
            return None

    def year_heads(self, line: Line, field_path: str) -> list[YearHead]:
        heads = []
        for column, cell in enumerate(line.cells):
            match = SHORT_YEAR.match(_nfkc(cell))
            if match:
                year = self.short_year(cell, line, field_path)
                if year:
                    heads.append(YearHead(column, year, bool(match["estimate"])))
        return heads

    def year_values(self, line: Line, heads: list[YearHead], after: int, field_path: str) -> list[tuple[YearHead, str]]:
        """The cells of a row under each year head: in order when the counts agree, else by column."""
        filled = [(column, cell) for column, cell in enumerate(line.cells) if column > after and cell]
        if len(filled) == len(heads):
            return [(head, cell) for head, (_, cell) in zip(heads, filled, strict=True)]
        by_column = dict(filled)
        pairs = [(head, by_column.pop(head.column, "")) for head in heads]
        for cell in by_column.values():
            self.problem(field_path, line, f"「{cell}」がどの年度の値か分かりません")
        return pairs

    def estimate_year(self, lines: list[Line]) -> int | None:
        """The year named in a note such as (3年度は見込み)."""
        for line in lines:
            match = ESTIMATE_NOTE.search(line.text)
            if match:
                return self.short_year(f"{match['year']}年度", line, "fiscal_year")
        return None

    # -- the document --------------------------------------------------------------------------

    def document(self) -> dict:
        """The sheet as a FORMAT.md document (corrections not yet applied)."""
        code = self.read_code()
        if code:
            self.label = code
        self.fiscal_year = self.read_fiscal_year()
        doc = {"fiscal_year": self.fiscal_year, "code": code}
        doc |= self.read_name_rows()
        doc["sub_programs"] = self.read_sub_programs()
        doc |= self.read_business_type()
        doc |= self.read_start_and_end()
        doc |= self.read_standard()
        doc["policy"] = self.read_policy()
        doc["purpose"] = _section_text(self.section("purpose"))
        doc["target_group"] = _section_text(self.section("target_group"))
        doc["content"] = self.read_content()
        doc["history"] = self.read_history_events()
        doc["necessity"] = _section_text(self.section("necessity"))
        doc |= self.read_method()
        doc["indicators"] = self.read_indicators()
        doc["classification"] = self.read_classification()
        doc["budget_history"] = self.read_budget_history()
        doc["activity"] = self.read_activity()
        doc["budget_breakdown"] = self.read_breakdown()
        doc["cost_statement"] = self.read_cost_statement()
        doc["remarks"] = self.read_remarks()
        doc["issues"] = self.read_issues()
        doc["improvements"] = self.read_improvements()
        doc["other_wards"] = self.read_other_wards()
        doc["council"] = self.read_council()
        return doc

    def read_fiscal_year(self) -> int | None:
        text = HEADER.match(self.header.text)["year"]
        try:
            year = parse_fiscal_year(text)
        except WarekiError:
            self.problem("fiscal_year", self.header, f"見出しの評価年度「{text}」が読めません", fatal=True)
            return None
        if not MIN_FISCAL_YEAR <= year <= MAX_FISCAL_YEAR:
            allowed = f"{MIN_FISCAL_YEAR}〜{MAX_FISCAL_YEAR}"
            self.problem("fiscal_year", self.header, f"評価年度 {year}（{text}）は {allowed} の範囲外です", fatal=True)
            return None
        return year

    def read_code(self) -> str:
        found = _find_label(self.section("code"), "事務事業コード")
        code = _value_after(*found) if found else ""
        if found and not code:
            self.problem("code", found[0], "事務事業コードが空です", fatal=True)
        if found:
            self.where["code"] = self.where["strategy_plan"] = found[0]
        return code

    def read_name_rows(self) -> dict:
        lines = self.section("name")
        values = {}
        for label in ("事務事業名", "部課名", "課長名", "担当者名", "内線"):
            found = _find_label(lines, label)
            values[label] = _value_after(*found) if found else ""
        name_row = _find_label(lines, "事務事業名")
        if name_row and not values["事務事業名"]:
            self.problem("name", name_row[0], "事務事業名が空です", fatal=True)
        department, section = self.split_department(values["部課名"], lines)
        code_line = self.where.get("code")
        strategy = _checked(code_line.text, choices.StrategyPlan.values) if code_line else []
        return {
            "name": values["事務事業名"],
            "department": department,
            "section": section,
            "strategy_plan": strategy[0] if strategy else "",
            "chief": values["課長名"],
            "staff": [name.strip() for name in re.split(r"[、・,，]", values["担当者名"]) if name.strip()],
            "extension": values["内線"],
        }

    def split_department(self, text: str, lines: list[Line]) -> tuple[str, str]:
        match = DEPARTMENT_SECTION.match(_compact(text))
        if not match:
            found = _find_label(lines, "部課名")
            self.problem("department", found[0] if found else None, f"部課名「{text}」を部と課に分けられません", fatal=True)
            return text, ""
        return match["department"], match["section"]

    def read_sub_programs(self) -> list[dict]:
        programs = []
        for line in self.section("sub_programs"):
            cells = line.cells
            for index, cell in enumerate(cells):
                if BUDGET_CODE.match(cell):
                    programs.append({"budget_code": cell, "name": _value_after(line, index)})
                    break
        return programs

    def read_business_type(self) -> dict:
        text = " ".join(line.text for line in self.section("business_type"))
        labels = {label: value for value, label in choices.BusinessType.choices}
        checked = [labels[label] for label, on in _radios(text) if on and label in labels]
        new_year = None
        if checked[:1] == [choices.BusinessType.NEW]:
            years = [label for label, on in _radios(text) if on and SHORT_YEAR.match(_nfkc(label))]
            line = self.section("business_type")[0]
            new_year = self.short_year(years[0], line, "new_business_fiscal_year") if years else None
        return {"business_type": checked[0] if checked else "", "new_business_fiscal_year": new_year}

    def read_start_and_end(self) -> dict:
        start_lines, end_lines = self.section("start"), self.section("end")
        start_year, legal_basis = None, []
        if start_lines:
            cells = start_lines[0].cells
            stop = next((i for i, cell in enumerate(cells) if _compact(cell) == "根拠"), len(cells))
            start_year = self.era_year(" ".join(cells[1:stop]), start_lines[0], "start_fiscal_year")
            legal_basis.append(_value_after(start_lines[0], stop) if stop < len(cells) else "")
        end_text = " ".join(line.text for line in end_lines)
        has_end = "有" in _checked(end_text, {"有", "無"})
        end_year = None
        end_match = re.search(r"[（(]\s*([^（）()]*?)\s*[）)]\s*年度", _plain(end_text))
        if end_match and end_match[1]:
            end_year = self.era_year(end_match[1], end_lines[0], "end_fiscal_year")
        found = _find_label(end_lines, "法令等")
        if found:
            legal_basis.append(_value_after(*found))
        return {
            "start_fiscal_year": start_year,
            "legal_basis": " ".join(text for text in legal_basis if text),
            "has_end_date": has_end,
            "end_fiscal_year": end_year,
        }

    def era_year(self, text: str, line: Line, field_path: str) -> int | None:
        """昭和 58（1983） → 1983: the Gregorian year in brackets, else the era year; a disagreement is reported."""
        gregorian = re.search(r"[（(]\s*(\d{4})\s*[）)]", text) or re.fullmatch(r"\s*(\d{4})\s*", text)
        era = re.search(rf"({ERA})\s*(元|\d{{1,2}})", text)
        try:
            era_year = to_gregorian(era[1], era[2]) if era else None
        except WarekiError as exc:
            self.problem(field_path, line, str(exc))
            era_year = None
        if gregorian and era_year and int(gregorian[1]) != era_year:
            self.problem(field_path, line, f"「{text.strip()}」の和暦（{era_year}年）と西暦が一致しません")
        if gregorian or era_year:
            return int(gregorian[1]) if gregorian else era_year
        self.problem(field_path, line, f"「{text.strip()}」は年度として読めません")
        return None

    def read_standard(self) -> dict:
        text = " ".join(line.text for line in self.section("standard"))
        standard = _checked(text, choices.ImplementationStandard.values)
        plan = _checked(text, choices.PlanCategory.values)
        return {"implementation_standard": standard[0] if standard else "", "plan_category": plan[0] if plan else ""}

    def read_policy(self) -> dict:
        lines = self.section("policy")
        policy = {}
        for key, label in (("field", "分野"), ("policy", "政策"), ("measure", "施策")):
            found = _find_label(lines, label)
            filled = [cell for cell in found[0].cells[found[1] + 1 :] if cell] if found else []
            if not filled and lines:
                self.problem(f"policy.{key}.code", found[0] if found else lines[0], f"{label}のコードが読めません", fatal=True)
            policy[key] = {"code": filled[0] if filled else "", "name": " ".join(filled[1:])}
            if found:
                self.where[f"policy.{key}.code"] = found[0]
        return policy

    def read_content(self) -> str:
        """内容 as one list item per line; a radio input printed as a bullet becomes ○."""
        text = " ".join(" ".join(cells) for _, cells in _after_label(self.section("content")))
        return _list_text(RADIO_BULLET.sub("○", text))

    # -- 経過 ----------------------------------------------------------------------------------

    def read_history_events(self) -> list[dict]:
        """経過: dated events (年月 or 年度), undated rows, and <見出し> groups, in printed order."""
        events: list[dict] = []
        group = ""
        for line, cells in _after_label(self.section("history")):
            text = HTML_TAG.sub(" ", " ".join(cells))
            tokens = sorted([*GROUP_HEADING.finditer(text), *ERA_DATE.finditer(text)], key=lambda m: m.start())
            leading = text[: tokens[0].start() if tokens else len(text)].strip()
            if leading:
                self.history_event_text(events, leading, group, line)
            for token, following in zip(tokens, [*tokens[1:], None], strict=False):
                if token.re is GROUP_HEADING:
                    group = token["group"].strip()
                    continue
                body = text[token.end() : following.start() if following else len(text)].strip()
                events.append(self.history_event(token.group(0), body, group, line))
        for event in events:
            line = event.pop("line")
            if not event["text"]:
                self.problem("history", line, f"経過の日付「{event['era_label']}」に内容がありません")
        return [event for event in events if event["text"]]

    def history_event_text(self, events: list[dict], text: str, group: str, line: Line) -> None:
        """Text before any date on a row: continues a date left without text, else an undated event."""
        if events and not events[-1]["text"]:
            events[-1]["text"] = text
            return
        events.append({"era_label": "", "year": None, "month": None, "group": group, "text": text, "line": line})

    def history_event(self, printed: str, text: str, group: str, line: Line) -> dict:
        """One dated event; era_label is the date as printed without stray spaces."""
        try:
            era_date = parse_era_date(printed)
            year, month = era_date.year, era_date.month
        except WarekiError as exc:
            self.problem("history", line, str(exc))
            year = month = None
        return {"era_label": _compact(printed), "year": year, "month": month, "group": group, "text": text, "line": line}

    # -- 実施方法 --------------------------------------------------------------------------------

    def read_method(self) -> dict:
        """実施方法: (委託 radio or plain text) (直営の場合 radios) then the contract text."""
        lines = self.section("method")
        rest = " ".join(" ".join(cells) for _, cells in _after_label(lines)).strip()
        outsourcing_text, rest = self.leading_group(rest)
        direct_text = ""
        if re.match(r"[（(]\s*直営の場合", rest):
            direct_text, rest = self.leading_group(rest)
        if lines:
            self.where["outsourcing"] = lines[0]
        return {
            "outsourcing": self.outsourcing(outsourcing_text),
            "direct_staff": _checked(direct_text, choices.DirectStaffKind.values),
            "implementation_note": _plain(rest),
        }

    def leading_group(self, text: str) -> tuple[str, str]:
        """("inside", "rest") when the text starts with a bracket group, else ("", text)."""
        if not text.startswith(("（", "(")):
            return "", text
        end = _bracket_end(text, 0) or len(text)
        return text[1 : end - 1], text[end:].strip()

    @staticmethod
    def outsourcing(text: str) -> str:
        """The checked radio; a plain printed option without a radio counts as selected."""
        radios = _radios(text)
        if radios:
            checked = [label for label, on in radios if on]
            return checked[0] if checked else ""
        return _compact(_plain(text))

    # -- 成果指標 ------------------------------------------------------------------------------

    def read_indicators(self) -> list[dict]:
        lines = self.section("indicators")
        heads: list[tuple[int, bool]] = []
        target_year = None
        indicators = []
        for line in lines:
            marked = next(((i, MARKED.match(c)) for i, c in enumerate(line.cells) if c), (0, None))
            if marked[1] is None:
                heads += [(h.fiscal_year, h.is_estimate) for h in self.year_heads(line, "indicators")]
                target = TARGET_HEAD.search(_nfkc(line.text))
                if target:
                    target_year = self.short_year(f"{target['year']}年度", line, "indicators")
                continue
            indicator = self.indicator_row(line, marked[0], marked[1], heads, len(indicators))
            if indicator:
                indicator["target_fiscal_year"] = target_year
                indicators.append(indicator)
        return indicators

    def indicator_row(self, line: Line, column: int, marked: re.Match, heads, position: int) -> dict | None:
        cells = line.cells
        name, name_column = marked["rest"].strip(), column
        if not name:
            name_column = next((i for i in range(column + 1, len(cells)) if cells[i]), len(cells))
            name = cells[name_column] if name_column < len(cells) else ""
        if not name:
            return None
        path = f"indicators[{position}]"
        printed = _cells_from(line, name_column + 1, len(heads) + 1)
        if not heads:
            self.problem(path, line, "指標の年度の見出しが読めません")
        values = [
            {"fiscal_year": year, "value": self.number(cell, line, f"{path}.values[{i}].value"), "is_estimate": estimate}
            for i, ((year, estimate), cell) in enumerate(zip(heads, printed, strict=False))
            if cell
        ]
        target_cell = printed[len(heads)] if len(printed) > len(heads) else ""
        target = self.number(target_cell, line, f"{path}.target") if target_cell else None
        description = " ".join(cell for cell in cells[name_column + 2 + len(heads) :] if cell)
        unit = _unit_in_parentheses(name) or _unit_from_words(name) or ("点" if "段階評価" in description else "")
        return {
            "number": circled_value(marked["mark"]),
            "name": name,
            "unit": unit,
            "description": description,
            "direction": _direction(name=name, unit=unit, description=description, target=target, values=values),
            "target": target,
            "target_fiscal_year": None,
            "values": values,
        }

    def read_classification(self) -> dict:
        lines = self.section("classification")
        allowed = choices.Classification.values
        cells = [cell for _, filled in _after_label(lines) for cell in filled]
        cells = [cell for cell in cells if cell != "分類についての説明・意見等" and not SHORT_YEAR.match(_nfkc(cell))]
        picked = [cell for cell in cells[:2] if cell in allowed]
        explanation = "\n".join(_plain(cell) for cell in cells[len(picked) :])
        if lines and len(picked) < 2:
            self.problem("classification", lines[0], "3年度・4年度の分類が読めません")
        if lines:
            self.where["classification.current"] = self.where["classification.next"] = lines[0]
        picked += [""] * (2 - len(picked))
        return {"current": picked[0], "next": picked[1], "explanation": explanation}

    # -- 予算・決算額等の推移, 実績の推移 ----------------------------------------------------------

    def read_budget_history(self) -> list[dict]:
        lines = self.section("budget_history")
        if not lines:
            return []
        heads = self.year_heads(lines[0], "budget_history")
        rows = {"budget": None, "settlement": None}
        for line in lines[1:]:
            label = _compact(_label_cell(line))
            key = "budget" if label.startswith("予算額") else "settlement" if label.startswith("決算額") else None
            if key and rows[key] is None:
                rows[key] = line
        if not heads or rows["budget"] is None:
            self.problem("budget_history", lines[0], "予算額の行または年度の見出しが読めません", fatal=True)
            return []
        estimate = self.estimate_year([rows["settlement"]] if rows["settlement"] else [])
        history = [
            {
                "fiscal_year": h.fiscal_year,
                "budget": None,
                "settlement": None,
                "settlement_is_estimate": h.is_estimate or h.fiscal_year == estimate,
            }
            for h in heads
        ]
        printed = [False] * len(heads)  # a year with a budget or a settlement (either may be missing: missing is None)
        for key, line in rows.items():
            if line is None:
                self.problem("budget_history.settlement", lines[0], "決算額の行がありません")
                continue
            for i, (_, cell) in enumerate(self.year_values(line, heads, _first_filled(line), "budget_history")):
                if cell:
                    printed[i] = True
                    history[i][key] = self.amount(cell, line, f"budget_history[{i}].{key}")
        for i, head in enumerate(heads):
            if not printed[i]:
                self.problem(f"budget_history[{i}]", rows["budget"], f"{head.fiscal_year}年度の予算額も決算額もありません")
        return history

    def read_activity(self) -> list[dict]:
        """実績の推移: one item per row; a row printed "・光ファイバ" is a sub-item of the last plain item."""
        lines = self.section("activity")
        if not lines:
            return []
        heads = self.year_heads(lines[0], "activity")
        estimate = self.estimate_year(lines[:2])
        items: list[dict] = []
        parent = None
        for line in lines[1:]:
            label = _label_cell(line)
            if not label or label.startswith("事項名"):
                continue
            item = self.activity_item(line, label, heads, estimate, len(items))
            if label.startswith("・"):
                item["parent"] = parent
                if parent is None:
                    self.problem(f"activity[{len(items)}].parent", line, "・の項目の親項目がありません")
            else:
                parent = item["name"]
            items.append(item)
        return items

    def activity_item(self, line: Line, label: str, heads, estimate: int | None, position: int) -> dict:
        name, unit = _split_trailing_unit(label.lstrip("・").strip())
        path = f"activity[{position}]"
        values = []
        for i, (head, cell) in enumerate(self.year_values(line, heads, _first_filled(line), path)):
            if cell:
                values.append(
                    {
                        "fiscal_year": head.fiscal_year,
                        "value": self.number(cell, line, f"{path}.values[{i}].value"),
                        "is_estimate": head.is_estimate or head.fiscal_year == estimate,
                    }
                )
        unit = unit or _unit_in_parentheses(name) or _unit_from_words(name)
        return {"name": name, "unit": unit, "parent": None, "values": values}

    # -- 予算・決算の内訳 --------------------------------------------------------------------------

    def read_breakdown(self) -> list[dict]:
        """予算・決算の内訳: three column groups (節, 主な事項, 金額), printed order within each year."""
        groups: list[tuple[int, int, str]] = []
        columns: dict[int, list[dict]] = {}
        for line in self.section("breakdown"):
            if not groups:
                groups = self.breakdown_heads(line)
                columns = {column: [] for column, _, _ in groups}
                continue
            if UNIT_NOTE.match(_label_cell(line)) or _label_cell(line) == "節":
                continue
            for column, year, kind in groups:
                row = self.breakdown_cell(line, column, year, kind)
                if row:
                    columns[column].append(row)
        if not groups and self.sections.get("breakdown"):
            self.problem("budget_breakdown", self.sections["breakdown"][0], "内訳の年度の見出しが読めません")
        return [row for column, _, _ in groups for row in columns[column]]

    def breakdown_heads(self, line: Line) -> list[tuple[int, int, str]]:
        groups = []
        for column, cell in enumerate(line.cells):
            match = BREAKDOWN_HEAD.match(cell)
            if match:
                kind = "settlement" if match["kind"] == "決算" else "budget"
                groups.append((column, parse_fiscal_year(_compact(match["year"])), kind))
        return groups

    def breakdown_cell(self, line: Line, column: int, year: int, kind: str) -> dict | None:
        expense_class, description, amount = _cells_from(line, column, 3)
        if not (expense_class or description or amount):
            return None
        path = "budget_breakdown"
        if not expense_class or not amount:
            self.problem(path, line, f"{year}年度の内訳「{expense_class or description}」に節または金額がありません")
            return None
        return {
            "fiscal_year": year,
            "kind": kind,
            "expense_class": expense_class,
            "description": description,
            "amount": self.amount(amount, line, path),
        }

    # -- 行政コスト計算書 --------------------------------------------------------------------------

    def read_cost_statement(self) -> list[dict]:
        lines = self.section("cost")
        years: list[int] = []
        for line in lines[:3]:
            for head in self.year_heads(line, "cost_statement"):
                if head.fiscal_year not in years:
                    years.append(head.fiscal_year)
        if lines and len(years) < 2:
            self.problem("cost_statement", lines[0], "行政コスト計算書の年度の見出しが読めません")
            return []
        amounts: dict[str, tuple[int | None, int | None]] = {}
        for line in lines:
            amounts |= self.cost_row(line)
        missing = [a for a in CostAccount.labels if a not in amounts]
        if lines and missing:
            self.problem("cost_statement", lines[0], f"勘定科目（{'、'.join(missing)}）が読めません")
        return [
            {
                "fiscal_year": year,
                "lines": [{"account": a, "amount": amounts[a][i]} for a in CostAccount.labels if a in amounts],
                "stated_totals": {t: amounts[t][i] for t in CostTotal.values if t in amounts},
            }
            for i, year in enumerate(years[:2])
        ]

    def cost_row(self, line: Line) -> dict[str, tuple[int | None, int | None]]:
        """Each account or total on the row with the two amounts printed after it (差額 ignored)."""
        cells = line.cells
        keys = [(i, _cost_key(cell)) for i, cell in enumerate(cells)]
        starts = [i for i, key in keys if key] + [i for i, cell in enumerate(cells) if _compact(cell) in COST_SIDE_LABELS]
        found = {}
        for index, key in keys:
            if not key:
                continue
            end = min([s for s in starts if s > index], default=len(cells))
            values = [cell for cell in cells[index + 1 : end] if cell]
            if len(values) < 2:
                self.problem(f"cost_statement.{key}", line, f"「{cells[index]}」の金額が2年度分ありません")
                continue
            found[key] = tuple(self.amount(v, line, f"cost_statement.{key}") for v in values[:2])
        return found

    # -- 備考, 問題点・課題, 改善策, 他区, 議会 ----------------------------------------------------------

    def read_remarks(self) -> str:
        lines = self.section("remarks")
        if not lines:
            return ""
        first = re.sub(r"^備考\s*", "", " ".join(lines[0].filled))
        texts = [_plain(first)] + [_plain(" ".join(line.filled)) for line in lines[1:]]
        return "\n".join(text for text in texts if text)

    def read_issues(self) -> list[dict]:
        """問題点・課題 ①…: a line starting with a marker starts an issue, other lines continue it."""
        issues: list[dict] = []
        for i, line in enumerate(self.section("issues")):
            text = re.sub(r"^-\s*", "", " ".join(line.filled))
            if i == 0:
                text = re.sub(r"^問題点・課題\s*", "", text)
            text = _plain(text)
            marked = MARKED.match(text)
            if marked:
                number = self.marker_number(marked, issues, "issues", line)
                issues.append({"number": number, "text": marked["rest"].strip()})
            elif text and issues:
                issues[-1]["text"] += text
            elif text:
                self.problem(f"issues[{len(issues)}]", line, "問題点・課題に番号（①など）がありません")
                issues.append({"number": len(issues) + 1, "text": text})
        return issues

    def read_improvements(self) -> list[dict]:
        """改善策: rows ① ② ③ of (取り組む内容, 実施した内容および評価, 以降に取り組む内容)."""
        improvements = []
        for line in self.section("improvements")[1:]:
            cells = line.cells
            if any(IMPROVEMENT_HEAD.match(cell) for cell in cells):
                continue
            column = _first_filled(line)
            marked = MARKED.fullmatch(cells[column])
            if not marked:
                if line.filled:
                    self.problem("improvements", line, "改善策の行に番号（①など）がありません")
                continue
            texts = ([marked["rest"].strip()] if marked["rest"].strip() else []) + _cells_from(line, column + 1, 3)
            plan, result, following = texts[:3]
            if plan or result or following:
                number = self.marker_number(marked, improvements, "improvements", line)
                improvements.append({"number": number, "plan": plan, "result": result, "next": following})
        return improvements

    def marker_number(self, marked: re.Match, rows: list[dict], field_path: str, line: Line) -> int:
        """① → 1; a number printed twice in one list is a fatal problem (the rows are keyed by it)."""
        number = circled_value(marked["mark"])
        if any(row["number"] == number for row in rows):
            self.problem(f"{field_path}[{len(rows)}].number", line, f"番号 {marked['mark']} が2回あります", fatal=True)
        return number

    def read_other_wards(self) -> dict:
        """他区の実況: (実施 N 区 未実施 N 区 不明 N 区) and any notes printed as a list after it."""
        lines = self.section("other_wards")
        text = " ".join(" ".join(cells) for _, cells in _after_label(lines))
        match = OTHER_WARDS.search(text)
        if lines and not match:
            self.problem("other_wards", lines[0], "他区の実況（実施・未実施・不明の区数）が読めません")
        counts = {key: int(match[key]) if match else None for key in ("implemented", "not_implemented", "unknown")}
        notes = OTHER_WARDS.sub("", text, count=1)
        return counts | {"notes": _list_text(notes)}

    def read_council(self) -> str:
        lines = self.section("council")
        return _section_text(lines)

    # -- after the corrections -----------------------------------------------------------------

    def check_choices(self, doc: dict) -> None:
        """A value that is not one of the form's options is reported and left empty."""
        fields = (
            ("strategy_plan", doc, "strategy_plan", choices.StrategyPlan),
            ("business_type", doc, "business_type", choices.BusinessType),
            ("implementation_standard", doc, "implementation_standard", choices.ImplementationStandard),
            ("plan_category", doc, "plan_category", choices.PlanCategory),
            ("outsourcing", doc, "outsourcing", choices.Outsourcing),
            ("classification.current", doc["classification"], "current", choices.Classification),
            ("classification.next", doc["classification"], "next", choices.Classification),
        )
        for path, owner, key, options in fields:
            if owner[key] and owner[key] not in options.values:
                self.problem(path, self.where.get(path), f"「{owner[key]}」は選択肢（{'、'.join(options.values)}）にありません")
                owner[key] = ""


def _cost_key(cell: str) -> str | None:
    """ "行政収支差額 (a)-(b)=(c)" → "administrative_balance"; "特別費用 (g)" → "特別費用"; else None."""
    label = re.sub(r"[（(][a-h][）)].*$", "", _compact(cell))
    if label in CostAccount.labels:
        return label
    return COST_TOTAL_KEYS.get(label)


def _direction(*, name: str, unit: str, description: str, target: str | None, values: list[dict]) -> str:
    """zero: a target of 0 件; down: a target to reduce (抑制…) or below every value; else up."""
    if target is None:
        return "up"
    target_value = float(target)
    if target_value == 0:
        return "zero" if unit == "件" or "件数" in name else "down"
    if any(word in name + description for word in DECREASE_WORDS):
        return "down"
    printed = [float(v["value"]) for v in values if v["value"] is not None]
    if printed and target_value < min(printed):
        return "down"
    return "up"


# ---------------------------------------------------------------------------------------------
# A whole file


def _split_sheets(lines: list[Line]) -> list[tuple[Line, list[Line]]]:
    """Each header row with the lines up to the next header."""
    sheets: list[tuple[Line, list[Line]]] = []
    for line in lines:
        if HEADER.match(line.text):
            sheets.append((line, []))
        elif sheets:
            sheets[-1][1].append(line)
    return sheets


def parse_sheets_text(text: str, *, source_name: str, apply_corrections: bool = True) -> ParseResult:
    """Read every sheet of an extracted text file into FORMAT.md documents, with the problems met.

    The documented OCR corrections (programs.interchange.text_corrections) are applied unless
    `apply_corrections` is False. A file without any header row is "not a sheet" (one fatal
    problem); the same code twice in a file is a fatal problem on the second sheet.
    """
    lines = [Line(number, line) for number, line in enumerate(text.splitlines(), start=1)]
    separator = _wrong_separator(lines, source_name)
    if separator:
        return ParseResult(problems=[separator])
    sheets = _split_sheets(lines)
    if not sheets:
        return ParseResult(problems=[_not_a_sheet(lines, source_name)])
    result = ParseResult()
    seen_codes: dict[str, int] = {}
    for index, (header, sheet_lines) in enumerate(sheets, start=1):
        reader = PrintedTextReader(index=index, header=header, lines=sheet_lines)
        document = reader.document()
        if apply_corrections:
            result.corrections += corrections_apply(document)
        reader.check_choices(document)
        _check_repeated_code(reader, document["code"], seen_codes)
        result.documents.append(document)
        result.problems += reader.problems
    return result


SEPARATORS = {",": "「,」（カンマ）", ";": "「;」（セミコロン）", "|": "「|」（縦棒）"}


def _wrong_separator(lines: list[Line], source_name: str) -> Problem | None:
    """A file with no tab at all whose rows are split by commas or semicolons (saved as CSV): its cells cannot be
    told apart, so it is refused as such, naming the first such line (a sheet's every row holds a tab)."""
    if any("\t" in line.text for line in lines):
        return None
    counts = {mark: sum(line.text.count(mark) >= 1 for line in lines) for mark in SEPARATORS}
    mark = max(counts, key=counts.get)
    first = next((line for line in lines if mark in line.text), None)
    if first is None:
        return None
    message = (
        f"{source_name} の列はタブで区切られていません（{first.number}行目などが{SEPARATORS[mark]}区切りです）。"
        "PDF から抽出したテキストはタブ区切りのまま保存してください（一覧表の CSV は import_sheets --mapping で取り込めます）"
    )
    return Problem(0, "-", "区切り文字", first.number, first.text.strip(), message, True)


def _not_a_sheet(lines: list[Line], source_name: str) -> Problem:
    first = next((line for line in lines if line.text.strip()), None)
    message = f"{source_name} はシートではありません（見出し「事務事業分析シート（令和N年度）」がありません）"
    return Problem(0, "-", "header", first.number if first else None, first.text.strip() if first else "", message, True)


def _check_repeated_code(reader: PrintedTextReader, code: str, seen_codes: dict[str, int]) -> None:
    """The same 事務事業コード twice in one file is a fatal problem on the later sheet."""
    if code in seen_codes:
        message = f"事務事業コード {code} がこのファイルに2回あります（{seen_codes[code]}枚目と{reader.index}枚目）"
        reader.problem("code", reader.where.get("code"), message, fatal=True)
    elif code:
        seen_codes[code] = reader.index
