"""Articles as reviewers read them: every claim highlighted where it stands."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from claims.forms import ClaimForm
from claims.highlight import paragraphs
from claims.models import ClaimStatus
from claims.selectors import claims_listed, progress_by_article
from claims.services import claim_create
from claims.views import member_required


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
    return render(
        request, "articles/article_list.html", {"page": page, "search": search, "form": form}
    )


def render_article(request: HttpRequest, article: Article, *, claim_form=None, status=200):
    claims = list(claims_listed().filter(article=article).order_by("start", "id"))
    counts = dict.fromkeys(ClaimStatus.values, 0)
    for claim in claims:
        counts[claim.status] += 1
    context = {
        "article": article,
        "article_id_str": str(article.pk),
        "claims": claims,
        # An orphaned claim's offsets no longer point into the text: it is listed, not drawn.
        "paragraphs": paragraphs(article.body, [c for c in claims if not c.orphaned]),
        "orphaned": [c for c in claims if c.orphaned],
        "progress": counts,
        "statuses": ClaimStatus.choices,
        "may_edit": request.user.has_perm("claims.add_claim"),
        "claim_form": claim_form
        or (ClaimForm(article=article) if request.user.has_perm("claims.add_claim") else None),
    }
    return render(request, "articles/article_detail.html", context, status=status)


@require_GET
@member_required
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_article(request, get_object_or_404(Article, pk=pk))


@require_POST
@member_required
def add_claim(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    if not request.user.has_perm("claims.add_claim"):
        raise PermissionDenied("You need the Editor role to create claims.")
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
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Claim #{claim.pk} created.")
            return redirect("articles:detail", pk=article.pk)
    return render_article(request, article, claim_form=form, status=400)
