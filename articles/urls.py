from django.urls import include, path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("<int:pk>/", views.article_detail, name="detail"),
    path("import/", views.import_article, name="import"),
    path("<int:pk>/edit/", views.edit_article, name="edit"),
    path("<int:pk>/claims/", views.add_claim, name="add_claim"),
    # The suggestion panel (suggestions/urls.py): no namespace of its own, so its names stay
    # under "articles:", beside the page they act on.
    path("<int:pk>/suggestions/", include("suggestions.urls")),
]
