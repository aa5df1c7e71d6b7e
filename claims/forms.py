from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from articles.forms import ArticleTextField
from articles.quotes import locate_quote, occurrence_choices
from claims.highlight import paragraph_count
from claims.models import Claim, ClaimStatus, Source
from claims.services import CLAIM_SHOWN, NOTE_MAX_LENGTH, StaleClaim, claim_loaded
from claims.workflow import DONE
from newsdesk.auth import reviewers
from newsdesk.fields import MAX_ID, FingerprintsField, StoredTextField, parse_id
from newsdesk.text import normalize_text
from newsdesk.widgets import DatePicker

NO_VERSION = (
    "This page did not say which version of the claim it was opened from, so Newsdesk cannot "
    "tell whether someone changed the claim since. Nothing was saved: reload the page and "
    "make your change again."
)


def require_version(form: forms.Form) -> int:
    """The version an edit form was opened on. A missing or garbled one is refused where
    the person can read it: a hidden field's own error is shown nowhere."""
    if form.errors.get("expected_version") or form.cleaned_data.get("expected_version") is None:
        form.errors.pop("expected_version", None)
        raise ValidationError(NO_VERSION, code="no_version")
    return form.cleaned_data["expected_version"]


class NoteField(StoredTextField):
    """A note or rationale, up to NOTE_MAX_LENGTH characters. The limit is checked once sent,
    with the text kept and the reason shown, not by the browser's maxlength, which cuts a
    paste short without a word. Counted as stored (`\n` line ends, as the services count),
    so a box of many lines that the service would keep is not refused for the `\r` the
    browser adds to each."""

    # Said with the box, so a long paste is trimmed before sending rather than after.
    LIMIT = f"Up to {NOTE_MAX_LENGTH:,} characters."

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs["help_text"] = self.with_limit(kwargs.get("help_text", ""))
        super().__init__(max_length=NOTE_MAX_LENGTH, **kwargs)

    @classmethod
    def with_limit(cls, help_text: str) -> str:
        return f"{help_text} {cls.LIMIT}" if help_text else cls.LIMIT

    def widget_attrs(self, widget) -> dict:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        full = obj.get_full_name()
        return f"{full} ({obj.get_username()})" if full else obj.get_username()


class AnchorFields(forms.Form):
    """A claim anchored by its quote: the server finds where it stands in the article, and
    asks for the start offset when it stands there more than once."""

    quote = ArticleTextField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        help_text="The exact words from the article body.",
    )
    start = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_ID,
        label="Start offset",
        help_text="Only needed when the quote appears more than once in the article.",
    )
    expected_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_ID
    )

    # Filled when the quote stands in several places: (offset, words around it) to pick from.
    occurrences: list[tuple[int, str]] = []

    def anchor_in(self, article, data: dict) -> dict:
        if article is None or "quote" not in data:
            return data
        start = data.get("start")
        shown = self.get_initial_for_field(self.fields["start"], "start")
        if start is not None and start == shown and "quote" in self.changed_data:
            # The offset shown with the old quote, sent back untouched with a new one: it
            # says where the old words stood, and the person meant the new words.
            start = None
        try:
            data["start"], data["end"] = locate_quote(article.body, data["quote"], start)
        except ValidationError as error:
            quote = data["quote"]  # add_error() takes the fields it names out of `data`
            self.add_error(None, error)
            self.occurrences = occurrence_choices(article.body, quote)
            if len(self.occurrences) > 1:
                # Offer each place with its surrounding words instead of a bare number.
                start = self.fields["start"]
                start.widget = forms.RadioSelect(choices=self.occurrences)
                start.label, start.help_text = "Which one do you mean?", ""
                # The bound field keeps its own copies of these.
                self["start"].label, self["start"].help_text = start.label, ""
        return data


