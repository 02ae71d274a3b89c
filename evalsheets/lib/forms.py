"""Form behaviour shared by the admin's sheet page and its inlines."""

from django import forms


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
