"""The suggestion panel's URLs, under an article's: articles/urls.py includes them without a
namespace, so they are named under "articles:" like the page they act on."""

from __future__ import annotations

from django.urls import path

from suggestions import views

urlpatterns = [
    path("accept/", views.accept_suggestion, name="accept_suggestion"),
    path("dismiss/", views.dismiss_suggestion, name="dismiss_suggestion"),
    path("accept-all/", views.accept_all_suggestions, name="accept_all_suggestions"),
    # The job preparing a long article's suggestions: its progress, and "Try again".
    path("progress/", views.suggestion_progress, name="suggestion_progress"),
    path("prepare/", views.retry_suggestions, name="retry_suggestions"),
    path(
        "dismissed/<int:dismissed_pk>/restore/",
        views.restore_suggestion,
        name="restore_suggestion",
    ),
]
