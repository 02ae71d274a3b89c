"""The OCR corrections of fixtures/CORRECTIONS.md, as data, and applying them to parsed documents.

Two kinds of entries, together covering every row of the tables in CORRECTIONS.md (each entry
names its row in `documented_as`, "sheet | field" exactly as printed there):

- CORRECTIONS: text replacements applied to a parsed document. `code` None = every sheet.
  A `whole` replacement changes a value only when the whole value equals `original`
  (choices and codes: 二部委託 → 一部委託, VII → Ⅶ); otherwise every occurrence inside the text
  is replaced (LGVAN → LGWAN).
- PARSER_RULES: corrections that are structure rather than text (HTML removed, stray spaces in
  era dates, list items one per line, …); the text importer does them while reading, in the
  function named by `handled_by`.

Figures are never corrected.
"""

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Correction:
    code: str | None  # 事務事業コード, or None for every sheet
    path: str  # field path in the document; "[*]" = every item of a list (history[*].text)
    original: str
    corrected: str
    reason: str
    documented_as: str = ""  # "sheet | field" of the CORRECTIONS.md row; "" = a general rule only
    whole: bool = False  # replace only a whole value equal to `original`


@dataclass(frozen=True)
class ParserRule:
    documented_as: str
    handled_by: str  # function of programs.interchange.text_read that does it
    description: str


@dataclass(frozen=True)
class AppliedCorrection:
    code: str
    path: str  # the concrete path, e.g. history[9].text
    original: str  # the value before
    corrected: str  # the value after
    correction: Correction


_ROMAN = {
    "I": "Ⅰ",
    "II": "Ⅱ",
    "III": "Ⅲ",
    "IV": "Ⅳ",
    "V": "Ⅴ",
    "VI": "Ⅵ",
    "VIII": "Ⅷ",
    "IX": "Ⅸ",
    "X": "Ⅹ",
    "XI": "Ⅺ",
    "XII": "Ⅻ",
}

CORRECTIONS: tuple[Correction, ...] = (
    Correction(
        "03-04-01",
        "implementation_note",
        "205, 257, 690円",
        "205,257,690円",
        "OCR: stray spaces inside a number",
        "03-04-01 | implementation_note",
    ),
    Correction(
        "03-04-02",
        "history[*].text",
        "ough認証・操作ough記録システム更改",
        "ログイン認証・操作ログ記録システム更改",
        'OCR: ログ read as "ough"; the indicator ① description says ログイン認証',
        "03-04-02 | history (平成25年3月, group セキュリティシステム) text",
    ),
    Correction(
        "03-04-02",
        "history[*].text",
        "ough認証システム更改",
        "ログイン認証システム更改",
        'OCR: ログ read as "ough"',
        "03-04-02 | history (令和元年7月, group セキュリティシステム) text",
    ),
    Correction(
        None,
        "outsourcing",
        "3委託",
        "一部委託",
        'OCR: "3" is the misread "一部"; the options are 全部委託/一部委託/直営',
        "03-04-04 | outsourcing (実施方法)",
        whole=True,
    ),
    Correction(
        "03-04-04",
        "implementation_note",
        "ベストフォート",
        "ベストエフォート",
        "OCR: a dropped character (best-effort line)",
        "03-04-04 | implementation_note (実施方法)",
    ),
    Correction(
        "03-04-05",
        "name",
        "○ A 機器管理",
        "OA機器管理",
        'OCR: "O" read as ○ with stray spaces; 小事業名 prints OA機器管理費',
        "03-04-05 | name (事務事業名)",
        whole=True,
    ),
    Correction(
        None,
        "policy.field.code",
        "VII",
        "Ⅶ",
        "ASCII Roman numeral → U+2166 as on the other sheets",
        "03-04-06 | policy.field.code (行政評価事業体系 分野)",
        whole=True,
    ),
    Correction(
        None,
        "outsourcing",
        "二部委託",
        "一部委託",
        "OCR: 二部 misread for 一部",
        "03-04-06 | outsourcing (実施方法)",
        whole=True,
    ),
    Correction(
        "03-04-06",
        "content",
        "（LGVAN）の維持",
        "（LGWAN）の維持",
        "OCR: W misread as V; the sheet spells LGWAN elsewhere",
        "03-04-06 | content (内容), line 1",
    ),
    Correction(
        "03-04-06",
        "content",
        "LGVANメール・LGVAN情報掲示板",
        "LGWANメール・LGWAN情報掲示板",
        "OCR: LGVAN → LGWAN (2 occurrences)",
        "03-04-06 | content (内容), line 3",
    ),
    Correction(
        "03-04-06",
        "history[*].text",
        "LGVANへの接続",
        "LGWANへの接続",
        "OCR: LGVAN → LGWAN",
        "03-04-06 | history 平成15年9月 (経過)",
    ),
    Correction(
        "03-04-06",
        "history[*].text",
        "第三次LGVAN接続ルータ",
        "第三次LGWAN接続ルータ",
        "OCR: LGVAN → LGWAN",
        "03-04-06 | history 平成25年5月 (経過)",
    ),
    Correction(
        "03-04-06",
        "history[*].text",
        "第四次LGVAN接続ルータ",
        "第四次LGWAN接続ルータ",
        "OCR: LGVAN → LGWAN",
        "03-04-06 | history 平成30年9月 (経過)",
    ),
    # The other ASCII Roman numerals of 分野, normalised like VII (not in CORRECTIONS.md: no sheet needs them yet).
    *(
        Correction(None, "policy.field.code", ascii_numeral, numeral, "ASCII Roman numeral → Unicode Roman numeral", whole=True)
        for ascii_numeral, numeral in _ROMAN.items()
    ),
)

