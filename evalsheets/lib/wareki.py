"""Japanese era years (和暦) for fiscal years and dates.

A fiscal year is stored as the Gregorian year it starts in (FY2021 = April 2021 – March 2022)
and shown as the form does: 平成27年度, 令和元年度 (FY2019), 令和3年度. A fiscal year takes the
newest era that had begun by the end of it, so FY2019 (April 2019 – March 2020) is 令和元年度
even though April 2019 was still 平成31年.
"""

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Era:
    name: str
    first_year: int  # Gregorian year that is 元年


ERAS = (Era("令和", 2019), Era("平成", 1989), Era("昭和", 1926), Era("大正", 1912), Era("明治", 1868))
_ERA_BY_NAME = {era.name: era for era in ERAS}
_ERA_NAMES = "|".join(_ERA_BY_NAME)
_ERA_YEAR = rf"(?P<era>{_ERA_NAMES})\s*(?P<year>元|\d{{1,2}})\s*年"


class WarekiError(ValueError):
    """A text that is not an era year or date."""


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def era_of_year(year: int) -> Era:
    for era in ERAS:
        if year >= era.first_year:
            return era
    raise WarekiError(f"{year}年は明治より前です")


def era_year_number(year: int) -> str:
    """The year within its era as printed: 1 → 元, else the number."""
    number = year - era_of_year(year).first_year + 1
    return "元" if number == 1 else str(number)


def fiscal_year_label(fiscal_year: int) -> str:
    """2021 → 令和3年度, 2019 → 令和元年度, 2015 → 平成27年度."""
    return f"{era_of_year(fiscal_year).name}{era_year_number(fiscal_year)}年度"


def short_fiscal_year_label(fiscal_year: int) -> str:
    """The form's column heads without the era: 2021 → 3年度, 2019 → 元年度."""
    return f"{era_year_number(fiscal_year)}年度"


def to_gregorian(era_name: str, number: int | str) -> int:
    era = _ERA_BY_NAME.get(era_name)
    if era is None:
        raise WarekiError(f"元号「{era_name}」を認識できません")
    n = 1 if number == "元" else int(number)
    if n < 1:
        raise WarekiError(f"{era_name}{number}年は存在しません")
    return era.first_year + n - 1


def parse_fiscal_year(text: str) -> int:
    """令和元年度 → 2019, 平成27年度 → 2015, also 令和3年 or 2021年度."""
    value = _normalise(text)
    match = re.fullmatch(rf"{_ERA_YEAR}\s*(度)?", value)
    if match:
        return to_gregorian(match["era"], match["year"])
    match = re.fullmatch(r"(\d{4})\s*年\s*度?", value)
    if match:
        return int(match[1])
    raise WarekiError(f"「{text}」は年度として読めません")


def parse_short_fiscal_year(text: str, *, near: int) -> int:
    """A head without era (27年度, 元年度, 8年度) → the candidate year nearest to `near`."""
    value = _normalise(text)
    match = re.fullmatch(r"(元|\d{1,2})\s*年度(?:見込み?)?", value)
    if not match:
        raise WarekiError(f"「{text}」は年度として読めません")
    candidates = [to_gregorian(era.name, match[1]) for era in ERAS[:3]]
    return min(candidates, key=lambda year: abs(year - near))


@dataclass(frozen=True)
class EraDate:
    """A date as printed on the form (平成 5年 4月, 平成14年度) and its Gregorian year/month."""

    label: str
    year: int
    month: int | None
    is_fiscal_year: bool


_ERA_DATE = re.compile(rf"^{_ERA_YEAR}\s*(?:(?P<month>\d{{1,2}})\s*月|(?P<fy>度))?")


def parse_era_date(text: str) -> EraDate:
    """平成 5年 4月 → 1993/4; 平成14年度 → FY2002; 令和元年 8月 → 2019/8.

    The label is the matched text with stray spaces removed.
    """
    value = _normalise(text)
    match = _ERA_DATE.match(value)
    if not match:
        raise WarekiError(f"「{text}」は和暦の年月として読めません")
    month = int(match["month"]) if match["month"] else None
    if month is not None and not 1 <= month <= 12:
        raise WarekiError(f"「{text}」の月が1〜12ではありません")
    year = to_gregorian(match["era"], match["year"])
    return EraDate(
        label=re.sub(r"\s+", "", match.group(0)),
        year=year,
        month=month,
        is_fiscal_year=bool(match["fy"]),
    )
