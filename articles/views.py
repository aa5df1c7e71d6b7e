"""Articles: the list, the page with every claim highlighted where it stands (and, for an
Editor, the suggestion panel, whose views are suggestions.views), import and editing."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.forms import ArticleEditForm, ArticleImportForm
from articles.models import Article
from articles.pages import render_article
from articles.selectors import articles_with_progress
from articles.services import (
    ARTICLE_FIELDS,
    DuplicateArticle,
    EditConflict,
    StaleArticle,
    article_loaded,
    article_saved_by,
    article_update,
)
from articles.text import text_diff
from claims.forms import ClaimForm
from claims.selectors import progress_by_article
from claims.services import (
    ArticleChanged,
    claim_create,
)
from newsdesk.auth import (
    ADD_ARTICLE,
    ADD_CLAIM,
    CHANGE_ARTICLE,
    member_required,
    require_perm,
)
from newsdesk.fields import parse_id
from newsdesk.text import normalize_text
from suggestions.jobs import article_import_with_suggestion_job
from suggestions.models import RunStatus


class ArticleSearchForm(forms.Form):
    # CharField refuses NUL bytes, which PostgreSQL cannot compare against.
    q = forms.CharField(required=False, max_length=200)


@require_GET
@member_required
def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.order_by("-created_at", "-id")
    form = ArticleSearchForm(request.GET)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    if search:
        articles = articles.filter(Q(title__icontains=search) | Q(outlet__icontains=search))
    page = Paginator(articles, 25).get_page(request.GET.get("page"))
    progress = progress_by_article([a.pk for a in page])
    for article in page:
        article.progress = progress[article.pk]
    context = {
        "page": page,
        "search": search,
        "form": form,
        "may_import": request.user.has_perm(ADD_ARTICLE),
    }
    return render(request, "articles/article_list.html", context)


@require_GET
@member_required
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_article(request, get_object_or_404(articles_with_progress(), pk=pk))


@require_POST
@member_required
def add_claim(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    require_perm(request.user, ADD_CLAIM, to="create claims")
    # The version of the text the page showed, where a selection's offsets were counted.
    # A form without one (an older page) is still checked: its quote must stand there.
    shown = parse_id(request.POST.get("article_version", ""))
    if shown is not None and shown != article.version:
        return _claim_on_changed_article(request, ArticleChanged(article))
    form = ClaimForm(request.POST, article=article)
    if form.is_valid():
        data = form.cleaned_data
        try:
            claim = claim_create(
                article=article,
                start=data["start"],
                end=data["end"],
                by=request.user,
                attributed_to=data["attributed_to"],
                assignee=data["assignee"],
                expected_article_version=shown,
            )
        except ArticleChanged as changed:
            return _claim_on_changed_article(request, changed)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Claim #{claim.pk} created.")
            # Back to the part of the text the claim was made in, at its words.
            where = f"?at={claim.start}#at-claim-{claim.pk}"
            return redirect(reverse("articles:detail", args=[article.pk]) + where)
    return render_article(request, article, claim_form=form, status=400)


def _claim_on_changed_article(request: HttpRequest, changed: ArticleChanged) -> HttpResponse:
    """The article as it is now, with the claim form as it was filled in but for the
    offset: that counted in the text the page showed before, and would point elsewhere."""
    data = request.POST.copy()
    data["start"] = ""
    form = ClaimForm(data, article=changed.article)
    form.is_valid()  # says, too, if the words are gone or now stand in several places
    form.add_error(None, changed)
    return render_article(request, changed.article, claim_form=form, status=409)


# --- import and edit ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required
def import_article(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, ADD_ARTICLE, to="import articles")
    if request.method == "POST":
        form = ArticleImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = article_import_with_suggestion_job(
                    by=request.user,
                    body=form.extracted.body,
                    accept_suggestions=data["accept_suggestions"],
                    allow_duplicate=data["import_anyway"],
                    **{name: data[name] for name in ArticleImportForm.Meta.fields},
                )
            except DuplicateArticle as repeated:
                return _offer_duplicate(request, form, repeated)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                article = result.article
                made = len(result.claims)
                said = f"Imported “{article.title}”"
                run = result.run
                if run is not None and run.status != RunStatus.DONE:
                    # A long text: a job accepts its suggestions; the page shows how far.
                    said += (
                        "; its suggestions are being accepted in the background"
                        if run.is_open
                        else "; accepting its suggestions failed (the article page says why)"
                    )
                elif run is not None:
                    made = run.claims_accepted or 0
                    said += f" and made {made} claim{pluralize(made)} from suggestions"
                elif data["accept_suggestions"]:
                    said += f" and made {made} claim{pluralize(made)} from suggestions"
                if form.extracted.encoding:
                    said += f" (the file was not UTF-8; it was read as {form.extracted.encoding})"
                messages.success(request, said + ".")
                return redirect("articles:detail", pk=article.pk)
        return render(request, "articles/article_import.html", {"form": form}, status=400)
    return render(request, "articles/article_import.html", {"form": ArticleImportForm()})


def _offer_duplicate(
    request: HttpRequest, form: ArticleImportForm, repeated: DuplicateArticle
) -> HttpResponse:
    """Name the articles this one repeats, and ask before importing it again.

    The form comes back holding the text itself, even when it came from a file, with the
    details read from it: confirming sends everything again, with no file to choose."""
    data = form.cleaned_data
    again = ArticleImportForm(
        initial={
            "text": form.extracted.body,
            "accept_suggestions": data["accept_suggestions"],
            **{name: data[name] for name in ArticleImportForm.Meta.fields},
        }
    )
    context = {"form": again, "duplicates": repeated.duplicates, "more": repeated.more}
    return render(request, "articles/article_import.html", context, status=409)


@require_http_methods(["GET", "POST"])
@member_required
def edit_article(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    require_perm(request.user, CHANGE_ARTICLE, to="edit articles")
    if request.method == "POST":
        form = ArticleEditForm(request.POST, instance=article)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = article_update(
                    article=article,
                    by=request.user,
                    expected_version=data["expected_version"],
                    loaded=data["loaded"],
                    body=data["body"],
                    **{name: data[name] for name in ArticleEditForm.Meta.fields},
                )
            except StaleArticle as stale:
                current = stale.article
                form.add_error(None, stale)
                _meet(form, current, stale.conflict)
                context = {
                    "form": form,
                    "article": current,
                    "conflict": _conflict(form, current, data, stale.conflict),
                }
                return render(request, "articles/article_edit.html", context, status=409)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                troubled = report.changed or report.orphaned
                (messages.warning if troubled else messages.success)(
                    request, f"Article saved. {report.describe()}"
                )
                return redirect("articles:detail", pk=article.pk)
        return render(
            request, "articles/article_edit.html", {"form": form, "article": article}, status=400
        )
    return render(
        request,
        "articles/article_edit.html",
        {"form": ArticleEditForm(instance=article), "article": article},
    )


def _shown(value) -> str:
    if isinstance(value, date):
        return date_format(value, "j M Y")
    return normalize_text(str(value or ""))


def _as_sent(value) -> str:
    """A stored value as the form's input sends it (dates as ISO, like the date picker)."""
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def _meet(form: ArticleEditForm, saved: Article, conflict: EditConflict) -> None:
    """Make the refused form the next save to send: the person's own changes, and the
    article as saved now wherever they changed nothing, so that saving again cannot undo
    what someone else did to a field this person never touched. It is made against the
    version saved now, and says so, so the next save is a deliberate one."""
    form.data = form.data.copy()
    for name in ARTICLE_FIELDS:
        if name not in conflict.mine:
            form.data[name] = _as_sent(getattr(saved, name))
    form.data["expected_version"] = saved.version
    form.data["loaded"] = form.fields["loaded"].prepare_value(article_loaded(saved))


