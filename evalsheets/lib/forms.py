"""Form behaviour shared by the admin's sheet page and its inlines: line breaks, era fiscal years, 千円 amounts."""

import unicodedata

from django import forms

from evalsheets.lib.formatting import amount
from evalsheets.lib.numbers import NumberFormatError, parse_amount, parse_printed_number
from evalsheets.lib.wareki import WarekiError, fiscal_year_label, parse_fiscal_year


class NewlineNormalisingForm(forms.ModelForm):
    """Browsers submit textarea line breaks as CRLF; store LF as the rest of the data does.

    Without this, saving a sheet unchanged in a browser rewrites every multi-line text and records
    a false change in its history.
    """

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str) and "\r" in value:
                cleaned[name] = value.replace("\r\n", "\n").replace("\r", "\n")
        return cleaned


def _labelled(field: forms.Field, message: str) -> forms.ValidationError:
    """An error that names the field it belongs to (an inline row shows errors away from the column head)."""
    label = field.label or ""
    return forms.ValidationError(f"{label}: {message}" if label else message, code="invalid")


class EraFiscalYearInput(forms.TextInput):
    """A stored fiscal year (2020) shown as the form prints it (令和2年度); typed text is shown back as typed."""

    def __init__(self, attrs=None):
        super().__init__({"size": 10, "class": "vEraYearField", "placeholder": "令和3年度", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            try:
                return fiscal_year_label(int(value))
            except WarekiError:  # before 明治: shown as stored, refused by the field on save
                return str(value)
        return super().format_value(value)


class EraFiscalYearField(forms.IntegerField):
    """A fiscal year typed as 令和2年度 / 令和元年度 / 平成27年度 (or 2020) and stored as its Gregorian start year."""

    widget = EraFiscalYearInput

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int):
            return value
        text = unicodedata.normalize("NFKC", str(value)).strip()
        if text.isdigit():
            return int(text)
        try:
            return parse_fiscal_year(text)
        except WarekiError:
            raise _labelled(self, f"「{value}」は年度として読めません（例: 令和3年度、令和元年度、平成27年度）") from None

    def widget_attrs(self, widget):
        return {}  # no number-input min/max/step: the field is text


class AmountInput(forms.TextInput):
    """An amount in 千円 with thousands separators and ▲ for negatives, as printed (473,845 / ▲ 1,414)."""

    def __init__(self, attrs=None):
        super().__init__({"size": 12, "class": "vAmountField", "inputmode": "numeric", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return amount(value)
        return super().format_value(value)


class AmountField(forms.IntegerField):
    """An amount in 千円 typed as 473,845, 473845, ▲ 1,414 or full-width digits; an empty cell stays empty (never 0)."""

    widget = AmountInput

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int):
            return value
        try:
            return parse_amount(value)
        except NumberFormatError:
            raise _labelled(self, f"「{value}」は千円単位の整数として読めません（例: 1,234）") from None

    def widget_attrs(self, widget):
        return {}


class PrintedNumberField(forms.DecimalField):
    """An indicator or activity figure typed as printed (34,911 / 3.0 / -1.6 / full-width digits)."""

    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        kwargs.pop("widget", None)
        super().__init__(*args, widget=forms.TextInput({"size": 10, "class": "vPrintedNumberField"}), **kwargs)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str):
            return super().to_python(value)
        try:
            return parse_printed_number(value)[0]
        except NumberFormatError:
            raise _labelled(self, f"「{value}」は数値として読めません（例: 34,911、3.0）") from None

    def widget_attrs(self, widget):
        return {}
