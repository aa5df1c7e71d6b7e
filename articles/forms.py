from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from articles.extract import (
    MAX_IMPORT_BYTES,
    MAX_MB,
    Extracted,
    ExtractionError,
    extract,
    kind_of,
    too_large,
)
from articles.models import Article


class ArticleDetailsForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["title", "outlet", "url", "byline", "published_on", "language"]
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"})}


class ArticleImportForm(ArticleDetailsForm):
    """Paste the text or upload a file; the file's own title, byline and date fill the
    fields left empty."""

    text = forms.CharField(
        label="Paste the article text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Paragraphs are separated by a blank line.",
    )
    file = forms.FileField(
        label="…or upload a file",
        required=False,
        help_text=f".txt, .md or .html, up to {MAX_MB} MB. From a web page, only the "
        "article's own text is kept.",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,.markdown,.html,.htm"}),
    )
    accept_suggestions = forms.BooleanField(
        required=False,
        label="Create claims from every suggestion above the threshold",
        help_text="You can also accept or dismiss suggestions one by one on the article page.",
    )

    field_order = ["text", "file", "title", "outlet", "url", "byline", "published_on"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = "Required, unless the uploaded file has one."
        self.fields["language"].required = False
        self.extracted: Extracted | None = None

    def clean(self) -> dict:
        data = super().clean()
        text, upload = data.get("text") or "", data.get("file")
        if text.strip() and upload:
            raise ValidationError("Paste the text or upload a file, not both.")
        if not text.strip() and not upload:
            if "file" not in self.errors:
                raise ValidationError("Paste the article's text or upload a file.")
            return data
        try:
            if upload:
                kind = kind_of(upload.name)
                if upload.size > MAX_IMPORT_BYTES:
                    raise too_large(upload.size)
                self.extracted = extract(upload.read(), kind)
            else:
                self.extracted = extract(text, "text")
        except ExtractionError as error:
            self.add_error("file" if upload else "text", str(error))
            return data
        # Typed values win; the document fills what was left empty.
        data.update(self.extracted.details({name: data.get(name) for name in self.Meta.fields}))
        if not data.get("title"):
            missing = "Give the article a title"
            self.add_error("title", f"{missing}: the file has none." if upload else f"{missing}.")
        return data


class ArticleEditForm(ArticleDetailsForm):
    body = forms.CharField(
        label="Article text",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="Claims follow their words: a claim whose words move goes with them, one "
        "whose words change is reopened for review, one whose words are gone is marked "
        "orphaned. Nothing is deleted.",
    )
    # When the person opened the article: a save by someone else since then is refused.
    loaded_at = forms.DateTimeField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid": "This page is out of date: open the article again and edit."},
    )

    field_order = ["title", "outlet", "url", "byline", "published_on", "language", "body"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["body"].initial = self.instance.body
            self.fields["loaded_at"].initial = self.instance.updated_at.isoformat()

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if len(body.encode()) > MAX_IMPORT_BYTES:
            raise ValidationError(f"The text is longer than {MAX_MB} MB.")
        if not body.strip():
            raise ValidationError("An article needs some text.")
        return body
