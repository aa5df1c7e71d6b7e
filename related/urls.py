from django.urls import path

from related import views

app_name = "related"

urlpatterns = [
    path("<int:pk>/links/", views.link, name="link"),
    path("<int:pk>/links/<int:other_pk>/remove/", views.unlink, name="unlink"),
    path("<int:pk>/links/<int:other_pk>/copy-sources/", views.copy_sources, name="copy_sources"),
]
