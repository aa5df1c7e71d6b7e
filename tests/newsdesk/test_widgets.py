"""Date pickers are given ISO dates, whatever the locale (en-gb writes 23/01/2021, which
`<input type="date">` shows as empty and then sends as no date)."""

from __future__ import annotations

import inspect
from datetime import date, datetime

import pytest
from django import forms
from django.http import QueryDict
from django.utils import translation

import articles.forms
import claims.forms
from articles.forms import ArticleEditForm, ArticleImportForm
from claims.filters import ClaimFilter
from claims.forms import SourceForm
from newsdesk.widgets import DatePicker
from tests.factories import ArticleFactory


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (date(2021, 1, 23), "2021-01-23"),
        (datetime(2021, 1, 23, 12, 30), "2021-01-23"),
        (date(999, 2, 3), "0999-02-03"),
        ("2021-01-23", "2021-01-23"),
        # Typed in the locale's own format: shown as the date it is read as.
        ("23/01/2021", "2021-01-23"),
        # Not a date: shown as typed, for the person to correct.
        ("next tuesday", "next tuesday"),
        ("", ""),
        (None, None),
    ],
)
def test_a_date_picker_shows_iso_dates(value, shown):
    with translation.override("en-gb"):
        assert DatePicker().format_value(value) == shown


def test_the_article_edit_form_shows_its_date_to_the_picker(db):
    article = ArticleFactory(published_on=date(2021, 1, 23))
    with translation.override("en-gb"):
        html = str(ArticleEditForm(instance=article)["published_on"])
    assert 'type="date"' in html
    assert 'value="2021-01-23"' in html


def test_the_import_and_source_forms_show_theirs_too():
    with translation.override("en-gb"):
        imported = ArticleImportForm(initial={"published_on": date(2021, 1, 23)})
        source = SourceForm(initial={"accessed_on": date(2021, 2, 3)})
        assert 'value="2021-01-23"' in str(imported["published_on"])
        assert 'value="2021-02-03"' in str(source["accessed_on"])


def test_the_queue_filters_show_the_dates_they_filter_by(db):
    with translation.override("en-gb"):
        filterset = ClaimFilter(QueryDict("changed_after=23/01/2021&changed_before=2021-02-03"))
        html = str(filterset.form["changed"])
    assert html.count('type="date"') == 2
    assert 'name="changed_after" value="2021-01-23"' in html
    assert 'name="changed_before" value="2021-02-03"' in html
    assert 'aria-label="Changed on or after"' in html


def _form_classes():
    for module in (articles.forms, claims.forms):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


@pytest.mark.parametrize("form_class", list(_form_classes()), ids=lambda c: c.__name__)
def test_every_date_input_is_the_date_picker(form_class):
    for name, field in form_class.base_fields.items():
        widget = field.widget
        if "date" in (getattr(widget, "input_type", None), widget.attrs.get("type")):
            assert isinstance(widget, DatePicker), f"{form_class.__name__}.{name}"