class ClaimAdminForm(AnchorFields, forms.ModelForm):
    """The admin's claim form. It only validates; the admin saves through `claims.services`."""

    # What the page showed, so that a refusal can name what someone else changed since.
    loaded = FingerprintsField(names=tuple(CLAIM_SHOWN), required=False)

    class Meta:
        model = Claim
        fields = ["article", "attributed_to", "assignee"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "assignee" in self.fields:
            self.fields["assignee"] = ReviewerChoiceField(
                queryset=reviewers(), required=False, empty_label="Nobody"
            )
            if self.instance.pk:
                self.fields["assignee"].initial = self.instance.assignee_id
        if self.instance.pk:
            self.fields["quote"].initial = self.instance.text
            if not self.instance.orphaned:
                self.fields["start"].initial = self.instance.start
            self.fields["expected_version"].initial = self.instance.version
            self.fields["loaded"].initial = claim_loaded(self.instance)

    def clean(self) -> dict:
        data = super().clean()
        if self.instance.pk and require_version(self) != self.instance.version:
            stale = StaleClaim(self.instance, loaded=data.get("loaded"))
            raise ValidationError(stale.refusal.message, code="stale")
        article = data.get("article") or (self.instance.article if self.instance.pk else None)
        return self.anchor_in(article, data)


class BulkTransitionForm(forms.Form):
    """The note an admin bulk action asks for when a rule needs one."""

    note = NoteField(widget=forms.Textarea(attrs={"rows": 3}))
    rationale = NoteField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional. Replaces the rationale of every claim that changes.",
    )

    def __init__(self, *args, to: str, note_required: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = note_required
        self.fields["note"].label = f"Why are these claims being {DONE[to]}?"
        if note_required:
            self.fields["note"].help_text = NoteField.with_limit(
                "Required: recorded in each claim's history."
            )


class BulkAssignForm(forms.Form):
    assignee = ReviewerChoiceField(
        queryset=None, required=False, empty_label="Nobody (unassign)", label="Assign to"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = reviewers()


KEEP = "keep"
# After a conflict over the rationale, what the reviewer chose to do with theirs.
KEEP_SAVED, REPLACE = "keep_saved", "replace"


class DecisionForm(forms.Form):
    # After a conflict: the rationale as someone else saved it, shown beside the typed one,
    # and whether it differs from both the typed one and the one the reviewer started from.
    saved_rationale: str | None = None
    rationale_conflict: bool = False

    """A reviewer's decision on one claim: a new status (or none) and the rationale.

    Which moves are open is the services' call; the page shows them, this form only
    carries the choice.
    """

    to = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what to do with the claim as it stands now."},
    )
    note = NoteField(
        label="Note for the history",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why you made this decision. Required to dispute, reopen or overturn a dispute.",
    )
    rationale = NoteField(
        label="Rationale (shown in reports)", widget=forms.Textarea(attrs={"rows": 4})
    )
    expected_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_ID
    )
    # The rationale as the page showed it: an untouched rationale is not written back, and
    # an edited one does not replace someone else's newer words unless the reviewer says so.
    expected_rationale = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    rationale_choice = forms.ChoiceField(
        label="The rationale",
        choices=[
            (KEEP_SAVED, "Keep the rationale saved now (yours is dropped)"),
            (REPLACE, "Replace it with yours"),
        ],
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, claim: Claim, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "to": KEEP,
                "rationale": claim.rationale,
                "expected_rationale": claim.rationale,
                "expected_version": claim.version,
            },
        )
        super().__init__(*args, **kwargs)
        # Every status is a valid value here: a move the rules refuse, or one made stale
        # by someone else, is refused by the service with a message that says why.
        current = claim.get_status_display().lower()
        self.fields["to"].choices = [(KEEP, f"Keep as {current}"), *ClaimStatus.choices]
        if self.is_bound and "expected_rationale" in self.data:
            # Shown again (a conflict, a refusal), the form asks which rationale stands as
            # long as the typed one would replace words someone else saved meanwhile.
            typed = normalize_text(self.data.get("rationale", ""))
            seen = normalize_text(self.data["expected_rationale"])
            saved = normalize_text(claim.rationale)
            self.rationale_conflict = typed != seen and saved not in (seen, typed)

    def clean(self) -> dict:
        data = super().clean()
        require_version(self)
        return data

    def clean_expected_rationale(self) -> str | None:
        # A form from before the rationale was carried leaves only the version to check.
        if "expected_rationale" not in self.data:
            return None
        return self.cleaned_data["expected_rationale"]


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["url", "stance", "publisher", "title", "excerpt", "accessed_on", "archived_url"]
        widgets = {
            "excerpt": forms.Textarea(attrs={"rows": 3}),
            "accessed_on": DatePicker,
        }
        help_texts = {"url": "http:// or https:// only."}


class SourceRemoveForm(forms.Form):
    note = forms.CharField(required=False, max_length=1000, label="Why remove it?")


