from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("<int:pk>/", views.article_detail, name="detail"),
    path("import/", views.import_article, name="import"),
    path("<int:pk>/edit/", views.edit_article, name="edit"),
    path("<int:pk>/claims/", views.add_claim, name="add_claim"),
    path("<int:pk>/suggestions/accept/", views.accept_suggestion, name="accept_suggestion"),
    path("<int:pk>/suggestions/dismiss/", views.dismiss_suggestion, name="dismiss_suggestion"),
    path(
        "<int:pk>/suggestions/accept-all/",
        views.accept_all_suggestions,
        name="accept_all_suggestions",
    ),
    path(
        "<int:pk>/suggestions/dismissed/<int:dismissed_pk>/restore/",
        views.restore_suggestion,
        name="restore_suggestion",
    ),
]
