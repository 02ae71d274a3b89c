"""Japanese text in pieces: for a word-level difference between two years' texts and for the words texts share.

Japanese is written without spaces; a run of one script is a fair stand-in for a word (住民記録・税務システム →
住民記録 / ・ / 税務 / システム). Pure functions: no database, no request.

- `segments(text)` cuts a text into runs of 漢字, ひらがな, カタカナ, Latin letters and digits (3.45 stays one piece),
  whitespace runs, and single marks (、。・（ …). Lossless: "".join(segments(text)) == text, so a difference computed
  on segments (difflib) shows the text exactly as written.
- `keywords(text)` keeps the segments that carry meaning — 漢字 or カタカナ runs of two characters or more, Latin words
  such as AI, RPA, LAN — in one normal form (NFKC, case-folded), without the handful of words every sheet uses
  (実施, 推進 …: COMMON_WORDS). The words a problem shares with last year's, or a program with a similar one.
- `loose(text)` folds what does not matter when a typed label or date is compared with the form's: full-width or
  half-width (NFKC) and spaces (２ 改革改善 = 2改革改善, 令和 3年 4月 = 令和3年4月).
"""

import re
import unicodedata

_KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆"
_HIRAGANA = "\u3041-\u309f"
_KATAKANA = "\u30a1-\u30fa\u30fc-\u30ff\uff66-\uff9f"  # without the middle dot ・ (U+30FB), which is a mark
_LATIN = "0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_SEGMENT = re.compile(
    rf"[{_KANJI}]+|[{_HIRAGANA}]+|[{_KATAKANA}]+|[{_LATIN}]+(?:[.,．，][{_LATIN}]+)*|\s+|.",
    re.DOTALL,
)
_MEANINGFUL = re.compile(rf"[{_KANJI}]{{2,}}|[{_KATAKANA}]{{2,}}|[A-Za-z][A-Za-z0-9]+")
# Words nearly every sheet's text uses: shared, they say nothing about two texts being about the same thing.
COMMON_WORDS = frozenset(
    "実施 推進 事業 必要 検討 対応 継続 引続 今後 各種 年度 当該 向上 充実 強化 確保 適正 効率 効果 目的 内容 "
    "活用 運用 実現 取組 取り組 状況 予定 本区 区民 全庁 各課 所管 担当 平成 令和".split()
)


def segments(text: str) -> list[str]:
    """`text` as runs of one script, whitespace runs and single marks; joined they give `text` back."""
    return _SEGMENT.findall(text)


def keyword_form(text: str) -> str:
    """`text` in the normal form keywords are given in (NFKC, case-folded): to find a keyword in a text's segments."""
    return unicodedata.normalize("NFKC", text).casefold()


def keywords(text: str) -> list[str]:
    """The distinct meaningful words of `text`, normalised (keyword_form), in order of first appearance."""
    words = (word for word in _MEANINGFUL.findall(keyword_form(text)) if word not in COMMON_WORDS)
    return list(dict.fromkeys(words))


def loose(text: str) -> str:
    """`text` without the differences that do not matter in a label: width (NFKC) and whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
