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
from articles.services import (
    ARTICLE_FIELDS,
    article_conflict,
    article_duplicate_refusal,
    article_loaded,
    article_saved_by,
    listed,
)
from newsdesk.fields import MAX_ID, FingerprintsField, StoredTextField
from newsdesk.text import normalize_text
from newsdesk.widgets import DatePicker

OUT_OF_DATE = (
    "This page did not say which version of the article it was opened from, so Newsdesk "
    "cannot tell whether someone saved it since. Nothing was saved: copy your changes, open "
    "the article again and make them there."
)


def article_version_field() -> forms.IntegerField:
    """The version the person opened: a save made from an older one is refused, and a form
    that does not say is refused too rather than saved unchecked."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=MAX_ID,
        error_messages={
            name: OUT_OF_DATE for name in ("required", "invalid", "min_value", "max_value")
        },
    )


def article_loaded_field(*, required: bool) -> FingerprintsField:
    """What the form was loaded with, for a save that meets someone else's to sort their
    changes from the person's (`articles.services.article_conflict`)."""
    return FingerprintsField(
        names=ARTICLE_FIELDS,
        required=required,
        error_messages={"required": OUT_OF_DATE, "invalid": OUT_OF_DATE},
    )


class ArticleTextField(StoredTextField):
    """An article's text, or words quoted from it, in the normal form claims anchor into
    (`articles.text.normalize_text`): the text as sent back by a browser, with `\r\n` line
    ends or decomposed accents, is the same text."""

    def __init__(self, **kwargs) -> None:
        super().__init__(strip=False, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_text(value) if isinstance(value, str) else value


class ArticleDetailsForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["title", "outlet", "url", "byline", "published_on", "language"]
        widgets = {"published_on": DatePicker}


class ArticleAdminForm(forms.ModelForm):
    """The admin's article form. It only validates, and refuses a form opened on an older
    version; the admin saves through `articles.services`, which checks again under lock."""

    expected_version = article_version_field()
    # Optional here: without it a refusal can only list what differs, not who changed it.
    loaded = article_loaded_field(required=False)
    # Adding only: staff who were told the article is in Newsdesk already may add it again.
    import_anyway = forms.BooleanField(required=False, label="Add it anyway, as another article")

    class Meta:
        model = Article
        fields = ["title", "outlet", "url", "byline", "published_on", "language", "body"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
            self.fields["loaded"].initial = article_loaded(self.instance)
        else:
            self.fields["expected_version"].required = False

    def clean(self) -> dict:
        data = super().clean()
        if not self.instance.pk:
            # Refused here rather than by the save, so that the page keeps what was typed.
            refusal = article_duplicate_refusal(
                url=data.get("url") or "", body=data.get("body") or ""
            )
            if refusal is not None and not data.get("import_anyway"):
                raise ValidationError(
                    f"This article is in Newsdesk already: {refusal.named}. Nothing was "
                    "saved. To add it as another article, tick “Add it anyway” and save again.",
                    code="duplicate",
                )
            return data
        version, loaded = data.get("expected_version"), data.get("loaded")
        # Before _post_clean, the instance still holds what is stored.
        stale = self.instance.pk and (
            (version is not None and version != self.instance.version)
            or (loaded is not None and loaded != article_loaded(self.instance))
        )
        if not stale:
            return data
        said = f"{article_saved_by(self.instance)} (version {self.instance.version}), after "
        if loaded is not None and all(name in data for name in ARTICLE_FIELDS):
            conflict = article_conflict(saved=self.instance, typed=data, loaded=loaded)
            changed = f", changing the {listed(conflict.theirs)}" if conflict.theirs else ""
            both = f"You both changed the {listed(conflict.both)}. " if conflict.both else ""
            said += f"you opened this page{changed}. Nothing was saved. {both}"
        else:
            differ = [
                str(self.fields[name].label).lower()
                # The admin's own Meta lists every field on the page; these are the article's.
                for name in ArticleAdminForm.Meta.fields
                if name in data and data[name] != getattr(self.instance, name)
            ]
            said += "you opened this page. Nothing was saved. " + (
                f"Saved differently from yours now: {', '.join(differ)}. " if differ else ""
            )
        raise ValidationError(
            said + "Copy your changes, reload the page to see the article as it is now, and "
            "make them again.",
            code="stale",
        )


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
    # Offered only once the page has named the articles an import repeats.
    import_anyway = forms.BooleanField(required=False, label="Import it anyway, as another article")

    field_order = ["text", "file", "title", "outlet", "url", "byline", "published_on"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = "Required, unless the uploaded file has one."
        self.fields["language"].required = False
        self.fields["language"].help_text = (
            "BCP 47 tag, e.g. en, fr, pt-BR. Left as it is, an uploaded web page's own "
            "language (its lang attribute) is used instead."
        )
        self.extracted: Extracted | None = None

    @staticmethod
    def _file_if_same(text: str, upload) -> Extracted | None:
        """The file, read, if the box holds the file's own text: after "This article is in
        Newsdesk already" the page shows the file's text in the box, and attaching the file
        again to import it anyway is what people do."""
        if upload.size > MAX_IMPORT_BYTES:
            return None
        try:
            found = extract(upload.read(), kind_of(upload.name))
        except ExtractionError:
            return None
        return found if found.body == normalize_text(text) else None

    def clean(self) -> dict:
        data = super().clean()
        text, upload = data.get("text") or "", data.get("file")
        same = self._file_if_same(text, upload) if text.strip() and upload else None
        if text.strip() and upload and same is None:
            raise ValidationError(
                "Paste the text or upload a file, not both: the text box holds a text that "
                "is not the file's. Empty the box to import the file, or remove the file to "
                "import the text."
            )
        if not text.strip() and not upload:
            if "file" not in self.errors:
                raise ValidationError("Paste the article's text or upload a file.")
            return data
        try:
            if upload:
                kind = kind_of(upload.name)
                if upload.size > MAX_IMPORT_BYTES:
                    raise too_large(upload.size)
                # Read once: the file that matched the box's text is that text already.
                self.extracted = same if same is not None else extract(upload.read(), kind)
            else:
                self.extracted = extract(text, "text")
        except ExtractionError as error:
            self.add_error("file" if upload else "text", str(error))
            return data
        # Typed values win; the document fills what was left empty.
        typed = {name: data.get(name) for name in self.Meta.fields}
        if "language" not in self.changed_data:
            # The box starts filled with the default: left as it was, it says nothing, and
            # the document's own language (<html lang="en-GB">) is the better word.
            typed["language"] = ""
        data.update(self.extracted.details(typed))
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
    expected_version = article_version_field()
    loaded = article_loaded_field(required=True)

    field_order = ["title", "outlet", "url", "byline", "published_on", "language", "body"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["body"].initial = self.instance.body
            self.fields["expected_version"].initial = self.instance.version
            self.fields["loaded"].initial = article_loaded(self.instance)

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if len(body.encode()) > MAX_IMPORT_BYTES:
            raise ValidationError(f"The text is longer than {MAX_MB} MB.")
        if not body.strip():
            raise ValidationError("An article needs some text.")
        return body
