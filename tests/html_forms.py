"""What a browser would send for a rendered form, left as it was.

The data is read from the HTML itself, with the browser's rules for what a control may
hold (WHATWG HTML, "value sanitization" and "constructing the entry list"): a date input
given anything but yyyy-mm-dd sends an empty string, a URL input loses its outer blanks,
an unselected drop-down sends its first option, a textarea loses the newline right after
its start tag and sends CR LF line ends. So a value the server renders in a form it cannot
read back is caught by a test client, not only by a real browser.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import lxml.html

_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_TIME = r"[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,3})?)?"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_NEWLINES = re.compile(r"[\r\n]")
_ASCII_BLANKS = " \t\n\f\r"


def _valid_date(value: str) -> bool:
    if not re.fullmatch(r"[0-9]{4,}-[0-9]{2}-[0-9]{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _valid_datetime_local(value: str) -> bool:
    day, _, time = value.replace(" ", "T").partition("T")
    if not (_valid_date(day) and re.fullmatch(_TIME, time)):
        return False
    try:
        datetime.fromisoformat(f"{day}T{time}")
    except ValueError:
        return False
    return True


def _sanitized(kind: str, value: str) -> str:
    """An input's value as the browser holds it, from its `value` attribute."""
    if kind in {"text", "search", "tel", "password"}:
        return _NEWLINES.sub("", value)
    if kind in {"url", "email"}:
        return _NEWLINES.sub("", value).strip(_ASCII_BLANKS)
    if kind == "number":
        return value if _NUMBER.fullmatch(value) else ""
    if kind == "date":
        return value if _valid_date(value) else ""
    if kind == "datetime-local":
        return value if _valid_datetime_local(value) else ""
    if kind == "time":
        return value if re.fullmatch(_TIME, value) else ""
    if kind in {"month", "week", "color", "range"}:
        raise NotImplementedError(f"<input type={kind}> is not modelled here")
    return value


def _disabled(element) -> bool:
    if element.get("disabled") is not None:
        return True
    for fieldset in element.iterancestors("fieldset"):
        if fieldset.get("disabled") is not None:
            return True
    return False


def _option_value(option) -> str:
    value = option.get("value")
    return value if value is not None else " ".join(option.text_content().split())


def _select_values(select) -> list[str]:
    options = list(select.iter("option"))
    chosen = [o for o in options if o.get("selected") is not None]
    if select.get("multiple") is None:
        # Of several marked selected in a drop-down the last one wins; with none, the
        # first option that is not disabled is shown, and sent.
        enabled = [o for o in options if not _disabled(o)]
        chosen = chosen[-1:] or enabled[:1]
    # A selected option that is disabled is shown but not sent.
    return [_option_value(o) for o in chosen if not _disabled(o)]


def _textarea_value(textarea) -> str:
    text = textarea.text or ""
    # The HTML parser drops one newline right after <textarea>; lxml keeps it.
    return text[1:] if text.startswith("\n") else text


def find_form(html: str, selector: str = "//form"):
    """The form an XPath expression finds (the first one if it finds several)."""
    # Text, not bytes: lxml would read bytes without a <meta charset> as Latin-1.
    document = lxml.html.fromstring(html)
    forms = document.xpath(selector)
    assert forms, f"no form matches {selector!r}"
    return forms[0]


def submitted(
    html: str, *, selector: str = "//form", button: str | None = None
) -> dict[str, list[str]]:
    """The entries a browser would post for the form, pressing the submit button named
    `button` (or one without a name)."""
    form = find_form(html, selector)
    entries: dict[str, list[str]] = {}

    def add(name: str, value: str) -> None:
        # Every line break is sent as CR LF, whichever control it came from.
        entries.setdefault(name, []).append(_LINE_BREAK.sub("\r\n", value))

    for element in form.iter("input", "select", "textarea", "button"):
        name = element.get("name")
        if not name or _disabled(element):
            continue
        if element.tag == "select":
            for value in _select_values(element):
                add(name, value)
        elif element.tag == "textarea":
            add(name, _textarea_value(element))
        elif element.tag == "button":
            if (element.get("type") or "submit") == "submit" and name == button:
                add(name, element.get("value") or "")
        else:
            kind = (element.get("type") or "text").lower()
            if kind in {"submit", "image", "reset", "button"}:
                if kind == "submit" and name == button:
                    add(name, element.get("value") or "")
            elif kind in {"checkbox", "radio"}:
                if element.get("checked") is not None:
                    add(name, element.get("value") or "on")
            elif kind == "file":
                continue  # nothing chosen: the test client sends no file part
            else:
                add(name, _sanitized(kind, element.get("value") or ""))
    return entries
