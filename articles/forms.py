from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from articles.extract import MAX_IMPORT_BYTES, Extracted, ExtractionError, extract, kind_of
from articles.models import Article
from newsdesk.fields import web_url

MAX_MB = MAX_IMPORT_BYTES // 1024 // 1024


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
                    raise ExtractionError(
                        f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is {MAX_MB} MB."
                    )
                self.extracted = extract(upload.read(), kind)
            else:
                self.extracted = extract(text, "text")
        except ExtractionError as error:
            self.add_error("file" if upload else "text", str(error))
            return data
        found = self.extracted
        # Typed values win; the document fills what was left empty.
        for name in ("title", "outlet", "byline", "published_on", "language"):
            if not data.get(name) and getattr(found, name):
                data[name] = getattr(found, name)
        if not data.get("url") and found.url:
            try:
                web_url(found.url)
                data["url"] = found.url[:2000]
            except ValidationError:
                pass  # a page's own odd link is not worth refusing the import for
        if not data.get("title"):
            self.add_error("title", "Give the article a title: the file has none.")
        data["language"] = (data.get("language") or "en")[:16]
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
    loaded_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

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