def _conflict(
    form: ArticleEditForm, saved: Article, typed: dict, conflict: EditConflict
) -> dict[str, object]:
    """What differs between the article as saved now and what the person sent, and whose
    the form holds now: each detail side by side, and the text as a diff of its
    paragraphs. Fields both changed are flagged: there, the person's stays in the form."""
    details = []
    for name in ArticleEditForm.Meta.fields:
        now, yours = _shown(getattr(saved, name)), _shown(typed[name])
        if now != yours:
            whose = (
                "both" if name in conflict.both else "yours" if name in conflict.mine else "theirs"
            )
            details.append(
                {
                    "label": form.fields[name].label,
                    "now": now or "(empty)",
                    "yours": yours or "(empty)",
                    "whose": whose,
                }
            )
    body = "body" in conflict.mine, "body" in conflict.theirs
    return {
        "saved": saved,
        "saved_by": article_saved_by(saved),
        "details": details,
        "both": [str(form.fields[name].label) for name in ARTICLE_FIELDS if name in conflict.both],
        "text_changed_by": {
            (True, True): "both" if "body" in conflict.both else "yours",
            (True, False): "yours",
            (False, True): "theirs",
            (False, False): "",
        }[body],
        "lines": text_diff(saved.body, typed["body"]),
        "same_text": normalize_text(saved.body) == normalize_text(typed["body"]),
    }
