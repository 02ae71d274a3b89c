"""Reading a sheet document (the nested JSON of fixtures/FORMAT.md) safely.

A document error names the field that is wrong (e.g. `indicators[1].values[2].value`) so a
person can find it in the file.
"""

from typing import Any

from evalsheets.lib.fiscal_years import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from evalsheets.lib.numbers import NumberFormatError, parse_amount, parse_printed_number


class DocumentError(ValueError):
    def __init__(self, path: str, message: str):
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")


class DocumentReader:
    """A view of one object in the document that knows where it is."""

    def __init__(self, data: Any, path: str = ""):
        if not isinstance(data, dict):
            raise DocumentError(path or "(document)", "オブジェクト（{...}）ではありません")
        self.data = data
        self.path = path

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def text(self, key: str, *, required: bool = False) -> str:
        value = self.data.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise DocumentError(self._at(key), "文字列ではありません")
        if required and not value.strip():
            raise DocumentError(self._at(key), "必須項目が空です")
        return value

    def boolean(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise DocumentError(self._at(key), "true/false ではありません")
        return value

    def fiscal_year(self, key: str, *, required: bool = False) -> int | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise DocumentError(self._at(key), "年度がありません")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise DocumentError(self._at(key), f"年度「{value}」は整数（西暦）ではありません")
        if not MIN_FISCAL_YEAR <= value <= MAX_FISCAL_YEAR:
            raise DocumentError(self._at(key), f"年度 {value} は {MIN_FISCAL_YEAR}〜{MAX_FISCAL_YEAR} の範囲外です")
        return value

    def integer(self, key: str, *, required: bool = False, minimum: int | None = None) -> int | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise DocumentError(self._at(key), "値がありません")
            return None
        try:
            number = parse_amount(value)
        except NumberFormatError as exc:
            raise DocumentError(self._at(key), str(exc)) from None
        if minimum is not None and number < minimum:
            raise DocumentError(self._at(key), f"{number} は {minimum} 以上でなければなりません")
        return number

    def number(self, key: str, *, required: bool = False):
        """A printed number → (Decimal, decimals), or None."""
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                raise DocumentError(self._at(key), "値がありません")
            return None
        try:
            return parse_printed_number(value)
        except NumberFormatError as exc:
            raise DocumentError(self._at(key), str(exc)) from None

    def choice(self, key: str, choices) -> str:
        value = self.text(key)
        if value and value not in choices.values:
            allowed = "、".join(choices.values)
            raise DocumentError(self._at(key), f"「{value}」は選択肢（{allowed}）にありません")
        return value

    def obj(self, key: str) -> "DocumentReader":
        return DocumentReader(self.data.get(key) or {}, self._at(key))

    def items(self, key: str) -> list["DocumentReader"]:
        value = self.data.get(key) or []
        if not isinstance(value, list):
            raise DocumentError(self._at(key), "配列（[...]）ではありません")
        return [DocumentReader(item, f"{self._at(key)}[{i}]") for i, item in enumerate(value)]

    def strings(self, key: str) -> list[str]:
        value = self.data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise DocumentError(self._at(key), "文字列の配列ではありません")
        return value