class ClaimForm(AnchorFields):
    """An Editor's claim on the article page."""

    attributed_to = forms.CharField(required=False, max_length=300, label="Attributed to")
    assignee = ReviewerChoiceField(queryset=None, required=False, empty_label="Nobody")
    # A quote over a paragraph break is most often a selection that overshot: it becomes a
    # claim once the Editor says so. Hidden until needed (the selection script fills it in
    # when the Editor confirms there), then a box to tick.
    spans_paragraphs = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, article, claim: Claim | None = None, **kwargs) -> None:
        if claim is not None:
            kwargs.setdefault(
                "initial",
                {
                    "quote": claim.text,
                    # An orphan's offsets point at words that are gone.
                    "start": None if claim.orphaned else claim.start,
                    "attributed_to": claim.attributed_to,
                    "assignee": claim.assignee_id,
                    "expected_version": claim.version,
                },
            )
        super().__init__(*args, **kwargs)
        self.article = article
        # A claim saved over several paragraphs was confirmed when it was made.
        self.confirmed_span = (claim.start, claim.end) if claim is not None else None
        self.fields["assignee"].queryset = reviewers()
        # Editing an existing claim always says which version it started from.
        self.editing = claim is not None

    def clean(self) -> dict:
        data = super().clean()
        if self.editing:
            require_version(self)
        return self.confirm_paragraphs(self.anchor_in(self.article, data))

    def confirm_paragraphs(self, data: dict) -> dict:
        if "end" not in data or (data["start"], data["end"]) == self.confirmed_span:
            return data
        count = paragraph_count(self.article.body[data["start"] : data["end"]])
        if count < 2 or data.get("spans_paragraphs"):
            return data
        field = self.fields["spans_paragraphs"]
        field.widget = forms.CheckboxInput()
        field.label = f"Yes, make one claim of all {count} paragraphs"
        self["spans_paragraphs"].label = field.label  # the bound field keeps its own copy
        self.add_error(
            "spans_paragraphs",
            ValidationError(
                "This quote runs over %(count)s paragraphs. A claim is usually one statement: "
                "shorten the quote, or tick the box to keep it as one claim.",
                code="spans_paragraphs",
                params={"count": count},
            ),
        )
        return data


class AssignForm(forms.Form):
    """Who gets which claims. `take` is one claim for the person asking; otherwise the
    selected `claim`s go to `to` ("me", "none" or a reviewer's id), or to the person
    asking when `to_me` was pressed.

    Each listed claim's version comes as `version-<id>`: a claim that changed since the
    page was shown is refused. Every claim must say which version the page showed: one
    without (a page from before versions were carried, a garbled field) would be assigned
    unchecked, so the whole post is refused and nothing is assigned.
    """

    take = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    claim = forms.TypedMultipleChoiceField(coerce=int, required=False)
    to = forms.CharField(required=False, max_length=20)
    to_me = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Any id may be posted; the service decides which exist.
        self.fields["claim"].valid_value = lambda value: parse_id(value) is not None

    def clean(self) -> dict:
        data = super().clean()
        if data.get("take"):
            data["ids"], data["who"] = [data["take"]], "me"
        else:
            data["ids"] = data.get("claim") or []
            if not data["ids"]:
                raise ValidationError("Select at least one claim first.")
            data["who"] = "me" if data.get("to_me") else data.get("to", "")
            if data["who"] not in ("me", "none") and parse_id(data["who"]) is None:
                raise ValidationError("Choose who should get the selected claims.")
        data["versions"] = self.versions_of(data["ids"])
        return data

    def versions_of(self, ids: list[int]) -> dict[int, int]:
        """The version the page showed for each of `ids`; refused unless every one says."""
        versions = {pk: parse_id(self.data.get(f"version-{pk}", "")) for pk in ids}
        missing = [pk for pk, version in versions.items() if version is None]
        if missing:
            shown = ", ".join(f"#{pk}" for pk in missing[:10])
            if len(missing) > 10:
                shown += f" and {len(missing) - 10} more"
            which, them = ("claim", "it") if len(missing) == 1 else ("claims", "them")
            raise ValidationError(
                f"This page did not say which version of {which} {shown} it showed, so "
                f"Newsdesk cannot tell whether someone changed {them} meanwhile. Nothing was "
                "assigned: reload the page and try again.",
                code="no_version",
            )
        return versions
