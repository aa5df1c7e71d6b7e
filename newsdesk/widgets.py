"""Form widgets shared by the apps."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError


class DatePicker(forms.DateInput):
    """The browser's date picker, given its value as yyyy-mm-dd.

    `<input type="date">` reads no other format: a date rendered in the locale's format
    (en-gb's "23/01/2021", which a plain DateInput uses) is shown empty, and the form
    is then sent without it, erasing the date on an unchanged save.
    """

    input_type = "date"

    def format_value(self, value: object) -> str | None:
        # A form sent back with errors, or a filter in a URL, holds the text as typed:
        # one the server reads as a date is shown as that date, not as an empty picker.
        if isinstance(value, str) and value:
            try:
                value = forms.DateField().to_python(value)
            except ValidationError:
                return value
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            # isoformat, not strftime: it pads a year before 1000 to the four digits required.
            return value.isoformat()
        return super().format_value(value)