PARSER_RULES: tuple[ParserRule, ...] = (
    ParserRule(
        "all six sheets | content, history, implementation_note, other radio fields",
        "_plain / _list_text / _radios",
        "HTML fragments <p>, <ul>, <input/> removed; list items one per line; radios read as choices",
    ),
    ParserRule("all six sheets | history[].era_label", "PrintedTextReader.history_event", "era dates without stray spaces"),
    ParserRule("03-04-02 | content", "PrintedTextReader.read_content", "a radio input used as a bullet becomes ○"),
    ParserRule(
        "03-04-02 | history[].group",
        "PrintedTextReader.read_history_events",
        "<見出し> headings become the group of the following events",
    ),
    ParserRule(
        "03-04-01 | activity[0].name / unit", "_split_trailing_unit", "a spaced trailing unit parenthetical moves to unit"
    ),
    ParserRule(
        "all (03-04-01/02/03) | numbers (budget, settlement, breakdown, cost statement, indicator/activity values)",
        "_printed / parse_amount",
        "thousands separators dropped, ▲ = negative",
    ),
    ParserRule(
        "all (03-04-01/02/03) | issues[].text, indicators[].name, remarks",
        "PrintedTextReader.read_issues / indicator_row / read_remarks",
        "markers - ① / 問題点・課題 ① / ① before names become `number`; label 備考 dropped",
    ),
    ParserRule(
        "03-04-05 | outsourcing (実施方法)", "PrintedTextReader.outsourcing", "a plain printed （一部委託） counts as selected"
    ),
    ParserRule(
        "03-04-05 | improvements (問題点・課題の改善策), structure",
        "PrintedTextReader.read_improvements",
        'a head row with a stray ① is skipped; missing third column = ""; an empty row is left out',
    ),
    ParserRule(
        "03-04-06 | history (経過), structure",
        "PrintedTextReader.read_history_events",
        "two dated events on one row become two events",
    ),
    ParserRule("03-04-06 | other_wards.notes (他区の実況)", "_list_text", "the ・ items one per line"),
)


def _locations(value, parts: list[str], path: str) -> Iterator[tuple[object, object, str]]:
    """(container, key, concrete path) of every value at the path ("a.b", "history[*].text")."""
    if not parts:
        return
    head, rest = parts[0], parts[1:]
    key, every = (head[:-3], True) if head.endswith("[*]") else (head, False)
    if not isinstance(value, dict) or key not in value:
        return
    here = f"{path}.{key}" if path else key
    if every:
        for index, item in enumerate(value[key] or []):
            if rest:
                yield from _locations(item, rest, f"{here}[{index}]")
            else:
                yield value[key], index, f"{here}[{index}]"
    elif rest:
        yield from _locations(value[key], rest, here)
    else:
        yield value, key, here


def _replace(text: str, correction: Correction) -> str:
    if correction.whole:
        return correction.corrected if text.strip() == correction.original else text
    return text.replace(correction.original, correction.corrected)


def corrections_apply(document: dict, corrections: tuple[Correction, ...] = CORRECTIONS) -> list[AppliedCorrection]:
    """Apply every correction that concerns this document (in place) and list the ones that changed it."""
    applied = []
    code = document.get("code") or ""
    for correction in corrections:
        if correction.code not in (None, code):
            continue
        for container, key, path in _locations(document, correction.path.split("."), ""):
            before = container[key]
            if not isinstance(before, str):
                continue
            after = _replace(before, correction)
            if after != before:
                container[key] = after
                applied.append(AppliedCorrection(code, path, before, after, correction))
    return applied
